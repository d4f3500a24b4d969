"""Protocol fixtures in many house styles, typeset as PDF, DOCX, ODT, HTML, Markdown or
plain text (test helper).

A fixture is a plain-text source in `styles/<name>.txt` with a little markup, and its
ground truth in `styles/<name>.json`, written from reading the text:

    # Heading            a heading (level 1); "## ..." level 2
    Some paragraph.      every other line is one paragraph
    - item               a bulleted list item
    + item               a numbered list item ("1.", "2.", … wherever numbers are typeset)
    ~ Key: value         a key-value line of a web page's meta list (`<ul class="meta">`)
    @nav a | b           site furniture of a web page: @nav (menu), @crumb (breadcrumb),
    @crumb a › b         @top ("nach oben" link), @footer; printed as lines elsewhere
    | a | b // c |       a table row; " // " separates paragraphs inside a cell; the first
                         row of a table is its header; a blank line ends a table
    ===                  a page break

The renderers set what a word processor, a PDF printer or a web site would: headings,
paragraphs, lists, tables and explicit page breaks in DOCX/ODT; wrapped lines (long
words split with a hyphen), paragraph spacing, repeated table headers, running heads
and page footers in PDF; a site's header, breadcrumb and footer around the content in
HTML. A fixture names its formats in its JSON ("formats"; PDF, DOCX and ODT if not).
"""

from __future__ import annotations

import html
import io
import json
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

STYLES = Path(__file__).resolve().parent / "styles"
FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
FONT_BOLD = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")


@dataclass
class Block:
    kind: str  # heading | para | bullet | number | meta | site | table | page
    text: str = ""
    level: int = 0
    rows: list[list[list[str]]] = field(default_factory=list)  # rows -> cells -> paragraphs
    furniture: str = ""  # of a site block: nav | crumb | top | footer


DEFAULT_FORMATS = ("pdf", "docx", "odt")


def style_names() -> list[str]:
    return sorted(p.stem for p in STYLES.glob("*.txt"))


def style_formats(name: str) -> list[str]:
    """The formats a fixture is typeset in: its JSON's "formats", else PDF, DOCX and ODT."""
    expected = json.loads((STYLES / f"{name}.json").read_text(encoding="utf-8"))
    return list(expected.get("formats", DEFAULT_FORMATS))


def load_style(name: str) -> tuple[list[Block], dict]:
    source = (STYLES / f"{name}.txt").read_text(encoding="utf-8")
    expected = json.loads((STYLES / f"{name}.json").read_text(encoding="utf-8"))
    return parse_markup(source), expected


def parse_markup(source: str) -> list[Block]:
    blocks: list[Block] = []
    blank = False
    for raw in source.splitlines():
        line = raw.rstrip()
        if not line.strip():
            blank = True
            continue
        after_blank, blank = blank, False
        if line.strip() == "===":
            blocks.append(Block("page"))
        elif line.startswith("#"):
            level = len(line) - len(line.lstrip("#"))
            blocks.append(Block("heading", line.lstrip("#").strip(), level))
        elif line.startswith("- "):
            blocks.append(Block("bullet", line[2:].strip()))
        elif line.startswith("+ "):
            blocks.append(Block("number", line[2:].strip()))
        elif line.startswith("~ "):
            blocks.append(Block("meta", line[2:].strip()))
        elif m := re.match(r"@(nav|crumb|top|footer)\s+(.*)$", line):
            blocks.append(Block("site", m[2].strip(), furniture=m[1]))
        elif line.startswith("|"):
            cells = [c.strip() for c in line.strip().strip("|").split(" | ")]
            row = [[p.strip() for p in c.split(" // ") if p.strip()] for c in cells]
            if blocks and blocks[-1].kind == "table" and not after_blank:
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


