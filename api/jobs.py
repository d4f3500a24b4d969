"""Background jobs for writes: the first indexing of corpus/ and uploaded files.

One worker thread runs them in order (the facade serialises writes anyway), so
queries keep being answered while a file is embedded and indexed.

Jobs are kept on disk (`<data dir>/jobs/`): a JSON record each, and an accepted upload's
bytes until its job has finished. A job answered 202 therefore survives a crash or a
restart: its status stays readable, and an upload that had not been indexed yet is run
again at start-up (`resumable()`). With `gremium serve --workers N` any worker answers
`GET /jobs/{id}` from the record, not only the one that runs the job; a running job
reports its progress there (`Job.report`).
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
    resumed: bool = False  # run again after a restart
    progress: dict[str, Any] | None = None  # files and passages so far, with an ETA
    done: threading.Event = field(default_factory=threading.Event, repr=False)
    on_change: Callable[[Job], None] | None = field(default=None, repr=False)
    _reported: float = field(default=0.0, repr=False)

    def report(self, progress: dict[str, Any]) -> None:
        """Record progress; written to the job's record at most once a second."""
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
            "resumed": self.resumed,
            "result": self.result,
            "progress": self.progress,
            "error": {"code": self.error.code, "message": self.error.message}
            if self.error
            else None,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Job:
        error = data.get("error")
        job = cls(
            id=str(data["id"]),
            kind=str(data.get("kind", "upload")),
            file=data.get("file"),
            collection=data.get("collection"),
            status=data.get("status", "failed"),
            created_at=str(data.get("created_at") or _now()),
            finished_at=data.get("finished_at"),
            result=data.get("result"),
            error=StoredJobError(error["code"], error["message"]) if error else None,
            resumed=bool(data.get("resumed")),
            progress=data.get("progress"),
        )
        if job.status in ("done", "failed"):
            job.done.set()
        return job


class InternalJobError(GremiumError):
    code = "internal_error"
    status = 500


class StoredJobError(GremiumError):
    """A job's error as read back from disk: its code and message, status by its kind."""

    status = 422

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        if code == "internal_error":
            self.status = 500


class JobInterrupted(GremiumError):
    code = "interrupted"
    status = 503


class JobRunner:
    """Runs write jobs one at a time and remembers the latest `keep` of them.

    With `folder`, jobs are written there and read back by `load()`; without, they live
    in memory only (tests, tools).
    """

    def __init__(self, folder: Path | None = None, keep: int = 1000) -> None:
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
        payload: bytes | None = None,
    ) -> Job:
        """Queue `work(job)`, which may call `job.report(progress)` as it goes; `payload` (an
        upload's bytes) is kept on disk until the job ends."""
        job = Job(id=uuid.uuid4().hex[:16], kind=kind, file=file, collection=collection)
        job.on_change = self._save
        if payload is not None:
            self._spool(job.id, payload)
        self._remember(job)
        self._save(job)
        self._start(job, work)
        return job

    def resume(self, job: Job, work: Callable[[Job], dict[str, Any]]) -> None:
        """Run an unfinished job of an earlier process again."""
        job.status, job.resumed, job.on_change = "queued", True, self._save
        self._save(job)
        self._start(job, work)

    def resumable(self) -> list[tuple[Job, bytes | None]]:
        """Jobs an earlier process accepted and did not finish, with their upload bytes."""
        found = []
        for job in list(self._jobs.values()):
            if job.status in ("queued", "running") and not job.done.is_set():
                found.append((job, self._spooled(job.id)))
        return found

    def abandon(self, job: Job, message: str) -> None:
        """Mark an unfinished job of an earlier process as failed: it cannot be run again."""
        job.status, job.error, job.finished_at = "failed", JobInterrupted(message), _now()
        job.done.set()
        self._save(job)

    def _start(self, job: Job, work: Callable[[Job], dict[str, Any]]) -> None:
        rid = request_id.get()
        self._executor.submit(self._run, job, work, rid)

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
            self._unspool(job.id)
            job.done.set()
            request_id.reset(token)

    def get(self, job_id: str) -> Job | None:
        with self._lock:
            return self._jobs.get(job_id)

    def status(self, job_id: str) -> dict[str, Any] | None:
        """A job's state as `Job.to_dict`, also for a job another worker runs."""
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

    # -- keeping ---------------------------------------------------------------------------

    def _remember(self, job: Job) -> None:
        with self._lock:
            self._jobs[job.id] = job
            finished = [j for j in self._jobs.values() if j.done.is_set()]
            for old in finished[: max(0, len(self._jobs) - self._keep)]:
                del self._jobs[old.id]
                self._forget(old.id)

    def load(self) -> None:
        """Read the jobs of earlier processes (call once, at start-up)."""
        if self._folder is None:
            return
        self._folder.mkdir(parents=True, exist_ok=True)
        jobs = []
        for path in self._folder.glob("*.json"):
            try:
                jobs.append(Job.from_dict(json.loads(path.read_text(encoding="utf-8"))))
            except (OSError, ValueError, KeyError, TypeError) as exc:
                log.warning("ignoring unreadable job record %s: %s", path.name, exc)
        for job in sorted(jobs, key=lambda j: j.created_at):
            self._remember(job)

    def _save(self, job: Job) -> None:
        if self._folder is None:
            return
        try:
            _write_durably(self._folder / f"{job.id}.json", json.dumps(job.to_dict()).encode())
        except OSError as exc:  # the job still runs; only its record may be lost
            log.error("cannot write the record of job %s: %s", job.id, exc)

    def _spool(self, job_id: str, payload: bytes) -> None:
        if self._folder is not None:
            _write_durably(self._folder / f"{job_id}.upload", payload)

    def _spooled(self, job_id: str) -> bytes | None:
        if self._folder is None:
            return None
        try:
            return (self._folder / f"{job_id}.upload").read_bytes()
        except OSError:
            return None

    def _unspool(self, job_id: str) -> None:
        if self._folder is not None:
            with contextlib.suppress(FileNotFoundError):
                (self._folder / f"{job_id}.upload").unlink()

    def _forget(self, job_id: str) -> None:
        if self._folder is not None:
            for suffix in (".json", ".upload"):
                with contextlib.suppress(FileNotFoundError):
                    (self._folder / f"{job_id}{suffix}").unlink()


def _write_durably(path: Path, data: bytes) -> None:
    """Write via a temporary file, fsync, rename: a crash leaves the old or the new file."""
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
