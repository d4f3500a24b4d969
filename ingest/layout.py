"""Layout: raw pages -> logical lines, each classified and tagged with its page(s).

Two front-ends feed one line model:

* exported tables: tab-separated rows ("TOP", "07", "ON", "PN", "BV", continuation
  rows starting with a tab) whose cells hold HTML fragments;
* extracted text (PDF text layers and their text exports): one physical line per text
  line, sometimes double-spaced, bullets as glyphs or a lost glyph's leading space.

Wrapped physical lines are joined into one logical line (de-hyphenated), structural
lines (table headers, agenda rows, row markers, speaker labels, Protokollnotiz and
Beschluss headings) always stand alone, and repeated table headers are marked as
page-break residue so that a turn can continue across them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from gremium.speakers import REGISTRY
from ingest.clean import (
    BULLET,
    REDACTION,
    html_to_blocks,
    is_bullet,
    joint,
    normalise_space,
    strip_bullet,
)

# kinds of logical lines
HEADER, AGENDA, MARKER, LABEL, NOTE, DECISION = (
    "header",
    "agenda",
    "marker",
    "label",
    "note",
    "decision",
)
META, HEADING, BULLET_LINE, TEXT, GAP, REDACTED = (
    "meta",
    "heading",
    "bullet",
    "text",
    "gap",
    "redaction",
)
DISCUSSION = "discussion"
DISCUSSION_WORDS = {"Diskussion", "Aussprache", "Beratung"}
CONTENT_KINDS = {BULLET_LINE, TEXT}


@dataclass
class Line:
    kind: str
    text: str
    # (offset into text, page) where each physical piece starts: maps clean text back to pages
    anchors: list[tuple[int, int]]
    data: dict[str, Any] = field(default_factory=dict)

    @property
    def page(self) -> int:
        return self.anchors[0][1]

    def append_wrapped(self, piece: str, page: int) -> None:
        piece = normalise_space(piece)
        if not piece:
            return
        drop, sep = joint(self.text, piece)
        if drop:
            self.text = self.text[:-1]
        self.text = self.text.rstrip() + sep
        self.anchors.append((len(self.text), page))
        self.text += piece


_HEADER_RE = re.compile(r"^TOP\s+(?P<area>.+?)\s+Ziel(?: des TOP)?\s+Quelle\s+BE$")
_AGENDA_TOP_RE = re.compile(r"^TOP\s+(?P<num>\d{1,2}[a-z]?)\b\s*[:.–—-]?\s+(?P<title>\S.*)$")
_AGENDA_NUM_RE = re.compile(r"^(?P<num>\d{2})\s+(?P<title>\S.*)$")
_MARKER_RE = re.compile(r"^(?P<marker>ON|PN|BV)(?:\s+(?P<rest>.*))?$")
_NOTE_RE = re.compile(r"^Protokollnotiz\b\s*(?P<rest>.*)$")
_DECISION_RE = re.compile(
    r"^(?:Beschluss|Entscheidung)\s+(?:Nr\.\s*)?(?P<num>(?:[A-Z]-)?\d{4}/\d{1,3}(?:-[A-Z]{1,4})?)\b\s*(?:[:.]\s*(?P<rest>.*))?$"
)
_LABEL_RE = re.compile(r"^(?P<label>[^:\d][^:]{0,59}?)\s*:\s*(?P<rest>.*)$")
_META_RE = re.compile(
    r"^(?:Datum|Ort|Stand|Zeitlicher Ablauf|Zeit|Beginn|Ende|Sitzungsleitung|Vorsitz|Teilnehmende)\s*:",
    re.IGNORECASE,
)
_REDACTION_RE = re.compile(r"^\[(?:illegible|redacted|unleserlich|geschwärzt)\]$", re.IGNORECASE)
_HEADING_RE = re.compile(r"^(?P<num>\d+(?:\.\d+)+\.?|\d+)\s+(?P<title>[A-ZÄÖÜ„\"].{0,90})$")
_ABBREVIATION_RE = re.compile(r"^[A-ZÄÖÜ][A-Za-zÄÖÜäöü-]{1,9}$")


def speaker_label(label: str, *, strict: bool = False) -> str | None:
    """The label text if it names a speaker ("BY", "Freistaat Sachsen", "DLT"), else None."""
    label = label.strip()
    if not label or len(label) > 60 or _META_RE.match(label + ":"):
        return None
    if REGISTRY.resolve(label):
        return label
    if not strict and _ABBREVIATION_RE.match(label) and sum(c.isupper() for c in label) >= 2:
        return label
    return None


def find_inline_label(block: str) -> int | None:
    """Offset of a speaker label that ends a block ("Diskussion MV:"), or None."""
    if not block.endswith(":"):
        return None
    words = block[:-1].split()
    for n in range(min(4, len(words)), 0, -1):
        candidate = " ".join(words[-n:])
        if speaker_label(candidate, strict=n < len(words)):
            return len(block) - 1 - len(candidate)
    return None


def classify(text: str, *, after_header: bool = False) -> tuple[str, dict[str, Any]]:
    """Kind and data of one logical line of text (structure only, no context)."""
    if _REDACTION_RE.match(text) or text == REDACTION:
        return REDACTED, {}
    if text in DISCUSSION_WORDS:
        return DISCUSSION, {}
    if m := _HEADER_RE.match(text):
        return HEADER, {"area": m["area"].strip()}
    if m := _AGENDA_TOP_RE.match(text):
        return AGENDA, {"number": m["num"].zfill(2), "title": m["title"].strip()}
    if after_header and (m := _AGENDA_NUM_RE.match(text)):
        return AGENDA, {"number": m["num"], "title": m["title"].strip()}
    if m := _MARKER_RE.match(text):
        return MARKER, {"marker": m["marker"], "rest": (m["rest"] or "").strip()}
    if m := _NOTE_RE.match(text):
        speaker, rest = _note_speaker(m["rest"])
        return NOTE, {"speaker": speaker, "rest": rest}
    if m := _DECISION_RE.match(text):
        return DECISION, {"number": m["num"], "rest": (m["rest"] or "").strip()}
    if _META_RE.match(text):
        return META, {}
    if (m := _LABEL_RE.match(text)) and speaker_label(m["label"], strict=bool(m["rest"])):
        return LABEL, {"label": m["label"].strip(), "rest": m["rest"].strip()}
    if (
        (m := _HEADING_RE.match(text))
        and not text.rstrip().endswith((".", ",", ";"))
        and not re.match(r"(?:Beschluss|Entscheidung)\s+\d|https?://", m["title"])
        and ("." in m["num"] or len(text) <= 60)
    ):
        return HEADING, {"number": m["num"].rstrip("."), "title": m["title"].strip()}
    return TEXT, {}


def _note_speaker(rest: str) -> tuple[str | None, str]:
    """Speaker and remaining text of "Protokollnotiz (Bayern) ...", "... des Landes Hessen: ..."."""
    rest = rest.strip()
    if m := re.match(r"^\((?P<who>[^)]+)\)\s*:?\s*(?P<rest>.*)$", rest):
        return m["who"].strip(), m["rest"].strip()
    if m := re.match(r"^(?:des|der|von|aus)\s+(?P<who>[^:]+?)\s*(?::\s*(?P<rest>.*))?$", rest):
        who = m["who"].strip()
        if REGISTRY.resolve(who) or len(who.split()) <= 4:
            return who, (m["rest"] or "").strip()
    if m := re.match(r"^(?P<who>[^:]{1,60}):\s*(?P<rest>.*)$", rest):
        return m["who"].strip(), m["rest"].strip()
    return None, rest.lstrip(":").strip()


class _LineSink:
    """Collects logical lines, joining wrapped pieces into the last content line."""

    def __init__(self) -> None:
        self.lines: list[Line] = []
        self._last_content: Line | None = None
        self._gap = True

    def gap(self) -> None:
        if self.lines and self.lines[-1].kind != GAP:
            self.lines.append(Line(GAP, "", [(0, self.lines[-1].page)]))
        self._gap = True

    def wrap(self, text: str, page: int) -> None:
        if self._last_content is None:
            self.add(TEXT, text, page)
        else:
            self._last_content.append_wrapped(text, page)
            self._gap = False

    def add(self, kind: str, text: str, page: int, data: dict[str, Any] | None = None) -> Line:
        if kind == BULLET_LINE:
            text = f"{BULLET} {strip_bullet(text).strip()}"
        line = Line(kind, normalise_space(text), [(0, page)], data or {})
        self.lines.append(line)
        rest = line.data.get("rest", "") if kind in (NOTE, DECISION, LABEL) else ""
        if rest:
            # text on the label's own line starts the turn; wrapped lines continue it
            line.data["rest_split"] = True
            body = Line(TEXT, normalise_space(rest), [(0, page)])
            self.lines.append(body)
            self._last_content = body
            self._gap = False
            return line
        if kind in CONTENT_KINDS:
            self._last_content = line
        elif kind not in (HEADER, META):
            # a repeated table header is page-break residue: text after it may continue
            self._last_content = None
        self._gap = False
        return line

    @property
    def last_kind(self) -> str | None:
        for line in reversed(self.lines):
            if line.kind != GAP:
                return line.kind
        return None

    @property
    def after_gap(self) -> bool:
        return self._gap


def looks_tabular(text: str) -> bool:
    rows = re.findall(r"^(?:TOP|ON|PN|BV|\d{2})\t", text, re.MULTILINE)
    return len(rows) >= 3


def layout(pages: list[str]) -> list[Line]:
    """Logical lines of a document given its raw pages (1-based page numbers on lines)."""
    if looks_tabular("\n".join(pages)):
        return _layout_table_export(pages)
    return _layout_text(pages)


def _emit_structural(sink: _LineSink, text: str, page: int) -> bool:
    kind, data = classify(text, after_header=sink.last_kind == HEADER)
    if kind in (TEXT,):
        return False
    if kind == REDACTED:
        sink.add(REDACTED, REDACTION if text == REDACTION else text, page)
        return True
    sink.add(kind, text, page, data)
    return True


def _layout_text(pages: list[str]) -> list[Line]:
    sink = _LineSink()
    all_lines = [line for page in pages for line in page.split("\n")]
    double = _double_spaced(all_lines)
    for page_no, page in enumerate(pages, start=1):
        physical = page.split("\n")
        first_content = True
        for raw in physical:
            if not raw.strip():
                # in double-spaced exports an empty line only ends a physical line
                if raw == "" and double:
                    continue
                sink.gap()
                continue
            line = raw.rstrip()
            if first_content and line.startswith(" "):
                line = line[1:]  # extractors open each page with one space
            first_content = False
            text = line.strip()
            if _emit_structural(sink, text, page_no):
                continue
            lowercase = text[:1].islower()
            if is_bullet(text) or (line.startswith(" ") and not lowercase):
                sink.add(BULLET_LINE, text, page_no)
            elif not sink.after_gap or lowercase:
                sink.wrap(text, page_no)
            else:
                sink.add(TEXT, text, page_no)
    return sink.lines


def _double_spaced(lines: list[str]) -> bool:
    content = [i for i, line in enumerate(lines[:-1]) if line.strip()]
    if len(content) < 10:
        return False
    return sum(1 for i in content if lines[i + 1] == "") / len(content) > 0.6


def _layout_table_export(pages: list[str]) -> list[Line]:
    sink = _LineSink()
    last_header: str | None = None
    for page_no, page in enumerate(pages, start=1):
        for raw in page.split("\n"):
            if not raw.strip():
                sink.gap()
                continue
            cells = raw.split("\t")
            head = cells[0].strip()
            if head == "TOP" and len(cells) >= 3:
                area = cells[1].strip()
                repeat = raw.strip() == last_header
                last_header = raw.strip()
                sink.add(HEADER, f"TOP {area}", page_no, {"area": area, "repeat": repeat})
                continue
            if re.fullmatch(r"\d{2}", head) and len(cells) >= 2:
                blocks = html_to_blocks(cells[1])
                title = strip_bullet(blocks[0]) if blocks else ""
                data = {
                    "number": head,
                    "title": title,
                    "details": [strip_bullet(b) for b in blocks[1:]],
                    "goal": cells[2].strip() if len(cells) > 2 else "",
                    "source": cells[3].strip() if len(cells) > 3 else "",
                    "rapporteur": cells[4].strip() if len(cells) > 4 else "",
                }
                sink.add(AGENDA, f"TOP {head} {title}", page_no, data)
                continue
            if head in ("ON", "PN", "BV"):
                sink.add(MARKER, head, page_no, {"marker": head, "rest": ""})
                body = "\t".join(cells[1:])
            elif head == "":
                body = "\t".join(cells[1:])
            else:
                body = raw
            _emit_blocks(sink, body, page_no)
    return sink.lines


def _emit_blocks(sink: _LineSink, fragment: str, page: int) -> None:
    cells = [c for c in fragment.split("\t") if c.strip()]
    for cell in cells:
        for block in html_to_blocks(cell, split_label=find_inline_label):
            if _emit_structural(sink, block, page):
                continue
            if is_bullet(block):
                sink.add(BULLET_LINE, block, page)
            elif block[:1].islower():
                sink.wrap(block, page)
            else:
                sink.add(TEXT, block, page)
        sink.gap()
