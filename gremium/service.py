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
import threading
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from gremium.errors import GremiumError, IngestError, InvalidRequest, NotFound
from gremium.logs import progress
from gremium.settings import Settings, get_settings
from gremium.types import Answer, Document, Filters, Hit, QueryPlan, Session, Speaker

if TYPE_CHECKING:
    from index.store import Index
    from ingest.pipeline import ParsedDocument

log = logging.getLogger(__name__)

SUPPORTED_SUFFIXES = {".pdf", ".txt", ".text", ".md", ".markdown", ".html", ".htm"}


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
            embedder = QueryBatcher(embedder, window_ms=settings.embed_batch_window_ms)
        index = Index.open(
            settings.index_dir,
            embedder,
            context_header=settings.embed_context_header,
            fusion=settings.fusion,
        )
        return cls(settings, index)

    # -- ingest -------------------------------------------------------------------------------

    def ingest_paths(self, paths: Sequence[Path], *, collection: str = "public") -> IngestReport:
        """Add or update files and folders; unchanged files are skipped, bad files reported."""
        from ingest.pipeline import parse_bytes

        started = time.perf_counter()
        report = IngestReport()
        files = collect_files(paths)
        parsed = []
        for path in progress(files, total=len(files), desc="parse"):
            try:
                data = path.read_bytes()
                if self.index.is_unchanged(path.name, _sha256(data)):
                    report.unchanged.append(path.name)
                    continue
                parsed.append(parse_bytes(data, path.name, collection=collection, source=str(path)))
            except IngestError as exc:
                log.warning("skipping %s: %s", path, exc.message)
                report.failed.append((str(path), exc))
            except OSError as exc:
                report.failed.append((str(path), IngestError(f"cannot read {path}: {exc}")))
        self._apply(parsed, report)
        report.seconds = time.perf_counter() - started
        return report

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

    def _apply(self, parsed: list[ParsedDocument], report: IngestReport) -> None:
        if not parsed:
            return
        with self._write_lock:
            for item in parsed:
                previous = self.index.document_by_file(item.document.file)
                (report.updated if previous else report.added).append(item.document)
                report.chunks += len(item.chunks)
            self.index.upsert([(p.document, p.chunks) for p in parsed])

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
