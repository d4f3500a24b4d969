"""Word (.docx) and OpenDocument (.odt) files -> pages of paragraph lines.

Each paragraph, heading and list item becomes one line (list items with a bullet or
their number); a table row becomes one line with its cells separated by tabs, or, when
the document is a protocol table (TOP | … | Ziel | Quelle | BE as in the 47th session,
or TOP | Thema | Ergebnis; see `ingest.tables`), a row of the table-export format whose cells hold their paragraphs as
HTML, so that both roads lead to the same parser. Pages are the file's own: the page
breaks a word processor rendered (Word's lastRenderedPageBreak, ODF's soft page
breaks) where the file has them, else its explicit breaks; none are invented.
"""

from __future__ import annotations

import html
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from xml.etree import ElementTree

from gremium.errors import CorruptFile, EmptyDocument, EncryptedDocument, UnsupportedFormat
from ingest.tables import TableKind, is_protocol_header, row_lines, table_kind

OFFICE_SUFFIXES = {".docx", ".odt"}
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ODT_MIME = b"application/vnd.oasis.opendocument.text"


def sniff(data: bytes) -> str | None:
    """ "docx" or "odt" for a file that is one, judged by its content."""
    if data.startswith(b"PK\x03\x04"):
        if _ODT_MIME in data[:200]:
            return "odt"
        if b"word/document.xml" in data or b"[Content_Types].xml" in data[:2000]:
            return "docx"
    return None


def load_office(data: bytes, name: str, suffix: str) -> tuple[str, list[str]]:
    """(format, pages) of a Word or OpenDocument text, or a typed IngestError."""
    if data.startswith(_OLE):
        if "EncryptedPackage".encode("utf-16-le") in data:
            raise EncryptedDocument(f"{name} is password-protected; upload an unprotected copy")
        raise UnsupportedFormat(f"{name} is an old binary Office file; save it as .docx or .odt")
    fmt = sniff(data) or suffix.lstrip(".")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        pages = _read_odt(archive, name) if fmt == "odt" else _read_docx(data, name)
    except (EncryptedDocument, CorruptFile):
        raise
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError, ValueError, OSError) as exc:
        raise CorruptFile(
            f"{name} is a damaged {fmt.upper()} file and cannot be read: {exc}"
        ) from exc
    except Exception as exc:  # python-docx and lxml raise many kinds on broken input
        raise CorruptFile(
            f"{name} is a damaged {fmt.upper()} file and cannot be read: {exc}"
        ) from exc
    if not any(line.strip() for page in pages for line in page):
        raise EmptyDocument(f"{name} has no text: the document holds no paragraphs or tables")
    return fmt, ["\n".join(page) for page in pages]


@dataclass
class _Cell:
    paragraphs: list[str] = field(default_factory=list)


@dataclass
class _Pages:
    """Lines collected page by page; a break inside a paragraph takes effect after it."""

    pages: list[list[str]] = field(default_factory=lambda: [[]])
    pending: bool = False

    def line(self, text: str) -> None:
        if text.strip() or self.pages[-1]:  # a page does not open with empty paragraphs
            self.pages[-1].append(text)
        if self.pending:
            self.pending = False
            self.pages.append([])

    def page_break(self, *, before_text: bool) -> None:
        if before_text:
            if any(ln.strip() for ln in self.pages[-1]):
                self.pages.append([])
        else:
            self.pending = True


# -- shared: tables as lines ---------------------------------------------------------------


def _row_lines(cells: list[_Cell], kind: TableKind) -> list[str]:
    return row_lines([c.paragraphs for c in cells], kind)


def _table_kind(header: list[_Cell]) -> TableKind:
    """What a table is, by its first row (see `ingest.tables`)."""
    return table_kind([" ".join(c.paragraphs) for c in header])


def _is_protocol_table(rows: list[list[_Cell]]) -> bool:
    for row in rows[:1]:
        return is_protocol_header([" ".join(c.paragraphs) for c in row])
    return False


