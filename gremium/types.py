"""Core data types of the pipeline: file -> Document -> Turn -> Chunk -> Hit -> Answer.

No third-party imports here: every step (ingest, index, answer, api, eval) shares
these types, and the API maps them to its own pydantic schemas.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Literal

Role = Literal["statement", "protocol_note", "decision", "text"]
SpeakerKind = Literal["land", "federal", "body"]
DocType = Literal["protokoll", "beschluss", "bericht", "praesentation", "sonstiges"]
SessionKind = Literal["ordentlich", "Sondersitzung"]

ROLES: tuple[Role, ...] = ("statement", "protocol_note", "decision", "text")
DOC_TYPES: tuple[DocType, ...] = ("protokoll", "beschluss", "bericht", "praesentation", "sonstiges")


def content_hash(*parts: str, length: int = 16) -> str:
    """Stable id from content: the same input always gives the same id."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode("utf-8"))
        digest.update(b"\x1f")
    return digest.hexdigest()[:length]


@dataclass(frozen=True)
class Speaker:
    """Who spoke: a Land, a federal body or another body, by canonical code."""

    code: str  # "BY", "Bund", "BKAmt", "FITKO", or a body's name as written
    name: str  # "Bayern", "Bundeskanzleramt"
    kind: SpeakerKind


@dataclass(frozen=True)
class Session:
    """One meeting of the IT-Planungsrat (or another body the document records)."""

    id: str  # "2024-06-27-sonder", "2025-06-26-47"
    number: int | None
    kind: SessionKind
    date: str | None  # ISO date of the meeting, never the "Stand" date
    place: str | None
    participants: tuple[str, ...] = ()  # speaker codes the record lists as present
    absentees: tuple[str, ...] = ()  # speaker codes the record lists as excused or absent

    @staticmethod
    def make_id(date: str | None, number: int | None, kind: SessionKind) -> str:
        stem = date or "undatiert"
        if kind == "Sondersitzung":
            return f"{stem}-sonder"
        return f"{stem}-{number}" if number is not None else stem

    @property
    def label(self) -> str:
        """German label as an answer would name the session."""
        date = _german_date(self.date)
        if self.kind == "Sondersitzung":
            return f"Sondersitzung am {date}" if date else "Sondersitzung"
        if self.number is not None:
            return f"{self.number}. Sitzung am {date}" if date else f"{self.number}. Sitzung"
        return f"Sitzung am {date}" if date else "Sitzung"


@dataclass(frozen=True)
class AgendaItem:
    """A TOP (Tagesordnungspunkt) of a session."""

    number: str  # "01", "10"
    title: str  # "Delos Cloud"
    area: str | None = None  # topic area, e.g. "Digitale Infrastruktur"

    @property
    def label(self) -> str:
        return f"TOP {self.number} {self.title}".strip() if self.number else self.title


@dataclass(frozen=True)
class Document:
    """A source file, understood: what it is and which session it records."""

    id: str  # content hash of the file bytes
    file: str  # file name as ingested
    title: str
    doc_type: DocType
    session: Session | None = None
    pages: int = 1
    collection: str = "public"
    sha256: str = ""
    source_path: str = ""

    @staticmethod
    def make_id(sha256: str, collection: str) -> str:
        """Content hash, made unique per collection: the same file may sit in two of them.

        `public` keeps the bare content hash, so ids from before collections counted
        (and reference Q&A that cite them) stay valid.
        """
        if collection == "public":
            return sha256[:16]
        return content_hash(collection, sha256)


@dataclass(frozen=True)
class Turn:
    """One contribution in a protocol: a speaker turn, a Protokollnotiz or a Beschluss.

    `text` is the clean text; `start`/`end` are offsets into the document's clean text.
    """

    role: Role
    text: str
    start: int
    end: int
    speaker: Speaker | None = None
    agenda_item: AgendaItem | None = None
    label: str | None = None  # "Beschluss B-2025/26-IT", "Protokollnotiz (Bayern)", a heading
    person: str | None = None  # who spoke for the speaker: "Staatssekretär Dr. Krause"
    decision: str | None = None  # a decision's number as written: "B-2025/26-IT", "2021/25"


@dataclass(frozen=True)
class Chunk:
    """The unit of retrieval, with full provenance."""

    id: str
    document_id: str
    text: str
    role: Role
    page_start: int
    page_end: int
    char_start: int
    char_end: int
    position: int  # order within the document
    speaker: Speaker | None = None
    session: Session | None = None
    agenda_item: AgendaItem | None = None
    label: str | None = None  # decision number, note heading or section heading
    doc_type: DocType = "sonstiges"
    collection: str = "public"
    person: str | None = None  # who spoke for the speaker, as the record names them
    decision: str | None = None  # decision number of a decision passage

    @staticmethod
    def make_id(document_id: str, position: int, text: str) -> str:
        return content_hash(document_id, str(position), text)

    @property
    def pages(self) -> list[int]:
        return list(range(self.page_start, self.page_end + 1))


@dataclass(frozen=True)
class Filters:
    """Restrictions applied before ranking. Empty fields restrict nothing."""

    speakers: tuple[str, ...] = ()
    session: str | None = None  # session id, number ("47") or ISO date
    date_from: str | None = None
    date_to: str | None = None
    doc_type: str | None = None
    document_id: str | None = None
    roles: tuple[str, ...] = ()
    collections: tuple[str, ...] | None = None  # None: all collections visible


@dataclass(frozen=True)
class Hit:
    """A retrieved chunk with the score of each retriever that found it."""

    chunk: Chunk
    score: float
    scores: dict[str, float] = field(default_factory=dict)  # {"bm25": .., "dense": .., "boost": ..}
    document: Document | None = None


@dataclass(frozen=True)
class Citation:
    n: int
    hit: Hit


@dataclass(frozen=True)
class Statement:
    """What one speaker said in one session, as the answer groups it."""

    speaker: Speaker | None
    session: Session | None
    summary: str
    citations: tuple[int, ...]


@dataclass(frozen=True)
class Answer:
    question: str
    answer: str
    abstained: bool
    citations: tuple[Citation, ...] = ()
    statements: tuple[Statement, ...] = ()
    language: str = "de"
    mode: str = "extractive"  # or "llm"
    timings_ms: dict[str, float] = field(default_factory=dict)


def _german_date(iso: str | None) -> str | None:
    if not iso or len(iso) != 10:
        return iso
    year, month, day = iso.split("-")
    return f"{day}.{month}.{year}"


@dataclass(frozen=True)
class QueryPlan:
    """What a question asks, understood before retrieval.

    `index.query.understand` fills speakers, session and dates from the question;
    the answer step fills language and the question's intent.
    """

    question: str
    text: str  # the text used for retrieval
    speakers: tuple[str, ...] = ()  # canonical codes named in the question
    session: str | None = None  # session id, number or ISO date named in the question
    date_from: str | None = None
    date_to: str | None = None
    doc_type: str | None = None
    language: str = "de"
    aggregate: bool = False  # "Welche Länder ...", "Wer hat ..."
