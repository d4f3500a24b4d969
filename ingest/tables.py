"""The grammar of the council's tables: which header row makes a table a record.

Two kinds of table carry a record's structure in their columns. A protocol table has
one row per agenda item under a header "TOP | <area> | Ziel | Quelle | BE" (the 47th
session's) or "TOP | Thema | Ergebnis / Wortbeiträge" (a results protocol, one table per
TOP); a listing of decisions has one row per decision under "Nr. | Sitzung | Datum |
Titel | Kurzfassung" in any order and wording. Loaders and the layout both ask here, so
that a table reads the same from Word, OpenDocument, HTML and Markdown.
"""

from __future__ import annotations

import re

# a protocol table's second column when it names the column, not the area
TITLE_COLUMN = re.compile(
    r"^(?:Thema|Titel|Gegenstand|Tagesordnungspunkt|Beratungsgegenstand)(?:\s*/\s*\w+)?$"
)
# the item's fields in a protocol table; any other column holds its minutes
FIELD_COLUMN = re.compile(r"^(?:Ziel(?: des TOP)?|Quelle|BE|Berichterstatt(?:ung|er|erin))$")


def is_protocol_header(cells: list[str]) -> bool:
    """ "TOP | Digitale Infrastruktur | Ziel | Quelle | BE", "TOP | Thema | Ergebnis"."""
    names = [re.sub(r"\s+", " ", c).strip() for c in cells]
    if len(names) < 3 or names[0] != "TOP":
        return False
    if [n for n in names[-3:]] in (["Ziel", "Quelle", "BE"], ["Ziel des TOP", "Quelle", "BE"]):
        return True
    return bool(TITLE_COLUMN.match(names[1])) and bool(minutes_columns(names))


def minutes_columns(names: list[str]) -> list[int]:
    """Columns of a protocol table's header that hold an item's minutes (not its fields)."""
    if len(names) < 3 or not TITLE_COLUMN.match(names[1].strip()):
        return []
    return [
        i for i, n in enumerate(names) if i >= 2 and n.strip() and not FIELD_COLUMN.match(n.strip())
    ]
