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
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from gremium.errors import GremiumError, IngestError, InvalidRequest, NotFound
from gremium.settings import Settings, get_settings
from gremium.types import Answer, Document, Filters, Hit, QueryPlan, Session, Speaker

if TYPE_CHECKING:
    from index.store import Index
    from ingest.pipeline import ParsedDocument

log = logging.getLogger(__name__)

# An ingest commits a new generation every COMMIT_DOCUMENTS documents or COMMIT_SECONDS
# seconds: what a crash can lose, against the cost of rewriting the index per commit.
COMMIT_DOCUMENTS = 20
COMMIT_SECONDS = 30.0
PARSE_AHEAD = 4  # parsed files waiting for the embedder

SUPPORTED_SUFFIXES = {".pdf", ".txt", ".text", ".md", ".markdown", ".html", ".htm"}


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
        after each file.
        """
        started = time.perf_counter()
        report = IngestReport()
        files = collect_files(paths)
        progress = IngestProgress(files_total=len(files))
        batch: list[ParsedDocument] = []
        vectors: dict[str, np.ndarray] = {}
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
        in a thread: parsing is Python, embedding runs in C without the GIL."""
        from ingest.pipeline import parse_bytes

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
                    try:
                        data = path.read_bytes()
                        if self.index.is_unchanged(path.name, _sha256(data)):
                            item = None
                        else:
                            item = parse_bytes(
                                data, path.name, collection=collection, source=str(path)
                            )
                    except IngestError as exc:
                        item = exc
                    except OSError as exc:
                        item = IngestError(f"cannot read {path}: {exc}")
                    if not put((str(path) if item is not None else path.name, item)):
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
        """Ingest one uploaded file; raises IngestError for a bad file (nothing is changed)."""
        from ingest.pipeline import parse_bytes

        started = time.perf_counter()
        report = IngestReport()
        if self.index.is_unchanged(filename, _sha256(data)):
            report.unchanged.append(filename)
            return report
        self._apply([parse_bytes(data, filename, collection=collection)], report)
        report.seconds = time.perf_counter() - started
        return report

    def _apply(
        self,
        parsed: list[ParsedDocument],
        report: IngestReport,
        vectors: dict[str, np.ndarray] | None = None,
    ) -> None:
        if not parsed:
            return
        with self._write_lock:
            added: list[Document] = []
            updated: list[Document] = []
            for item in parsed:
                previous = self.index.document_by_file(item.document.file)
                (updated if previous else added).append(item.document)
            self.index.upsert([(p.document, p.chunks) for p in parsed], vectors=vectors)
            # counted once the generation is written: the report never claims lost work
            report.added.extend(added)
            report.updated.extend(updated)
            report.chunks += sum(len(p.chunks) for p in parsed)

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

    def plan(self, question: str) -> QueryPlan:
        from answer.intent import detect_language, is_aggregate
        from index.query import understand

        question = question.strip()
        if not question:
            raise InvalidRequest(
                "the question is empty; ask something, e.g. 'Was hat Bayern gesagt?'"
            )
        if len(question) > self.settings.max_question_chars:
            raise InvalidRequest(
                f"the question has {len(question)} characters; at most "
                f"{self.settings.max_question_chars} are allowed"
            )
        plan = understand(question)
        return replace(plan, language=detect_language(question), aggregate=is_aggregate(question))

    def search(
        self, query: str, k: int = 10, filters: Filters | None = None, *, mode: str = "hybrid"
    ) -> list[Hit]:
        plan = self.plan(query)
        return self.index.search(plan, k=k, filters=filters or Filters(), mode=mode)

    def ask(
        self, question: str, filters: Filters | None = None, top_k: int | None = None
    ) -> Answer:
        from answer import answer_question

        started = time.perf_counter()
        plan = self.plan(question)
        k = top_k or self.settings.top_k
        hits = self.index.search(
            plan, k=max(k, 30) if plan.aggregate else max(k, 12), filters=filters or Filters()
        )
        retrieved = time.perf_counter()
        answer = answer_question(plan, hits, top_k=k, settings=self.settings)
        done = time.perf_counter()
        timings = {
            **answer.timings_ms,
            "retrieval": round((retrieved - started) * 1000, 2),
            "answer": round((done - retrieved) * 1000, 2),
        }
        return replace(answer, timings_ms=timings)

    def status(self) -> dict[str, object]:
        return self.index.stats()


def _sha256(data: bytes) -> str:
    import hashlib

    return hashlib.sha256(data).hexdigest()
