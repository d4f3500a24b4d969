"""Protocol fixtures in many house styles, typeset as PDF, DOCX and ODT (test helper).

A fixture is a plain-text source in `styles/<name>.txt` with a little markup, and its
ground truth in `styles/<name>.json`, written from reading the text:

    # Heading            a heading (level 1); "## ..." level 2
    Some paragraph.      every other line is one paragraph
    - item               a bulleted list item
    | a | b // c |       a table row; " // " separates paragraphs inside a cell
    ===                  a page break

The renderers set what a word processor or a PDF printer would: headings, paragraphs,
lists, tables and explicit page breaks in DOCX/ODT; wrapped lines (long words split
with a hyphen), paragraph spacing, repeated table headers and page footers in PDF.
"""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

STYLES = Path(__file__).resolve().parent / "styles"
FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
FONT_BOLD = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")


@dataclass
class Block:
    kind: str  # heading | para | bullet | table | page
    text: str = ""
    level: int = 0
    rows: list[list[list[str]]] = field(default_factory=list)  # rows -> cells -> paragraphs


def style_names() -> list[str]:
    return sorted(p.stem for p in STYLES.glob("*.txt"))


def load_style(name: str) -> tuple[list[Block], dict]:
    source = (STYLES / f"{name}.txt").read_text(encoding="utf-8")
    expected = json.loads((STYLES / f"{name}.json").read_text(encoding="utf-8"))
    return parse_markup(source), expected


def parse_markup(source: str) -> list[Block]:
    blocks: list[Block] = []
    for raw in source.splitlines():
        line = raw.rstrip()
        if not line.strip():
            continue
        if line.strip() == "===":
            blocks.append(Block("page"))
        elif line.startswith("#"):
            level = len(line) - len(line.lstrip("#"))
            blocks.append(Block("heading", line.lstrip("#").strip(), level))
        elif line.startswith("- "):
            blocks.append(Block("bullet", line[2:].strip()))
        elif line.startswith("|"):
            cells = [c.strip() for c in line.strip().strip("|").split(" | ")]
            row = [[p.strip() for p in c.split(" // ") if p.strip()] for c in cells]
            if blocks and blocks[-1].kind == "table":
                blocks[-1].rows.append(row)
            else:
                blocks.append(Block("table", rows=[row]))
        else:
            blocks.append(Block("para", line.strip()))
    return blocks


# -- PDF -------------------------------------------------------------------------------------

WIDTH = 96  # characters per line
LINES_PER_PAGE = 44


