"""Understanding questions: speakers in every form, sessions, periods, document types."""

from __future__ import annotations

import pytest

from index.query import understand


@pytest.mark.parametrize(
    ("question", "codes"),
    [
        ("Was hat Bayern zur Delos Cloud gesagt?", ("BY",)),
        ("Wie äußerte sich die bayerische Landesregierung?", ("BY",)),
        ("Position des Freistaat Bayern zur Cloud", ("BY",)),
        ("Was sagte BY?", ("BY",)),
        ("What did Bavaria and Lower Saxony say?", ("BY", "NI")),
        ("Was meint NRW zur Registermodernisierung?", ("NW",)),
        ("Was sagte der Bund zur Delos Cloud?", ("Bund",)),
        ("Die Cloud-Strategie des Bundes und der Länder", ()),
        ("Wie arbeiten Bund und Länder bei NOOTS zusammen?", ()),
        ("Was sagten Sachsen-Anhalt und Sachsen?", ("ST", "SN")),
        ("What did Lower Saxony say about cooperation with the BSI?", ("NI",)),
        ("Was sagte Hessen zur Kooperation mit dem BSI?", ("HE",)),
        ("Was wurde mit dem BSI vereinbart?", ()),  # an object: the topic, not the speaker
    ],
)
def test_speakers(question: str, codes: tuple[str, ...]) -> None:
    assert understand(question).speakers == codes


@pytest.mark.parametrize(
    ("question", "session", "date_from", "date_to"),
    [
        ("Was wurde in der 47. Sitzung beschlossen?", "47", None, None),
        ("Was geschah in der Sondersitzung?", "sonder", None, None),
        ("Was wurde im Juni 2024 beraten?", None, "2024-06-01", "2024-06-30"),
        ("Sitzung am 27.06.2024", "2024-06-27", "2024-06-27", "2024-06-27"),
        ("Was berichtete der IT-Planungsrat im Jahr 2021?", None, "2021-01-01", "2021-12-31"),
        ("Was wurde im Februar 2024 beraten?", None, "2024-02-01", "2024-02-29"),
    ],
)
def test_sessions_and_periods(
    question: str, session: str | None, date_from: str | None, date_to: str | None
) -> None:
    plan = understand(question)
    assert (plan.session, plan.date_from, plan.date_to) == (session, date_from, date_to)


def test_document_type_hints_and_text() -> None:
    plan = understand("  Welcher Bericht ging an die IMK? ")
    assert plan.doc_type == "bericht" and plan.text == "Welcher Bericht ging an die IMK?"
    assert understand("Welche Präsentation zeigt Open CoDE?").doc_type == "praesentation"
    assert understand("Delos Cloud").doc_type is None


@pytest.mark.parametrize(
    ("question", "speakers"),
    [
        ("Was bittet die DMK den Bund zu prüfen?", ()),
        ("Was sagte der Bund zur Delos Cloud?", ("Bund",)),
        ("Was sagte der Landkreistag zu den Ausführungen aus Schleswig-Holstein?", ("DLT",)),
        ("Wie äußerte sich das BSI?", ("BSI",)),
    ],
)
def test_objects_of_the_sentence_are_not_speakers(question: str, speakers: tuple[str, ...]) -> None:
    assert understand(question).speakers == speakers
