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
        date = german_date(self.date) if self.date else None
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
    session: Session | None = None  # the turn's own session where it differs (decision listings)


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
    interpreted_as: str | None = None  # how a follow-up was read


def german_date(iso: str) -> str:
    """ "2024-06-27" -> "27.06.2024" (anything else unchanged)."""
    if len(iso) != 10:
        return iso
    year, month, day = iso.split("-")
    return f"{day}.{month}.{year}"


Stance = Literal["against", "for", "none"]
Attendance = Literal["absent", "present", "none"]
Position = Literal["start", "end", "none"]


@dataclass(frozen=True)
class QueryPlan:
    """One reading of a question, made once (`answer.plan.read_question`) and consumed by
    the index (what to retrieve) and the answer step (what shape of answer to give).

    Nothing downstream reads the question text again: retrieval embeds `text` and
    matches `topic`; the answer step follows the flags.
    """

    question: str  # as asked
    text: str  # what dense retrieval embeds: the question, or a follow-up read in context
    topic: str = ""  # the topic words: speakers, sessions, question and frame words removed
    language: str = "de"
    speakers: tuple[str, ...] = ()  # canonical codes of the speakers asked about
    session: str | None = None  # session number, id, ISO date or "sonder"
    date_from: str | None = None
    date_to: str | None = None
    doc_type: str | None = None  # a hint: the kind of record asked about
    aggregate: bool = False  # asks for every speaker who did something
    # "Welche Länder ...", "Which municipal associations ...": only members of that class
    # (gremium.speakers.SpeakerGroup) count
    speaker_groups: tuple[str, ...] = ()
    # "die anderen Länder": speakers an aggregate leaves out (those already named)
    excluded: tuple[str, ...] = ()
    # "Wie reagierte der Bund auf die Kritik von NRW?": whose statements the speakers
    # asked about replied to (their words are the context, not the answer)
    reply_to: tuple[str, ...] = ()
    figure: bool = False  # asks for an amount, a count, a date or a deadline
    decision: bool = False  # asks what was decided
    protocol_note: bool = False  # asks for Protokollnotizen
    stance: Stance = "none"  # asks who was for or against something
    # asks who was absent from (or present at) a session: the attendance list answers it
    attendance: Attendance = "none"
    # "zu Beginn der Sitzung", "at the end": where in the record the answer is looked for
    position: Position = "none"
    asks_speech: bool = False  # asks what someone said (not a fact that names them)
    generic_speech: bool = False  # asks who spoke at all ("äußerte sich zu", "took the floor")
    over_time: bool = False  # asks how a position developed across sessions
    interpreted_as: str | None = None  # how a follow-up was read, in the question's language
    context_items: tuple[str, ...] = ()  # follow-up: "session|TOP" of the previous answer
    # follow-up: "document id|position" of the previous answer's passages; a reply to
    # them comes after them in the record
    context_after: tuple[str, ...] = ()


@dataclass(frozen=True)
class DocumentSource:
    """What a citation leads to: the file's original bytes and each page's text (page 1 first).

    Ingest produces it beside the chunks; the index stores the bytes by their SHA-256
    and the page texts in the generation's metadata.
    """

    data: bytes
    pages: tuple[str, ...]


@dataclass(frozen=True)
class Page:
    """One page of a document as a reader sees it; `highlights` are character spans of
    `text` (start, end) where a cited passage lies, empty when none was asked for or found."""

    document: Document
    number: int
    text: str
    highlights: tuple[tuple[int, int], ...] = ()


@dataclass(frozen=True)
class AgendaRecord:
    """What the record holds under one agenda item (or outside any: `item` None), in order."""

    item: AgendaItem | None
    passages: tuple[Chunk, ...]


@dataclass(frozen=True)
class SessionRecord:
    """A session as the record shows it: its documents and agenda items with their passages."""

    session: Session
    documents: tuple[Document, ...]
    agenda: tuple[AgendaRecord, ...]


@dataclass(frozen=True)
class SpeakerRecord:
    """What one speaker said, by session (newest first) and agenda item (record order)."""

    speaker: Speaker
    passages: int  # all of the speaker's visible passages, also those beyond the page shown
    sessions: tuple[tuple[Session | None, tuple[AgendaRecord, ...]], ...]
    documents: dict[str, Document] = field(default_factory=dict)  # by id, for citations
    total_sessions: int = 0  # sessions with passages of the speaker, also those not shown


@dataclass(frozen=True)
class PositionOverTime:
    """A speaker's relevant statements on a topic, grouped by session, oldest first."""

    speaker: Speaker
    topic: str
    sessions: tuple[tuple[Session | None, tuple[Hit, ...]], ...]
