"""Chunking: turns and sections -> chunks with provenance.

A chunk is one speaker turn, or a part of a long one split at sentence boundaries; it
never mixes two speakers. Documents without turns are split by section and paragraph.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass

from gremium.types import AgendaItem, Chunk, Document, Role, Session, Speaker, Turn

CHUNK_SIZE = 1000  # characters; a turn up to MAX_TURN stays whole
MAX_TURN = 1400
CHUNK_OVERLAP = 120
CHUNKER_VERSION = "turns-v1"


@dataclass(frozen=True)
class Span:
    """A piece of the clean text to become one or more chunks."""

    role: Role
    text: str
    start: int
    speaker: Speaker | None = None
    agenda_item: AgendaItem | None = None
    label: str | None = None
    person: str | None = None
    decision: str | None = None
    session: Session | None = None  # None: the document's session


class PageMap:
    """Clean-text offset -> page number, from (offset, page) anchors."""

    def __init__(self, anchors: Sequence[tuple[int, int]]) -> None:
        ordered = sorted(anchors) or [(0, 1)]
        self._offsets = [a for a, _ in ordered]
        self._pages = [p for _, p in ordered]

    def page_at(self, offset: int) -> int:
        i = bisect.bisect_right(self._offsets, offset) - 1
        return self._pages[max(i, 0)]


def _splitter():
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    return RecursiveCharacterTextSplitter(
        chunk_size=CHUNK_SIZE,
        chunk_overlap=CHUNK_OVERLAP,
        separators=["\n\n", "\n", ". ", "; ", ", ", " ", ""],
        keep_separator="end",
        strip_whitespace=True,
    )


def split_long(text: str) -> list[tuple[int, str]]:
    """(offset, piece) pairs: the text itself if short, else sentence-bounded pieces."""
    if len(text) <= MAX_TURN:
        return [(0, text)]
    pieces: list[tuple[int, str]] = []
    cursor = 0
    for piece in _splitter().split_text(text):
        found = text.find(piece, max(0, cursor - CHUNK_OVERLAP - len(piece)))
        if found < 0:
            found = text.find(piece)
        offset = found if found >= 0 else cursor
        pieces.append((offset, piece))
        cursor = offset + len(piece)
    return pieces


def spans_from_turns(turns: Sequence[Turn]) -> list[Span]:
    return [
        Span(
            t.role,
            t.text,
            t.start,
            t.speaker,
            t.agenda_item,
            t.label,
            t.person,
            t.decision,
            t.session,
        )
        for t in turns
    ]


def make_chunks(document: Document, spans: Sequence[Span], pages: PageMap) -> list[Chunk]:
    chunks: list[Chunk] = []
    for span in spans:
        for offset, piece in split_long(span.text):
            start = span.start + offset
            end = start + len(piece)
            position = len(chunks)
            chunks.append(
                Chunk(
                    id=Chunk.make_id(document.id, position, piece),
                    document_id=document.id,
                    text=piece,
                    role=span.role,
                    page_start=pages.page_at(start),
                    page_end=pages.page_at(max(start, end - 1)),
                    char_start=start,
                    char_end=end,
                    position=position,
                    speaker=span.speaker,
                    session=span.session or document.session,
                    agenda_item=span.agenda_item,
                    label=span.label,
                    doc_type=document.doc_type,
                    collection=document.collection,
                    person=span.person,
                    decision=span.decision,
                )
            )
    return chunks
