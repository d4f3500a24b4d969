"""Page texts for the page view, and finding a cited passage on its page."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.pages import locate, page_text
from ingest.pipeline import ParsedDocument, parse_bytes, parse_file
from tests.conftest import CORPUS, SITZUNG_47, SONDERSITZUNG
from tests.ingest.pdf_render import render_protocol


def _letters(text: str) -> int:
    return sum(ch.isalnum() for ch in text)


def _found_share(parsed: ParsedDocument) -> list[tuple[float, str]]:
    """Per chunk: the share of its letters highlighted on its pages, and its start."""
    shares = []
    for chunk in parsed.chunks:
        found = 0
        for number in chunk.pages:
            text = parsed.pages[number - 1]
            found += sum(_letters(text[start:end]) for start, end in locate(chunk.text, text))
        shares.append((found / max(1, _letters(chunk.text)), chunk.text[:60]))
    return shares


def test_text_exports_lose_their_double_spacing_but_keep_words_and_hyphens() -> None:
    raw = (
        " Spricht sich gegen eine Beschlussfassung aus. Es bestehe Verärgerung und \n\n"
        "Irritation, da die letzte Sitzung erst eine Woche zuvor \n\n"
        "stattgefunden hätte. Betont die Notwendigkeit einer Über- \n\n"
        "gangslösung aufgrund der Ab-\n\nschaltung der Dienste.\n\n"
        "NW:  \n\n Zweiter Beitrag.\n\n\n\nNeuer Absatz nach einer Lücke.\n\n"
        "Noch eine Zeile.\n\n"
    )
    assert page_text(raw) == (
        "Spricht sich gegen eine Beschlussfassung aus. Es bestehe Verärgerung und\n"
        "Irritation, da die letzte Sitzung erst eine Woche zuvor\n"
        "stattgefunden hätte. Betont die Notwendigkeit einer Über-\n"
        "gangslösung aufgrund der Ab-\n"
        "schaltung der Dienste.\n"
        "NW:\n"
        "Zweiter Beitrag.\n"
        "\n"
        "Neuer Absatz nach einer Lücke.\n"
        "Noch eine Zeile."
    )


def test_markup_in_table_exports_becomes_text() -> None:
    raw = (
        "TOP\tDatennutzung\tZiel\tQuelle\tBE\n"
        'ON\t<p>Diskussion</p> <p>HH:</p> <ul style="list-style-type: none"> <li>› Vorstellung '
        "des Zielbildes &amp; der Handreichung.</li> </ul>\t\t\t\n"
        '\t<div style="background-color: black; height: 1em; width: 100px;"></div>\t\t\t'
    )
    text = page_text(raw)
    assert "<" not in text and "&amp;" not in text
    assert "Vorstellung des Zielbildes & der Handreichung." in text
    assert "[REDACTED]" in text
    assert text.splitlines()[0] == "TOP Datennutzung Ziel Quelle BE"


def test_locate_bridges_hyphenation_bullets_and_line_breaks() -> None:
    page = "BY:\n Betont nochmals die Notwendigkeit einer Übergangs-\nlösung aufgrund der Ab-\nschaltung.\nHH:\n Anderes."
    passage = "• Betont nochmals die Notwendigkeit einer Übergangslösung aufgrund der Abschaltung."
    spans = locate(passage, page)
    assert len(spans) == 1
    start, end = spans[0]
    assert page[start:end] == (
        "Betont nochmals die Notwendigkeit einer Übergangs-\nlösung aufgrund der Ab-\nschaltung"
    )


def test_locate_takes_the_passage_not_an_early_accidental_match() -> None:
    # "Beschluss 2021/3…" also begins a footnote at the page's end; the passage itself
    # comes first and must win because it matches far longer.
    page = (
        "3 Beschluss 2021/37 Um grundsätzliche Digitalisierungshemmnisse abzubauen, sind "
        "schnelle Verwaltungsprozesse zu entwickeln.\n\n5 Beschluss 2021/27, siehe Anlage"
    )
    passage = "Um grundsätzliche Digitalisierungshemmnisse abzubauen, sind schnelle Verwaltungsprozesse zu entwickeln."
    [(start, end)] = locate(passage, page)
    assert page[start:end].startswith("Um grundsätzliche") and page[start:end].endswith(
        "entwickeln"
    )


def test_locate_finds_the_part_on_this_page_of_a_passage_across_a_page_break() -> None:
    page_two = "TOP Digitale Infrastruktur Ziel Quelle BE\nder Verwaltung zugute. Weiter im Text.\nBB:\n Neu."
    passage = "Die Optimierung interner Abläufe durch digitale Lösungen kommt der Verwaltung zugute. Weiter im Text."
    [(start, end)] = locate(passage, page_two)
    assert page_two[start:end] == "der Verwaltung zugute. Weiter im Text"


def test_locate_finds_nothing_for_a_passage_from_elsewhere() -> None:
    page = "Der Freistaat Bayern verfolgt einen Multi-Cloud-Ansatz."
    assert locate("Hessen fordert ein gemeinsames Zwergplanetenregister für Pluto.", page) == []
    assert locate("", page) == [] and locate("Bayern", "") == []


def test_a_short_passage_is_found_whole() -> None:
    page = "BB:\n Spricht sich ebenfalls dagegen aus.\nBE:\n Zustimmung."
    [(start, end)] = locate("• Zustimmung.", page)
    assert page[start:end] == "Zustimmung"


@pytest.mark.parametrize("path", sorted(CORPUS.glob("*.txt")), ids=lambda p: p.name[:30])
def test_every_corpus_passage_is_found_on_its_pages(path: Path) -> None:
    parsed = parse_file(path)
    assert len(parsed.pages) == parsed.document.pages
    assert parsed.data == path.read_bytes()
    shares = _found_share(parsed)
    missed = [(round(share, 2), start) for share, start in shares if share < 0.85]
    assert not missed, missed
    # and the highlight holds the passage, not scattered bits of it
    assert sum(share for share, _ in shares) / len(shares) > 0.97


@pytest.mark.parametrize("source", [SONDERSITZUNG, SITZUNG_47], ids=["sondersitzung", "sitzung47"])
def test_passages_are_found_on_the_pages_of_a_pdf(source: Path) -> None:
    pdf, _ = render_protocol(parse_file(source))
    parsed = parse_bytes(pdf, source.with_suffix(".pdf").name)
    assert len(parsed.pages) == parsed.document.pages >= 3
    shares = _found_share(parsed)
    missed = [(round(share, 2), start) for share, start in shares if share < 0.85]
    assert not missed, missed
