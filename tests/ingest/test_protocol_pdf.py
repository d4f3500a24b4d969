"""The corpus protocols typeset as multi-page PDFs parse to the same turns, on the right pages."""

from __future__ import annotations

import pytest

from ingest.loaders import load_bytes
from ingest.pipeline import parse_bytes, parse_file
from tests.conftest import SITZUNG_47, SONDERSITZUNG
from tests.ingest.pdf_render import render_protocol


def _rows(parsed):  # type: ignore[no-untyped-def]
    return [
        (
            t.role,
            t.agenda_item.number if t.agenda_item else "",
            t.speaker.code if t.speaker else "",
            t.label or "",
            " ".join(t.text.replace("• ", "").split())[:60],
        )
        for t in parsed.turns
        if t.role != "text"
    ]


@pytest.mark.parametrize("source", [SONDERSITZUNG, SITZUNG_47], ids=["sondersitzung", "sitzung47"])
def test_pdf_rendering_parses_to_the_same_turns(source) -> None:  # type: ignore[no-untyped-def]
    from_text = parse_file(source)
    pdf, pages = render_protocol(from_text)
    assert load_bytes(pdf, "p.pdf").fmt == "pdf"
    from_pdf = parse_bytes(pdf, source.with_suffix(".pdf").name)

    assert from_pdf.document.pages >= 3, "the rendering must span several pages"
    assert from_pdf.document.session == from_text.document.session
    translate = str.maketrans({"–": "-", "„": '"', "“": '"', "”": '"'})
    expected = [(r, n, s, lbl, txt.translate(translate)) for r, n, s, lbl, txt in _rows(from_text)]
    assert _rows(from_pdf) == expected

    # every turn starts on the page the renderer set it on
    rendered_pages = [p for p, t in zip(pages, from_text.turns, strict=True) if t.role != "text"]
    parsed_pages = [
        c.page_start
        for t in from_pdf.turns
        if t.role != "text"
        for c in from_pdf.chunks
        if c.char_start == t.start
    ]
    assert parsed_pages == rendered_pages
