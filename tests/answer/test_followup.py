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
        return [(*item, None, None)[:4] for item in items]  # type: ignore[misc]

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


def test_an_article_before_a_noun_points_nowhere() -> None:
    """ "dem ZenDiS", "das neue Gesetz": articles, not pronouns; a question complete in
    itself starts afresh even though it holds one."""
    for question in (
        "Welche Idee steht laut der Präsentation der AG Cloud hinter dem ZenDiS?",
        "Wie viel Geld bekommt das neue Digitalisierungsprogramm Föderal im Jahr?",
        "What did the IT Planning Council recommend on election results in 2021?",
    ):
        plan = read_followup(question, _history(FIRST), _quoting(("s", "01", "NI")))
        assert plan.speakers == () and plan.session is None, question
        assert "Teams" not in plan.topic, question


def test_a_pronoun_das_or_dem_still_points_back() -> None:
    for question in (
        "Wie sah Berlin das?",
        "Stimmte Berlin dem zu?",
        "Hat Berlin das auch so gesehen?",
    ):
        plan = read_followup(question, _history(FIRST), _quoting(("s", "01", "NI")))
        assert plan.speakers == ("BE",) and "Microsoft Teams" in plan.topic, question


def test_anything_in_another_session_drops_the_topic() -> None:
    history = _history("What did Saxony-Anhalt say about the letter to SAP?")
    for question in (
        "Did they raise anything at the 47th session?",
        "Hat Sachsen-Anhalt in der 47. Sitzung sonst noch etwas gesagt?",
    ):
        plan = read_followup(question, history, _quoting())
        assert plan.speakers == ("ST",) and plan.session == "47", question
        assert plan.topic == "", (question, plan.topic)
    # without "anything" the topic stays: "Und in der 47. Sitzung?"
    plan = read_followup("Und in der 47. Sitzung?", history, _quoting())
    assert "SAP" in plan.topic


def test_a_reply_looks_after_the_passages_quoted() -> None:
    history = _history("Was sagte Rheinland-Pfalz in der Sondersitzung?")
    quoted = _quoting(("s", "01", "RP", "doc|7"), ("s", "01", "RP", "doc|9"))
    plan = read_followup("Und was antwortete der Bund darauf?", history, quoted)
    assert plan.speakers == ("Bund",) and plan.context_items == ("s|01",)
    assert plan.context_after == ("doc|7", "doc|9")


def test_asking_who_inherits_no_speaker() -> None:
    history = _history("Was hat Hessen zum Unternehmenskonto zu Protokoll gegeben?")
    for question in ("Und wer übernimmt die Projektleitung?", "And who leads the project?"):
        plan = read_followup(question, history, _quoting(("s", "12", "HE")))
        assert plan.speakers == (), question
        assert "Unternehmenskonto" in plan.topic, question


def test_a_question_about_a_thing_inherits_no_speaker() -> None:
    history = _history(
        "Was kritisierte der Landkreistag an der DIN SPEC?", "Und was hielt der Bund dagegen?"
    )
    for question in ("Wie ging die Abstimmung darüber aus?", "Und woher kommt das Geld dafür?"):
        plan = read_followup(question, history, _quoting(("s", "05", "Bund")))
        assert plan.speakers == (), question
        assert "DIN" in plan.topic or "SPEC" in plan.topic, (question, plan.topic)
    for question in (
        "Was sagten sie noch dazu?",
        "Was wurde dazu gesagt?",
        "Und in der 47. Sitzung?",
    ):
        plan = read_followup(question, history, _quoting(("s", "05", "Bund")))
        assert plan.speakers == ("Bund",), question


MARKERS = [
    "Themenwechsel:",
    "Themawechsel:",
    "Andere Frage:",
    "Neues Thema:",
    "Anderer Punkt:",
    "Ganz was anderes:",
    "Etwas anderes –",
    "Switching topics:",
    "Changing the subject:",
    "On a different note:",
    "On another note,",
    "Different topic:",
    "Something else:",
]


def test_a_marked_change_of_subject_starts_afresh_however_short() -> None:
    """A marker that changes the subject cuts the conversation off, even before a question
    too short to stand alone ("Themenwechsel: Und Berlin?" asks about Berlin only)."""
    for marker in MARKERS:
        for question in ("Was beschloss der Rat zur Verwaltungscloud?", "Und Berlin dazu?"):
            plan = read_followup(f"{marker} {question}", _history(FIRST), _quoting(("s", "01")))
            assert "Microsoft" not in plan.topic and plan.session is None, (marker, question)
            assert plan.interpreted_as is None, (marker, question)


def test_words_like_the_markers_inside_a_question_keep_the_conversation() -> None:
    """ "etwas anderes" asked about, not announcing a change, keeps the conversation."""
    plan = read_followup("Hat Berlin dazu etwas anderes gesagt?", _history(FIRST), _quoting())
    assert plan.speakers == ("BE",) and plan.session == "sonder" and plan.interpreted_as


REPLIES = (
    ("Wie reagierte {who}?", "de"),
    ("Was antwortete {who}?", "de"),
    ("Was hat {who} geantwortet?", "de"),
    ("Was entgegnete {who}?", "de"),
    ("Was erwiderte {who}?", "de"),
    ("How did {who} react?", "en"),
    ("How did {who} respond?", "en"),
    ("What did {who} reply?", "en"),
    ("What did {who} answer?", "en"),
)
SPEAKERS = (("Nordrhein-Westfalen", "NW"), ("der Bund", "Bund"), ("Hamburg", "HH"))
SPEAKERS_EN = (("North Rhine-Westphalia", "NW"), ("the federal government", "Bund"))


