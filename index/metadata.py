"""The metadata store of one generation (SQLite): documents, sessions, agenda items,
speakers, chunks and page texts, plus the per-row columns that filters run on.

A generation's database is written once and then opened read-only and immutable, so
readers never take locks and a deleted generation stays readable through open handles.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from gremium.types import AgendaItem, Chunk, Document, Session, Speaker

SCHEMA = """
CREATE TABLE sessions (id TEXT PRIMARY KEY, number INTEGER, kind TEXT NOT NULL,
                       date TEXT, place TEXT, participants TEXT NOT NULL DEFAULT '[]',
                       absentees TEXT NOT NULL DEFAULT '[]');
CREATE TABLE speakers (code TEXT PRIMARY KEY, name TEXT NOT NULL, kind TEXT NOT NULL);
CREATE TABLE documents (id TEXT PRIMARY KEY, file TEXT NOT NULL, title TEXT NOT NULL,
                        doc_type TEXT NOT NULL, session_id TEXT REFERENCES sessions(id),
                        pages INTEGER NOT NULL, collection TEXT NOT NULL, sha256 TEXT NOT NULL,
                        source_path TEXT NOT NULL);
CREATE TABLE agenda_items (session_id TEXT, number TEXT NOT NULL, title TEXT NOT NULL,
                           area TEXT, PRIMARY KEY (session_id, number, title));
CREATE TABLE chunks (row INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE,
                     document_id TEXT NOT NULL REFERENCES documents(id), text TEXT NOT NULL,
                     role TEXT NOT NULL, page_start INTEGER, page_end INTEGER,
                     char_start INTEGER, char_end INTEGER, position INTEGER,
                     speaker_code TEXT REFERENCES speakers(code),
                     session_id TEXT REFERENCES sessions(id),
                     agenda_number TEXT, agenda_title TEXT, agenda_area TEXT, label TEXT,
                     doc_type TEXT NOT NULL, collection TEXT NOT NULL, person TEXT,
                     decision TEXT);
CREATE INDEX chunks_document ON chunks(document_id);
CREATE INDEX documents_file ON documents(file);
CREATE TABLE pages (document_id TEXT NOT NULL REFERENCES documents(id), page INTEGER NOT NULL,
                    text TEXT NOT NULL, PRIMARY KEY (document_id, page));