# -- DOCX ----------------------------------------------------------------------------------

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _read_docx(data: bytes, name: str) -> list[list[str]]:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(io.BytesIO(data))
    except PackageNotFoundError as exc:
        raise CorruptFile(f"{name} is not a Word document (no word/document.xml)") from exc
    body = document.element.body
    numbering = _DocxNumbering(document)
    rendered = any(True for _ in body.iter(f"{_W}lastRenderedPageBreak"))
    protocol = any(
        _is_protocol_table([_docx_row(tr, None) for tr in tbl.iter(f"{_W}tr")][:1])
        for tbl in body.iter(f"{_W}tbl")
    )
    out = _Pages()
    for child in body:
        if child.tag == f"{_W}p":
            text = _docx_paragraph(child, numbering, out, rendered)
            out.line(html.escape(text, quote=False) if protocol else text)
            if not rendered and _section_break(child):
                out.page_break(before_text=False)
        elif child.tag == f"{_W}tbl":
            kind: TableKind | None = "protocol" if protocol else None
            for tr in child.iter(f"{_W}tr"):
                cells = _docx_row(tr, numbering, out if rendered else None)
                kind = kind or _table_kind(cells)
                for line in _row_lines(cells, kind):
                    out.line(line)
    return out.pages


def _docx_row(tr, numbering: _DocxNumbering | None, out: _Pages | None = None) -> list[_Cell]:
    cells = []
    for tc in tr.findall(f"{_W}tc"):
        cell = _Cell()
        for p in tc.iter(f"{_W}p"):
            text = _docx_paragraph(p, numbering, out, out is not None).replace("\n", " ")
            if text.strip():
                cell.paragraphs.append(text.strip())
        cells.append(cell)
    return cells


def _docx_paragraph(p, numbering: _DocxNumbering | None, out: _Pages | None, rendered: bool) -> str:
    """A paragraph's text; page breaks it holds are reported to `out`."""
    parts: list[str] = []
    ppr = p.find(f"{_W}pPr")
    if out is not None and not rendered and ppr is not None:
        flag = ppr.find(f"{_W}pageBreakBefore")
        if flag is not None and flag.get(f"{_W}val", "true") not in ("0", "false"):
            out.page_break(before_text=True)
    for el in _docx_runs(p):
        tag = el.tag
        if tag == f"{_W}t":
            parts.append(el.text or "")
        elif tag in (f"{_W}tab", f"{_W}ptab"):
            parts.append(" ")
        elif tag == f"{_W}noBreakHyphen":
            parts.append("-")
        elif tag in (f"{_W}br", f"{_W}cr"):
            if el.get(f"{_W}type") == "page":
                if out is not None and not rendered:
                    out.page_break(before_text=not "".join(parts).strip())
            else:
                parts.append("\n")
        elif tag == f"{_W}lastRenderedPageBreak" and out is not None and rendered:
            out.page_break(before_text=not "".join(parts).strip())
    text = re.sub(r"[ \t\u00a0]+", " ", "".join(parts)).strip()
    prefix = numbering.prefix(p) if text and numbering is not None else ""
    return f"{prefix}{text}" if prefix else text


_DOCX_LEAVES = {
    f"{_W}{name}"
    for name in ("t", "tab", "ptab", "br", "cr", "noBreakHyphen", "lastRenderedPageBreak")
}


def _docx_runs(el) -> Iterator:
    """Text-bearing elements in reading order; deleted text and field codes are skipped."""
    for child in el:
        tag = child.tag
        if tag in (f"{_W}del", f"{_W}pPr", f"{_W}rPr", f"{_W}instrText", f"{_W}delText"):
            continue
        if tag in (f"{_W}drawing", f"{_W}pict", f"{_W}footnoteReference"):
            continue
        if tag in _DOCX_LEAVES:
            yield child
        else:
            yield from _docx_runs(child)


def _section_break(p) -> bool:
    """A paragraph that ends a section starting on a new page (Word's default)."""
    sect = p.find(f"{_W}pPr/{_W}sectPr")
    if sect is None:
        return False
    kind = sect.find(f"{_W}type")
    value = kind.get(f"{_W}val") if kind is not None else "nextPage"
    return value in ("nextPage", "oddPage", "evenPage")