def render_pdf(
    blocks: list[Block],
    footer: str | None = None,
    header: str | None = None,
    *,
    header_first: bool = False,
) -> bytes:
    """A multi-page PDF as protocol PDFs are printed; `footer` e.g. "Seite {n} von {total}",
    `header` a running head on every page but the first (with `header_first` on every page)."""
    doc = _Pdf()
    doc._new_page()
    numbers = _Numbering()
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
        elif block.kind in ("para", "meta", "site"):
            if previous not in (None, "page") and not (block.kind == previous == "meta"):
                doc.blank()  # a meta list's lines stand together
            doc.paragraph(block.text)
        elif block.kind == "bullet":
            if previous != "bullet":
                doc.blank()
            doc.paragraph(block.text, bullet="•")
        elif block.kind == "number":
            if previous != "number":
                doc.blank()
            doc.paragraph(f"{numbers.next(previous)} {block.text}")
        elif block.kind == "table":
            _pdf_table(doc, block)
    data = bytes(doc.pdf.output())
    # the page count is known only now, so footers are stamped onto the finished pages
    if footer or header:
        return _stamp_footers(data, footer, header, header_first=header_first)
    return data


class _Numbering:
    """The number of a numbered list item: a list restarts after any other block."""

    def __init__(self) -> None:
        self.n = 0

    def next(self, previous: str | None) -> str:
        self.n = self.n + 1 if previous == "number" else 1
        return f"{self.n}."


def _stamp_footers(
    data: bytes, footer: str | None, header: str | None = None, *, header_first: bool = False
) -> bytes:
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
        if header and (n > 1 or header_first):
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
        elif block.kind in ("para", "meta", "site"):
            document.add_paragraph(block.text)
        elif block.kind == "bullet":
            document.add_paragraph(block.text, style="List Bullet")
        elif block.kind == "number":
            document.add_paragraph(block.text, style="List Number")
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


# -- HTML, Markdown, plain text -------------------------------------------------------------


def render_html(blocks: list[Block]) -> str:
    """A page of a web site: menu and breadcrumb in the site's header, the content in
    `<main>`, meta lists as `<ul class="meta">`, numbered points as `<ol>`, tables with a
    header row, "nach oben" links, and the site's footer."""
    head: list[str] = []
    body: list[str] = []
    foot: list[str] = []

    def e(text: str) -> str:
        return html.escape(text, quote=False)

    def links(text: str, sep: str) -> str:
        return "".join(f'<li><a href="#">{e(t.strip())}</a></li>' for t in text.split(sep))

    open_list: str | None = None  # the list body[-1] is, to which the next item belongs
    for block in blocks:
        kind = block.kind
        if kind not in ("bullet", "number", "meta"):
            open_list = None
        if kind == "site":
            if block.furniture == "nav":
                head.append(f'<nav class="hauptmenue"><ul>{links(block.text, "|")}</ul></nav>')
            elif block.furniture == "crumb":
                body.append(
                    f'<nav class="breadcrumb" aria-label="Sie sind hier"><ol>'
                    f"{links(block.text, '›')}</ol></nav>"
                )
            elif block.furniture == "top":
                body.append(f'<p class="nach-oben"><a href="#top">{e(block.text)}</a></p>')
            else:
                foot.append(f'<ul class="footer-links">{links(block.text, "|")}</ul>')
        elif kind == "heading":
            level = min(block.level, 6)
            body.append(f"<h{level}>{e(block.text)}</h{level}>")
        elif kind == "para":
            body.append(f"<p>{e(block.text)}</p>")
        elif kind in ("bullet", "number", "meta"):
            if kind == "meta":
                key, _, value = block.text.partition(":")
                item = f"<li><strong>{e(key)}:</strong> {e(value.strip())}</li>"
            else:
                item = f"<li>{e(block.text)}</li>"
            tag = "ol" if kind == "number" else "ul"
            if open_list == kind:
                body[-1] = body[-1][: -len(f"</{tag}>")] + f"{item}</{tag}>"
            else:
                attr = ' class="meta"' if kind == "meta" else ""
                body.append(f"<{tag}{attr}>{item}</{tag}>")
            open_list = kind
        elif kind == "page":
            body.append("<hr>")
        elif kind == "table":
            rows = []
            for r, row in enumerate(block.rows):
                tag = "th" if r == 0 else "td"
                cells = "".join(
                    f"<{tag}>{e(c[0]) if len(c) == 1 else ''.join(f'<p>{e(p)}</p>' for p in c)}</{tag}>"
                    for c in row
                )
                rows.append(f"<tr>{cells}</tr>")
            body.append(
                f"<table><thead>{rows[0]}</thead><tbody>{''.join(rows[1:])}</tbody></table>"
            )
    return (
        '<!DOCTYPE html>\n<html lang="de"><head><meta charset="utf-8"><title>IT-Planungsrat</title>'
        '<style>nav ul { list-style: none; }</style></head>\n<body id="top">\n'
        f'<header class="kopf"><a class="logo" href="/">IT-Planungsrat</a>{"".join(head)}</header>\n'
        f"<main>\n{chr(10).join(body)}\n</main>\n"
        f"<footer>{''.join(foot)}</footer>\n<script>window.menu = true;</script>\n</body></html>\n"
    )


