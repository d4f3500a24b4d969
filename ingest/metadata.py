"""Document metadata from the text: type, title and the session a protocol records."""

from __future__ import annotations

import re
from pathlib import PurePath

from gremium.dates import NUMERIC_DATE, WORD_DATE, dates
from gremium.types import DocType, Session, SessionKind


def parse_date(text: str) -> str | None:
    """The first date in text as ISO, from "26.06.2025" or "26. Juni 2025"."""
    found = dates(text)
    return found[0][1] if found else None


def _field(head: str, name: str) -> str | None:
    m = re.search(rf"^\s*{name}\s*:\s*(.*?)\s*$", head, re.MULTILINE | re.IGNORECASE)
    if not m:
        return None
    value = m[1].strip()
    if not value:  # "Ort:" with the value on the next non-blank line
        after = head[m.end() :].lstrip("\n ")
        value = after.split("\n", 1)[0].strip()
    return value or None


_SESSION_PHRASE = re.compile(
    r"\b(?:(?P<num>\d{1,3})\.\s*(?:ordentliche[n]?\s+)?(?:IT-Planungsrats-?sitzung|Sitzung|"
    r"(?P<nsonder>Sondersitzung))|(?P<sonder>Sondersitzung))\b",
    re.IGNORECASE,
)
# Dates that are not the meeting's: when the record was written, approved or signed.
_OTHER_DATE = re.compile(
    r"(?:Stand|genehmigt|bestätigt|erstellt|Fassung|gez\.|beschlossen|versandt|Druck|"
    r"Protokoll(?:führung)?)\b[^\n]{0,30}$",
    re.IGNORECASE,
)
# "…, in Mainz", "… im Digitalministerium … in Schwerin", "… (Videokonferenz)"
_PLACE_AFTER_DATE = re.compile(
    r"\bin\s+(?!der\b|dem\b|den\b|einer?\b)(?P<place>[A-ZÄÖÜ][\w-]+(?:\s+(?:am|an\s+der)\s+[A-ZÄÖÜ][\w-]+)?)"
)
_PLACE_IN_PARENTHESES = re.compile(
    r"^\s*(?:\(\s*(?P<place>[A-ZÄÖÜ][^()|,]{2,40}?)\s*\)|,\s*(?P<alone>[A-ZÄÖÜ][\w-]+)\s*(?:$|[,;]))"
)
_PLACE_LEADS = re.compile(r"^(?P<place>[A-ZÄÖÜ][\w-]+(?:\s[A-ZÄÖÜ][\w-]+)?),\s")
_REMOTE = re.compile(r"\b(?:als|per|via|im\s+Rahmen\s+einer)\s+(Videokonferenz|Telefonkonferenz)\b")
_OPEN_END = re.compile(
    r"\b(?:der|die|das|des|dem|den|ein|eine|eines|einer|im|in|am|an|zum|zur|für|von|vom|und|über|mit|bei)$"
)
_WEEKDAYS = {"Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag"}


def detect_session(head: str) -> Session | None:
    """The meeting a protocol's first lines describe: number, kind, date and place.

    The date is the meeting's ("Datum:" or the one the heading gives with the session),
    never the "Stand:" or approval date; the place comes from "Ort:", the heading's
    "(date | place)" or "… in Mainz", or a video conference the record mentions.
    """
    lines = [ln.strip() for ln in head.split("\n") if ln.strip()]
    if not lines:
        return None
    title_zone = "\n".join(lines[:4])
    zone = "\n".join(lines[:10])
    phrase = _SESSION_PHRASE.search(zone)
    sonder = re.search(r"Sondersitzung", title_zone) or (
        phrase and (phrase["sonder"] or phrase["nsonder"])
    )
    kind: SessionKind = "Sondersitzung" if sonder else "ordentlich"
    number = int(phrase["num"]) if phrase and phrase["num"] else None
    datum = _field(head, "Datum")
    date = parse_date(datum) if datum else None
    at = None  # where in the zone the meeting date stands
    if date is None:
        meeting = [(pos, iso) for pos, iso in dates(zone) if not _OTHER_DATE.search(zone[:pos])]
        after = [(pos, iso) for pos, iso in meeting if phrase and pos >= phrase.end()]
        if after or meeting:
            at, date = (after or meeting)[0]
    place = None
    if m := re.search(r"\(\s*\d{1,2}\.\d{1,2}\.\d{4}\s*\|\s*([^)]+?)\s*\)", title_zone):
        place = m[1]
    else:
        place = _field(head, "Ort") or _place_near(zone, at)
    if number is None and kind == "ordentlich" and date is None:
        return None
    return Session(Session.make_id(date, number, kind), number, kind, date, place)