class _DocxNumbering:
    """List bullets and numbers, which Word keeps outside the text ("•", "1.", "a)")."""

    def __init__(self, document) -> None:
        self._formats: dict[tuple[str, str], str] = {}
        self._counters: dict[tuple[str, str], int] = {}
        self._style_num: dict[str, tuple[str, str]] = {}
        try:
            numbering = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            numbering = None
        if numbering is not None:
            abstract = {
                a.get(f"{_W}abstractNumId"): a for a in numbering.findall(f"{_W}abstractNum")
            }
            for num in numbering.findall(f"{_W}num"):
                ref = num.find(f"{_W}abstractNumId")
                definition = abstract.get(ref.get(f"{_W}val")) if ref is not None else None
                for lvl in definition.findall(f"{_W}lvl") if definition is not None else []:
                    fmt = lvl.find(f"{_W}numFmt")
                    value = fmt.get(f"{_W}val") if fmt is not None else "bullet"
                    self._formats[(num.get(f"{_W}numId"), lvl.get(f"{_W}ilvl"))] = value
        for style in document.styles.element.findall(f"{_W}style"):
            num_id = style.find(f"{_W}pPr/{_W}numPr/{_W}numId")
            if num_id is not None:
                ilvl = style.find(f"{_W}pPr/{_W}numPr/{_W}ilvl")
                level = ilvl.get(f"{_W}val") if ilvl is not None else "0"
                self._style_num[style.get(f"{_W}styleId")] = (num_id.get(f"{_W}val"), level)

    def prefix(self, p) -> str:
        num_id = p.find(f"{_W}pPr/{_W}numPr/{_W}numId")
        if num_id is not None:
            ilvl = p.find(f"{_W}pPr/{_W}numPr/{_W}ilvl")
            key = (num_id.get(f"{_W}val"), ilvl.get(f"{_W}val") if ilvl is not None else "0")
        else:
            style = p.find(f"{_W}pPr/{_W}pStyle")
            found = self._style_num.get(style.get(f"{_W}val")) if style is not None else None
            if found is None:
                return ""
            key = found
        if key[0] == "0":
            return ""
        fmt = self._formats.get(key, "bullet")
        if fmt in ("bullet", "none"):
            return "• " if fmt == "bullet" else ""
        self._counters[key] = self._counters.get(key, 0) + 1
        n = self._counters[key]
        return f"{chr(ord('a') + n - 1)}) " if fmt == "lowerLetter" and n <= 26 else f"{n}. "


# -- ODT -----------------------------------------------------------------------------------

_NS = {
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "style": "urn:oasis:names:tc:opendocument:xmlns:style:1.0",
    "fo": "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0",
}


def _q(name: str) -> str:
    prefix, local = name.split(":")
    return f"{{{_NS[prefix]}}}{local}"


def _read_odt(archive: zipfile.ZipFile, name: str) -> list[list[str]]:
    names = set(archive.namelist())
    if "META-INF/manifest.xml" in names and b"encryption-data" in archive.read(
        "META-INF/manifest.xml"
    ):
        raise EncryptedDocument(f"{name} is password-protected; upload an unprotected copy")
    if "content.xml" not in names:
        raise CorruptFile(f"{name} is not an OpenDocument text (no content.xml)")
    content = ElementTree.fromstring(archive.read("content.xml"))
    styles = [content]
    if "styles.xml" in names:
        styles.append(ElementTree.fromstring(archive.read("styles.xml")))
    breaks = _odt_breaks(styles)
    numbered = {
        style.get(_q("style:name"), "")
        for root in styles
        for style in root.iter(_q("text:list-style"))
        if style.find(_q("text:list-level-style-number")) is not None
    }
    text = content.find(f"{_q('office:body')}/{_q('office:text')}")
    if text is None:
        raise CorruptFile(f"{name} holds no text body (is it a spreadsheet or a drawing?)")
    rendered = any(True for _ in text.iter(_q("text:soft-page-break")))
    protocol = any(_is_protocol_table(list(_odt_rows(t))[:1]) for t in text.iter(_q("table:table")))
    out = _Pages()
    _odt_block(text, _OdtContext(out, breaks, numbered, rendered, protocol))
    return out.pages


