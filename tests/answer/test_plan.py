"""One reading of a question: speakers, sessions, periods, the shape of answer asked for."""

from __future__ import annotations

import pytest

from answer.plan import detect_language, read_question


@pytest.mark.parametrize(
    ("question", "codes"),
    [
        ("Was hat Bayern zur Delos Cloud gesagt?", ("BY",)),
        ("Wie äußerte sich die bayerische Landesregierung?", ("BY",)),
        ("Position des Freistaat Bayern zur Cloud", ("BY",)),
        ("What did Bavaria and Lower Saxony say?", ("BY", "NI")),
        ("Was meint NRW zur Registermodernisierung?", ("NW",)),
        ("Was sagte der Bund zur Delos Cloud?", ("Bund",)),
        ("Die Cloud-Strategie des Bundes und der Länder", ()),
        ("Wie arbeiten Bund und Länder bei NOOTS zusammen?", ()),
        ("Was sagten Sachsen-Anhalt und Sachsen?", ("ST", "SN")),
        ("Was sagte Hessen zur Kooperation mit dem BSI?", ("HE",)),
        ("Was wurde mit dem BSI vereinbart?", ()),  # an object: the topic, not the speaker
        ("Was bittet die DMK den Bund zu prüfen?", ()),
        ("Wie hoch ist das Budget Bayerns für den DigitalPakt?", ()),  # a genitive attribute
        ("Was sagte die Vertreterin des Bundes?", ("Bund",)),
        ("What about Rhineland-Palatinate?", ("RP",)),
        ("Und was ist mit dem Bund?", ("Bund",)),
    ],
)
def test_speakers_are_subjects_not_objects(question: str, codes: tuple[str, ...]) -> None:
    assert read_question(question).speakers == codes


@pytest.mark.parametrize(
    ("question", "session", "date_from", "date_to"),
    [
        ("Was wurde in der 47. Sitzung beschlossen?", "47", None, None),
        ("Was geschah in der Sondersitzung?", "sonder", None, None),
        ("Was wurde im Juni 2024 beraten?", None, "2024-06-01", "2024-06-30"),
        ("Sitzung am 27.06.2024", "2024-06-27", "2024-06-27", "2024-06-27"),
        ("Was sagte Hessen am 26. Juni 2025?", "2025-06-26", "2025-06-26", "2025-06-26"),
        ("Was berichtete der IT-Planungsrat im Jahr 2021?", None, "2021-01-01", "2021-12-31"),
        ("What happened at the 47th meeting?", "47", None, None),
        ("Was sagte NRW zur 44. Sitzung?", None, None, None),  # a session as a topic
    ],
)
def test_sessions_and_periods(
    question: str, session: str | None, date_from: str | None, date_to: str | None
) -> None:
    plan = read_question(question)
    assert (plan.session, plan.date_from, plan.date_to) == (session, date_from, date_to)


@pytest.mark.parametrize(
    ("question", "aggregate"),
    [
        ("Welche Länder sprachen sich gegen eine Beschlussfassung aus?", True),
        ("Wer hat eine Protokollnotiz abgegeben?", True),
        ("Which states opposed a decision?", True),
        ("Wie viele Länder äußerten sich zur Delos Cloud?", True),
        ("Welche Länder haben angeboten, bei Übungen mitzumachen?", True),
        ("Wer leitet das Projekt Unternehmenskonto?", False),
        ("Which members have voting rights in the NOOTS steering group?", False),
        ("Bis wann sollten alle Länder der Vereinbarung beitreten?", False),
        ("Was hat Bayern zur Delos Cloud gesagt?", False),
        ("Wie hoch ist die Unterstützung pro Studienausgabe?", False),
    ],
)
def test_aggregate_needs_a_speech_act(question: str, aggregate: bool) -> None:
    assert read_question(question).aggregate is aggregate


def test_the_topic_keeps_what_the_question_is_about() -> None:
    plan = read_question("Was hat Bayern in der Sondersitzung zur Delos Cloud gesagt?")
    assert plan.topic == "Delos Cloud" and plan.asks_speech
    assert read_question("Wie hoch ist die Grundsteuer in Bayern 2026?").topic == "Grundsteuer 2026"
    assert read_question("Wer hat eine Protokollnotiz abgegeben?").topic == ""


def test_flags_of_the_answer_shape() -> None:
    plan = read_question("Welche Länder sprachen sich gegen eine Beschlussfassung aus?")
    assert plan.stance == "against" and plan.speaker_groups == ("land",)
    assert read_question("Wie hoch ist der Betrag?").figure
    assert read_question("Was steht in der Protokollnotiz Bayerns?").protocol_note
    assert read_question("Wie hat sich Bayerns Haltung zur Cloud entwickelt?").over_time


@pytest.mark.parametrize(
    ("question", "language"),
    [
        ("Was hat Bayern zur Delos Cloud gesagt?", "de"),
        ("What did Bavaria say about the Delos Cloud?", "en"),
        ("Who submitted a protocol note?", "en"),
        ("Delos Cloud", "de"),
        ("", "de"),
    ],
)
def test_language(question: str, language: str) -> None:
    assert detect_language(question) == language
