"""Layout: raw pages -> logical lines, each classified and tagged with its page(s).

Two front-ends feed one line model:

* exported tables: tab-separated rows ("TOP", "07", "ON", "PN", "BV", continuation
  rows starting with a tab) whose cells hold HTML fragments;
* extracted text (PDF text layers and their text exports): one physical line per text
  line, sometimes double-spaced, bullets as glyphs or a lost glyph's leading space.

A third, for word-processor files (DOCX, ODT), takes each paragraph as one logical
line: their paragraphs are already whole, so nothing is joined and no spacing is read.

Wrapped physical lines are joined into one logical line (de-hyphenated), structural
lines (table headers, agenda rows, row markers, speaker labels, Protokollnotiz and
Beschluss headings, session headings, attendance headings) always stand alone, and
repeated table headers are marked as page-break residue so that a turn can continue
across them. Page and site furniture is gone before (`ingest.furniture`, `ingest.web`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from gremium.speakers import REGISTRY
from ingest import labels, tables
from ingest.clean import (
    BULLET,
    REDACTION,
    html_to_blocks,
    html_to_text,
    is_bullet,
    joint,
    normalise_space,
    strip_bullet,
)
from ingest.metadata import parse_date

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
# a line of the open decision's own text (its fields, a listing row's cells) and its title
DECISION_TEXT, DECISION_TITLE = "decision_text", "decision_title"
SESSION_HEAD, ATTEND = "session", "attendance"
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
# "Zu TOP 3", "TOP 3", "Punkt 3 der Tagesordnung: …", "Tagesordnungspunkt 3 – …"
_AGENDA_VARIANT_RE = re.compile(
    r"^(?:Zu\s+)?(?:(?:TOP|Tagesordnungspunkt)\s+(?P<a>\d{1,2}[a-z]?)|Punkt\s+(?P<b>\d{1,2}[a-z]?)"
    r"\s+der\s+Tagesordnung)\b\s*[:.–—-]?\s*(?P<title>\S.*)?$"
)
_AGENDA_NUM_RE = re.compile(r"^(?P<num>\d{2})\s+(?P<title>\S.*)$")
_NEXT_ROW_RE = re.compile(r"^\d{2}\s+[A-ZÄÖÜ„].{1,80}$")
_MARKER_RE = re.compile(r"^(?P<marker>ON|PN|BV)(?:\s+(?P<rest>.*))?$")
_NOTE_RE = re.compile(
    r"^(?:Protokollnotiz|Protokollerklärung|Erklärung\s+zu(?:m)?\s+Protokoll)\b\s*(?P<rest>.*)$"
)
DECISION_NUMBER = tables.DECISION_NUMBER
_DECISION_RE = re.compile(
    rf"^(?:Beschluss(?:nummer|-Nr\.)?|Entscheidung)\s*(?:Nr\.\s*)?(?P<open>\()?\s*"
    rf"(?P<num>{DECISION_NUMBER})\b\s*(?(open)\))\s*(?:\((?:einstimmig|mehrheitlich|[^)]{{1,40}})\)\s*)?"
    r"(?:[:.–]\s*(?P<rest>.*))?$"
)
# "Der IT-Planungsrat fasste folgenden Beschluss Nr. 2024/09:" introduces the decision's text
_DECISION_INTRO_RE = re.compile(
    rf"^.{{0,160}}\b(?:Beschluss|Entscheidung)(?:\s+Nr\.)?\s*\(?(?P<num>{DECISION_NUMBER})\)?\s*:$"
)
_BARE_DECISION_RE = re.compile(r"^(?P<num>B-\d{4}/\d{1,3}-[A-Z]{1,4})$")
_SESSION_HEAD_RE = re.compile(
    r"^(?:(?P<num>\d{1,3})\.\s*(?:ordentliche\s+)?Sitzung|(?P<sonder>Sondersitzung))\s+"
    r"des\s+IT-Planungsrat(?:e)?s\s+(?:am|vom)\s+(?P<when>.{6,60})$"
)
# "Anwesend:", "Anwesend (Mitglieder):", "entschuldigt: …", "Es fehlten entschuldigt …"
_ATTEND_RE = re.compile(
    r"^(?:(?P<present>[Aa]nwesend(?:e|\s+waren)?|Anwesenheit(?:sliste)?|Teilnehmende|"
    r"Teilnehmer(?:innen\s+und\s+Teilnehmer|/innen|innen)?|Teilnehmerliste)|"
    r"(?P<absent>[Ee]ntschuldigt(?:\s+fehlten)?|Es\s+fehlten(?:\s+entschuldigt)?|[Aa]bwesend|"
    r"Nicht\s+anwesend|Nicht\s+vertreten(?:\s+waren)?))(?:\s*\([^()]{1,40}\))?"
    r"(?:\s*:\s*|\s*$|(?<=fehlten)\s+|(?<=waren)\s+)"
    r"(?P<rest>.*)$"
)
# attendance told in a sentence: "An der Sitzung nahmen alle Länder außer Bremen teil.",
# "Mecklenburg-Vorpommern und das Saarland hätten sich für die heutige Sitzung entschuldigt."
_ATTEND_SENTENCE_RE = re.compile(
    r"^(?:An\s+der\s+(?:heutigen\s+)?Sitzung\s+nahmen\s+(?P<present>.+?)\s+teil|"
    r"(?P<absent>.+?)\s+nahmen?\s+(?:an\s+der\s+(?:heutigen\s+)?Sitzung\s+)?nicht\s+teil|"
    r"(?P<excused>.+?)\s+(?:hat|hatte|hätte|haben|hatten|hätten)\s+sich\s+"
    r"(?:für\s+(?:die|diese)\s+(?:heutige\s+)?Sitzung\s+)?entschuldigt(?:\s+lassen)?)\.?$"
)
_LABEL_RE = re.compile(r"^(?P<label>[^:\d][^:]{0,59}?)\s*:\s*(?P<rest>.*)$")
_META_RE = re.compile(
    r"^(?:Datum|Ort|Stand|Zeitlicher Ablauf|Zeit|Beginn|Ende|Sitzungsleitung|Vorsitz|"
    r"Ziel(?: des TOP)?|Quelle|Vorlage|Berichterstatt(?:ung|er|erin))\s*:",
    re.IGNORECASE,
)
# "Ziel: Information | Quelle: Beschluss 2023/38 | BE: Bund": an agenda item's fields in a line
_FIELD = re.compile(r"^[A-ZÄÖÜ][^:|]{0,30}:(?:\s+\S.*)?$")
_REDACTION_RE = re.compile(r"^\[(?:illegible|redacted|unleserlich|geschwärzt)\]$", re.IGNORECASE)
_HEADING_RE = re.compile(r"^(?P<num>\d+(?:\.\d+)+\.?|\d+)\s+(?P<title>[A-ZÄÖÜ„\"].{0,90})$")
_ABBREVIATION_RE = re.compile(r"^[A-ZÄÖÜ][A-Za-zÄÖÜäöü-]{1,9}$")


_LETTER = re.compile(r"[^\W\d_]")


def has_words(lines: list[Line]) -> bool:
    """At least three letters outside redaction marks (stops reading at the third)."""
    count = 0
    for line in lines:
        for _ in _LETTER.finditer(line.text.replace(REDACTION, "")):
            count += 1
            if count >= 3:
                return True
    return False


def is_title(line: Line, longest: int = 120) -> bool:
    """A line that can title a passage: short, capitalised, no sentence, no list item."""
    text = line.text.strip()
    return (
        line.kind in (TEXT, HEADING)
        and 2 <= len(text) <= longest
        and not text.endswith((".", ",", ";", ":", "!", "?"))
        and text[:1].isupper()
        and not is_bullet(text)
    )


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
        return AGENDA, {"number": m["num"], "title": m["title"].strip(), "row": True}
    if (m := _AGENDA_VARIANT_RE.match(text)) and not (m["title"] or "").endswith("."):
        number = (m["a"] or m["b"]).zfill(2)
        return AGENDA, {"number": number, "title": (m["title"] or "").strip()}
    if m := _MARKER_RE.match(text):
        return MARKER, {"marker": m["marker"], "rest": (m["rest"] or "").strip()}
    if m := _NOTE_RE.match(text):
        speaker, rest = _note_speaker(m["rest"])
        return NOTE, {"speaker": speaker, "rest": rest}
    if (m := _DECISION_RE.match(text)) or (m := _BARE_DECISION_RE.match(text)):
        rest = m.groupdict().get("rest") or ""
        return DECISION, {"number": m["num"], "rest": rest.strip()}
    if data := _decision_page_line(text):
        return DECISION, data
    if (m := _SESSION_HEAD_RE.match(text)) and (date := parse_date(m["when"])):
        kind = "Sondersitzung" if m["sonder"] else "ordentlich"
        number = int(m["num"]) if m["num"] else None
        return SESSION_HEAD, {"session": {"number": number, "kind": kind, "date": date}}
    if m := _ATTEND_RE.match(text):
        return ATTEND, {"absent": bool(m["absent"]), "rest": m["rest"].strip()}
    if m := _ATTEND_SENTENCE_RE.match(text):
        who = m["present"] or m["absent"] or m["excused"]
        return ATTEND, {"absent": not m["present"], "rest": who, "sentence": True}
    if _META_RE.match(text) or _is_field_line(text):
        return META, {}
    if m := _DECISION_INTRO_RE.match(text):
        return DECISION, {"number": m["num"], "rest": ""}
    if m := _LABEL_RE.match(strip_bullet(text) if is_bullet(text) else text):
        rest = m["rest"].strip()
        if speaker_label(m["label"], strict=bool(m["rest"])):
            return LABEL, {"label": m["label"].strip(), "rest": rest}
        if found := labels.read_label(m["label"]):
            return LABEL, {**found, "rest": rest}
    if (
        (m := _HEADING_RE.match(text))
        and not text.rstrip().endswith((".", ",", ";"))
        and not re.match(r"(?:Beschluss|Entscheidung)\s+\d|https?://", m["title"])
        and ("." in m["num"] or len(text) <= 60)
    ):
        return HEADING, {"number": m["num"].rstrip("."), "title": m["title"].strip()}
    return TEXT, {}


def _is_field_line(text: str) -> bool:
    """Two or more "Key: value" fields in one line, separated by "|"."""
    fields = [f.strip() for f in text.split("|")]
    return len(fields) >= 2 and all(_FIELD.match(f) for f in fields)


def _is_rapporteur_field(data: dict[str, Any]) -> bool:
    """ "BE: Bund" under "Ziel: Information": the agenda item's rapporteur field ("BE", as
    the column of the council's tables is named), not a statement of Berlin, when its value
    is a short name and no sentence."""
    rest = data.get("rest", "")
    return (
        data.get("label") == "BE"
        and bool(rest)
        and len(rest.split()) <= 6
        and not rest.endswith((".", "!", "?", ":"))
    )


def _decision_page_line(text: str) -> dict[str, Any] | None:
    """ "IT-Planungsrat | 23.06.2021 | 35. Sitzung | Beschluss 2021/25": a decision page's line."""
    if text.count("|") < 2 or len(text) > 160:
        return None
    fields = [f.strip() for f in text.split("|")]
    number = date = None
    session: dict[str, Any] | None = None
    for f in fields:
        if m := re.fullmatch(rf"(?:Beschluss|Entscheidung)\s*(?:Nr\.\s*)?({DECISION_NUMBER})", f):
            number = m[1]
        elif re.fullmatch(r"\d{1,2}\.\s?\d{1,2}\.\s?\d{4}|\d{1,2}\.\s*\w+\s+\d{4}", f):
            date = parse_date(f)
        elif m := re.fullmatch(r"(?:(\d{1,3})\.\s*(?:ordentliche\s+)?Sitzung|(Sondersitzung))", f):
            session = {"number": int(m[1]) if m[1] else None}
            session["kind"] = "Sondersitzung" if m[2] else "ordentlich"
    if number is None or date is None:
        return None
    data: dict[str, Any] = {"number": number, "rest": ""}
    if session is not None:
        data["session"] = {**session, "date": date}
    return data


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
        self.seen_header = False  # inside the tables of a protocol export
        # the header of the listing of decisions whose rows follow: names, columns
        self.listing: tuple[list[str], dict[str, int]] | None = None

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
        self.seen_header = self.seen_header or kind == HEADER
        if kind == BULLET_LINE:
            text = f"{BULLET} {strip_bullet(text).strip()}"
        line = Line(kind, normalise_space(text), [(0, page)], data or {})
        self.lines.append(line)
        rest = line.data.get("rest", "") if kind in (NOTE, DECISION, LABEL) else ""
        if rest:
            # text on the label's own line starts the turn; wrapped lines continue it
            line.data["rest_split"] = True
            body = Line(TEXT, normalise_space(rest), [(0, page)], {"label_rest": True})
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
    """A protocol table export: rows "TOP", "ON", "PN", "BV", "07" (or "7" under a header)."""
    rows = re.findall(r"^(?:TOP|ON|PN|BV|\d{2})\t", text, re.MULTILINE)
    if len(rows) >= 3:
        return True
    headers = [ln for ln in re.findall(r"^TOP\t.*$", text, re.MULTILINE)]
    numbered = re.findall(r"^\d{1,2}[a-z]?\t", text, re.MULTILINE)
    return any(tables.is_protocol_header(h.split("\t")) for h in headers) and bool(numbered)


