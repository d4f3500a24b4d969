"""The ingest pipeline: a file's bytes -> an understood Document and its Chunks."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path, PurePath

from gremium.errors import EmptyDocument
from gremium.types import Chunk, DocType, Document, Role, Turn
from ingest import layout as L
from ingest.chunking import PageMap, Span, make_chunks, spans_from_turns
from ingest.clean import html_document_to_text, markdown_to_text
from ingest.limits import NO_LIMITS, ParseLimits
from ingest.loaders import RawDocument, load_bytes
from ingest.metadata import detect_doc_type, detect_session, detect_title
from ingest.protocol import TextBuilder, parse_protocol

_REASONING = re.compile(r"^(?:Begründung|Erläuterung|Sachverhalt|Hintergrund)\s*:?\s*$")


@dataclass(frozen=True)
class ParsedDocument:
    document: Document
    chunks: list[Chunk]
    turns: list[Turn]
    text: str  # the clean text that chunk spans point into


def parse_file(path: Path, *, collection: str = "public") -> ParsedDocument:
    return parse_bytes(
        Path(path).read_bytes(), Path(path).name, collection=collection, source=str(path)
    )


def parse_bytes(
    data: bytes,
    filename: str,
    *,
    collection: str = "public",
    source: str = "",
    limits: ParseLimits = NO_LIMITS,
) -> ParsedDocument:
    """Understand one file. Raises a typed IngestError for anything unreadable or too large."""
    raw = load_bytes(data, filename, limits)
    # Loaders check as they read; checked again here for every format, whoever loaded it.
    limits.check_pages(len(raw.pages), raw.filename)
    limits.check_chars(sum(len(page) for page in raw.pages), raw.filename)
    pages = _plain_pages(raw)
    lines = L.layout(pages)
    head = "\n".join(pages)[:3000]
    protocol = parse_protocol(lines)
    is_protocol = bool(protocol.agenda) or sum(1 for t in protocol.turns if t.speaker) >= 2
    full_text = "\n".join(pages)
    doc_type = detect_doc_type(head, full_text, has_turns=is_protocol)
    sha = hashlib.sha256(data).hexdigest()
    document = Document(
        id=Document.make_id(sha, collection),
        file=PurePath(filename).name,
        title=detect_title(head, full_text, doc_type, filename),
        doc_type=doc_type,
        session=detect_session(head) if is_protocol else None,
        pages=len(pages),
        collection=collection,
        sha256=sha,
        source_path=source,
    )
    if is_protocol:
        text, spans, anchors = (
            protocol.text,
            spans_from_turns(protocol.turns),
            protocol.page_anchors,
        )
        turns = protocol.turns
    else:
        text, spans, anchors = _sections(lines, doc_type)
        turns = []
    chunks = make_chunks(document, spans, PageMap(anchors))
    limits.check_chunks(len(chunks), document.file)
    if not chunks:
        raise EmptyDocument(f"{document.file} has no readable text (only marks or markup)")
    return ParsedDocument(document, chunks, turns, text)


def _plain_pages(raw: RawDocument) -> list[str]:
    if raw.fmt == "html":
        return [html_document_to_text(page) for page in raw.pages]
    if raw.fmt == "markdown":
        return [markdown_to_text(page) for page in raw.pages]
    return raw.pages


def _sections(
    lines: list[L.Line], doc_type: DocType
) -> tuple[str, list[Span], list[tuple[int, int]]]:
    """Split a document without turns by headings (and slides by page) into spans."""
    builder = TextBuilder()
    spans: list[Span] = []
    role: Role = "decision" if doc_type == "beschluss" else "text"
    label: str | None = None
    current: list[L.Line] = []
    size = 0

    def flush() -> None:
        nonlocal current, size
        body = [ln for ln in current if ln.kind != L.GAP]
        if any(ln.kind in (*L.CONTENT_KINDS, L.HEADING) for ln in body) and _has_words(body):
            text, start, _ = builder.add_turn(body)
            spans.append(Span(role, text, start, None, None, label))
        current, size = [], 0

    last_page = 0
    for line in lines:
        if line.kind == L.GAP or line.kind == L.REDACTED:
            if size > 800:
                flush()
            continue
        new_slide = doc_type == "praesentation" and line.page != last_page
        last_page = line.page
        if (line.kind == L.HEADING and any(ln.kind != L.HEADING for ln in current)) or new_slide:
            flush()
            label = line.text if line.kind == L.HEADING else label
        if _REASONING.match(line.text):
            flush()
            role = "text"
            label = line.text.rstrip(":")
        kind = line.kind if line.kind in (*L.CONTENT_KINDS, L.HEADING) else L.TEXT
        current.append(L.Line(kind, line.text, line.anchors))
        size += len(line.text)
    flush()
    return "".join(builder.parts), spans, sorted(set(builder.anchors))


def _has_words(lines: list[L.Line]) -> bool:
    text = " ".join(ln.text for ln in lines).replace("[REDACTED]", "")
    return sum(ch.isalpha() for ch in text) >= 3