def render_markdown(blocks: list[Block]) -> str:
    """Markdown as a site's export gives it: headings, lists, `**Key:** value` meta lines,
    tables with a header separator (cell paragraphs joined by `<br>`), links as links."""
    return _render_lines(blocks, markdown=True)


def render_text(blocks: list[Block]) -> str:
    """Plain text as a browser saves a page: one paragraph a line, blank lines between,
    list items with their dash or number, table rows with tabs; the site's furniture as
    its lines of text."""
    return _render_lines(blocks, markdown=False)


def _render_lines(blocks: list[Block], *, markdown: bool) -> str:
    out: list[str] = []
    numbers = _Numbering()
    previous: str | None = None
    for block in blocks:
        kind = block.kind
        if out and not (kind in ("bullet", "number", "meta") and previous == kind):
            out.append("")  # a list's items stand together
        if kind == "bullet":
            out.append(f"- {block.text}")
        elif kind == "number":
            out.append(f"{numbers.next(previous)} {block.text}")
        elif kind == "table" and markdown:
            for r, row in enumerate(block.rows):
                out.append("| " + " | ".join("<br>".join(c) for c in row) + " |")
                if r == 0:
                    out.append("|" + "---|" * len(row))
        elif kind == "table":
            out.extend("\t".join(" ".join(c) for c in row) for row in block.rows)
        elif markdown:
            out.append(_markdown_line(block))
        elif kind != "page":
            out.append(block.text)
        previous = kind
    return "\n".join(out) + "\n"


def _markdown_line(block: Block) -> str:
    if block.kind == "heading":
        return f"{'#' * block.level} {block.text}"
    if block.kind == "meta":
        key, _, value = block.text.partition(":")
        return f"- **{key}:** {value.strip()}"
    if block.kind == "site" and block.furniture == "top":
        return f"[{block.text}](#top)"
    if block.kind == "site":
        sep = "›" if block.furniture == "crumb" else "|"
        return f" {sep} ".join(f"[{t.strip()}](/)" for t in block.text.split(sep))
    return block.text if block.kind != "page" else ""


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
        elif block.kind in ("para", "meta", "site"):
            body.append(para(block.text))
        elif block.kind == "bullet":
            body.append(
                f"<text:list><text:list-item>{para(block.text)}</text:list-item></text:list>"
            )
        elif block.kind == "number":
            item = f"<text:list-item>{para(block.text)}</text:list-item>"
            if body and body[-1].startswith('<text:list text:style-name="Numbered">'):
                body[-1] = body[-1].replace("</text:list>", f"{item}</text:list>")
            else:
                body.append(f'<text:list text:style-name="Numbered">{item}</text:list>')
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
        '<style:table-properties fo:break-before="page"/></style:style>'
        '<text:list-style style:name="Numbered"><text:list-level-style-number text:level="1" '
        'style:num-format="1" style:num-suffix="."/></text:list-style></office:automatic-styles>'
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
    """The fixture `name` as bytes in `fmt` (pdf, docx, odt, html, md, txt), its file name
    and ground truth."""
    blocks, expected = load_style(name)
    if fmt == "pdf":
        data = render_pdf(
            blocks,
            expected.get("pdf_footer"),
            expected.get("pdf_header"),
            header_first=expected.get("pdf_header_first", False),
        )
    elif fmt == "docx":
        data = render_docx(blocks)
    elif fmt == "odt":
        data = render_odt(blocks)
    elif fmt == "html":
        data = render_html(blocks).encode()
    elif fmt == "md":
        data = render_markdown(blocks).encode()
    elif fmt == "txt":
        data = render_text(blocks).encode()
    else:
        raise ValueError(fmt)
    return data, f"{name}.{fmt}", expected