def layout(pages: list[str], *, fmt: str = "text") -> list[Line]:
    """Logical lines of a document given its raw pages (1-based page numbers on lines).

    `fmt` is the loader's format: in word-processor files (docx, odt), web pages and
    Markdown (whose loaders join a paragraph's lines) every non-empty line is a whole
    paragraph; in PDFs a page's short last sentence
    ends its paragraph.
    """
    if looks_tabular("\n".join(pages)):
        return _layout_table_export(pages)
    if fmt in ("docx", "odt", "html", "markdown"):
        return _layout_paragraphs(pages)
    return _layout_text(pages, real_pages=fmt == "pdf")


def _layout_paragraphs(pages: list[str]) -> list[Line]:
    sink = _LineSink()
    for page_no, page in enumerate(pages, start=1):
        for raw in page.split("\n"):
            text = raw.strip()
            if not text:
                sink.gap()
            elif _emit_listing_row(sink, text, page_no):
                continue
            elif "\t" in text and (row := _speaker_row(text)):
                sink.add(LABEL, text, page_no, row)  # a table row "Hessen | Hessen bittet …"
            elif not _emit_structural(sink, text, page_no):
                sink.add(BULLET_LINE if is_bullet(text) else TEXT, text, page_no)
    return sink.lines


def _emit_listing_row(sink: _LineSink, text: str, page: int) -> bool:
    """A row of a listing of decisions (see `ingest.tables`): its header row is no text,
    each data row one decision with its number, session, title and text."""
    if "\t" not in text:
        sink.listing = None  # a listing's rows stand together
        return False
    cells = [html_to_blocks(cell) for cell in text.split("\t")]
    names = [" ".join(cell) for cell in cells]
    if columns := tables.listing_columns(names):
        sink.listing = (names, columns)
        return True
    row = tables.listing_row(cells, *sink.listing) if sink.listing else None
    if row is None:
        return False
    data = {"number": row.number, "rest": "", "session": row.session, "title_after": True}
    sink.add(DECISION, f"{row.word} {row.number}", page, {**data, "row": True})
    for kind, piece in [(DECISION_TEXT, row.where), (DECISION_TITLE, row.title)]:
        if piece:
            sink.add(kind, piece, page)
    for paragraph in row.text:
        sink.add(DECISION_TEXT, paragraph, page)
    return True


