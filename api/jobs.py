"""Background jobs for writes: the first indexing of corpus/ and uploaded files.

One worker thread runs them in order (the facade serialises writes anyway), so
queries keep being answered while a file is embedded and indexed. A job's state is
also written to `folder/<id>.json`, so that with `gremium serve --workers N` any worker
can answer `GET /jobs/{id}`, not only the one that runs the job.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
import os
import re
import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from gremium.errors import GremiumError
from gremium.logs import request_id

log = logging.getLogger(__name__)
_JOB_ID = re.compile(r"[0-9a-f]{16}")

JobStatus = Literal["queued", "running", "done", "failed"]


@dataclass
class Job:
    id: str
    kind: str  # "upload" or "corpus"
    file: str | None = None
    collection: str | None = None
    status: JobStatus = "queued"
    created_at: str = field(default_factory=lambda: _now())
    finished_at: str | None = None
    result: dict[str, Any] | None = None
    error: GremiumError | None = None
    progress: dict[str, Any] | None = None  # files and chunks so far, with an ETA
    done: threading.Event = field(default_factory=threading.Event, repr=False)
    on_change: Callable[[Job], None] | None = field(default=None, repr=False)
    _reported: float = field(default=0.0, repr=False)

    def report(self, progress: dict[str, Any]) -> None:
        """Record progress; persisted at most once a second."""
        self.progress = progress
        now = time.monotonic()
        if self.on_change is not None and now - self._reported >= 1.0:
            self._reported = now
            self.on_change(self)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "status": self.status,
            "file": self.file,
            "collection": self.collection,
            "created_at": self.created_at,
            "finished_at": self.finished_at,
            "result": self.result,
            "progress": self.progress,
            "error": {"code": self.error.code, "message": self.error.message}
            if self.error
            else None,
        }


class InternalJobError(GremiumError):
    code = "internal_error"
    status = 500


class JobRunner:
    """Runs write jobs one at a time and remembers the latest `keep` of them."""

    def __init__(self, keep: int = 1000, folder: Path | None = None) -> None:
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="gremium-write")
        self._jobs: OrderedDict[str, Job] = OrderedDict()
        self._keep = keep
        self._lock = threading.Lock()
        self._folder = folder

    def submit(
        self,
        work: Callable[[Job], dict[str, Any]],
        *,
        kind: str,
        file: str | None = None,
        collection: str | None = None,
    ) -> Job:
        """Queue `work(job)`; it may call `job.report(progress)` as it goes."""
        job = Job(
            id=uuid.uuid4().hex[:16],
            kind=kind,
            file=file,
            collection=collection,
            on_change=self._save,
        )
        with self._lock:
            self._jobs[job.id] = job
            while len(self._jobs) > self._keep:
                old, _ = self._jobs.popitem(last=False)
                self._forget(old)
        self._save(job)
        rid = request_id.get()
        self._executor.submit(self._run, job, work, rid)
        return job

    def _save(self, job: Job) -> None:
        if self._folder is None:
            return
        try:
            self._folder.mkdir(parents=True, exist_ok=True)
            tmp = self._folder / f".{job.id}.{os.getpid()}.tmp"
            tmp.write_text(json.dumps(job.to_dict(), ensure_ascii=False), encoding="utf-8")
            os.replace(tmp, self._folder / f"{job.id}.json")
        except OSError as exc:  # the job itself goes on; only other workers cannot see it
            log.warning("cannot save the state of job %s: %s", job.id, exc)

    def _forget(self, job_id: str) -> None:
        if self._folder is not None:
            with contextlib.suppress(OSError):
                (self._folder / f"{job_id}.json").unlink()

    def _run(self, job: Job, work: Callable[[Job], dict[str, Any]], rid: str) -> None:
        token = request_id.set(rid)
        job.status = "running"
        self._save(job)
        try:
            job.result = work(job)
            job.status = "done"
        except GremiumError as exc:
            job.error = exc
            job.status = "failed"
            log.warning("job %s (%s) failed: %s", job.id, job.file or job.kind, exc.message)
        except Exception:
            log.exception("job %s (%s) failed unexpectedly", job.id, job.file or job.kind)
            job.error = InternalJobError(
                f"the job failed with an internal error; quote job id {job.id} when reporting it"
            )
            job.status = "failed"
        finally:
            job.finished_at = _now()
            self._save(job)
            job.done.set()
            request_id.reset(token)

    def get(self, job_id: str) -> Job | None:
        with self._lock:
            return self._jobs.get(job_id)

    def status(self, job_id: str) -> dict[str, Any] | None:
        """A job's state as `Job.to_dict`, also for jobs that another worker runs."""
        job = self.get(job_id)
        if job is not None:
            return job.to_dict()
        if self._folder is None or not _JOB_ID.fullmatch(job_id):
            return None
        try:
            data: dict[str, Any] = json.loads(
                (self._folder / f"{job_id}.json").read_text(encoding="utf-8")
            )
        except (OSError, ValueError):
            return None
        return data

    def shutdown(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
