"""Typeset a parsed protocol as a multi-page PDF, as protocol PDFs look (test helper).

Each page repeats the table header; long lines wrap with a hyphen inside a word so
that de-hyphenation is exercised; the page on which every turn starts is recorded.
"""

from __future__ import annotations

from fpdf import FPDF

from ingest.pipeline import ParsedDocument

LINES_PER_PAGE = 40
WIDTH = 92
_LATIN1 = str.maketrans(
    {"–": "-", "—": "-", "„": '"', "“": '"', "”": '"', "•": "-", "›": "-", "’": "'"}
)


def _latin1(text: str) -> str:
    return text.translate(_LATIN1).encode("latin-1", "replace").decode("latin-1")


def _wrap(text: str, prefix: str = "") -> list[str]:
    """Wrap at WIDTH; a long word at a break is hyphenated ("Bundes-" / "kanzler")."""
    lines, current = [], prefix
    for word in text.split():
        if len(current) + 1 + len(word) <= WIDTH:
            current = f"{current} {word}".strip() if current else word
            continue
        room = WIDTH - len(current) - 2
        if len(word) >= 10 and room >= 4 and word.isalpha():
            lines.append(f"{current} {word[:room]}-")
            current = word[room:]
        else:
            lines.append(current)
            current = word
    lines.append(current)
    return lines


class ProtocolPdf:
    def __init__(self) -> None:
        self.pdf = FPDF()
        self.pdf.set_auto_page_break(False)
        self.pdf.set_font("Helvetica", size=9)
        self.header: str | None = None
        self.used = LINES_PER_PAGE

    @property
    def page(self) -> int:
        return self.pdf.page

    def line(self, text: str) -> None:
        if self.used >= LINES_PER_PAGE:
            self.pdf.add_page()
            self.used = 0
            if self.header:
                self._put(self.header)
        self._put(text)

    def blank(self) -> None:
        self.line("")

    def _put(self, text: str) -> None:
        self.pdf.cell(0, 6, _latin1(text), new_x="LMARGIN", new_y="NEXT")
        self.used += 1

    def output(self) -> bytes:
        return bytes(self.pdf.output())


def render_protocol(parsed: ParsedDocument) -> tuple[bytes, list[int]]:
    """The PDF and, per turn, the page its first line was set on."""
    doc = ProtocolPdf()
    session = parsed.document.session
    assert session is not None
    doc.line(parsed.document.title.replace(" – Protokoll", ""))
    doc.line("Protokoll")
    doc.line(f"Datum: {session.date[8:10]}.{session.date[5:7]}.{session.date[:4]}")
    doc.line(f"Ort: {session.place}")
    doc.blank()
    pages: list[int] = []
    current_item = None
    in_discussion = False
    for turn in parsed.turns:
        item = turn.agenda_item
        if item is not None and item != current_item:
            current_item = item
            doc.header = f"TOP {item.area or item.title} Ziel Quelle BE"
            doc.blank()
            doc.line(doc.header)
            if item.number:
                doc.line(f"{item.number} {item.title}")
            in_discussion = False
        if turn.role == "statement" and not in_discussion:
            doc.line("ON")
            doc.line("Diskussion")
            in_discussion = True
        lines = turn.text.split("\n")
        if turn.role == "statement":
            assert turn.speaker is not None
            doc.blank()
            doc.line(f"{turn.speaker.code}:")
        elif turn.role == "protocol_note":
            doc.blank()
            doc.line(f"PN {lines[0]}")
            pages.append(doc.page)
            lines = lines[1:]
            in_discussion = False
        elif turn.role == "decision" and turn.label:
            doc.blank()
            doc.line(f"BV {lines[0]}")
            pages.append(doc.page)
            lines = lines[1:]
            in_discussion = False
        else:
            doc.blank()
            pages.append(doc.page + (1 if doc.used >= LINES_PER_PAGE else 0))
        first_body = turn.role == "statement"
        for paragraph in lines:
            bullet = paragraph.startswith("• ")
            body = paragraph[2:] if bullet else paragraph
            wrapped = _wrap(body)
            for i, piece in enumerate(wrapped):
                doc.line(f"- {piece}" if bullet and i == 0 else piece)
                if first_body:  # a statement's text starts with its first line, not its label
                    pages.append(doc.page)
                    first_body = False
    return doc.output(), pages