def _speaker_row(text: str) -> dict[str, Any] | None:
    """A table row whose first cell names a speaker, read as that speaker's label."""
    first, rest = (cell.strip() for cell in text.split("\t", 1))
    rest = normalise_space(rest)
    if speaker_label(first, strict=True):
        return {"label": first, "rest": rest}
    found = labels.read_label(first)
    if found and not found.get("voice") and not found.get("person_only"):
        return {**found, "rest": rest}
    return None


def _emit_structural(sink: _LineSink, text: str, page: int) -> bool:
    # a table's next agenda row ("10 Föderale Zusammenarbeit") needs no header before it
    row = sink.seen_header and bool(_NEXT_ROW_RE.match(text)) and not text.endswith((".", ";"))
    kind, data = classify(text, after_header=sink.last_kind == HEADER or row)
    if kind == LABEL and sink.last_kind == META and _is_rapporteur_field(data):
        kind, data = META, {}
    if kind in (TEXT,):
        return False
    if kind == REDACTED:
        sink.add(REDACTED, REDACTION if text == REDACTION else text, page)
        return True
    sink.add(kind, text, page, data)
    return True


def _layout_text(pages: list[str], *, real_pages: bool = False) -> list[Line]:
    sink = _LineSink()
    all_lines = [line for page in pages for line in page.split("\n")]
    double = _double_spaced(all_lines)
    width = max((len(line.strip()) for line in all_lines), default=0)
    last = ""  # the previous physical text line
    for page_no, page in enumerate(pages, start=1):
        physical = page.split("\n")
        first_content = True
        for i, raw in enumerate(physical):
            alone = i + 1 < len(physical) and not physical[i + 1].strip()
            ended = real_pages and _ended_paragraph(last, width, raw.strip(), alone)
            if first_content and raw.strip() and ended:
                sink.gap()  # the page before ended a paragraph: this one does not continue it
            last = raw.strip() or last
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
            if _emit_listing_row(sink, text, page_no) or _emit_structural(sink, text, page_no):
                continue
            lowercase = text[:1].islower()
            if is_bullet(text) or (line.startswith(" ") and not lowercase):
                sink.add(BULLET_LINE, text, page_no)
            elif not sink.after_gap or lowercase:
                sink.wrap(text, page_no)
            else:
                sink.add(TEXT, text, page_no)
    return sink.lines


