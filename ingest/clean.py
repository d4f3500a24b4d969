"""Cleaning: markup to text blocks, de-hyphenation, redaction marks.

Nothing here knows what a protocol is; it turns markup and extraction residue into
plain text while keeping block structure (paragraphs, list items).
"""

from __future__ import annotations

import html
import re

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


def markdown_to_text(text: str) -> str:
    """Strip Markdown syntax but keep headings, paragraphs and list items as lines."""
    text = re.sub(r"```.*?```", " ", text, flags=re.DOTALL)
    text = re.sub(r"!\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"^\s{0,3}#{1,6}\s*", "", text, flags=re.MULTILINE)
    text = re.sub(r"^\s*[-*+]\s+", f"{BULLET} ", text, flags=re.MULTILINE)
    text = re.sub(r"(\*\*|__)(.+?)\1", r"\2", text)
    text = re.sub(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])", r"\1", text)
    text = re.sub(r"`([^`]+)`", r"\1", text)
    text = re.sub(r"^\s*>\s?", "", text, flags=re.MULTILINE)
    return text


def html_document_to_text(text: str) -> str:
    """A whole HTML page as text lines (blocks separated by newlines)."""
    body = re.search(r"<body\b[^>]*>(.*)</body>", text, re.IGNORECASE | re.DOTALL)
    return "\n".join(html_to_blocks(body.group(1) if body else text))


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
