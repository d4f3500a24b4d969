"""Reading a question: language, aggregate, stance, topic terms and named session."""

from __future__ import annotations

from dataclasses import replace

import pytest

from answer.intent import detect_language, is_aggregate, read_intent
from index.query import understand


@pytest.mark.parametrize(
    ("question", "language"),
    [
        ("Was hat Bayern zur Delos Cloud gesagt?", "de"),
        ("Welche Länder sprachen sich gegen eine Beschlussfassung aus?", "de"),
        ("Rezept für Apfelkuchen", "de"),
        ("What did Bavaria say about the Delos Cloud?", "en"),
        ("Which states opposed a decision in the special session?", "en"),
        ("Who submitted a protocol note?", "en"),
        ("Delos Cloud", "de"),
        ("", "de"),
    ],
)
def test_detect_language(question: str, language: str) -> None:
    assert detect_language(question) == language


@pytest.mark.parametrize(
    ("question", "aggregate"),
    [
        ("Welche Länder sprachen sich gegen eine Beschlussfassung aus?", True),
        ("Wer hat eine Protokollnotiz abgegeben?", True),
        ("Which states opposed a decision?", True),
        ("Who submitted a protocol note?", True),
        ("Wie viele Länder äußerten sich zur Delos Cloud?", True),
        ("Was hat Bayern zur Delos Cloud gesagt?", False),
        ("Wie hoch ist die Unterstützung pro Studienausgabe?", False),
        ("Welche Mittel stellte das Konjunkturpaket bereit?", False),
        ("Wer ist Vorsitzender des IT-Planungsrats?", False),
    ],
)
def test_is_aggregate(question: str, aggregate: bool) -> None:
    assert is_aggregate(question) is aggregate


def _intent(question: str, **plan: object):
    """The answer step's reading of the plan the service would build (fields overridable)."""
    return read_intent(replace(understand(question), **plan))  # type: ignore[arg-type]


def test_speaker_names_and_meta_words_are_not_topic_terms() -> None:
    intent = _intent("Was hat das Saarland in der Sondersitzung zur Delos Cloud gesagt?")
    assert intent.speakers == ("SL",)
    assert intent.terms == ("sondersitz", "delos", "cloud")
    assert intent.special_session


def test_a_named_session_is_a_constraint_not_a_term() -> None:
    intent = _intent("Was hat Hessen in der 47. Sitzung zur Cybersicherheit gesagt?")
    assert intent.session == "47"
    assert "47" not in intent.terms
    assert _intent("Was sagte Bayern am 27.06.2024?").session == "2024-06-27"


def test_a_session_only_mentioned_does_not_restrict() -> None:
    intent = _intent("Welche Nachfrage richtete Schleswig-Holstein zur 44. Sitzung?")
    assert intent.session is None and "44" in intent.terms


def test_speakers_named_as_objects_are_not_asked_about() -> None:
    assert _intent("Was sagte NRW zur Zusammenarbeit mit dem BSI?").speakers == ("NW",)
    assert _intent("Was bittet die Digitalministerkonferenz den Bund zu prüfen?").speakers == ()
    assert not _intent("Für wie viele Jahre wird die Beteiligung verlängert?").asks_speech


def test_plan_fields_win_over_the_questions_own_reading() -> None:
    intent = _intent("Was hat Bayern gesagt?", speakers=("BY",), session="2024-06-27-sonder")
    assert intent.speakers == ("BY",)
    assert intent.session == "2024-06-27-sonder"


def test_stance_and_decision_cues() -> None:
    against = _intent("Welche Länder sprachen sich gegen eine Beschlussfassung aus?")
    assert against.stance == "against" and against.aggregate and against.lander_only
    assert against.terms == ("beschlussfass",)
    figure = _intent("Wie hoch ist die Unterstützung pro Studienausgabe?")
    assert figure.decision and figure.figure
    note = _intent("Wer hat eine Protokollnotiz abgegeben?")
    assert note.protocol_note and not note.lander_only


def test_english_topic_words_map_to_german_terms() -> None:
    intent = _intent("Which states opposed a decision?")
    assert intent.language == "en"
    assert intent.stance == "against"
    assert "beschluss" in intent.terms


def test_out_of_scope_terms_survive_so_they_can_fail_to_match() -> None:
    assert _intent("Rezept für Apfelkuchen").terms == ("rezept", "apfelkuch")
