"""Document metadata from the text: type, title and the session a protocol records."""

from __future__ import annotations

import re
from pathlib import PurePath

from gremium.types import DocType, Session, SessionKind

_MONTHS = {
    "januar": 1, "februar": 2, "märz": 3, "maerz": 3, "april": 4, "mai": 5, "juni": 6,
    "juli": 7, "august": 8, "september": 9, "oktober": 10, "november": 11, "dezember": 12,
}  # fmt: skip
_NUMERIC_DATE = re.compile(r"\b(\d{1,2})\.\s?(\d{1,2})\.\s?(\d{4})\b")
_WORD_DATE = re.compile(r"\b(\d{1,2})\.\s*([A-Za-zäÄ]+)\s+(\d{4})\b")


def parse_date(text: str) -> str | None:
    """The first date in text as ISO, from "26.06.2025" or "26. Juni 2025"."""
    found: list[tuple[int, str]] = []
    for m in _NUMERIC_DATE.finditer(text):
        day, month, year = int(m[1]), int(m[2]), int(m[3])
        if 1 <= day <= 31 and 1 <= month <= 12:
            found.append((m.start(), f"{year:04d}-{month:02d}-{day:02d}"))
            break
    for m in _WORD_DATE.finditer(text):
        named = _MONTHS.get(m[2].casefold())
        if named:
            found.append((m.start(), f"{int(m[3]):04d}-{named:02d}-{int(m[1]):02d}"))
            break
    return min(found)[1] if found else None


def _field(head: str, name: str) -> str | None:
    m = re.search(rf"^\s*{name}\s*:\s*(.*?)\s*$", head, re.MULTILINE | re.IGNORECASE)
    if not m:
        return None
    value = m[1].strip()
    if not value:  # "Ort:" with the value on the next non-blank line
        after = head[m.end() :].lstrip("\n ")
        value = after.split("\n", 1)[0].strip()
    return value or None


def detect_session(head: str) -> Session | None:
    """The meeting a protocol's first lines describe: number, kind, date and place.

    The date is the meeting's ("Datum:" or the title's), never the "Stand:" date.
    """
    lines = [ln.strip() for ln in head.split("\n") if ln.strip()]
    if not lines:
        return None
    title_zone = "\n".join(lines[:4])
    kind: SessionKind = "Sondersitzung" if re.search(r"Sondersitzung", title_zone) else "ordentlich"
    number = None
    m = re.search(
        r"\b(\d{1,3})\.\s*(?:ordentliche\s+)?(?:IT-Planungsrats-?sitzung|Sitzung)\b",
        title_zone,
        re.IGNORECASE,
    )
    if m:
        number = int(m[1])
    datum = _field(head, "Datum")
    date = parse_date(datum) if datum else None
    if date is None:
        date = parse_date(title_zone)
    place = None
    if m := re.search(r"\(\s*\d{1,2}\.\d{1,2}\.\d{4}\s*\|\s*([^)]+?)\s*\)", title_zone):
        place = m[1]
    else:
        place = _field(head, "Ort")
    if number is None and kind == "ordentlich" and date is None:
        return None
    return Session(Session.make_id(date, number, kind), number, kind, date, place)


def detect_doc_type(head: str, text: str, *, has_turns: bool) -> DocType:
    first = "\n".join(ln for ln in head.split("\n")[:12])
    if has_turns and re.search(r"\bProtokoll\b|Niederschrift|Ergebnisprotokoll", first):
        return "protokoll"
    if has_turns:
        return "protokoll"
    if re.search(
        r"fasst\s+(?:die|der|das)\s+[\w-]+\s+folgenden Beschluss|^Beschluss\b", text, re.M
    ):
        return "beschluss"
    if re.search(
        r"Vielen Dank für Ihre Aufmerksamkeit|PowerPoint|^Fragen\?\s*$|Folie\s+\d+", text, re.M
    ):
        return "praesentation"
    if re.search(r"\bBericht|Berichterstattung", text[:1500]):
        return "bericht"
    return "sonstiges"


def detect_title(head: str, text: str, doc_type: DocType, filename: str) -> str:
    lines = [ln.strip() for ln in head.split("\n") if ln.strip()]
    first = lines[0] if lines else ""
    if doc_type == "protokoll":
        return f"{first} – Protokoll" if first and "Protokoll" not in first else first or filename
    if doc_type == "bericht" and (
        m := re.search(r"Berichterstattung an (?:die|den|das) ([\w-]+)", text)
    ):
        return (
            f"Bericht des IT-Planungsrats an die {m[1]}"
            if "IT-Planungsrat" in text[:500]
            else f"Bericht an die {m[1]}"
        )
    looks_like_title = 0 < len(first) <= 120 and not re.match(
        r"^(?:Der|Die|Das|Im|In|Am)\s+\S+\s+\S+\s+\S+.*\b(?:hat|wurde|ist|sind)\b", first
    )
    if looks_like_title:
        return first.rstrip(" :")
    stem = PurePath(filename).stem
    return re.sub(r"[_-]+", " ", stem).strip() or filename
