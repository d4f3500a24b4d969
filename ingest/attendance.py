"""Attendance: who took part in a session and who was excused, as speaker codes.

Records list attendance as label lines ("Bayern: Ministerialdirigent Thomas Kellner"),
table rows ("Hessen | StS Karin Möller"), prose ("Anwesend: Bund (BMI,
Bundeskanzleramt), alle Länder mit Ausnahme des Saarlandes") and absences
("Entschuldigt fehlten: Freie Hansestadt Bremen, Saarland"). Every Land or body an
entry names counts; a person named beside exactly one speaker is remembered, so that
a later "Herr Dr. Krause ergänzte" can be read as that speaker's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from gremium.speakers import REGISTRY
from ingest.labels import PersonMap, surname

_ALL_LAENDER = re.compile(r"\balle(?:n)?\s+(?:\d{1,2}\s+)?(?:Bundes)?Ländern?\b")
_EXCEPT = re.compile(
    r"\b(?:mit\s+Ausnahme|außer|ausgenommen|ohne)\s+(?P<who>[^,;]+?)(?=\s*(?:[,;]|$))"
)
_GUEST = re.compile(r"\(?\b(?:als\s+)?(?:Gast|Gäste|Gastes)\b\)?")
# Where an attendance block ends: prose (a whole sentence) or the agenda.
_PROSE = re.compile(r"^(?:\S+\s+){7,}\S+[.!?]$")
_AGENDA_WORD = re.compile(r"^(?:Tagesordnung|TOP\s+\d|Punkt\s+\d)")


@dataclass
class Attendance:
    participants: list[str] = field(default_factory=list)
    absentees: list[str] = field(default_factory=list)

    def add(self, codes: list[str], *, absent: bool) -> None:
        target, other = (
            (self.absentees, self.participants) if absent else (self.participants, self.absentees)
        )
        for code in codes:
            if code not in target and code not in other:
                target.append(code)

    def read(self, text: str, *, absent: bool, persons: PersonMap) -> None:
        """Take one line of an attendance block."""
        if not absent and (m := _ALL_LAENDER.search(text)):
            exception = _EXCEPT.search(text, m.end())
            excepted = _codes(exception["who"]) if exception else []
            laender = [s.code for s in REGISTRY.all() if s.kind == "land"]
            self.add(excepted, absent=True)
            self.add([c for c in laender if c not in excepted], absent=False)
            if exception:
                text = text[: exception.start()] + text[exception.end() :]
        for entry in _entries(text):
            mentions = REGISTRY.mentions(entry)
            if not mentions:
                continue
            self.add(list(dict.fromkeys(s.code for s, _, _ in mentions)), absent=absent)
            if not absent:
                _remember_person(entry, mentions, persons)


def ends_attendance(text: str) -> bool:
    """True for a line that cannot belong to an attendance list."""
    return bool(_PROSE.match(text) or _AGENDA_WORD.match(text))


def _codes(text: str) -> list[str]:
    return list(dict.fromkeys(s.code for s, _, _ in REGISTRY.mentions(text)))


def _entries(text: str) -> list[str]:
    """Comma- or semicolon-separated entries, keeping parentheses whole."""
    entries, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        depth += {"(": 1, ")": -1}.get(ch, 0)
        if ch in ",;" and depth <= 0:
            entries.append(text[start:i])
            start = i + 1
    entries.append(text[start:])
    return [e.strip() for e in entries if e.strip()]


def _remember_person(entry: str, mentions: list, persons: PersonMap) -> None:
    """The person an entry names beside its speaker: "Bayern: Herr Dr. X (in Vertretung
    für Frau Y)" is X's, "BSI (Abteilungsleiter Dr. Ohm)" is Ohm's."""
    speaker = mentions[0][0]
    rest = entry
    for _, a, b in reversed(mentions):
        rest = rest[:a] + " " + rest[b:]
    rest = _GUEST.sub(" ", rest)
    outside = re.sub(r"\([^()]*\)", " ", rest)  # a name outside parentheses is the one present
    rest = outside if surname(re.sub(r"[:|]", " ", outside)) else rest
    rest = re.sub(r"[():|]", " ", rest)
    if surname(rest):
        persons.add(rest, speaker)