def _wrap(text: str, width: int = WIDTH) -> list[str]:
    """Wrap at `width`; a long word at a break is hyphenated ("Registermoderni-" / "sierung")."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        if not current:
            current = word
        elif len(current) + 1 + len(word) <= width:
            current = f"{current} {word}"
        else:
            room = width - len(current) - 2
            if len(word) >= 12 and room >= 5 and word.isalpha():
                lines.append(f"{current} {word[:room]}-")
                current = word[room:]
            else:
                lines.append(current)
                current = word
    if current:
        lines.append(current)
    return lines


class _Pdf:
    def __init__(self) -> None:
        from fpdf import FPDF

        self.pdf = FPDF()
        self.pdf.set_auto_page_break(False)
        self.pdf.add_font("DejaVu", "", str(FONT))
        self.pdf.add_font("DejaVu", "B", str(FONT_BOLD))
        self.used = LINES_PER_PAGE
        self.repeat: str | None = None  # a table header repeated on each new page

    def _new_page(self) -> None:
        self.pdf.add_page()
        self.pdf.set_xy(10, 14)
        self.used = 0
        if self.repeat:
            self.line(self.repeat)

    def line(self, text: str, bold: bool = False) -> None:
        if self.used >= LINES_PER_PAGE:
            self._new_page()
        self.pdf.set_font("DejaVu", "B" if bold else "", 9)
        self.pdf.cell(0, 6, text, new_x="LMARGIN", new_y="NEXT")
        self.used += 1

    def blank(self) -> None:
        if 0 < self.used < LINES_PER_PAGE:
            self.pdf.cell(0, 6, "", new_x="LMARGIN", new_y="NEXT")
            self.used += 1

    def paragraph(self, text: str, bold: bool = False, bullet: str | None = None) -> None:
        for i, piece in enumerate(_wrap(text, WIDTH - (2 if bullet else 0))):
            self.line(f"{bullet} {piece}" if bullet and i == 0 else piece, bold)

    def page_break(self) -> None:
        self.repeat = None
        self._new_page()


def render_pdf(blocks: list[Block], footer: str | None = None, header: str | None = None) -> bytes:
    """A multi-page PDF as protocol PDFs are printed; `footer` e.g. "Seite {n} von {total}",
    `header` a running head on every page but the first."""
    doc = _Pdf()
    doc._new_page()
    for i, block in enumerate(blocks):
        previous = blocks[i - 1].kind if i else None
        if block.kind == "page":
            doc.page_break()
            continue
        if block.kind != "table":
            doc.repeat = None
        if block.kind == "heading":
            doc.blank()
            doc.paragraph(block.text, bold=True)
        elif block.kind == "para":
            if previous not in (None, "page"):
                doc.blank()
            doc.paragraph(block.text)
        elif block.kind == "bullet":
            if previous != "bullet":
                doc.blank()
            doc.paragraph(block.text, bullet="•")
        elif block.kind == "table":
            _pdf_table(doc, block)
    data = bytes(doc.pdf.output())
    # the page count is known only now, so footers are stamped onto the finished pages
    return _stamp_footers(data, footer, header) if footer or header else data


def _stamp_footers(data: bytes, footer: str | None, header: str | None = None) -> bytes:
    from fpdf import FPDF
    from pypdf import PdfReader, PdfWriter

    total = len(PdfReader(io.BytesIO(data)).pages)
    stamps = FPDF()
    stamps.set_auto_page_break(False)
    stamps.add_font("DejaVu", "", str(FONT))
    for n in range(1, total + 1):
        stamps.add_page()
        stamps.set_font("DejaVu", "", 8)
        if footer:
            stamps.set_xy(10, 282)
            stamps.cell(
                0, 5, footer.replace("{n}", str(n)).replace("{total}", str(total)), align="C"
            )
        if header and n > 1:
            stamps.set_xy(10, 4)
            stamps.cell(0, 5, header.replace("{n}", str(n)), align="R")
    stamp_pdf = PdfReader(io.BytesIO(bytes(stamps.output())))
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    for page, stamp in zip(writer.pages, stamp_pdf.pages, strict=True):
        page.merge_page(stamp)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _pdf_table(doc: _Pdf, block: Block) -> None:
    """Rows as a PDF's text layer gives them: first cell with the first paragraph beside it."""
    for row in block.rows:
        first = row[0][0] if row and row[0] else ""
        second = row[1] if len(row) > 1 else []
        rest = [p for cell in row[2:] for p in cell]
        if first == "TOP" and len(row) >= 4:
            header = " ".join(p for cell in row for p in cell)
            doc.blank()
            doc.line(header)
            doc.repeat = header
            continue
        head = f"{first} {second[0]}" if second else first
        doc.paragraph(head)
        for paragraph in second[1:]:
            if paragraph.startswith("›"):
                doc.paragraph(paragraph[1:].strip(), bullet="›")
            else:
                if not paragraph.endswith(":"):
                    doc.blank()
                doc.paragraph(paragraph)
        if rest:
            doc.paragraph(" ".join(rest))


# -- DOCX ------------------------------------------------------------------------------------