"""

_CHUNK_COLUMNS = (
    "row, id, document_id, text, role, page_start, page_end, char_start, char_end, position, "
    "speaker_code, session_id, agenda_number, agenda_title, agenda_area, label, doc_type, collection, "
    "person, decision"
)
_N_CHUNK_COLUMNS = _CHUNK_COLUMNS.count(",") + 1


def write_metadata(
    path: Path,
    documents: Sequence[Document],
    chunks: Sequence[Chunk],
    pages: Iterable[tuple[str, int, str]] = (),
) -> None:
    """Write a fresh database; chunk i gets row i (aligned with vectors and BM25).

    `pages` are (document id, page number, text) of the documents' pages.
    """
    db = sqlite3.connect(path)
    try:
        db.executescript(SCHEMA)
        sessions: dict[str, Session] = {}
        speakers: dict[str, Speaker] = {}
        agenda: set[tuple[str | None, str, str, str | None]] = set()
        for doc in documents:
            if doc.session:
                sessions.setdefault(doc.session.id, doc.session)
        for chunk in chunks:
            if chunk.session:
                sessions.setdefault(chunk.session.id, chunk.session)
            if chunk.speaker:
                speakers.setdefault(chunk.speaker.code, chunk.speaker)
            if chunk.agenda_item:
                item = chunk.agenda_item
                agenda.add(
                    (
                        chunk.session.id if chunk.session else None,
                        item.number,
                        item.title,
                        item.area,
                    )
                )
        db.executemany(
            "INSERT INTO sessions VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    s.id,
                    s.number,
                    s.kind,
                    s.date,
                    s.place,
                    json.dumps(list(s.participants), ensure_ascii=False),
                    json.dumps(list(s.absentees), ensure_ascii=False),
                )
                for s in sessions.values()
            ],
        )
        db.executemany(
            "INSERT INTO speakers VALUES (?, ?, ?)",
            [(s.code, s.name, s.kind) for s in speakers.values()],
        )
        db.executemany(
            "INSERT INTO documents VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    d.id,
                    d.file,
                    d.title,
                    d.doc_type,
                    d.session.id if d.session else None,
                    d.pages,
                    d.collection,
                    d.sha256,
                    d.source_path,
                )
                for d in documents
            ],
        )
        db.executemany(
            "INSERT OR IGNORE INTO agenda_items VALUES (?, ?, ?, ?)", sorted(agenda, key=str)
        )
        db.executemany(
            f"INSERT INTO chunks ({_CHUNK_COLUMNS}) VALUES ({', '.join('?' * _N_CHUNK_COLUMNS)})",
            (_chunk_row(row, c) for row, c in enumerate(chunks)),
        )
        db.executemany("INSERT INTO pages VALUES (?, ?, ?)", pages)
        db.commit()
    finally:
        db.close()


def _chunk_row(row: int, c: Chunk) -> tuple[object, ...]:
    item = c.agenda_item
    return (
        row,
        c.id,
        c.document_id,
        c.text,
        c.role,
        c.page_start,
        c.page_end,
        c.char_start,
        c.char_end,
        c.position,
        c.speaker.code if c.speaker else None,
        c.session.id if c.session else None,
        item.number if item else None,
        item.title if item else None,
        item.area if item else None,
        c.label,
        c.doc_type,
        c.collection,
        c.person,
        c.decision,
    )


@dataclass(frozen=True)
class Columns:
    """Per-row category codes for fast filter masks; `-1` means "none"."""

    speaker: np.ndarray
    session: np.ndarray
    date: np.ndarray  # yyyymmdd as int, 0 when unknown
    doc_type: np.ndarray
    document: np.ndarray
    role: np.ndarray
    collection: np.ndarray
    vocab: dict[str, list[str]]  # column name -> code -> value

    def codes(self, column: str, values: Iterable[str]) -> np.ndarray:
        index = {v: i for i, v in enumerate(self.vocab[column])}
        return np.array([index[v] for v in values if v in index], dtype=np.int32)


_AGENDA_CACHE = 64  # agendas kept per store (one per set of collections asked with)


class MetadataStore:
    """Read-only view of one generation's database."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._db = sqlite3.connect(
            f"file:{path}?mode=ro&immutable=1", uri=True, check_same_thread=False
        )
        self._lock = threading.Lock()
        self._agenda: dict[
            tuple[str, ...] | None, list[tuple[str, AgendaItem, tuple[str, ...]]]
        ] = {}
        self._sessions = {s.id: s for s in self._load_sessions()}
        self._speakers = {s.code: s for s in self._load_speakers()}
        self._documents = {d.id: d for d in self._load_documents()}
        self.size = int(self._query("SELECT COUNT(*) FROM chunks")[0][0])
        self.columns = self._load_columns()
        # generations written before page texts were stored have no pages table
        self.has_pages = bool(
            self._query("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'pages'")
        )

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def _query(self, sql: str, params: Sequence[object] = ()) -> list[tuple]:
        with self._lock:
            return self._db.execute(sql, params).fetchall()

    # -- catalogue --------------------------------------------------------------------------

    def _load_sessions(self) -> list[Session]:
        return [
            Session(
                id=r[0],
                number=r[1],
                kind=r[2],
                date=r[3],
                place=r[4],
                participants=tuple(json.loads(r[5] or "[]")),
                absentees=tuple(json.loads(r[6] or "[]")),
            )
            for r in self._query(
                "SELECT id, number, kind, date, place, participants, absentees FROM sessions"
            )
        ]

    def _load_speakers(self) -> list[Speaker]:
        return [
            Speaker(code=r[0], name=r[1], kind=r[2]) for r in self._query("SELECT * FROM speakers")
        ]

    def _load_documents(self) -> list[Document]:
        rows = self._query(
            "SELECT id, file, title, doc_type, session_id, pages, collection, sha256, source_path "
            "FROM documents ORDER BY file, id"
        )
        return [
            Document(
                id=r[0],
                file=r[1],
                title=r[2],
                doc_type=r[3],
                session=self._sessions.get(r[4]) if r[4] else None,
                pages=r[5],
                collection=r[6],
                sha256=r[7],
                source_path=r[8],
            )
            for r in rows
        ]

    def documents(self) -> list[Document]:
        return list(self._documents.values())

    def document(self, document_id: str) -> Document | None:
        return self._documents.get(document_id)

    def sessions_by_id(self) -> dict[str, Session]:
        return dict(self._sessions)

    def speakers_by_code(self) -> dict[str, Speaker]:
        return dict(self._speakers)

    # -- chunks -----------------------------------------------------------------------------

    def _chunk(self, r: tuple) -> Chunk:
        agenda = (
            AgendaItem(number=r[12], title=r[13] or "", area=r[14]) if r[12] is not None else None
        )
        return Chunk(
            id=r[1],
            document_id=r[2],
            text=r[3],
            role=r[4],
            page_start=r[5],
            page_end=r[6],
            char_start=r[7],
            char_end=r[8],
            position=r[9],
            speaker=self._speakers.get(r[10]) if r[10] else None,
            session=self._sessions.get(r[11]) if r[11] else None,
            agenda_item=agenda,
            label=r[15],
            doc_type=r[16],
            collection=r[17],
            person=r[18],
            decision=r[19],
        )

    def chunk(self, chunk_id: str) -> tuple[int, Chunk] | None:
        rows = self._query(f"SELECT {_CHUNK_COLUMNS} FROM chunks WHERE id = ?", (chunk_id,))
        return (int(rows[0][0]), self._chunk(rows[0])) if rows else None

    def chunks_by_rows(self, rows: Sequence[int]) -> dict[int, Chunk]:
        found: dict[int, Chunk] = {}
        wanted = [int(r) for r in rows]
        for start in range(0, len(wanted), 500):
            part = wanted[start : start + 500]
            sql = f"SELECT {_CHUNK_COLUMNS} FROM chunks WHERE row IN ({','.join('?' * len(part))})"
            for r in self._query(sql, part):
                found[int(r[0])] = self._chunk(r)
        return found

    def chunks_of(self, document_id: str) -> list[tuple[int, Chunk]]:
        rows = self._query(
            f"SELECT {_CHUNK_COLUMNS} FROM chunks WHERE document_id = ? ORDER BY position, row",
            (document_id,),
        )
        return [(int(r[0]), self._chunk(r)) for r in rows]

    def iter_chunks(self) -> Iterator[tuple[int, Chunk]]:
        """Every chunk in row order (for building the next generation)."""
        for r in self._query(f"SELECT {_CHUNK_COLUMNS} FROM chunks ORDER BY row"):
            yield int(r[0]), self._chunk(r)

    # -- pages ------------------------------------------------------------------------------

    def page(self, document_id: str, number: int) -> str | None:
        if not self.has_pages:
            return None
        rows = self._query(
            "SELECT text FROM pages WHERE document_id = ? AND page = ?", (document_id, number)
        )
        return str(rows[0][0]) if rows else None

    def iter_pages(self) -> Iterator[tuple[str, int, str]]:
        """(document id, page, text) of every stored page (for building the next generation)."""
        if not self.has_pages:
            return
        yield from self._query(
            "SELECT document_id, page, text FROM pages ORDER BY document_id, page"
        )

    def _load_columns(self) -> Columns:
        rows = self._query(
            "SELECT c.speaker_code, c.session_id, s.date, c.doc_type, c.document_id, c.role, "
            "c.collection FROM chunks c LEFT JOIN sessions s ON s.id = c.session_id ORDER BY c.row"
        )
        names = ("speaker", "session", "date", "doc_type", "document", "role", "collection")
        vocab: dict[str, list[str]] = {}
        arrays: dict[str, np.ndarray] = {}
        for i, name in enumerate(names):
            values = [r[i] for r in rows]
            if name == "date":
                arrays[name] = np.array([_date_int(v) for v in values], dtype=np.int32)
                continue
            distinct = sorted({v for v in values if v is not None})
            index = {v: j for j, v in enumerate(distinct)}
            vocab[name] = distinct
            arrays[name] = np.array(
                [index.get(v, -1) if v is not None else -1 for v in values], dtype=np.int32
            )
        return Columns(vocab=vocab, **arrays)

    def agenda(
        self, collections: Sequence[str] | None
    ) -> list[tuple[str, AgendaItem, tuple[str, ...]]]:
        """(session id, agenda item, labels of its decisions) as visible passages record
        them, in record order: a whole overview in two queries, not one per session.
        Every question reads it (sessions called by subject), so it is kept per set of
        collections; the database never changes under this store."""
        key = None if collections is None else tuple(sorted(set(collections)))
        with self._lock:
            cached = self._agenda.get(key)
        if cached is None:
            cached = self._read_agenda(collections)
            with self._lock:
                if len(self._agenda) >= _AGENDA_CACHE:
                    self._agenda.clear()
                self._agenda[key] = cached
        return list(cached)

    def _read_agenda(
        self, collections: Sequence[str] | None
    ) -> list[tuple[str, AgendaItem, tuple[str, ...]]]:
        where, params = "", []
        if collections is not None:
            if not collections:
                return []
            where = f" AND collection IN ({','.join('?' * len(collections))})"
            params = list(collections)
        items = self._query(
            "SELECT session_id, agenda_number, agenda_title, agenda_area, MIN(row) FROM chunks "
            f"WHERE session_id IS NOT NULL AND agenda_number IS NOT NULL{where} "
            "GROUP BY session_id, agenda_number, agenda_title, agenda_area ORDER BY MIN(row)",
            params,
        )
        decisions = self._query(
            "SELECT session_id, agenda_number, agenda_title, agenda_area, "
            "COALESCE(label, 'Beschluss') FROM chunks WHERE role = 'decision' "
            f"AND session_id IS NOT NULL AND agenda_number IS NOT NULL{where} ORDER BY row",
            params,
        )
        labels: dict[tuple[object, ...], list[str]] = {}
        for r in decisions:
            found = labels.setdefault(tuple(r[:4]), [])
            if r[4] not in found:
                found.append(r[4])
        return [
            (r[0], AgendaItem(r[1], r[2] or "", r[3]), tuple(labels.get(tuple(r[:4]), ())))
            for r in items
        ]

    def counts(self, column: str, mask: np.ndarray) -> Counter[str]:
        """How many rows under `mask` carry each value of a category column."""
        codes = getattr(self.columns, column)[mask]
        vocab = self.columns.vocab[column]
        tally = np.bincount(codes[codes >= 0], minlength=len(vocab))
        return Counter({vocab[i]: int(n) for i, n in enumerate(tally) if n})


def file_hashes(path: Path) -> set[str]:
    """SHA-256 of every document a generation's database names (its original files)."""
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return {r[0] for r in db.execute("SELECT sha256 FROM documents") if r[0]}
    finally:
        db.close()


def _date_int(value: str | None) -> int:
    if not value or len(value) < 10:
        return 0
    try:
        return int(value[:10].replace("-", ""))
    except ValueError:
        return 0
