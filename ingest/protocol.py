"""The protocol parser: logical lines -> agenda items and turns.

A turn is a speaker's statement, a Protokollnotiz or a Beschluss; protocol text that
nobody speaks (results, "Der Beschluss wird einstimmig beschlossen.") becomes a turn
of role "text" without a speaker. The parser never guesses a speaker: a passage gets
one only from the record itself, from a label ("BY:", "Dr. X (Bayern):") or from a
sentence that introduces the speaker (see `ingest.prose`). Decision pages and
listings give each Beschluss its own session; attendance lists give the session's
participants and absentees.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from gremium.speakers import REGISTRY
from gremium.types import AgendaItem, Role, Session, Speaker, Turn
from ingest import decisions
from ingest import layout as L
from ingest.attendance import Attendance, ends_attendance
from ingest.labels import PersonMap
from ingest.outline import (
    AREA_TITLE,
    NUMBERED,
    SUBTITLE,
    agenda_headings,
    mark_area_titles,
    mark_subtitles,
)
from ingest.prose import Cue, read_sentence, sentences

# Protocol text in the council's decision formula is decision text even without a "BV" row.
_DECISION_FORMULA = re.compile(
    r"^(?:\d+\.\s*)?Der IT-Planungsrat (?:beschließt|beauftragt|bittet|richtet|weist|nimmt|stellt|empfiehlt|bestätigt)\b"
)
# In a decision, sentences with the council as subject are the decision's own text.
_COUNCIL = re.compile(r"^(?:\d+\.\s*)?(?:Der IT-Planungsrat|Er)\b")
_FOR_THE_RECORD = re.compile(r"\b(?:zu(?:m)?\s+Protokoll|Protokollnotiz|Protokollerklärung)\b")
_LISTED = (L.LABEL, L.TEXT, L.BULLET_LINE, L.META, L.ATTEND)  # lines an attendance list holds
_POINT = re.compile(r"^(?:\d{1,2}|[a-z])[.)]\s")
_FIRST_PERSON = re.compile(r"\b(?:[Ii]ch|[Ww]ir|uns|unser\w*|mein\w*)\b")


@dataclass
class _OpenTurn:
    role: Role
    speaker: Speaker | None
    label: str | None
    item: AgendaItem | None
    lines: list[L.Line] = field(default_factory=list)
    has_bullets: bool = False
    decision: str | None = None
    person: str | None = None
    session: Session | None = None
    origin: str = "text"  # text | voice | label | prose | note | decision
    row: bool = False  # a listing's row: complete in its own lines


@dataclass
class ParsedProtocol:
    """Turns in document order, with their text laid out in `text` (the clean text)."""

    text: str
    turns: list[Turn]
    agenda: list[AgendaItem]
    page_anchors: list[tuple[int, int]]  # (clean offset, page), ascending
    participants: tuple[str, ...] = ()
    absentees: tuple[str, ...] = ()
    labelled: int = 0  # turns whose speaker a label names (not a sentence)


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


def parse_protocol(lines: list[L.Line], *, numbered_agenda: bool = False) -> ParsedProtocol:
    """Agenda items and turns of a protocol, in order.

    With `numbered_agenda` (the document is headed as minutes) numbered headings such as
    "3. Registermodernisierung" are agenda items where the record has no "TOP" lines.
    """
    return _Reader(lines, numbered_agenda).read()


class _Reader:
    def __init__(self, lines: list[L.Line], numbered_agenda: bool) -> None:
        self.lines = decisions.mark_decision_fields(mark_subtitles(mark_area_titles(lines)))
        self.agenda_lines = agenda_headings(self.lines) if numbered_agenda else set()
        self.builder = TextBuilder()
        self.turns: list[Turn] = []
        self.agenda: dict[str, AgendaItem] = {}
        self.area: str | None = None
        self.area_title: str | None = None  # a free-standing line naming the next table's area
        self.item: AgendaItem | None = None
        self.mode: str | None = None  # None | agenda | discussion | note | decision
        self.current: _OpenTurn | None = None
        self.session: Session | None = None  # a listing's current session heading
        self.persons = PersonMap()
        self.labelled = 0
        self.attendance = Attendance()
        self.attending: str | None = None  # None | present | absent
        self.untitled = False  # an agenda item whose title is the next line
        self.voice_body = False  # the next line is the paragraph of "Ergebnis: …", whole
        self.attendance_body = False  # the next line is a label's body, read with its label

    # -- turns -------------------------------------------------------------------------------

    def close(self) -> None:
        cur, self.current = self.current, None
        if cur is None or not L.has_words([ln for ln in cur.lines if ln.kind in L.CONTENT_KINDS]):
            return
        text, start, end = self.builder.add_turn(cur.lines)
        turn = Turn(cur.role, text, start, end, cur.speaker, cur.item, cur.label, cur.person)
        self.turns.append(replace(turn, decision=cur.decision, session=cur.session))
        if cur.speaker is not None and cur.origin in ("label", "note"):
            self.labelled += 1

    def open(
        self, role: Role, speaker: Speaker | None, label: str | None, first: L.Line, origin: str
    ) -> _OpenTurn:
        self.close()
        cur = self.current = _OpenTurn(role, speaker, label, self.item, origin=origin)
        if label and role != "statement":
            # the heading as the protocol writes it, e.g. "Protokollnotiz des Landes Hessen"
            rest = first.data.get("rest", "")
            verbatim = first.text[: len(first.text) - len(rest)].strip() if rest else first.text
            cur.lines.append(L.Line("label_line", verbatim.strip(), list(first.anchors[:1])))
        return cur

    def add_rest(self, line: L.Line) -> None:
        rest = line.data.get("rest", "")
        if self.current is not None and rest and not line.data.get("rest_split"):
            self.current.lines.append(L.Line(L.TEXT, rest, list(line.anchors[:1])))

    def text_turn(self, line: L.Line, origin: str = "text") -> _OpenTurn:
        """The turn protocol text goes to: the open text turn, or a new one."""
        if self.current is not None and self.current.origin in ("text", "voice"):
            return self.current
        formula = bool(_DECISION_FORMULA.match(line.text))
        role: Role = "decision" if self.mode == "decision" or formula else "text"
        return self.open(role, None, None, line, origin)

    # -- lines -------------------------------------------------------------------------------

    def read(self) -> ParsedProtocol:
        for index, line in enumerate(self.lines):
            if index in self.agenda_lines:
                m = NUMBERED.match(line.text)
                assert m is not None
                data = {"number": m["num"].zfill(2), "title": m["title"].strip()}
                line = L.Line(L.AGENDA, line.text, line.anchors, data)
            self.on_line(line)
        self.close()
        anchors = sorted(set(self.builder.anchors))
        text = "".join(self.builder.parts)
        attendance = self.attendance
        agenda = list(self.agenda.values())
        participants, absentees = tuple(attendance.participants), tuple(attendance.absentees)
        return ParsedProtocol(
            text, self.turns, agenda, anchors, participants, absentees, self.labelled
        )

    def on_line(self, line: L.Line) -> None:
        kind = line.kind
        if kind == L.GAP:
            return
        if self.current is not None and self.current.row and kind not in decisions.OWN:
            self.close()  # a listing's row ends where its own lines end
            self.mode = None
        if kind not in (L.TEXT, L.HEADING):
            self.untitled = False
        if (
            self.attending
            and kind in _LISTED
            and (kind == L.ATTEND or not ends_attendance(line.text))
        ):
            self.on_attendance(line)
            return
        self.attending = None
        self.attendance_body = False
        if kind == L.HEADER:
            self.on_header(line)
        elif kind == L.AGENDA:
            self.on_agenda(line)
        elif kind == L.MARKER:
            self.close()
            self.mode = {"ON": "discussion", "PN": "note", "BV": "decision"}[line.data["marker"]]
            rest = line.data.get("rest", "")
            if rest:
                sub_kind, sub_data = L.classify(rest)
                self.on_line(L.Line(sub_kind, rest, line.anchors, sub_data))
        elif kind == L.NOTE:
            who = line.data.get("speaker")
            speaker = REGISTRY.resolve_or_body(who) if who else None
            label = f"Protokollnotiz ({speaker.name})" if speaker else "Protokollnotiz"
            self.open("protocol_note", speaker, label, line, "note")
            self.add_rest(line)
            self.mode = "note"
        elif kind == L.DECISION:
            self.on_decision(line)
        elif kind == L.SESSION_HEAD:
            self.session = _session(line.data["session"])
            if self.mode == "decision":  # a listing's next session: its heading is no decision
                self.close()
                self.mode = None
            cur = self.text_turn(line)
            cur.session = cur.session or self.session
            cur.lines.append(L.Line(L.TEXT, line.text, line.anchors))
        elif kind == L.ATTEND:
            self.on_attendance(line)
        elif kind == L.LABEL:
            self.on_label(line)
        elif kind in decisions.OWN and self.current is not None:
            if kind == decisions.TITLE and self.item is None:  # a page's or listing's title
                self.current.item = AgendaItem("", line.text.strip())
            self.current.lines.append(L.Line(L.TEXT, line.text, line.anchors))
        elif kind == SUBTITLE and self.item is not None:
            # the TOP heading names the area, the subtitle the item: both are its title
            item = self.item
            area = item.area or item.title
            self.item = AgendaItem(item.number, f"{item.title} – {line.text.strip()}", area)
            self.agenda[item.number] = self.item
        elif kind == AREA_TITLE:
            self.close()
            self.area_title = line.text.strip()
        elif kind == L.DISCUSSION:
            self.close()
            self.mode = "discussion"
        elif kind == L.META:
            if self.item is None:  # the preamble: date, time, place, "Stand"
                self.text_turn(line).lines.append(L.Line(L.TEXT, line.text, line.anchors))
        elif kind == L.REDACTED:
            if self.current is not None and self.current.lines:
                self.close()  # content is lost here; what follows cannot be joined to it
        else:
            plain = kind in (L.HEADING, *decisions.OWN)
            self.on_content(L.Line(L.TEXT, line.text, line.anchors) if plain else line)

    def on_header(self, line: L.Line) -> None:
        new_area = line.data["area"]
        if (
            line.data.get("repeat")
            or new_area == self.area
            or (new_area == "Thema" and self.area_title and self.area == self.area_title)
        ):
            return  # page-break residue: the turn goes on
        if line.data.get("named_columns") and not self.area_title:
            return  # "TOP | Thema | Ergebnis" names columns, no area: the rows name the items
        self.close()
        titled = new_area in ("Thema", "Thema/Titel") and self.area_title
        self.area = self.area_title if titled else new_area
        self.item = AgendaItem(number="", title=self.area or "", area=self.area)
        self.mode = None

    def on_agenda(self, line: L.Line) -> None:
        self.close()
        number, title = line.data["number"], line.data["title"]
        title = title or (self.agenda[number].title if number in self.agenda else "")
        self.item = AgendaItem(number, title, self.area)
        if title or number not in self.agenda:
            self.agenda[number] = self.item
        self.untitled = not title
        # a table row lists the item's details next; a heading is followed by its minutes
        self.mode = "agenda" if line.data.get("row") or "details" in line.data else None

    def on_decision(self, line: L.Line) -> None:
        number = line.data["number"]
        own = line.data.get("session")
        session = _session(own) if own else self.session
        before = not line.data.get("title_after") and (own or self.session or self.item is None)
        title = self._take_title() if before else None
        word = "Entscheidung" if line.text.startswith("Entscheidung") else "Beschluss"
        item = AgendaItem("", title.text) if title and self.item is None else self.item
        cur = self.open("decision", None, f"{word} {number}", line, "decision")
        cur.item, cur.decision, cur.session = item, number, session
        cur.row = bool(line.data.get("row"))
        if title:
            cur.lines.insert(0, title)
        self.add_rest(line)
        self.mode = "decision"

    def _take_title(self) -> L.Line | None:
        """A decision's title standing on the line before its number (pages and listings)."""
        cur = self.current
        if cur is None or not cur.lines or not L.is_title(cur.lines[-1]):
            return None
        title = cur.lines.pop()
        if not L.has_words([ln for ln in cur.lines if ln.kind in L.CONTENT_KINDS]):
            cur.lines.clear()
        return title

    def on_attendance(self, line: L.Line) -> None:
        if line.kind == L.ATTEND:
            self.attending = "absent" if line.data["absent"] else "present"
            text = line.data.get("rest", "")
            if line.data.get("sentence"):  # told in one sentence: no list follows
                absent = self.attending == "absent"
                self.attendance.read(text, absent=absent, persons=self.persons)
                self.attending = None
                self.text_turn(line).lines.append(L.Line(L.TEXT, line.text, line.anchors))
                return
        else:
            text = line.text
        if not self.attendance_body:  # a label's body was read with its label
            self.attendance.read(text, absent=self.attending == "absent", persons=self.persons)
        rest = line.data.get("rest", "")
        shown = line.text
        self.attendance_body = bool(line.kind == L.LABEL and rest and line.data.get("rest_split"))
        if self.attendance_body:
            shown = line.text[: len(line.text) - len(rest)].strip()  # its body line follows
        self.text_turn(line).lines.append(L.Line(L.TEXT, shown, line.anchors))

    def on_label(self, line: L.Line) -> None:
        data = line.data
        if self.mode == "agenda":
            self.mode = "discussion"
        speaker: Speaker | None = None
        person = data.get("person")
        if data.get("person_only") and person:
            speaker = self.persons.lookup(person)
        elif not data.get("voice"):
            speaker = REGISTRY.resolve_or_body(data["label"])
        if speaker is None:
            # "Ergebnis: …", the chair's words: the label and its paragraph are the protocol's
            rest = data.get("rest", "")
            head = line.text[: len(line.text) - len(rest)].strip() if rest else line.text
            cur = self.open("text", None, None, line, "voice")
            cur.lines.append(L.Line(L.TEXT, head, line.anchors[:1]))
            self.voice_body = bool(data.get("rest_split"))
            self.add_rest(line)
            return
        if person:
            self.persons.add(person, speaker)
        cur = self.open("statement", speaker, None, line, "label")
        cur.person = person
        self.add_rest(line)

    # -- content: where prose decides who speaks ---------------------------------------------

    def on_content(self, line: L.Line) -> None:
        if self.voice_body and self.current is not None:  # a voice label's paragraph, whole
            self.voice_body = False
            self.current.lines.append(line)
            return
        if self.untitled and L.is_title(line) and self.item is not None:
            self.item = AgendaItem(self.item.number, line.text.strip(), self.item.area)
            self.agenda[self.item.number] = self.item
            self.untitled = False
            return
        self.untitled = False
        if self.mode == "agenda":
            return
        cur = self.current
        if cur is not None and cur.origin in ("label", "note", "decision"):
            if line.data.get("label_rest"):
                cur.lines.append(line)  # the words on the label's own line are the label's
                return
            if (
                cur.origin == "label"
                and line.kind == L.TEXT
                and cur.has_bullets
                and not line.text[:1].islower()
            ):
                # an unbulleted paragraph after a speaker's bullets is the protocol's own text
                self.text_turn_for(line)
            elif line.kind == L.TEXT and self._hands_over(cur, line):
                self.read_paragraph(line, fresh=True)
                return
            else:
                cur.lines.append(line)
                cur.has_bullets = cur.has_bullets or line.kind == L.BULLET_LINE
                return
        if cur is not None and cur.role == "decision" and _POINT.match(line.text):
            cur.lines.append(line)  # a decision's numbered point, also under its formula
            return
        self.read_paragraph(line)

    def text_turn_for(self, line: L.Line) -> None:
        self.close()
        self.text_turn(line)

    def _hands_over(self, cur: _OpenTurn, line: L.Line) -> bool:
        """Does a new paragraph inside a labelled turn, note or decision start someone else's?"""
        span = sentences(line.text)
        if not span or (cur.origin == "decision" and _POINT.match(line.text)):
            return False  # a decision's numbered point is the decision's, whoever it names
        cue = read_sentence(line.text[span[0][0] : span[0][1]], self.persons)
        if cue.kind == "speaker":
            return cue.speaker != cur.speaker
        if cue.kind == "unknown":
            return True
        if cue.kind == "voice":
            if cur.origin == "decision" and _COUNCIL.match(line.text):
                return False
            direct = bool(_FIRST_PERSON.search(" ".join(ln.text for ln in cur.lines)))
            return not direct
        return False

    def read_paragraph(self, line: L.Line, *, fresh: bool = False) -> None:
        """Split a paragraph where its sentences hand the word to someone else."""
        cut = 0
        for i, (start, end) in enumerate(sentences(line.text)):
            cue = read_sentence(line.text[start:end], self.persons)
            if fresh and i == 0:
                self.close()
            switch = self._switch(cue, paragraph_start=i == 0 and line.kind == L.TEXT)
            if switch is None:
                continue
            if start > cut and self.current is not None:
                self.current.lines.append(_slice(line, cut, start))
                cut = start
            self._start(switch, _slice(line, start, len(line.text)))
        if self.current is None:
            self.text_turn(line)
        assert self.current is not None
        self.current.lines.append(_slice(line, cut, len(line.text)))
        self.current.has_bullets = self.current.has_bullets or line.kind == L.BULLET_LINE

    def _switch(self, cue: Cue, *, paragraph_start: bool) -> Cue | None:
        """The cue that opens a new turn here, or None if the sentence continues the turn."""
        cur = self.current
        speaking = cur is not None and cur.role in ("statement", "protocol_note")
        if cue.kind == "speaker":
            if speaking and cur is not None and cue.speaker == cur.speaker:
                if cue.person and not cur.person:
                    cur.person = cue.person
                return None
            return cue
        if cue.kind == "unknown":
            return cue
        if cue.kind == "voice":
            return cue if cur is None or speaking else None
        if cue.kind == "neutral" and paragraph_start and cur is not None and cur.origin == "prose":
            # an indicative paragraph ends a reported speaker, unless they were announced with ":"
            return None if cur.lines[-1].text.endswith(":") else Cue("voice")
        return None

    def _start(self, cue: Cue, first: L.Line) -> None:
        if cue.kind == "speaker" and cue.speaker is not None:
            span = sentences(first.text)[:1]
            opening = first.text[: span[0][1]] if span else first.text
            if _FOR_THE_RECORD.search(opening):  # "Hessen gab folgende Erklärung zu Protokoll: …"
                label = f"Protokollnotiz ({cue.speaker.name})"
                cur = self.open("protocol_note", cue.speaker, label, first, "prose")
                cur.lines.clear()  # the sentence itself says it is a note; no heading to repeat
            else:
                cur = self.open("statement", cue.speaker, None, first, "prose")
            cur.person = cue.person
            if cue.person:
                self.persons.add(cue.person, cue.speaker)
            if self.mode == "decision":
                self.mode = "discussion"
        else:
            self.close()
            if self.mode == "decision" and not _DECISION_FORMULA.match(first.text):
                self.mode = "discussion"
            self.text_turn(first, "voice")


def _session(data: dict) -> Session:
    number, kind, date = data["number"], data["kind"], data["date"]
    return Session(Session.make_id(date, number, kind), number, kind, date, None)


def _slice(line: L.Line, start: int, end: int) -> L.Line:
    """Part of a logical line as a line of its own, with its page anchors."""
    piece = line.text[start:end]
    lead = len(piece) - len(piece.lstrip())
    start += lead
    text = piece.strip()
    page = line.anchors[0][1]
    for offset, p in line.anchors:
        if offset <= start:
            page = p
    anchors = [(0, page)] + [
        (o - start, p) for o, p in line.anchors if start < o < start + len(text)
    ]
    return L.Line(line.kind, text, anchors, {})