@dataclass
class _OdtContext:
    out: _Pages
    breaks: dict[str, str]  # paragraph style -> "before"/"after"
    numbered: set[str]  # list styles that number their items
    rendered: bool  # the file has soft page breaks: use those only
    protocol: bool


def _odt_breaks(roots: list) -> dict[str, str]:
    """Paragraph style -> "before"/"after" where the style breaks the page."""
    found: dict[str, str] = {}
    for root in roots:
        for style in root.iter(_q("style:style")):
            props = style.find(_q("style:paragraph-properties"))
            if props is None:
                props = style.find(_q("style:table-properties"))
            if props is None:
                continue
            if props.get(_q("fo:break-before")) == "page":
                found[style.get(_q("style:name"), "")] = "before"
            elif props.get(_q("fo:break-after")) == "page":
                found[style.get(_q("style:name"), "")] = "after"
    return found


def _odt_block(el, ctx: _OdtContext) -> None:
    out = ctx.out
    for child in el:
        tag = child.tag
        if tag == _q("text:soft-page-break") and ctx.rendered:
            out.page_break(before_text=True)
        elif tag in (_q("text:p"), _q("text:h")):
            brk = None if ctx.rendered else ctx.breaks.get(child.get(_q("text:style-name"), ""))
            if brk == "before":
                out.page_break(before_text=True)
            if ctx.rendered and child.find(_q("text:soft-page-break")) is not None:
                out.page_break(before_text=not _odt_text_before_break(child).strip())
            text = _odt_text(child)
            out.line(html.escape(text, quote=False) if ctx.protocol else text)
            if brk == "after":
                out.page_break(before_text=False)
        elif tag == _q("text:list"):
            _odt_list(child, ctx, numbered=child.get(_q("text:style-name"), "") in ctx.numbered)
        elif tag == _q("table:table"):
            brk = None if ctx.rendered else ctx.breaks.get(child.get(_q("table:style-name"), ""))
            if brk == "before":
                out.page_break(before_text=True)
            kind: TableKind | None = "protocol" if ctx.protocol else None
            for cells in _odt_rows(child):
                kind = kind or _table_kind(cells)
                for line in _row_lines(cells, kind):
                    out.line(line)
        elif tag == _q("text:section"):
            _odt_block(child, ctx)


def _odt_list(el, ctx: _OdtContext, *, numbered: bool) -> None:
    """List items with their bullet or number; nested lists inherit the list's style."""
    for n, item in enumerate(el.findall(_q("text:list-item")), start=1):
        for child in item:
            if child.tag in (_q("text:p"), _q("text:h")) and (text := _odt_text(child)):
                ctx.out.line(f"{n}. {text}" if numbered else f"• {text}")
            elif child.tag == _q("text:list"):
                _odt_list(child, ctx, numbered=numbered)


def _odt_text_before_break(p) -> str:
    parts = [p.text or ""]
    for child in p:
        if child.tag == _q("text:soft-page-break"):
            break
        parts.append("".join(child.itertext()) + (child.tail or ""))
    return "".join(parts)


def _odt_rows(table) -> Iterator[list[_Cell]]:
    for row in table.iter(_q("table:table-row")):
        cells = []
        for cell in row.findall(_q("table:table-cell")):
            paragraphs = [
                _odt_text(p).strip() for p in cell.iter() if p.tag in (_q("text:p"), _q("text:h"))
            ]
            cells.append(_Cell([p for p in paragraphs if p]))
        yield cells


def _odt_text(el) -> str:
    parts: list[str] = []

    def walk(node) -> None:
        if node.text:
            parts.append(node.text)
        for child in node:
            tag = child.tag
            if tag == _q("text:s"):
                parts.append(" " * int(child.get(_q("text:c"), "1")))
            elif tag == _q("text:tab"):
                parts.append(" ")
            elif tag == _q("text:line-break"):
                parts.append("\n")
            elif tag not in (_q("text:note"), _q("office:annotation")):
                walk(child)
            if child.tail:
                parts.append(child.tail)

    walk(el)
    return re.sub(r"[ \t\u00a0]+", " ", "".join(parts)).strip()