def _ended_paragraph(last: str, width: int, first: str, alone: bool) -> bool:
    """Does the page before end its paragraph? Yes when its last line ends a sentence and
    is short, or when the new page opens with a heading-like line of its own."""
    heading = alone and not first.endswith((".", ",", ";", ":"))
    return (
        bool(last)
        and last.endswith((".", "!", "?", ":", ")", "“", '"'))
        and first[:1].isupper()
        and (len(last) < 0.7 * width or heading)
    )


_PRINTED_LINE = 130  # characters: longer lines were never wrapped by a printer


def _double_spaced(lines: list[str]) -> bool:
    """Exports with one empty line after every text line, paragraphs included.

    A PDF whose paragraphs are mostly one line long also has an empty line after most
    lines, but its paragraph spacing is a run of empty lines, not one; and text saved with
    one paragraph a line (many lines longer than a printed line) has an empty line between
    paragraphs, not between lines.
    """
    content = [i for i, line in enumerate(lines[:-2]) if line.strip()]
    if len(content) < 10:
        return False
    if sum(1 for i in content if len(lines[i].strip()) > _PRINTED_LINE) >= 0.2 * len(content):
        return False
    single = sum(1 for i in content if lines[i + 1] == "" and lines[i + 2].strip())
    return single / len(content) > 0.6


