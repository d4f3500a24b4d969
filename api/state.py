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
        if self._service.documents():
            self._mark_ready()
            return
        files = (
            collect_files([self.settings.corpus_dir]) if self.settings.corpus_dir.is_dir() else []
        )
        if not files:
            log.warning(
                "the index is empty and %s holds no files to ingest", self.settings.corpus_dir
            )
            self._mark_ready()
            return
        self.phase = "indexing"
        self.progress = {"files_done": 0, "files_total": len(files), "chunks": 0, "failed": 0}
        job = self.jobs.submit(lambda job: self._index_corpus(files, job), kind="corpus")
        self.progress["job_id"] = job.id

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
            service.index.refresh()
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
