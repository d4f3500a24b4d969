"""The ingest pipeline: a file's bytes -> an understood Document and its Chunks."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, replace
from pathlib import Path, PurePath

from gremium.errors import EmptyDocument
from gremium.types import Chunk, DocType, Document, Role, Session, Turn
from ingest import layout as L
from ingest.chunking import PageMap, Span, make_chunks, spans_from_turns
from ingest.clean import html_document_to_text, markdown_to_text
from ingest.furniture import strip_page_furniture
from ingest.limits import NO_LIMITS, ParseLimits
from ingest.loaders import RawDocument, load_bytes
from ingest.metadata import detect_doc_type, detect_session, detect_title, looks_like_minutes
from ingest.pages import page_text
from ingest.protocol import ParsedProtocol, TextBuilder, parse_protocol
from ingest.web import strip_site_furniture

_REASONING = re.compile(r"^(?:Begründung|Erläuterung|Sachverhalt|Hintergrund)\s*:?\s*$")


@dataclass(frozen=True)
class ParsedDocument:
    document: Document
    chunks: list[Chunk]
    turns: list[Turn]
    text: str  # the clean text that chunk spans point into
    pages: tuple[str, ...] = ()  # each page as a reader sees it (page 1 first), for citations
    data: bytes = b""  # the original file, served where a citation leads


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
    # the site around a web page's record, a printer's running heads and page numbers
    # are no part of the record, nor of its header
    pages = strip_site_furniture(_plain_pages(raw))
    if raw.fmt in ("pdf", "text"):  # printed pages, and text exports of them
        pages = strip_page_furniture(pages)
    lines = L.layout(pages, fmt=raw.fmt)
    head = "\n".join(pages)[:3000]
    minutes = looks_like_minutes(head)
    protocol = parse_protocol(lines, numbered_agenda=minutes)
    decisions = [t for t in protocol.turns if t.decision and t.session]
    speakers = sum(1 for t in protocol.turns if t.speaker)
    # decision pages and listings: numbered decisions with their sessions, nobody speaking
    is_collection = bool(decisions) and speakers == 0 and not protocol.agenda
    # a report that tells what Länder said is no protocol; headed minutes or labels are
    is_protocol = not is_collection and (
        bool(protocol.agenda) or protocol.labelled >= 2 or (minutes and speakers >= 1)
    )
    full_text = "\n".join(pages)
    doc_type = (
        "beschluss" if is_collection else detect_doc_type(head, full_text, has_turns=is_protocol)
    )
    session = _document_session(head, protocol, is_protocol, decisions)
    sha = hashlib.sha256(data).hexdigest()
    document = Document(
        id=Document.make_id(sha, collection),
        file=PurePath(filename).name,
        title=detect_title(head, full_text, doc_type, filename),
        doc_type=doc_type,
        session=session,
        pages=len(pages),
        collection=collection,
        sha256=sha,
        source_path=source,
    )
    if is_protocol or is_collection:
        turns = [_with_session(t, session) for t in protocol.turns]
        text, spans, anchors = protocol.text, spans_from_turns(turns), protocol.page_anchors
    else:
        text, spans, anchors = _sections(lines, doc_type)
        turns = []
    chunks = make_chunks(document, spans, PageMap(anchors))
    limits.check_chunks(len(chunks), document.file)
    if not chunks:
        raise EmptyDocument(f"{document.file} has no readable text (only marks or markup)")
    return ParsedDocument(document, chunks, turns, text, tuple(page_text(p) for p in pages), data)


def _document_session(
    head: str, protocol: ParsedProtocol, is_protocol: bool, decisions: list[Turn]
) -> Session | None:
    """The session a document records, with the attendance its record lists.

    A decision collection has one only if all its decisions come from one session.
    """
    if not is_protocol:
        found = {t.session.id: t.session for t in decisions if t.session}
        return next(iter(found.values())) if len(found) == 1 else None
    session = detect_session(head)
    if session is None:
        return None
    return replace(session, participants=protocol.participants, absentees=protocol.absentees)


def _with_session(turn: Turn, session: Session | None) -> Turn:
    """A turn's own session, unless it is the document's (then the richer document one)."""
    if turn.session is None or session is None or turn.session.id != session.id:
        return turn
    return replace(turn, session=session)


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
        if any(ln.kind in (*L.CONTENT_KINDS, L.HEADING) for ln in body) and L.has_words(body):
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
