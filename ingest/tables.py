"""The grammar of the council's tables: which header row makes a table a record.

Two kinds of table carry a record's structure in their columns. A protocol table has
one row per agenda item under a header "TOP | <area> | Ziel | Quelle | BE" (the 47th
session's) or "TOP | Thema | Ergebnis / Wortbeiträge" (a results protocol, one table per
TOP); a listing of decisions has one row per decision under "Nr. | Sitzung | Datum |
Titel | Kurzfassung" in any order and wording. Loaders and the layout both ask here, so
that a table reads the same from Word, OpenDocument, HTML and Markdown: every loader
turns a row into lines with `row_lines`, and the layout reads them back.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import Any, Literal

from ingest.metadata import session_of_fields

TableKind = Literal["protocol", "listing", "plain"]
# "2023/05", "B-2025/30-IT"
DECISION_NUMBER = r"(?:[A-Z]-)?\d{4}/\d{1,3}(?:-[A-Z]{1,4})?"

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


# the columns of a listing of decisions, by what they hold
_LISTING = {
    "number": re.compile(
        r"^(?:Nr\.?|Nummer|Lfd\.?\s*Nr\.?|(?:Beschluss|Entscheidung)(?:s)?(?:-?\s?Nr\.?|nummer))$",
        re.IGNORECASE,
    ),
    "session": re.compile(
        r"^(?:Sitzung|Verfahren|Sitzung\s*/\s*Verfahren|Verfahren\s*/\s*Sitzung|Gremium)$",
        re.IGNORECASE,
    ),
    "date": re.compile(
        r"^(?:Datum|Sitzungsdatum|Beschlussdatum|Datum der (?:Sitzung|Beschlussfassung))$",
        re.IGNORECASE,
    ),
    "title": re.compile(
        r"^(?:Titel|Gegenstand|Thema|Betreff|Bezeichnung|Beschlussgegenstand)$", re.IGNORECASE
    ),
    "text": re.compile(
        r"^(?:Kurzfassung|Inhalt|Wortlaut|Beschluss(?:text|inhalt)?|Zusammenfassung|"
        r"Kurzbeschreibung|Ergebnis)$",
        re.IGNORECASE,
    ),
}


def listing_columns(names: list[str]) -> dict[str, int] | None:
    """Column of each role ("number", "session", "date", "title", "text") in a listing's
    header row, or None when the row heads no listing of decisions (it needs a number, a
    session or date, and a title or text)."""
    found: dict[str, int] = {}
    for i, name in enumerate(re.sub(r"\s+", " ", n).strip() for n in names):
        role = next((r for r, pattern in _LISTING.items() if pattern.match(name)), None)
        if role is not None:
            found.setdefault(role, i)
    if "number" not in found or not ({"title", "text"} & found.keys()):
        return None
    return found if {"session", "date"} & found.keys() else None


@dataclass(frozen=True)
class ListingRow:
    """One decision of a listing, as its row gives it."""

    number: str
    word: str  # "Beschluss" or "Entscheidung", as the number column is named
    session: dict[str, Any] | None
    title: str
    where: str  # the session and date cells as written ("40. Sitzung · 16.03.2023")
    text: list[str]  # the paragraphs of the text column(s)


def listing_row(
    cells: list[list[str]], names: list[str], columns: dict[str, int]
) -> ListingRow | None:
    """A data row of a listing (cells as paragraphs), or None if it holds no decision."""

    def cell(role: str) -> list[str]:
        i = columns.get(role)
        return cells[i] if i is not None and i < len(cells) else []

    m = re.search(DECISION_NUMBER, " ".join(cell("number")))
    if m is None:
        return None
    where_cells = [
        (names[columns[r]], " ".join(cell(r))) for r in ("session", "date") if r in columns
    ]
    word = (
        "Entscheidung"
        if names[columns["number"]].lower().startswith("entscheidung")
        else "Beschluss"
    )
    others = [p for i, c in enumerate(cells) if i not in columns.values() for p in c]
    text = cell("text") + others  # a column the listing names otherwise is text too
    title = " ".join(cell("title"))
    return ListingRow(
        number=m[0],
        word=word,
        session=session_of_fields(where_cells),
        title=title,
        where=" · ".join(v for _, v in where_cells if v),
        text=text,
    )


def table_kind(header: list[str]) -> TableKind:
    """What a table is, by its first row."""
    if is_protocol_header(header):
        return "protocol"
    return "listing" if listing_columns(header) else "plain"


def row_lines(cells: list[list[str]], kind: TableKind) -> list[str]:
    """A table row (cells as paragraphs) as lines of text, the same for every format.

    A protocol's or listing's row is one line of tab-separated cells, each an HTML
    fragment (`<p>` per paragraph), read again by the layout; a plain table's row is one
    line of cells if no cell has two paragraphs, else its first two cells' first
    paragraphs, then every further paragraph as a line (a label and what it says).
    """
    if kind != "plain":
        return ["\t".join(_fragment(c) for c in cells)]
    if all(len(c) <= 1 for c in cells):
        return ["\t".join(c[0] if c else "" for c in cells).strip()]
    first = cells[0][:1]
    second = cells[1] if len(cells) > 1 else []
    return ["\t".join(first + second[:1]), *second[1:], *(p for c in cells[2:] for p in c)]


def _fragment(paragraphs: list[str]) -> str:
    if len(paragraphs) == 1:
        return html.escape(paragraphs[0], quote=False)
    return "".join(f"<p>{html.escape(p, quote=False)}</p>" for p in paragraphs)