def render_docx(blocks: list[Block]) -> bytes:
    """A Word file: heading styles, list paragraphs, real tables, explicit page breaks."""
    import docx

    document = docx.Document()
    for block in blocks:
        if block.kind == "heading":
            document.add_heading(block.text, level=min(block.level, 3))
        elif block.kind == "para":
            document.add_paragraph(block.text)
        elif block.kind == "bullet":
            document.add_paragraph(block.text, style="List Bullet")
        elif block.kind == "page":
            document.add_page_break()
        elif block.kind == "table":
            width = max(len(row) for row in block.rows)
            table = document.add_table(rows=len(block.rows), cols=width)
            for r, row in enumerate(block.rows):
                cells = table.rows[r].cells
                if len(row) < width:  # a short row's last cell spans the rest, as in the 47th
                    cells[len(row) - 1].merge(cells[width - 1])
                for c, paragraphs in enumerate(row):
                    for i, text in enumerate(paragraphs):
                        target = cells[c].paragraphs[0] if i == 0 else cells[c].add_paragraph()
                        target.text = text
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


# -- ODT -------------------------------------------------------------------------------------

_ODT_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
    'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"'
)


def render_odt(blocks: list[Block]) -> bytes:
    """An OpenDocument text: headings, paragraphs, lists, tables, page breaks by style."""
    body: list[str] = []
    page_next = False

    def para(text: str, tag: str = "text:p", extra: str = "") -> str:
        nonlocal page_next
        style = ' text:style-name="PageBreak"' if page_next else ""
        page_next = False
        return f"<{tag}{style}{extra}>{escape(text)}</{tag}>"

    for block in blocks:
        if block.kind == "page":
            page_next = True
        elif block.kind == "heading":
            body.append(para(block.text, "text:h", f' text:outline-level="{block.level}"'))
        elif block.kind == "para":
            body.append(para(block.text))
        elif block.kind == "bullet":
            body.append(
                f"<text:list><text:list-item>{para(block.text)}</text:list-item></text:list>"
            )
        elif block.kind == "table":
            width = max(len(row) for row in block.rows)
            rows = []
            for row in block.rows:
                cells = []
                for c, paragraphs in enumerate(row):
                    span = width - len(row) + 1 if c == len(row) - 1 else 1
                    attr = f' table:number-columns-spanned="{span}"' if span > 1 else ""
                    inner = "".join(f"<text:p>{escape(p)}</text:p>" for p in paragraphs)
                    cells.append(
                        f"<table:table-cell{attr}>{inner or '<text:p/>'}</table:table-cell>"
                    )
                rows.append(f"<table:table-row>{''.join(cells)}</table:table-row>")
            columns = f'<table:table-column table:number-columns-repeated="{width}"/>'
            style = ' table:style-name="TableBreak"' if page_next else ""
            page_next = False
            body.append(f"<table:table{style}>{columns}{''.join(rows)}</table:table>")
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {_ODT_NS} office:version="1.3">'
        '<office:automatic-styles><style:style style:name="PageBreak" style:family="paragraph">'
        '<style:paragraph-properties fo:break-before="page"/></style:style>'
        '<style:style style:name="TableBreak" style:family="table">'
        '<style:table-properties fo:break-before="page"/></style:style></office:automatic-styles>'
        f"<office:body><office:text>{''.join(body)}</office:text></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
        'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3">'
        '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.text"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text", zipfile.ZIP_STORED)
        archive.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
        archive.writestr("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED)
    return out.getvalue()


def render(name: str, fmt: str) -> tuple[bytes, str, dict]:
    """The fixture `name` as bytes in `fmt` (pdf, docx, odt), its file name and ground truth."""
    blocks, expected = load_style(name)
    if fmt == "pdf":
        data = render_pdf(blocks, expected.get("pdf_footer"), expected.get("pdf_header"))
    elif fmt == "docx":
        data = render_docx(blocks)
    elif fmt == "odt":
        data = render_odt(blocks)
    else:
        raise ValueError(fmt)
    return data, f"{name}.{fmt}", expected