def _layout_table_export(pages: list[str]) -> list[Line]:
    sink = _LineSink()
    last_header: str | None = None
    minutes: list[int] = []  # the last header's columns that hold an item's minutes
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
                minutes = tables.minutes_columns([html_to_text(c) for c in cells])
                # "TOP | Thema | Ergebnis": the column's name is no area
                data = {"area": area, "repeat": repeat, "named_columns": bool(minutes)}
                sink.add(HEADER, f"TOP {area}", page_no, data)
                continue
            number_row = r"\d{1,2}[a-z]?" if minutes else r"\d{2}"
            if re.fullmatch(number_row, head) and len(cells) >= 2:
                blocks = html_to_blocks(cells[1])
                title = strip_bullet(blocks[0]) if blocks else ""
                number = head.zfill(2)
                data = {"number": number, "title": title, "details": []}
                if not minutes:  # the 47th's columns: title and details, goal, source, BE
                    data["details"] = [strip_bullet(b) for b in blocks[1:]]
                    data["goal"] = cells[2].strip() if len(cells) > 2 else ""
                    data["source"] = cells[3].strip() if len(cells) > 3 else ""
                    data["rapporteur"] = cells[4].strip() if len(cells) > 4 else ""
                sink.add(AGENDA, f"TOP {number} {title}", page_no, data)
                if minutes:  # the row's own cells hold what was said and decided
                    sink.add(DISCUSSION, "", page_no)
                    _emit_blocks(
                        sink, "\t".join(cells[i] for i in minutes if i < len(cells)), page_no
                    )
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
