"""Page furniture: what a printer puts on every page, which is no part of the record.

Page numbers ("Seite 2 von 5", "- 2 -", a bare "2") and running heads or feet that
repeat at the edge of most pages ("IT-Planungsrat · 43. Sitzung · Protokoll"), also
with the page's number in them; of a two-page document, the first or last line both
pages share. A repeated table header is page-break residue the parser reads, so it
stays. (The furniture of a web site is `ingest.web`'s.)
"""

from __future__ import annotations

import re

from ingest.clean import normalise_space
from ingest.layout import TEXT, classify

# page numbers that printers put at the foot or head of every page
_PAGE_FOOTER_RE = re.compile(r"^(?:Seite\s+\d+(?:\s*(?:von|/)\s*\d+)?|[-–]\s*\d{1,3}\s*[-–])$")


def strip_page_furniture(pages: list[str]) -> list[str]:
    """Pages without what a printer puts on every page: page numbers ("Seite 2 von 5",
    "- 2 -", a bare "2") and running heads or feet that repeat on most pages."""
    running = _running_lines(pages)
    return [_without_furniture(page, n, running) for n, page in enumerate(pages, start=1)]


def _edge_lines(lines: list[str]) -> list[int]:
    """Indexes of the first two and last two non-empty lines of a page."""
    filled = [i for i, ln in enumerate(lines) if ln.strip()]
    return sorted(set(filled[:2] + filled[-2:]))


def _outer_lines(lines: list[str]) -> list[int]:
    """Indexes of the first and the last non-empty line of a page."""
    filled = [i for i, ln in enumerate(lines) if ln.strip()]
    return sorted({filled[0], filled[-1]}) if filled else []


def _furniture_key(line: str, page_no: int) -> str:
    """The line with its page's number masked: "Niederschrift – Seite 3" on every page."""
    return re.sub(rf"(?<!\d){page_no}(?!\d)", "#", normalise_space(line))


def _running_lines(pages: list[str]) -> set[str]:
    """Lines at a page's edge that most pages repeat; of two pages, the first or last line
    both pages share."""
    if len(pages) < 2:
        return set()
    counts: dict[str, int] = {}
    for page_no, page in enumerate(pages, start=1):
        lines = page.split("\n")
        edges = _edge_lines(lines) if len(pages) >= 3 else _outer_lines(lines)
        for key in {_furniture_key(lines[i], page_no) for i in edges}:
            counts[key] = counts.get(key, 0) + 1
    need = max(2 if len(pages) == 2 else 3, int(0.6 * len(pages) + 0.5))
    # a repeated table header is page-break residue the parser reads, not furniture
    return {k for k, n in counts.items() if n >= need and classify(k)[0] == TEXT}


def _without_furniture(page: str, page_no: int, running: set[str]) -> str:
    lines = page.split("\n")
    edges = set(_edge_lines(lines))
    kept = [
        ln
        for i, ln in enumerate(lines)
        if not _PAGE_FOOTER_RE.match(ln.strip())
        and not (
            i in edges and (ln.strip() == str(page_no) or _furniture_key(ln, page_no) in running)
        )
    ]
    if len(kept) == len(lines) or not any(ln.strip() for ln in kept):
        return page  # furniture accompanies content: a page's only text is its content
    while kept and not kept[-1].strip():
        kept.pop()
    while kept and not kept[0].strip():
        kept.pop(0)
    return "\n".join(kept)