def _wrapped_line(text: str) -> str:
    """The rest of a line with the lines a PDF wrapped it onto: a continuation starts in
    lower case, or follows a line that stopped on an article or preposition."""
    first, *more = text.split("\n")
    for line in more:
        line = line.strip()
        if not line:
            continue
        if not (line[:1].islower() or _OPEN_END.search(first)):
            break
        first = f"{first} {line}"
    return first


def _place_near(zone: str, at: int | None) -> str | None:
    """ "… am 4. Juni 2026, in Mainz", "Hannover, Staatskanzlei, 18. März 2026", "als Videokonferenz"."""
    if at is not None:
        rest = zone[at:]
        end = WORD_DATE.match(rest) or NUMERIC_DATE.match(rest)
        tail = _wrapped_line(rest[end.end() :]) if end else ""
        m = _PLACE_IN_PARENTHESES.match(tail)
        if m and (m["place"] or m["alone"]) not in _WEEKDAYS:
            return m["place"] or m["alone"]
        if m := _PLACE_AFTER_DATE.search(tail):
            return m["place"]
        line = zone[zone.rfind("\n", 0, at) + 1 :]
        if (m := _PLACE_LEADS.match(line)) and m["place"] not in _WEEKDAYS:
            return m["place"]
    if m := _REMOTE.search(zone):
        return m[1]
    return None


_MINUTES_WORD = re.compile(
    r"\b(?:Niederschrift|(?:Wort|Ergebnis|Kurz|Beschluss|Sitzungs)?[Pp]rotokoll)\b", re.IGNORECASE
)


def looks_like_minutes(head: str) -> bool:
    """The document's first lines call it minutes ("Protokoll", "Niederschrift", …)."""
    lines = [ln.strip() for ln in head.split("\n") if ln.strip()][:6]
    return any(_MINUTES_WORD.search(ln) and len(ln) <= 160 for ln in lines)


def _minutes_title(lines: list[str]) -> str | None:
    """The heading that names the session, not a letterhead above it; with the kind of
    minutes ("Niederschrift", "Ergebnisprotokoll") the heading or the line before names."""
    at = next((i for i, ln in enumerate(lines[:8]) if _SESSION_PHRASE.search(ln)), None)
    if at is None:
        return None
    title = lines[at]
    if title[:1].islower() and at > 0:  # "NIEDERSCHRIFT" / "über die 51. Sitzung …"
        before = lines[at - 1]
        title = f"{before.capitalize() if before.isupper() else before} {title}"
    title = _wrapped_line("\n".join([title, *lines[at + 1 : at + 3]]))  # a wrapped heading
    if _MINUTES_WORD.search(title):
        return title
    word = next((m[0] for ln in lines[: at + 2] if (m := _MINUTES_WORD.search(ln))), "Protokoll")
    return f"{title} – {word}"


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
        return _minutes_title(lines) or (
            f"{first} – Protokoll" if first and "Protokoll" not in first else first or filename
        )
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


_FIELD_SESSION = re.compile(
    r"\b(?:(?P<num>\d{1,3})\.\s*(?:ordentliche\s+)?Sitzung|(?P<sonder>Sondersitzung)|"
    r"(?P<umlauf>Umlauf(?:verfahren)?|schriftliche[ns]?\s+Verfahren))\b",
    re.IGNORECASE,
)
_DATE_KEY = re.compile(r"datum", re.IGNORECASE)


def session_of_fields(fields: list[tuple[str, str]]) -> dict[str, object] | None:
    """The session (number, kind, date) that a decision's fields name, or None.

    `fields` are (key, value) pairs such as ("Sitzung", "30. Sitzung"), ("Datum",
    "24.10.2019"); a session may be a Sondersitzung or the written procedure
    ("Umlaufverfahren": a date, no number), its date in its own value ("33. Sitzung
    (28.10.2020)", "Umlaufverfahren vom 12.08.2022") or in a field named "Datum".
    """
    number: int | None = None
    kind: str | None = None
    date: str | None = None
    for key, value in fields:
        if m := _FIELD_SESSION.search(value):
            if kind is None:
                number = int(m["num"]) if m["num"] else None
                kind = "Sondersitzung" if m["sonder"] else "ordentlich"
            date = date or parse_date(value[m.end() :])
        if _DATE_KEY.search(key) and (found := parse_date(value)):
            date = found
    if kind is None and date is None:
        return None
    return {"number": number, "kind": kind or "ordentlich", "date": date}
