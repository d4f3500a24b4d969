"""The outline of a record: which lines head a table's area or number an agenda item.

Passes over the logical lines before the protocol parser reads them: a short line
right before a table header names that table's area ("Digitale Infrastruktur"); a
short line between a TOP heading and the item's fields ("Ziel: … | Quelle: …") or its
"Diskussion" is the item's subtitle; and in minutes without "TOP" lines, numbered
headings ("3. Registermodernisierung") are the agenda, while a run of numbered lines
is a list inside a passage.
"""

from __future__ import annotations

import re

from ingest import layout as L

NUMBERED = re.compile(r"^(?P<num>\d{1,2})\.?\s+(?P<title>[A-ZÄÖÜ„\"].{1,80})$")


def agenda_headings(lines: list[L.Line]) -> set[int]:
    """Numbered headings ("3. Registermodernisierung") that are a protocol's agenda items.

    Only where the record has no "TOP" lines; a run of numbered lines is a list, not
    headings; the numbers must rise.
    """
    if any(ln.kind == L.AGENDA for ln in lines):
        return set()
    content = [i for i, ln in enumerate(lines) if ln.kind != L.GAP]
    numbered = {
        i
        for i in content
        if lines[i].kind in (L.TEXT, L.HEADING)
        and (m := NUMBERED.match(lines[i].text))
        and not lines[i].text.rstrip().endswith((".", ",", ";", ":"))
        and "Sitzung" not in m["title"]
    }
    found: set[int] = set()
    last = -1
    for pos, i in enumerate(content):
        if i not in numbered:
            continue
        neighbours = content[max(pos - 1, 0) : pos] + content[pos + 1 : pos + 2]
        if any(j in numbered or NUMBERED.match(lines[j].text) for j in neighbours):
            continue
        m = NUMBERED.match(lines[i].text)
        assert m is not None
        number = int(m["num"])
        if last < number <= last + 4:
            found.add(i)
            last = number
    return found


AREA_TITLE = "area_title"


def mark_area_titles(lines: list[L.Line]) -> list[L.Line]:
    """Short lines that stand right before a table header name that table's area."""
    marked = list(lines)
    for i, line in enumerate(marked):
        if line.kind != L.TEXT or not _is_area_title(line):
            continue
        following = next((ln for ln in marked[i + 1 :] if ln.kind != L.GAP), None)
        if following is not None and following.kind == L.HEADER:
            marked[i] = L.Line(AREA_TITLE, line.text, line.anchors, line.data)
    return marked


def _is_area_title(line: L.Line) -> bool:
    """A short free-standing line such as "Digitale Infrastruktur" before a table."""
    text = line.text.strip()
    return (
        line.kind == L.TEXT
        and len(text) <= 40
        and not text.endswith((".", ":", ","))
        and text[:1].isupper()
        and len(text.split()) <= 4
    )


SUBTITLE = "subtitle"


def mark_subtitles(lines: list[L.Line]) -> list[L.Line]:
    """ "TOP 03 Registermodernisierung" / "Stand des Staatsvertrags zum NOOTS" / "Ziel: …":
    the line between a TOP heading and its fields or its discussion is its subtitle."""
    marked = list(lines)
    content = [i for i, ln in enumerate(marked) if ln.kind != L.GAP]
    for pos, i in enumerate(content[:-2]):
        line = marked[i]
        if line.kind != L.AGENDA or not line.data.get("title") or "details" in line.data:
            continue
        if line.data.get("row"):
            continue
        j, k = content[pos + 1], content[pos + 2]
        if L.is_title(marked[j]) and marked[k].kind in (L.META, L.DISCUSSION):
            marked[j] = L.Line(SUBTITLE, marked[j].text, marked[j].anchors, marked[j].data)
    return marked
