"""Table-driven: every turn, Protokollnotiz and Beschluss of both corpus protocols."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.pipeline import ParsedDocument, parse_file
from tests.conftest import SITZUNG_47, SONDERSITZUNG

# (TOP, speaker code, first words) for every statement, in protocol order.
SONDER_STATEMENTS = [
    ("01", "Bund", "Der Grund für die Sondersitzung"),
    ("01", "NW", "Spricht sich gegen eine Beschlussfassung aus"),
    ("01", "Bund", "Betont nochmals die Notwendigkeit"),
    ("01", "SH", "Die Sicherung echter digitaler Souveränität"),
    ("01", "BY", "Schließt sich NW an"),
    ("01", "HH", "Unterstützt BY bzgl. der Kommunikationsstrategie"),
    ("01", "Bund", "Nach dem aktuellen Rechtsrahmen"),
    ("01", "BKAmt", "Der Aspekt der digitalen Souveränität"),
    ("01", "BE", "Unterstütze die bisherigen Aussagen"),
    ("01", "BB", "Spricht sich ebenfalls gegen eine Beschlussfassung aus"),
    ("01", "NI", "In NI wurde aktuell eine Vereinbarung"),
    ("01", "Bund", "An Open Desk werde gearbeitet"),
    ("01", "RP", "Habe sehr intensive Gespräche mit Delos"),
    ("01", "Bund", "Das BSI arbeite daran"),
    ("01", "NW", "Die zeitliche Dringlichkeit"),
    ("01", "HE", "Wünsche sich eine Weiterbehandlung"),
    ("01", "ST", "Könne die Kritikpunkte der Länder sehen"),
    ("01", "Bund", "Nehme die Bedenken der Länder wahr"),
    ("01", "HE", "Die Diskussion zur Angelegenheit"),
    ("01", "HH", "Empfehlung, dass sich der IT-Planungsrat"),
    ("01", "Bund", "Nimmt die Vorschläge der Mitglieder auf"),
]
SONDER_NOTES = [("01", "BY", "Der Freistaat Bayern verfolgt einen Multi-Cloud-Ansatz")]
SONDER_DECISIONS: list[tuple[str, str, str]] = []

S47_STATEMENTS = [
    ("00", "MV", "Begrüßung der neuen Mitglieder"),
    ("00", "HH", "Dankt für die Erarbeitung zur Steuerungsgruppe NOOTS"),
    ("00", "BW", "Dankt für die Stellungnahme zu TOP 13"),
    ("00", "FITKO", "Die Evaluations- und Testphase"),
    ("00", "BSI", "Das Matrix-Protokoll weise derzeit"),
    ("00", "Bund", "Übermittlung eines Grußworts"),
    ("10", "BSI", "Die künftige Zusammenarbeit müsse enger"),
    ("10", "Bund", "Dies sei mit den Finanzministerien"),
    ("10", "HE", "Hinweis auf das Bestehen der AG Cybersicherheit"),
    ("10", "HH", "Sei darauf angewiesen"),
    ("10", "HB", "Biete sich bei Sicherheitsübungen"),
    ("10", "BY", "Jeder mögliche Einsatz im Bereich Cybersicherheit"),
    ("10", "NI", "Begrüßt Kooperation mit dem BSI"),
    ("10", "BW", "Die Kooperation zwischen BSI und BW"),
    ("10", "BB", "Der Dialog sei notwendig"),
    ("10", "SL", "Die Form der Zusammenarbeit"),
    ("10", "DStGB", "Sensibilisierung für die Situation"),
    ("10", "SH", "Betont, dass das Erstellen"),
    ("10", "DLT", "Unterstützung der Ausführungen aus SH"),
    # the table of the area "Übergreifendes" lost its TOP row: no number is invented
    ("", "ST", "Bericht aus der Kultusministerkonferenz"),
    ("", "HB", "Die Finanzministerkonferenz wurde"),
    ("", "HH", "Bei der Klausurtagung"),
    ("", "MV", "Die Agrarministerkonferenz bitte"),
    ("", "BB", "Die Justizministerkonferenz stehe"),
    ("", "Bund", "Im Bereich der Staatsmodernisierung"),
    ("", "BE", "In der 3. Sitzung der Digitalministerkonferenz"),
    ("", "Bund", "Sieht darin gute Vorarbeit"),
    ("", "DLT", "Spricht sich für Standardisierung aus"),
    ("", "Bund", "Das Setzen von Standards"),
    ("07", "HH", "Vorstellung des Zielbildes"),
    ("20", "HE", "Dank für Projektberücksichtigung"),
]
S47_NOTES = [
    ("08", "BE", "Berlin geht davon aus"),
    ("08", "HH", "Hamburg, in der derzeitigen Rolle"),
    ("08", "FITKO", "Die Entscheidung zur Personalauswahl"),
    ("12", "HE", "Hessen hat mehrfach"),
]
S47_DECISIONS = [
    ("08", "Beschluss B-2025/26-IT", "Der IT-Planungsrat richtet"),
    ("12", "Beschluss B-2025/27-IT", "Der IT-Planungsrat beschließt das Grobkonzept"),
    ("18", "Beschluss B-2025/30-IT", "1. Der IT-Planungsrat beschließt die Verlängerung"),
]


def _body(text: str) -> str:
    """Turn text without its heading line and bullet."""
    lines = text.split("\n")
    if lines[0].startswith(("Protokollnotiz", "Beschluss")):
        lines = lines[1:]
    return "\n".join(lines).lstrip("• ").strip()


def table(parsed: ParsedDocument, role: str) -> list[tuple[str, str, str]]:
    rows = []
    for turn in parsed.turns:
        if turn.role != role:
            continue
        top = turn.agenda_item.number if turn.agenda_item else ""
        speaker = turn.speaker.code if turn.speaker else ""
        who = (turn.label or "") if role == "decision" else speaker
        rows.append((top, who, _body(turn.text)))
    return rows


def assert_table(actual: list[tuple[str, str, str]], expected: list[tuple[str, str, str]]) -> None:
    got = [
        (top, who, text[: len(words)])
        for (top, who, text), (_, _, words) in zip(actual, expected, strict=False)
    ]
    assert got == expected
    assert len(actual) == len(expected), actual[len(expected) :]


@pytest.fixture(scope="module")
def sonder() -> ParsedDocument:
    return parse_file(SONDERSITZUNG)


@pytest.fixture(scope="module")
def s47() -> ParsedDocument:
    return parse_file(SITZUNG_47)


def test_sondersitzung_turns(sonder: ParsedDocument) -> None:
    assert_table(table(sonder, "statement"), SONDER_STATEMENTS)
    assert_table(table(sonder, "protocol_note"), SONDER_NOTES)
    assert table(sonder, "decision") == SONDER_DECISIONS


def test_47th_session_turns(s47: ParsedDocument) -> None:
    assert_table(table(s47, "statement"), S47_STATEMENTS)
    assert_table(table(s47, "protocol_note"), S47_NOTES)
    labelled = [row for row in table(s47, "decision") if row[1]]
    assert_table(labelled, S47_DECISIONS)


def test_session_metadata(sonder: ParsedDocument, s47: ParsedDocument) -> None:
    s = sonder.document.session
    assert s is not None
    assert (s.kind, s.number, s.date, s.place) == (
        "Sondersitzung",
        None,
        "2024-06-27",
        "Videokonferenz",
    )
    assert s.id == "2024-06-27-sonder"
    s = s47.document.session
    assert s is not None
    # the meeting date, not the "Stand: 08.12.2025" of the protocol
    assert (s.kind, s.number, s.date, s.place) == ("ordentlich", 47, "2025-06-26", "Schwerin")
    assert sonder.document.doc_type == s47.document.doc_type == "protokoll"


def test_agenda_items(sonder: ParsedDocument, s47: ParsedDocument) -> None:
    items = {
        t.agenda_item.number: t.agenda_item
        for t in s47.turns
        if t.agenda_item and t.agenda_item.number
    }
    assert items["10"].title == "Bericht des Themenpaten"
    assert items["10"].area == "Informationssicherheit"
    assert items["08"].title == "Steuerungsgruppe NOOTS"
    assert items["08"].area == "Grüne Liste"
    delos = next(t.agenda_item for t in sonder.turns if t.speaker and t.speaker.code == "BY")
    assert (delos.number, delos.title, delos.area) == (
        "01",
        "Delos Cloud",
        "Digitale Infrastruktur",
    )


def test_turn_continues_across_repeated_table_header(s47: ParsedDocument) -> None:
    hamburg = [
        t
        for t in s47.turns
        if t.speaker and t.speaker.code == "HH" and t.agenda_item and t.agenda_item.number == "10"
    ]
    assert len(hamburg) == 1
    assert "HH sei bereit, bei gemeinsamen Übungen" in hamburg[0].text
    assert "Im Kreis der Dataport-Länder müsse investiert werden" in hamburg[0].text
    assert "TOP" not in hamburg[0].text and "Ziel" not in hamburg[0].text


def test_dehyphenation_keeps_real_hyphens(sonder: ParsedDocument) -> None:
    text = sonder.text
    assert "Bundeskanzlers" in text and "Bun-" not in text
    assert "Sondersitzung des IT-Planungsrats gefordert" in text
    assert "Cloud-Strategie" in text and "Microsoft-Cloud-Lösung" in text
    assert "Beschlussfassung" in text and "Beschluss-fassung" not in text


def test_redactions_stay_marks(s47: ParsedDocument) -> None:
    assert "bei Enthaltung von [REDACTED] beschlossen" in s47.text
    assert "[REDACTED] vor." in s47.text  # Hamburg's note names nobody
    assert "background-color" not in s47.text and "<p>" not in s47.text


def test_empty_speaker_label_yields_nothing(sonder: ParsedDocument) -> None:
    # "Bund:" directly before the second "HE:" has no text in the protocol
    bund_turns = [t for t in sonder.turns if t.speaker and t.speaker.code == "Bund"]
    assert all(t.text.strip("• ").strip() for t in bund_turns)
    assert len(bund_turns) == 7


def test_chunks_carry_provenance(sonder: ParsedDocument) -> None:
    by = [
        c for c in sonder.chunks if c.speaker and c.speaker.code == "BY" and c.role == "statement"
    ]
    assert len(by) == 1
    chunk = by[0]
    assert chunk.session and chunk.session.date == "2024-06-27"
    assert chunk.agenda_item and chunk.agenda_item.number == "01"
    assert sonder.text[chunk.char_start : chunk.char_end] == chunk.text
    assert chunk.page_start == 3
    note = next(c for c in sonder.chunks if c.role == "protocol_note")
    assert note.page_start == 2 and note.label == "Protokollnotiz (Bayern)"


def test_ids_are_stable(tmp_path: Path) -> None:
    copy = tmp_path / "copy.txt"
    copy.write_bytes(SONDERSITZUNG.read_bytes())
    a, b = parse_file(SONDERSITZUNG), parse_file(copy)
    assert a.document.id == b.document.id
    assert [c.id for c in a.chunks] == [c.id for c in b.chunks]
