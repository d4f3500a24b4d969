"""Reading follow-ups: what a question leaves open comes from the conversation."""

from __future__ import annotations

from answer.followup import Quoted, read_followup
from gremium.types import QueryPlan


def _history(*questions: str) -> list[dict[str, str]]:
    turns: list[dict[str, str]] = []
    for question in questions:
        turns += [{"role": "user", "content": question}, {"role": "assistant", "content": "…"}]
    return turns


def _quoting(*items: tuple[str, str | None] | Quoted):  # type: ignore[no-untyped-def]
    def cited(plan: QueryPlan) -> list[Quoted]:
        return [item if len(item) == 3 else (*item, None) for item in items]  # type: ignore[misc]

    return cited


FIRST = "Was sagte Niedersachsen in der Sondersitzung zu Microsoft Teams?"


def test_a_new_speaker_takes_topic_session_and_agenda_item() -> None:
    plan = read_followup(
        "Und wie sah Berlin das?", _history(FIRST), _quoting(("2024-06-27-sonder", "01"))
    )
    assert plan.speakers == ("BE",)
    assert plan.session == "sonder" and "Microsoft Teams" in plan.topic
    assert plan.context_items == ("2024-06-27-sonder|01",)
    assert plan.interpreted_as and "Berlin" in plan.interpreted_as


def test_a_new_session_keeps_the_speaker() -> None:
    plan = read_followup("Und in der 47. Sitzung?", _history(FIRST), _quoting())
    assert plan.speakers == ("NI",) and plan.session == "47"


def test_the_session_of_the_previous_answer_is_used_when_none_was_named() -> None:
    history = _history("Was sagte Bayern zur Delos Cloud?")
    plan = read_followup("Und was hielt der Bund dagegen?", history, _quoting(("s1", "01")))
    assert plan.speakers == ("Bund",) and plan.session == "s1"


def test_a_complete_question_starts_afresh() -> None:
    question = "Ganz andere Frage: Wie viel Geld ging an das Digitalisierungsprogramm Föderal?"
    plan = read_followup(question, _history(FIRST), _quoting(("s", "01")))
    assert plan.interpreted_as is None and plan.session is None and plan.speakers == ()


def test_chains_resolve_through_every_turn() -> None:
    history = _history(FIRST, "Und wie sah Berlin das?")
    plan = read_followup("Und in der 47. Sitzung?", history, _quoting())
    assert plan.speakers == ("BE",) and plan.session == "47"
    assert "Microsoft Teams" in plan.topic


def test_assistant_turns_are_not_read() -> None:
    history = [
        {"role": "user", "content": FIRST},
        {"role": "assistant", "content": "Bayern sagte in der 41. Sitzung: Fußball."},
    ]
    plan = read_followup("Und Hessen?", history, _quoting())
    assert plan.speakers == ("HE",) and plan.session == "sonder"
    assert "Fußball" not in plan.topic and "41" not in (plan.session or "")


NOTES = "Welche Länder gaben in der Sondersitzung eine Protokollnotiz ab?"


def test_a_title_stands_for_the_speaker_the_previous_answer_quoted() -> None:
    plan = read_followup(
        "Was begrüßt der Freistaat darin?",
        _history(NOTES),
        _quoting(("2024-06-27-sonder", "01", "BY")),
    )
    assert plan.speakers == ("BY",)
    assert "Freistaat" not in plan.topic
    assert plan.interpreted_as and "Bayern" in plan.interpreted_as


def test_a_title_no_quoted_speaker_bears_names_nobody() -> None:
    plan = read_followup(
        "Was begrüßt der Freistaat darin?",
        _history(NOTES),
        _quoting(("2024-06-27-sonder", "01", "NW"), ("2024-06-27-sonder", "01", "HE")),
    )
    assert plan.speakers == ()


def test_a_title_followed_by_a_name_is_that_name() -> None:
    plan = read_followup(
        "Und was sagte der Freistaat Sachsen dazu?",
        _history(FIRST),
        _quoting(("2024-06-27-sonder", "01", "BY")),
    )
    assert plan.speakers == ("SN",)


def test_every_title_resolves_to_each_speaker_bearing_it() -> None:
    """Generated: every title the registry derives, with every speaker bearing it quoted
    after a speaker that does not bear it."""
    from gremium.speakers import REGISTRY

    cases = 0
    for title, codes in REGISTRY._titles.items():
        other = next(s.code for s in REGISTRY.all() if s.code not in codes)
        for code in codes:
            article = {"freistaat": "der", "land": "das", "bundesland": "das"}.get(title, "die")
            question = f"Und was sagte {article} {title.title()} dazu?"
            quoted = _quoting(("s", "01", other), ("s", "01", code))
            plan = read_followup(question, _history(NOTES), quoted)
            assert plan.speakers == (code,), (question, code, plan.speakers)
            cases += 1
    assert cases >= 35  # 16 Länder twice, three Freistaaten, the Hansestädte
