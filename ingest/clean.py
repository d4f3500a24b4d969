"""Cleaning: markup to text blocks, de-hyphenation, redaction marks.

Nothing here knows what a protocol is; it turns markup and extraction residue into
plain text while keeping block structure (paragraphs, list items).
"""

from __future__ import annotations

import html
import re

from ingest import tables
from ingest.web import content_html

REDACTION = "[REDACTED]"
BULLET = "•"

# Glyphs extractors and exporters use for list bullets ( is a Symbol-font bullet).
BULLET_CHARS = "•›➤▪◦●■\uf0a7\uf0b7\uf0d8\uf0fc"
_BULLET_RE = re.compile(rf"^\s*(?:[{BULLET_CHARS}]\s*|[-–]\s+(?=\S))")
_CONJUNCTIONS = {"und", "oder", "bzw", "sowie", "als", "bis", "wie"}

_BLACK_BOX = re.compile(r"<div[^>]*background-color:\s*black[^>]*>\s*</div>", re.IGNORECASE)
_CHECKBOX_LABEL = re.compile(
    r"<input[^>]*type=\"checkbox\"[^>]*/?>\s*(?:Beschlussempfehlung \(IT-PLR\)|Beschluss|Protokollnotiz|Follow-Up)?",
    re.IGNORECASE,
)
_BLOCK_TAG = re.compile(
    r"</?(?:p|ul|ol|li|div|br|tr|td|th|table|h[1-6]|section|article)\b[^>]*>", re.IGNORECASE
)
_ANY_TAG = re.compile(r"<[^>]+>")
_SCRIPT_STYLE = re.compile(r"<(script|style)\b.*?</\1>", re.IGNORECASE | re.DOTALL)


def html_to_blocks(fragment: str, split_label=None) -> list[str]:
    """Turn an HTML fragment into text blocks, one per paragraph or list item.

    List items start with BULLET. Black boxes become one REDACTION mark; checkboxes of
    form templates are dropped. `split_label(text) -> int | None` may name an offset
    where an inline speaker label begins ("Diskussion MV:"), so that it gets a block.
    """
    text = _SCRIPT_STYLE.sub(" ", fragment)
    text = _list_items(text)
    text = _BLACK_BOX.sub(f"\n{REDACTION}\n", text)
    text = _CHECKBOX_LABEL.sub(" ", text)
    text = _BLOCK_TAG.sub("\n", text)
    text = _ANY_TAG.sub(" ", text)
    text = html.unescape(text)
    text = re.sub(rf"\s*[{BULLET_CHARS}]\s*", f"\n{BULLET} ", text)
    blocks: list[str] = []
    for raw in text.split("\n"):
        block = normalise_space(raw)
        if not block or block == ">":
            continue
        block = block.lstrip("> ").strip() or block
        if split_label is not None:
            blocks.extend(_split_labels(block, split_label))
        else:
            blocks.append(block)
    return _merge_redactions(blocks)


_ORDERED = re.compile(r"<ol\b[^>]*>(.*?)</ol\s*>", re.IGNORECASE | re.DOTALL)
_ITEM = re.compile(r"<li\b[^>]*>", re.IGNORECASE)


def _list_items(text: str) -> str:
    """List items with their number ("1. ", in `<ol>`) or bullet, as a browser shows them."""

    def number(m: re.Match[str]) -> str:
        count = iter(range(1, 1000))
        return _ITEM.sub(lambda _: f"<li>{next(count)}. ", m[1])

    text = _ORDERED.sub(number, text)
    return re.sub(r"<li>(?!\d+\. )|<li\b[^>]+>", f"<li>{BULLET} ", text, flags=re.IGNORECASE)


def html_to_text(fragment: str) -> str:
    """An HTML fragment's text as one line (a table cell's, to compare with a name)."""
    return " ".join(html_to_blocks(fragment))


def _split_labels(block: str, split_label) -> list[str]:
    out: list[str] = []
    rest = block
    while rest:
        cut = split_label(rest)
        if cut is None or cut <= 0:
            out.append(rest)
            break
        head = rest[:cut].strip()
        if head:
            out.append(head)
        tail = rest[cut:]
        # the label itself, then whatever follows it
        label_end = tail.index(":") + 1
        out.append(tail[:label_end].strip())
        rest = tail[label_end:].strip()
        if rest.startswith(BULLET):
            out.append(rest)
            break
    return out


def _merge_redactions(blocks: list[str]) -> list[str]:
    merged: list[str] = []
    for block in blocks:
        if block == REDACTION and merged and merged[-1] == REDACTION:
            continue
        merged.append(block)
    return merged


_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s*")
_MD_ITEM = re.compile(r"^\s*(?:[-*+]|\d{1,3}[.)])\s+")
_MD_TABLE_ROW = re.compile(r"^\s*\|.*\|\s*$")
_MD_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?\s*$")


