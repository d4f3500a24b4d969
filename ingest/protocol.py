"""The protocol parser: logical lines -> agenda items and turns.

A turn is a speaker's statement, a Protokollnotiz or a Beschluss; protocol text that
nobody speaks (results, "Der Beschluss wird einstimmig beschlossen.") becomes a turn
of role "text" without a speaker. The parser never guesses a speaker: a passage gets
one only from a label in the protocol itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from gremium.speakers import REGISTRY
from gremium.types import AgendaItem, Role, Speaker, Turn
from ingest import layout as L

# Protocol text in the council's decision formula is decision text even without a "BV" row.
_DECISION_FORMULA = re.compile(
    r"^(?:\d+\.\s*)?Der IT-Planungsrat (?:beschließt|beauftragt|bittet|richtet|weist|nimmt|stellt|empfiehlt|bestätigt)\b"
)


@dataclass
class _OpenTurn:
    role: Role
    speaker: Speaker | None
    label: str | None
    item: AgendaItem | None
    lines: list[L.Line] = field(default_factory=list)
    has_bullets: bool = False
    decision: str | None = None


@dataclass
class ParsedProtocol:
    """Turns in document order, with their text laid out in `text` (the clean text)."""

    text: str
    turns: list[Turn]
    agenda: list[AgendaItem]
    page_anchors: list[tuple[int, int]]  # (clean offset, page), ascending


class TextBuilder:
    """Lays turns out one after another as the document's clean text, with page anchors."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.length = 0
        self.anchors: list[tuple[int, int]] = []

    def add_turn(self, lines: list[L.Line]) -> tuple[str, int, int]:
        if self.parts:
            self._put("\n\n")
        start = self.length
        for i, line in enumerate(lines):
            if i:
                self._put("\n")
            for offset, page in line.anchors:
                self.anchors.append((self.length + offset, page))
            self._put(line.text)
        return "".join(self.parts)[start:], start, self.length

    def _put(self, text: str) -> None:
        self.parts.append(text)
        self.length += len(text)


def parse_protocol(lines: list[L.Line]) -> ParsedProtocol:
    """Agenda items and turns of a protocol, in order."""
    builder = TextBuilder()
    turns: list[Turn] = []
    agenda: list[AgendaItem] = []
    area: str | None = None
    area_title: str | None = None  # a free-standing line naming the next table's area
    item: AgendaItem | None = None
    mode: str | None = None  # None | agenda | discussion | note | decision
    current: _OpenTurn | None = None

    def close() -> None:
        nonlocal current
        if current is None:
            return
        if _has_words([ln for ln in current.lines if ln.kind in L.CONTENT_KINDS]):
            text, start, end = builder.add_turn(current.lines)
            turns.append(
                Turn(
                    current.role,
                    text,
                    start,
                    end,
                    current.speaker,
                    current.item,
                    current.label,
                    decision=current.decision,
                )
            )
        current = None

    def open_turn(role: Role, speaker: Speaker | None, label: str | None, first: L.Line) -> None:
        nonlocal current
        close()
        current = _OpenTurn(role, speaker, label, item)
        if label and role != "statement":
            # the heading as the protocol writes it, e.g. "Protokollnotiz des Landes Hessen"
            rest = first.data.get("rest", "")
            verbatim = first.text[: len(first.text) - len(rest)].strip() if rest else first.text
            current.lines.append(L.Line("label_line", verbatim.strip(), list(first.anchors[:1])))

    for line in _mark_area_titles(lines):
        kind = line.kind
        if kind == L.GAP:
            continue
        if kind == L.HEADER:
            new_area = line.data["area"]
            if (
                line.data.get("repeat")
                or new_area == area
                or (new_area == "Thema" and area_title and area == area_title)
            ):
                continue  # page-break residue: the turn goes on
            close()
            area = area_title if new_area in ("Thema", "Thema/Titel") and area_title else new_area
            item = AgendaItem(number="", title=area, area=area)
            mode = None
            continue
        if kind == L.AGENDA:
            close()
            item = AgendaItem(line.data["number"], line.data["title"], area)
            agenda.append(item)
            mode = "agenda"
            continue
        if kind == L.MARKER:
            close()
            marker = line.data["marker"]
            mode = {"ON": "discussion", "PN": "note", "BV": "decision"}[marker]
            rest = line.data.get("rest", "")
            if rest:
                sub_kind, sub_data = L.classify(rest)
                line = L.Line(sub_kind, rest, line.anchors, sub_data)
                kind = sub_kind
            else:
                continue
        if kind == L.NOTE:
            who = line.data.get("speaker")
            speaker = REGISTRY.resolve_or_body(who) if who else None
            label = f"Protokollnotiz ({speaker.name})" if speaker else "Protokollnotiz"
            open_turn("protocol_note", speaker, label, line)
            _add_rest(current, line)
            mode = "note"
            continue
        if kind == L.DECISION:
            open_turn("decision", None, f"Beschluss {line.data['number']}", line)
            assert current is not None
            current.decision = line.data["number"]
            _add_rest(current, line)
            mode = "decision"
            continue
        if kind == L.LABEL:
            if mode == "agenda":
                mode = "discussion"
            open_turn("statement", REGISTRY.resolve_or_body(line.data["label"]), None, line)
            _add_rest(current, line)
            continue
        if kind == AREA_TITLE:
            close()
            area_title = line.text.strip()
            continue
        if kind == L.DISCUSSION:
            close()
            mode = "discussion"
            continue
        if kind == L.META:
            if item is None:  # the preamble: date, time, place, "Stand"
                if current is None:
                    open_turn("text", None, None, line)
                assert current is not None
                current.lines.append(L.Line(L.TEXT, line.text, line.anchors))
            continue
        if kind == L.REDACTED:
            if current is not None and current.lines:
                close()  # content is lost here; what follows cannot be joined to it
            continue
        if kind == L.HEADING:
            kind = L.TEXT
        # content lines
        if mode == "agenda":
            continue
        if current is None:
            formula = bool(_DECISION_FORMULA.match(line.text))
            role: Role = "decision" if mode == "decision" or formula else "text"
            open_turn(role, None, None, line)
        assert current is not None
        if (
            current.role == "statement"
            and kind == L.TEXT
            and current.has_bullets
            and not line.text[:1].islower()
        ):
            # an unbulleted paragraph after a speaker's bullets is the protocol's own text
            open_turn("text", None, None, line)
        current.lines.append(line)
        current.has_bullets = current.has_bullets or kind == L.BULLET_LINE
    close()
    anchors = sorted(set(builder.anchors))
    return ParsedProtocol("".join(builder.parts), turns, agenda, anchors)


def _add_rest(turn: _OpenTurn | None, line: L.Line) -> None:
    rest = line.data.get("rest", "")
    if turn is not None and rest and not line.data.get("rest_split"):
        turn.lines.append(L.Line(L.TEXT, rest, list(line.anchors[:1])))


def _has_words(lines: list[L.Line]) -> bool:
    text = " ".join(ln.text for ln in lines).replace("[REDACTED]", "")
    return sum(ch.isalpha() for ch in text) >= 3


AREA_TITLE = "area_title"


def _mark_area_titles(lines: list[L.Line]) -> list[L.Line]:
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
