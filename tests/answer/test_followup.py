"""Reading follow-ups: what a question leaves open comes from the conversation."""

from __future__ import annotations

from answer.followup import read_followup
from gremium.types import QueryPlan


def _history(*questions: str) -> list[dict[str, str]]:
    turns: list[dict[str, str]] = []
    for question in questions:
        turns += [{"role": "user", "content": question}, {"role": "assistant", "content": "…"}]
    return turns


def _quoting(*items: tuple[str, str | None]):  # type: ignore[no-untyped-def]
    def cited(plan: QueryPlan) -> list[tuple[str, str | None]]:
        return list(items)

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
