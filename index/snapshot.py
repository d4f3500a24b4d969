"""One loaded generation, immutable: metadata, vectors and BM25, plus filtering.

`Index` swaps whole snapshots, so a query always sees one consistent generation even
while a writer publishes the next.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from gremium.errors import InvalidRequest
from gremium.speakers import REGISTRY
from gremium.types import DOC_TYPES, ROLES, Chunk, Document, Filters, Session
from index.bm25 import BM25Index
from index.generations import read_manifest
from index.metadata import MetadataStore
from index.vector.faiss_store import FaissStore
from index.vector.sentences import SentenceStore

_DOC_TYPE_ALIASES = {
    "präsentation": "praesentation",
    "presentation": "praesentation",
    "report": "bericht",
    "decision": "beschluss",
    "minutes": "protokoll",
}


@dataclass(frozen=True)
class Snapshot:
    name: str | None  # generation folder name; None for an index never written
    manifest: dict[str, object]
    meta: MetadataStore | None
    vectors: FaissStore | None
    bm25: BM25Index | None
    sentences: SentenceStore | None = None

    @classmethod
    def empty(cls) -> Snapshot:
        return cls(None, {}, None, None, None)

    @classmethod
    def load(cls, folder: Path) -> Snapshot:
        manifest = read_manifest(folder)
        meta = MetadataStore(folder / "meta.sqlite")
        vectors = FaissStore.load(folder)
        bm25 = BM25Index.load(folder / "bm25")
        sentences = SentenceStore.load(folder)
        if not (meta.size == vectors.size == bm25.size == sentences.size):
            raise RuntimeError(
                f"generation {folder} is inconsistent: {meta.size} chunks, "
                f"{vectors.size} vectors, {bm25.size} BM25 rows, "
                f"{sentences.size} rows of sentence vectors"
            )
        return cls(folder.name, manifest, meta, vectors, bm25, sentences)

    @property
    def size(self) -> int:
        return self.meta.size if self.meta else 0

    def documents(self) -> list[Document]:
        return self.meta.documents() if self.meta else []

    # -- filters ----------------------------------------------------------------------------

    def visible(self, collections: Sequence[str] | None) -> np.ndarray:
        """Rows the caller may see at all: the security boundary of API keys."""
        if self.meta is None:
            return np.zeros(0, dtype=bool)
        if collections is None:
            return np.ones(self.size, dtype=bool)
        codes = self.meta.columns.codes("collection", collections)
        return np.isin(self.meta.columns.collection, codes)

    def mask(self, filters: Filters) -> np.ndarray:
        """Rows that pass every filter; InvalidRequest names any unknown value."""
        mask = self.visible(filters.collections)
        if self.meta is None:
            return mask
        cols = self.meta.columns
        if filters.speakers:
            codes = self.speaker_codes(filters.speakers, mask)
            mask &= np.isin(cols.speaker, cols.codes("speaker", codes))
        if filters.session:
            ids = self.session_ids(filters.session, mask)
            if not ids:
                known = ", ".join(_session_hint(s) for s in self.visible_sessions(mask)) or "none"
                raise InvalidRequest(
                    f"unknown session {filters.session!r}; use a number, an ISO date or an id. "
                    f"Sessions in the index: {known}"
                )
            mask &= np.isin(cols.session, cols.codes("session", ids))
        if filters.date_from or filters.date_to:
            low = _date_int(filters.date_from, "date_from") if filters.date_from else 0
            high = _date_int(filters.date_to, "date_to") if filters.date_to else 99999999
            mask &= (cols.date >= low) & (cols.date <= high) & (cols.date > 0)
        if filters.doc_type:
            doc_type = normalise_doc_type(filters.doc_type)
            mask &= np.isin(cols.doc_type, cols.codes("doc_type", [doc_type]))
        if filters.document_id:
            doc = self.meta.document(filters.document_id)
            hidden = (
                doc is not None
                and filters.collections is not None
                and (doc.collection not in filters.collections)
            )
            if doc is None or hidden:
                raise InvalidRequest(
                    f"unknown document_id {filters.document_id!r}; GET /documents lists them"
                )
            mask &= np.isin(cols.document, cols.codes("document", [doc.id]))
        if filters.roles:
            bad = [r for r in filters.roles if r not in ROLES]
            if bad:
                raise InvalidRequest(f"unknown role {bad[0]!r}; valid roles: {', '.join(ROLES)}")
            mask &= np.isin(cols.role, cols.codes("role", filters.roles))
        return mask

    def speaker_codes(self, values: Sequence[str], visible: np.ndarray) -> list[str]:
        """Canonical codes for filter values given as codes or names."""
        indexed = set(self.meta.columns.vocab["speaker"]) if self.meta else set()
        codes = []
        for value in values:
            if value in indexed:
                codes.append(value)
                continue
            speaker = REGISTRY.get(value) or REGISTRY.resolve(value)
            if speaker is None:
                valid = sorted(
                    {s.code for s in REGISTRY.all()} | set(self.meta_counts("speaker", visible))
                )
                raise InvalidRequest(
                    f"unknown speaker {value!r}; valid speaker codes: {', '.join(valid)}"
                )
            codes.append(speaker.code)
        return codes

    def meta_counts(self, column: str, mask: np.ndarray) -> dict[str, int]:
        return dict(self.meta.counts(column, mask)) if self.meta else {}

    def visible_sessions(self, mask: np.ndarray) -> list[Session]:
        if self.meta is None:
            return []
        by_id = self.meta.sessions_by_id()
        return [by_id[i] for i in sorted(self.meta_counts("session", mask)) if i in by_id]

    def session_ids(self, value: str, mask: np.ndarray) -> list[str]:
        """Sessions a filter or question value names: id, number, ISO date or "sonder"."""
        wanted = value.strip().casefold().removesuffix(".")
        found = []
        for session in self.visible_sessions(mask):
            if _session_matches(session, wanted):
                found.append(session.id)
        return found

    # -- rows -------------------------------------------------------------------------------

    def chunks(self, rows: Sequence[int]) -> dict[int, Chunk]:
        return self.meta.chunks_by_rows(rows) if self.meta else {}


def _session_matches(session: Session, wanted: str) -> bool:
    if wanted in {session.id.casefold(), session.date or "", str(session.number)}:
        return True
    if wanted in {"sonder", "sondersitzung", "special"}:
        return session.kind == "Sondersitzung"
    if wanted.endswith("-sonder") and session.kind == "Sondersitzung":
        return session.date == wanted.removesuffix("-sonder")
    return False


def _session_hint(session: Session) -> str:
    if session.number is not None:
        return f"{session.number} ({session.date or session.id})"
    return session.id


def _date_int(value: str, name: str) -> int:
    try:
        return int(dt.date.fromisoformat(value).strftime("%Y%m%d"))
    except ValueError:
        raise InvalidRequest(f"{name} {value!r} is not an ISO date (YYYY-MM-DD)") from None


def normalise_doc_type(value: str) -> str:
    folded = value.strip().casefold()
    folded = _DOC_TYPE_ALIASES.get(folded, folded)
    if folded not in DOC_TYPES:
        raise InvalidRequest(f"unknown doc_type {value!r}; valid types: {', '.join(DOC_TYPES)}")
    return folded
