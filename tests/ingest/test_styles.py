"""Records in many house styles, each typeset in its formats (PDF, DOCX, ODT; web pages
as HTML, Markdown or plain text), against ground truth.

The fixtures and their expected values live in tests/ingest/styles/ (see
style_fixtures.py for the markup); expected speakers, sessions, agenda items and
decision numbers were written from reading the texts.
"""

from __future__ import annotations

from functools import cache

import pytest

from ingest.pipeline import ParsedDocument, parse_bytes
from tests.ingest.style_fixtures import render, style_formats, style_names
from tests.ingest.style_score import StyleScore, score

FORMATS = ["pdf", "docx", "odt"]
CASES = [(name, fmt) for name in style_names() for fmt in style_formats(name)]


@cache
def _parsed(name: str, fmt: str) -> tuple[ParsedDocument, dict, StyleScore]:
    data, filename, expected = render(name, fmt)
    parsed = parse_bytes(data, filename)
    return parsed, expected, score(parsed, expected)


def test_there_are_at_least_six_styles() -> None:
    assert len(style_names()) >= 6


@pytest.mark.parametrize(("name", "fmt"), CASES, ids=[f"{n}-{f}" for n, f in CASES])
def test_turns_are_attributed(name: str, fmt: str) -> None:
    _, _, result = _parsed(name, fmt)
    assert result.speaker_share >= 0.95, result.errors
    assert result.person_right == result.persons, result.errors
    assert result.top_right == result.tops, result.errors


@pytest.mark.parametrize(("name", "fmt"), CASES, ids=[f"{n}-{f}" for n, f in CASES])
def test_session_agenda_decisions_attendance(name: str, fmt: str) -> None:
    _, _, result = _parsed(name, fmt)
    assert result.session_right, result.errors
    assert result.agenda_found == result.agenda, result.errors
    assert result.decisions_right == result.decisions, result.errors
    assert result.attendance_right, result.errors
    assert result.header_right, result.errors
    assert result.furniture_right, result.errors


LISTINGS = ["beschlussseiten", "beschlussliste", "entscheidungsseiten", "beschlusstabelle"]
LISTINGS += ["beschlussuebersicht"]
LISTING_CASES = [(name, fmt) for name in LISTINGS for fmt in style_formats(name)]


@pytest.mark.parametrize(("name", "fmt"), LISTING_CASES, ids=[f"{n}-{f}" for n, f in LISTING_CASES])
def test_every_listed_decision_carries_number_session_and_date(name: str, fmt: str) -> None:
    parsed, expected, _ = _parsed(name, fmt)
    decisions = [c for c in parsed.chunks if c.role == "decision"]
    assert len({c.decision for c in decisions}) == sum(
        1 for t in expected["turns"] if t.get("role") == "decision" and "session" in t
    )
    for chunk in decisions:
        assert chunk.decision and chunk.session and chunk.session.date, chunk
        assert chunk.agenda_item and chunk.agenda_item.title  # the decision's title
    assert parsed.document.doc_type == "beschluss"


def test_pages_of_a_pdf_protocol_are_its_own() -> None:
    parsed, _, _ = _parsed("niederschrift", "pdf")
    assert parsed.document.pages >= 3
    assert "Seite" not in parsed.text  # printed page numbers are not text
    assert "Niederschrift der 51. Sitzung" not in parsed.text  # nor is the running head
    krause = next(t for t in parsed.turns if t.person and "Krause" in t.person)
    chunk = next(c for c in parsed.chunks if c.char_start == krause.start)
    assert chunk.page_start >= 2


def test_absent_land_is_an_absentee_not_a_speaker() -> None:
    parsed, _, _ = _parsed("ergebnisprotokoll", "docx")
    session = parsed.document.session
    assert session is not None and "SN" in session.absentees
    assert not any(t.speaker and t.speaker.code == "SN" for t in parsed.turns)
    assert all(c.session == session for c in parsed.chunks)


def test_prose_never_guesses_a_speaker() -> None:
    """A group ('die kommunalen Spitzenverbände') and a joint statement name no single speaker."""
    for name, snippet in (
        ("kurzprotokoll", "Die Vertreter der kommunalen Spitzenverbände"),
        ("niederschrift", "Bayern und Baden-Württemberg unterstützten"),
    ):
        parsed, _, _ = _parsed(name, "docx")
        turn = next(t for t in parsed.turns if snippet in t.text)
        assert turn.speaker is None and turn.role == "text"