def test_asking_how_someone_replied_points_back_at_what_was_quoted() -> None:
    history = _history("Was sagte Bayern in der Sondersitzung zur Delos Cloud?")
    quoted = _quoting(("s", "01", "BY", "doc|4"))
    for template, language in REPLIES:
        for name, code in SPEAKERS if language == "de" else SPEAKERS_EN:
            question = template.format(who=name)
            plan = read_followup(question, history, quoted)
            assert plan.speakers == (code,), question
            assert plan.context_items == ("s|01",), question
            assert plan.session == "sonder" and "Delos Cloud" in plan.topic, question
            assert not {"reagierte", "geantwortet", "react", "answer"} & set(plan.topic.split())


def test_a_reply_to_something_named_keeps_its_own_topic() -> None:
    history = _history("Was sagte Bayern in der Sondersitzung zur Delos Cloud?")
    question = "Wie reagierte Hessen auf die Pläne für eine verbindliche Projektplanung beim Unternehmenskonto?"
    plan = read_followup(question, history, _quoting(("s", "01", "BY", "doc|4")))
    assert plan.context_items == () and "Delos" not in plan.topic


def test_an_answer_that_quoted_nothing_leaves_the_context_of_the_one_before() -> None:
    history = _history(
        "What did the BSI say about the threat situation at the 47th session?",
        "What did they ask the members for?",
    )

    def cited(plan: QueryPlan) -> list[Quoted]:
        if plan.question.startswith("What did they"):
            return []  # the re-judged middle turn abstains
        return [("s47", "10", "BSI", "doc|3")]

    plan = read_followup("And how did Hesse respond?", history, cited)
    assert plan.speakers == ("HE",) and plan.context_items == ("s47|10",)
    assert plan.context_after == ("doc|3",)


def test_the_context_is_not_looked_for_further_back_than_two_answers() -> None:
    history = _history(
        "Was sagte Bayern in der Sondersitzung zur Delos Cloud?",
        "Und was sagten sie zu Open Desk?",
        "Und was sagten sie zu den Kosten?",
    )

    def cited(plan: QueryPlan) -> list[Quoted]:
        return [("s", "01", "BY", "doc|4")] if plan.question.startswith("Was sagte") else []

    plan = read_followup("Und wie reagierte Hessen darauf?", history, cited)
    assert plan.speakers == ("HE",) and plan.context_items == ()


OTHERS = (
    ("Und was sagten die anderen Länder dazu?", ("land",)),
    ("Und was ist mit den anderen Ländern?", ("land",)),
    ("Was meinten die übrigen Länder?", ("land",)),
    ("And what about the other states?", ("land",)),
    ("Und der andere kommunale Spitzenverband?", ("municipal",)),
    ("What did the other municipal associations say?", ("municipal",)),
)


def test_the_others_are_every_member_of_the_class_but_those_named() -> None:
    for first, code in (
        ("Was sagte Bayern in der Sondersitzung zur Delos Cloud?", "BY"),
        ("Was sagte Hessen in der Sondersitzung zur Delos Cloud?", "HE"),
        ("Was hat der Landkreistag in der 47. Sitzung zur DIN SPEC gesagt?", "DLT"),
    ):
        quoted = _quoting(("s", "01", code, "doc|4"), ("s", "01", "Bund", "doc|5"))
        for question, groups in OTHERS:
            plan = read_followup(question, _history(first), quoted)
            assert plan.aggregate and plan.speakers == (), (first, question)
            assert plan.speaker_groups == groups and plan.excluded == (code,), (first, question)
            assert plan.interpreted_as and "(" in plan.interpreted_as


def test_after_a_list_the_others_leave_out_whom_it_named() -> None:
    history = _history("Wer hat in der 47. Sitzung das Lagebild unterstützt?")
    quoted = _quoting(("s", "10", "DLT", "doc|3"), ("s", "10", "SH", "doc|2"))
    plan = read_followup("Und der andere kommunale Spitzenverband?", history, quoted)
    assert plan.aggregate and plan.excluded == ("DLT", "SH")
    assert "Spitzenverband" not in plan.topic and "Lagebild" in plan.topic


def test_a_da_word_announcing_a_clause_points_forward() -> None:
    history = _history("Was sagte Hessen in der 47. Sitzung zur Zusammenarbeit mit dem BSI?")
    quoted = _quoting(("s", "10", "HE", "doc|4"))
    clauses = (
        "Wer hat sich dafür ausgesprochen, die Dialogmethoden zu vereinfachen?",
        "Wer hat sich dafür eingesetzt, gemeinsame Übungen durchzuführen?",
        "Wer hat darauf hingewiesen, dass Lagebilder kurzfristig erstellt werden müssen?",
        "Wer hat sich dagegen gewehrt, einen Staatsvertrag aufzusetzen?",
    )
    for question in clauses:
        plan = read_followup(question, history, quoted)
        assert "BSI" not in plan.topic and plan.context_items == (), question
    # on its own, the same word points back
    plan = read_followup("Wer hat sich dafür ausgesprochen?", history, quoted)
    assert "Zusammenarbeit" in plan.topic
