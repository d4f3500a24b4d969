"""Understanding a question before retrieval: who, which session, when, what kind of record.

    understand("Was hat Bayern in der 47. Sitzung zu NOOTS gesagt?")
    -> QueryPlan(speakers=("BY",), session="47", ...)

The plan's speakers and session become strong ranking boosts in `Index.search`; hard
filters come only from explicit `Filters`.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterator

from gremium.speakers import REGISTRY
from gremium.types import QueryPlan

_MONTHS = {
    "januar": 1,
    "jänner": 1,
    "january": 1,
    "februar": 2,
    "february": 2,
    "märz": 3,
    "maerz": 3,
    "march": 3,
    "april": 4,
    "mai": 5,
    "may": 5,
    "juni": 6,
    "june": 6,
    "juli": 7,
    "july": 7,
    "august": 8,
    "september": 9,
    "oktober": 10,
    "october": 10,
    "november": 11,
    "dezember": 12,
    "december": 12,
}
_MONTH_RE = "|".join(sorted(_MONTHS, key=len, reverse=True))

_NUMBERED_SESSION = re.compile(
    r"\b(\d{1,3})\s*\.\s*(?:ordentliche[nr]?\s+)?(?:IT-Planungsrats)?[Ss]itzung"
    r"|\b[Ss]itzung\s+(?:Nr\.?\s*)?(\d{1,3})\b"
    r"|\b(\d{1,3})(?:st|nd|rd|th)\s+(?:meeting|session)\b",
    re.IGNORECASE,
)
_SPECIAL_SESSION = re.compile(r"\bSondersitzung|\bspecial\s+(?:meeting|session)\b", re.IGNORECASE)
_GERMAN_DATE = re.compile(r"\b(\d{1,2})\.\s?(\d{1,2})\.\s?(\d{4})\b")
_ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_MONTH_YEAR = re.compile(rf"\b(?:im\s+|in\s+)?({_MONTH_RE})\s+(\d{{4}})\b", re.IGNORECASE)
_YEAR = re.compile(
    r"\b(?:im\s+Jahr(?:e)?|in|aus|seit|during|in\s+the\s+year)\s+(20\d{2}|19\d{2})\b", re.IGNORECASE
)

_DOC_TYPE_HINTS = (
    (
        re.compile(r"\bPräsentation|\bFolien\b|\bVortrag|\bslides?\b", re.IGNORECASE),
        "praesentation",
    ),
    (re.compile(r"\bBericht|\breport\b", re.IGNORECASE), "bericht"),
    (
        re.compile(r"\bBeschluss|\bbeschlossen|\bdecision\b|\bresolution\b", re.IGNORECASE),
        "beschluss",
    ),
    (re.compile(r"\bProtokoll(?!notiz)|\bminutes\b", re.IGNORECASE), "protokoll"),
)

# "Bund und Länder", "des Bundes und der Länder", "Bund, Länder und Kommunen": a phrase
# about everyone, not a reference to the federal delegation's statements.
_BUND_PHRASE = re.compile(
    r"^\W*(?:,\s*|\s+und\s+|\s+sowie\s+|\s*/\s*|-)(?:der\s+|den\s+|die\s+)?(?:Länder|Ländern|Kommunen)\b",
    re.IGNORECASE,
)
_PREPOSITION_BEFORE = re.compile(
    r"\b(?:mit|zum|zur|zu|über|gegenüber|an|aus|bei|gegen|durch|für|with|about|to|by|from)\s+"
    r"(?:de[mnrs]\s+|die\s+|das\s+|the\s+)?$",
    re.IGNORECASE,
)
# "bittet ... den Bund", "gemeinsam mit dem Bund": an article in the accusative or dative
# marks the object of the sentence, never the one whose statements are asked for.
_OBJECT_ARTICLE_BEFORE = re.compile(r"\b(?:den|dem)\s+$", re.IGNORECASE)
_BUND_BEFORE = re.compile(
    r"(?:Länder|Ländern|Kommunen)\s*(?:,|und|sowie|/)\s*(?:de[rsn]\s+|dem\s+)?$", re.IGNORECASE
)


def understand(question: str) -> QueryPlan:
    """Speakers, session, dates and document type named in a question."""
    text = question.strip()
    speakers = _speakers(text)
    session, date_from, date_to = _session_and_dates(text)
    doc_type = next((kind for pattern, kind in _DOC_TYPE_HINTS if pattern.search(text)), None)
    return QueryPlan(
        question=question,
        text=text,
        speakers=speakers,
        session=session,
        date_from=date_from,
        date_to=date_to,
        doc_type=doc_type,
    )


def _speakers(text: str) -> tuple[str, ...]:
    """Who the question asks about. A body named as an object ("Kooperation mit dem BSI",
    "bittet den Bund") is the topic, never the speaker whose statements are asked for."""
    subjects: list[str] = []
    for speaker, start, end in REGISTRY.mentions(text):
        if speaker.code == "Bund" and (
            _BUND_PHRASE.match(text[end:]) or _BUND_BEFORE.search(text[:start])
        ):
            continue
        before = text[:start]
        if _OBJECT_ARTICLE_BEFORE.search(before) or _PREPOSITION_BEFORE.search(before):
            continue
        if speaker.code not in subjects:
            subjects.append(speaker.code)
    return tuple(subjects)


def speaker_spans(text: str) -> list[tuple[int, int]]:
    """Where the question names speakers (to keep those words out of the keyword query)."""
    return [(start, end) for _, start, end in REGISTRY.mentions(text)]


_MENTION_BEFORE = re.compile(
    r"\b(?:zur|zum|zu\s+der|seit\s+der|vor\s+der|nach\s+der|bis\s+zur|aus\s+der|since|before|after)\s+$",
    re.IGNORECASE,
)


def _restricting_sessions(text: str) -> Iterator[re.Match[str]]:
    """Numbered sessions the question restricts to: "in der 47. Sitzung" restricts;
    "zur 44. Sitzung", "seit der 45. Sitzung" only mention a session as a topic."""
    for numbered in _NUMBERED_SESSION.finditer(text):
        if not _MENTION_BEFORE.search(text[: numbered.start()]):
            yield numbered


def names_special_session(text: str) -> bool:
    """Does the question speak of a Sondersitzung (special session)?"""
    return bool(_SPECIAL_SESSION.search(text))


# "in der 47. Sitzung", "during the 47th session": a phrase that only sets the scene.
_SCENE_SETTING = re.compile(r"\b(?:in|auf|während|at|during)\s+(?:der|the|ihrer|its)\s+$", re.I)


def session_spans(text: str) -> list[tuple[int, int]]:
    """Where the question names a session or date only to restrict the evidence.

    "Was sagte Hessen in der 47. Sitzung?" restricts; in "Wann fand die 36. Sitzung statt?"
    or "zu Beginn der 47. Sitzung" the session is what the question is about, so its words
    stay part of the topic.
    """
    spans = [
        m.span() for m in _restricting_sessions(text) if _SCENE_SETTING.search(text[: m.start()])
    ]
    if spans or _exact_date(text):
        spans += [m.span() for p in (_GERMAN_DATE, _ISO_DATE) for m in p.finditer(text)]
    return spans


def _session_and_dates(text: str) -> tuple[str | None, str | None, str | None]:
    session: str | None = None
    date_from: str | None = None
    date_to: str | None = None
    numbered = next(_restricting_sessions(text), None)
    if numbered is not None:
        session = next(g for g in numbered.groups() if g)
    exact = _exact_date(text)
    if exact:
        date_from = date_to = exact
        if session is None:
            session = exact
    elif (month := _MONTH_YEAR.search(text)) is not None:
        year, number = int(month.group(2)), _MONTHS[month.group(1).casefold()]
        last = calendar.monthrange(year, number)[1]
        date_from, date_to = f"{year:04d}-{number:02d}-01", f"{year:04d}-{number:02d}-{last:02d}"
    elif (year_match := _YEAR.search(text)) is not None:
        year = int(year_match.group(1))
        date_from, date_to = f"{year:04d}-01-01", f"{year:04d}-12-31"
    if session is None and names_special_session(text):
        session = "sonder"
    return session, date_from, date_to


def _exact_date(text: str) -> str | None:
    german = _GERMAN_DATE.search(text)
    if german:
        day, month, year = (int(g) for g in german.groups())
        if 1 <= month <= 12 and 1 <= day <= 31:
            return f"{year:04d}-{month:02d}-{day:02d}"
    iso = _ISO_DATE.search(text)
    if iso:
        return iso.group(0)
    return None
