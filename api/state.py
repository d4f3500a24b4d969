"""What one running app holds: the facade (opened once), keys, limiter, metrics, jobs.

Start-up opens the index and loads the embedding model once. On an empty index the
corpus folder is ingested by the write worker, in batches with progress in the log;
until that is done `/health` says `indexing` and query endpoints answer 503.
"""

from __future__ import annotations

import contextlib
import logging
import math
import threading
import time
from pathlib import Path
from typing import Any

from api.auth import KeyRing
from api.convert import document_dict
from api.jobs import Job, JobRunner
from api.metrics import Metrics
from api.ratelimit import TokenBucketLimiter
from gremium.errors import IndexLocked, NotReady
from gremium.service import Gremium, IngestProgress, collect_files
from gremium.settings import Settings
from index.generations import writer_lock

log = logging.getLogger(__name__)


class AppState:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.keys = KeyRing.from_settings(settings)
        self.cors_origins = [o.strip() for o in settings.cors_origins.split(",") if o.strip()]
        # Each worker process keeps its own buckets; the kernel spreads connections over
        # the workers, so each enforces its share of the configured limit.
        self.limiter = TokenBucketLimiter(
            math.ceil(settings.rate_limit_per_minute / settings.workers)
        )
        self.jobs = JobRunner(folder=settings.data_dir / "jobs")
        self.metrics = Metrics(self.index_figures)
        self.phase = "starting"  # -> "indexing" -> "ready"
        self.progress: dict[str, Any] | None = None
        self._service: Gremium | None = None
        self._ready = threading.Event()
        self._stopping = threading.Event()
        self._follower: threading.Thread | None = None

    # -- lifecycle ------------------------------------------------------------------------

    def start(self) -> None:
        """Open the index and model; schedule the first indexing when the index is empty."""
        started = time.perf_counter()
        self._service = Gremium.open(self.settings, batch_queries=True)
        log.info(
            "index opened from %s with embedder %s in %.1f s",
            self.settings.index_dir,
            self.settings.embedder,
            time.perf_counter() - started,
        )
        self._follower = threading.Thread(
            target=self._follow_index, name="gremium-index-follower", daemon=True
        )
        self._follower.start()
        self.jobs.load()
        interrupted = self.jobs.resumable()
        corpus_interrupted = any(job.kind == "corpus" for job, _ in interrupted)
        self._schedule_corpus(corpus_interrupted)
        for job, payload in interrupted:
            self._resume(job, payload)

    def _schedule_corpus(self, interrupted: bool) -> None:
        """Ingest corpus/ when the index is empty, or finish a first indexing cut short."""
        has_documents = bool(self.service.documents())
        if has_documents and not interrupted:
            self._mark_ready()
            return
        files = (
            collect_files([self.settings.corpus_dir]) if self.settings.corpus_dir.is_dir() else []
        )
        if not files:
            if not has_documents:
                log.warning(
                    "the index is empty and %s holds no files to ingest", self.settings.corpus_dir
                )
            self._mark_ready()
            return
        if has_documents:  # serve what is there; the rest follows (unchanged files are skipped)
            self._mark_ready()
            log.info("the first indexing was interrupted; completing it in the background")
        else:
            self.phase = "indexing"
        self.progress = {"files_done": 0, "files_total": len(files), "chunks": 0, "failed": 0}
        job = self.jobs.submit(lambda job: self._index_corpus(files, job), kind="corpus")
        self.progress["job_id"] = job.id

    def _resume(self, job: Job, payload: bytes | None) -> None:
        """Run again what an earlier process accepted but did not finish."""
        if job.kind == "corpus":
            self.jobs.abandon(job, "the server stopped during the first indexing; it was run again")
            return
        if payload is None or not job.file or not job.collection:
            self.jobs.abandon(
                job,
                "the server stopped before this upload was indexed and its file was lost; "
                "upload it again",
            )
            return
        name, collection = job.file, job.collection
        log.info("resuming upload job %s (%s) accepted before the restart", job.id, name)
        self.jobs.resume(job, lambda job: self.ingest_upload(payload, name, collection))

    def ingest_upload(self, data: bytes, name: str, collection: str) -> dict[str, Any]:
        """Index one uploaded file: what the upload job returns."""
        service = self.service
        report = service.ingest_bytes(data, name, collection=collection)
        docs = report.added + report.updated
        if docs:
            return {
                "status": "indexed",
                "document": document_dict(docs[0]),
                "chunks": report.chunks,
            }
        # Unchanged: the same bytes under the same name are already in this collection.
        same = service.index.document_by_file(name, collection)
        return {
            "status": "unchanged",
            "document": document_dict(same) if same else None,
            "chunks": 0,
        }

    def _index_corpus(self, files: list[Path], job: Job) -> dict[str, Any]:
        service, progress = self.service, self.progress
        assert progress is not None, "start() sets the progress before queuing this job"
        with contextlib.ExitStack() as held:
            # Every worker of `gremium serve --workers N` starts on the same empty index.
            # The first to take the writer lock ingests; the others wait here, then find
            # the files indexed and skip them as unchanged: the corpus is embedded once.
            while not self._stopping.is_set():
                try:
                    held.enter_context(writer_lock(service.index.path, timeout=1.0))
                    break
                except IndexLocked:
                    progress["waiting_for_other_worker"] = True
            else:
                return dict(progress)
            progress.pop("waiting_for_other_worker", None)
            # wait for a load the index follower may have under way: deciding from an
            # older generation would embed again what the other worker just wrote
            service.index.refresh(wait=True)
            if service.documents():
                # Another worker indexed the corpus; what it did not finish (a crash) is
                # done here, the rest is skipped as unchanged.
                log.info("the corpus was indexed by another worker; checking %d files", len(files))
            else:
                log.info(
                    "empty index: ingesting %d files from %s", len(files), self.settings.corpus_dir
                )
            logged = [0.0]

            def report(now: IngestProgress) -> None:
                progress.update(now.to_dict())
                job.report(dict(progress))
                if time.monotonic() - logged[0] >= 5 or now.files_done == now.files_total:
                    logged[0] = time.monotonic()
                    log.info(
                        "indexing corpus: %d/%d files, %d passages, %s passages/s",
                        now.files_done,
                        now.files_total,
                        now.chunks,
                        progress["chunks_per_s"],
                    )

            try:
                result = service.ingest_paths(files, on_progress=report)
                for path, error in result.failed:
                    log.warning("not indexed: %s (%s)", path, error.message)
            finally:
                # Serve what was indexed even if the ingest failed unexpectedly; the log says why.
                self._mark_ready()
        return dict(progress)

    def _mark_ready(self) -> None:
        self.phase = "ready"
        self._ready.set()
        log.info("ready to answer")

    def stop(self) -> None:
        self._stopping.set()
        self.jobs.shutdown()
        if self._follower is not None:
            self._follower.join(timeout=5)

    def _follow_index(self) -> None:
        """Serve generations that other processes write (`gremium ingest`, cron, workers).

        A stat of CURRENT every GREMIUM_REFRESH_INTERVAL_S; a new generation is loaded
        here, off the request path, and swapped in whole, so queries never wait for it.
        """
        service = self.service
        failing = False
        while not self._stopping.wait(self.settings.refresh_interval_s):
            try:
                if service.index.refresh():
                    stats = service.status()
                    log.info(
                        "serving index generation %s from disk: %s documents, %s passages",
                        stats.get("generation"),
                        stats.get("documents"),
                        stats.get("chunks"),
                    )
                failing = False
            except Exception as exc:  # keep serving the loaded generation, say why once
                if not failing:
                    log.error(
                        "cannot load the index generation on disk, serving the loaded one: %s", exc
                    )
                failing = True

    # -- access ---------------------------------------------------------------------------

    @property
    def service(self) -> Gremium:
        if self._service is None:
            raise NotReady("the index is still being opened; retry in a few seconds")
        return self._service

    @property
    def ready(self) -> bool:
        return self._ready.is_set()

    def ready_service(self) -> Gremium:
        """The facade for queries, or NotReady while the first indexing runs."""
        if not self.ready:
            done = (self.progress or {}).get("files_done", 0)
            total = (self.progress or {}).get("files_total", 0)
            raise NotReady(
                f"the index is being built ({done}/{total} files); retry shortly, /health shows progress"
            )
        return self.service

    def wait_ready(self, timeout: float | None = None) -> bool:
        return self._ready.wait(timeout)

    def index_figures(self) -> dict[str, Any]:
        """Documents and chunks in the index, for /health and /metrics."""
        figures: dict[str, Any] = {"ready": self.ready, "documents": 0, "chunks": 0}
        if self._service is None:
            return figures
        stats = self._service.status()
        for name in ("documents", "chunks"):
            value = stats.get(name)
            figures[name] = value if isinstance(value, int) else 0
        return figures
