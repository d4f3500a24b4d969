"""Decision pages and listings: each decision's number, session, date and title from the
fields the record gives it.

A decision page heads each decision "Entscheidung 2019/43" (or "Beschluss 2021/05",
"Entscheidung Nr. 2020/12") and gives its fields in "Key: value" lines ("Sitzung: 30.
Sitzung", "Datum: 24.10.2019", "Status: umgesetzt"), then its title, then its text. A
session is named by its number ("30. Sitzung"), as a Sondersitzung, or as the written
procedure ("Umlaufverfahren": a date, no session number); the date may stand in the
session's own value ("33. Sitzung (28.10.2020)", "Umlaufverfahren vom 12.08.2022").
"""

from __future__ import annotations

import re

from ingest import layout as L
from ingest.clean import strip_bullet
from ingest.metadata import session_of_fields

FIELD, TITLE = L.DECISION_TEXT, L.DECISION_TITLE
OWN = (FIELD, TITLE)  # lines that belong to the open decision, whatever they say

_FIELD_LINE = re.compile(
    r"^(?P<key>[A-ZÄÖÜ][\wäöüß./-]*(?:\s+[\wäöüß./-]+){0,2})\s*:\s*(?P<value>\S.*)$"
)


def fields(line: L.Line) -> list[tuple[str, str]]:
    """ "Sitzung: 30. Sitzung" (also as a list item, or several in a line separated by
    "|") as (key, value) pairs; none for any other line."""
    if line.kind not in (L.TEXT, L.META, L.BULLET_LINE):
        return []
    found = [_FIELD_LINE.match(part.strip()) for part in strip_bullet(line.text).split(" | ")]
    return [(m["key"], m["value"].strip()) for m in found if m] if all(found) else []


def mark_decision_fields(lines: list[L.Line]) -> list[L.Line]:
    """A decision heading followed by its fields: the fields give its session (kept as
    the decision's text), and the title on the heading's own line ("Entscheidung
    2020/34: Open-Source-Strategie") or the title-like line after the fields is its
    title."""
    marked = list(lines)
    content = [i for i, ln in enumerate(marked) if ln.kind != L.GAP]
    for pos, i in enumerate(content):
        head = marked[i]
        if head.kind != L.DECISION or head.data.get("session"):
            continue
        rest = content[pos + 1 : pos + 2] if head.data.get("rest") else []
        if rest and not L.is_title(marked[rest[0]], longest=160):
            continue  # the heading's line holds the decision's text, not its title
        own: list[int] = []  # the heading's field lines
        for j in content[pos + 1 + len(rest) :]:
            if not fields(marked[j]):
                break
            own.append(j)
        session = session_of_fields([f for j in own for f in fields(marked[j])])
        if session is None:
            continue
        head.data["session"] = session
        for j in own:
            marked[j] = L.Line(FIELD, marked[j].text, marked[j].anchors)
        after = content[pos + 1 + len(rest) + len(own) :]
        title = rest or after[:1]
        if title and L.is_title(marked[title[0]], longest=160):
            line = marked[title[0]]
            marked[title[0]] = L.Line(TITLE, line.text, line.anchors)
            head.data["title_after"] = True
    return marked
