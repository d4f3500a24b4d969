"""Score a parsed fixture against its ground truth (shared by the tests and bench/styles.py).

Each expected turn names a snippet at its start (`first`) and, for longer turns, one at
its end (`last`). The turn is attributed right when the parsed turn holding each
snippet has the expected speaker (None for the protocol's own text) and role, and both
snippets sit in the same parsed turn, so a speaker who swallows the next passage or
loses their last sentence counts as wrong. Lines the ground truth lists under
`not_in_text` (a site's menu, a running head) must be in no passage.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from gremium.types import Session, Turn
from ingest.pipeline import ParsedDocument

_FOLD = str.maketrans({"„": '"', "“": '"', "”": '"', "–": "-", "—": "-", "•": " ", "›": " "})


def fold(text: str) -> str:
    return re.sub(r"\s+", " ", text.translate(_FOLD)).strip().casefold()


@dataclass
class StyleScore:
    turns: int = 0
    speaker_right: int = 0
    persons: int = 0
    person_right: int = 0
    tops: int = 0
    top_right: int = 0
    agenda: int = 0
    agenda_found: int = 0
    decisions: int = 0
    decisions_right: int = 0
    session_right: bool = False
    attendance_right: bool = False
    header_right: bool = False
    furniture_right: bool = True  # no site or page furniture inside a passage
    errors: list[str] = field(default_factory=list)

    @property
    def speaker_share(self) -> float:
        return self.speaker_right / self.turns if self.turns else 1.0

    def row(self) -> dict[str, object]:
        def share(a: int, b: int) -> float | None:
            return round(a / b, 3) if b else None

        return {
            "turns": self.turns,
            "speaker_right": share(self.speaker_right, self.turns),
            "person_right": share(self.person_right, self.persons),
            "top_right": share(self.top_right, self.tops),
            "session_found": self.session_right,
            "agenda_found": share(self.agenda_found, self.agenda),
            "decisions_numbered": share(self.decisions_right, self.decisions),
            "attendance_right": self.attendance_right,
            "title_and_type_right": self.header_right,
            "furniture_dropped": self.furniture_right,
        }


def _find(turns: list[Turn], snippet: str, start: int = 0) -> int | None:
    wanted = fold(snippet)
    for i in range(start, len(turns)):
        if wanted in fold(turns[i].text):
            return i
    return None


def _session_matches(found: Session | None, expected: dict | None) -> bool:
    if expected is None:
        return found is None
    if found is None:
        return False
    return all(getattr(found, key) == value for key, value in expected.items())


def score(parsed: ParsedDocument, expected: dict) -> StyleScore:
    result = StyleScore()
    turns = parsed.turns
    for exp in expected["turns"]:
        result.turns += 1
        where = _find(turns, exp["first"])
        end = _find(turns, exp["last"], where or 0) if exp.get("last") else where
        label = exp["first"][:40]
        if where is None or end is None:
            result.errors.append(f"not found: {label!r}")
            continue
        turn = turns[where]
        code = turn.speaker.code if turn.speaker else None
        role_ok = not exp.get("role") or turn.role == exp["role"]
        if code == exp["speaker"] and role_ok and end == where:
            result.speaker_right += 1
        else:
            last = turns[end].speaker.code if turns[end].speaker else None
            result.errors.append(
                f"{label!r}: expected {exp['speaker']}/{exp.get('role', '-')}, got {code}/"
                f"{turn.role}" + (f", its end in another turn ({last})" if end != where else "")
            )
        if exp.get("person"):
            result.persons += 1
            surname = exp["person"].split()[-1]
            if turn.person and surname in turn.person:
                result.person_right += 1
            else:
                result.errors.append(
                    f"{label!r}: person {turn.person!r}, expected {exp['person']!r}"
                )
        if "top" in exp:
            result.tops += 1
            number = turn.agenda_item.number if turn.agenda_item else ""
            if number == exp["top"]:
                result.top_right += 1
            else:
                result.errors.append(f"{label!r}: TOP {number!r}, expected {exp['top']!r}")
        if exp.get("decision"):
            result.decisions += 1
            session = turn.session or parsed.document.session
            want = exp.get("session")
            if turn.decision == exp["decision"] and (
                want is None or _session_matches(session, want)
            ):
                result.decisions_right += 1
            else:
                result.errors.append(
                    f"{label!r}: decision {turn.decision} {session and session.label}, "
                    f"expected {exp['decision']} {want}"
                )
    items = {(t.agenda_item.number, fold(t.agenda_item.title)) for t in turns if t.agenda_item}
    for number, title in expected.get("agenda", []):
        result.agenda += 1
        if (number, fold(title)) in items:
            result.agenda_found += 1
        else:
            result.errors.append(f"agenda item {number} {title!r} not found")
    doc = parsed.document
    result.session_right = _session_matches(doc.session, expected.get("session"))
    if not result.session_right:
        result.errors.append(f"session {doc.session}, expected {expected.get('session')}")
    participants = set(doc.session.participants) if doc.session else set()
    absentees = set(doc.session.absentees) if doc.session else set()
    result.attendance_right = participants == set(expected.get("participants", [])) and (
        absentees == set(expected.get("absentees", []))
    )
    if not result.attendance_right:
        result.errors.append(f"attendance {sorted(participants)} / {sorted(absentees)}")
    title_ok = expected.get("title_contains", "") in doc.title and not (
        expected.get("title_excludes") and expected["title_excludes"] in doc.title
    )
    for line in expected.get("not_in_text", []):
        if fold(line) in fold(parsed.text):
            result.furniture_right = False
            result.errors.append(f"furniture in the text: {line!r}")
    result.header_right = title_ok and doc.doc_type == expected["doc_type"]
    if not result.header_right:
        result.errors.append(f"title {doc.title!r}, type {doc.doc_type}")
    return result