def markdown_to_text(text: str) -> str:
    """Markdown as one line per block: headings, paragraphs (their soft-wrapped lines
    joined), list items ("• …", numbers kept) and table rows (`ingest.tables` rows)."""
    text = re.sub(r"```.*?```", " ", text, flags=re.DOTALL)
    blocks: list[str] = []
    table: list[list[list[str]]] = []
    open_paragraph = False

    def end_table() -> None:
        if table:
            kind = tables.table_kind([" ".join(c) for c in table[0]])
            for row in table:
                blocks.extend(tables.row_lines(row, kind))
            table.clear()

    for line in text.split("\n"):
        if _MD_TABLE_ROW.match(line) or (table and _MD_TABLE_RULE.match(line)):
            open_paragraph = False
            if not _MD_TABLE_RULE.match(line):
                cells = re.split(r"(?<!\\)\|", line.strip().strip("|"))
                table.append([_markdown_cell(c) for c in cells])
            continue
        end_table()
        if not line.strip():
            open_paragraph = False
            blocks.append("")
        elif _MD_HEADING.match(line) and line.lstrip().startswith("#"):
            blocks.append(_markdown_inline(_MD_HEADING.sub("", line)))
            open_paragraph = False
        elif _MD_ITEM.match(line):
            item = _markdown_inline(line.strip())
            blocks.append(re.sub(r"^[-*+]\s+", f"{BULLET} ", item))
            open_paragraph = True  # a lazily wrapped item goes on in the next line
        elif open_paragraph and blocks:
            drop, sep = joint(blocks[-1], line.strip())
            blocks[-1] = (
                (blocks[-1][:-1] if drop else blocks[-1]) + sep + _markdown_inline(line.strip())
            )
        else:
            blocks.append(_markdown_inline(line.strip().lstrip(">").strip()))
            open_paragraph = True
    end_table()
    return re.sub(r"\n{3,}", "\n\n", "\n".join(blocks))


def _markdown_inline(text: str) -> str:
    text = re.sub(r"!\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"(\*\*|__)(.+?)\1", r"\2", text)
    text = re.sub(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])", r"\1", text)
    return re.sub(r"`([^`]+)`", r"\1", text)


def _markdown_cell(cell: str) -> list[str]:
    """A table cell's paragraphs (`<br>` separates them)."""
    parts = re.split(r"<br\s*/?>", cell.replace("\\|", "|"), flags=re.IGNORECASE)
    return [_markdown_inline(p.strip()) for p in parts if p.strip()]


_TABLE = re.compile(r"<table\b[^>]*>(.*?)</table\s*>", re.IGNORECASE | re.DOTALL)
_ROW = re.compile(r"<tr\b[^>]*>(.*?)</tr\s*>", re.IGNORECASE | re.DOTALL)
_CELL = re.compile(r"<t[hd]\b[^>]*>(.*?)</t[hd]\s*>", re.IGNORECASE | re.DOTALL)


def html_document_to_text(text: str) -> str:
    """A whole HTML page as text lines (blocks separated by newlines), without the site
    around its content (see `ingest.web`); a table's rows as `ingest.tables` rows."""
    body = re.search(r"<body\b[^>]*>(.*)</body>", text, re.IGNORECASE | re.DOTALL)
    page = content_html(body.group(1) if body else text)
    lines: list[str] = []
    at = 0
    for table in _TABLE.finditer(page):
        lines.extend(html_to_blocks(page[at : table.start()]))
        rows = [[html_to_blocks(c) for c in _CELL.findall(r)] for r in _ROW.findall(table[1])]
        rows = [row for row in rows if any(row)]
        kind = tables.table_kind([" ".join(c) for c in rows[0]]) if rows else "plain"
        for row in rows:
            lines.extend(tables.row_lines(row, kind))
        at = table.end()
    lines.extend(html_to_blocks(page[at:]))
    return "\n".join(lines)


def joint(left: str, right: str) -> tuple[bool, str]:
    """How two wrapped pieces meet: (drop the trailing hyphen?, separator)."""
    if left.endswith("-") and len(left) >= 2 and left[-2].isalpha():
        first = right.split(" ", 1)[0].rstrip(".,;:")
        if first.lower() in _CONJUNCTIONS:
            return False, " "
        return right[:1].islower(), ""
    return False, " "


def is_bullet(text: str) -> bool:
    return bool(_BULLET_RE.match(text))


def strip_bullet(text: str) -> str:
    return _BULLET_RE.sub("", text, count=1)


def normalise_space(text: str) -> str:
    """Runs of spaces, tabs and no-break spaces as one space, trimmed."""
    return re.sub(r"[ \t\u00a0]+", " ", text).strip()
