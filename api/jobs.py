"""Background jobs for writes: the first indexing of corpus/ and uploaded files.

One worker thread runs them in order (the facade serialises writes anyway), so
queries keep being answered while a file is embedded and indexed.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import uuid
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Literal

from gremium.errors import GremiumError
from gremium.logs import request_id

log = logging.getLogger(__name__)

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
    done: threading.Event = field(default_factory=threading.Event, repr=False)

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
            "error": {"code": self.error.code, "message": self.error.message}
            if self.error
            else None,
        }


class InternalJobError(GremiumError):
    code = "internal_error"
    status = 500


class JobRunner:
    """Runs write jobs one at a time and remembers the latest `keep` of them."""

    def __init__(self, keep: int = 1000) -> None:
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="gremium-write")
        self._jobs: OrderedDict[str, Job] = OrderedDict()
        self._keep = keep
        self._lock = threading.Lock()

    def submit(
        self,
        work: Callable[[], dict[str, Any]],
        *,
        kind: str,
        file: str | None = None,
        collection: str | None = None,
    ) -> Job:
        job = Job(id=uuid.uuid4().hex[:16], kind=kind, file=file, collection=collection)
        with self._lock:
            self._jobs[job.id] = job
            while len(self._jobs) > self._keep:
                self._jobs.popitem(last=False)
        rid = request_id.get()
        self._executor.submit(self._run, job, work, rid)
        return job

    def _run(self, job: Job, work: Callable[[], dict[str, Any]], rid: str) -> None:
        token = request_id.set(rid)
        job.status = "running"
        try:
            job.result = work()
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
            job.done.set()
            request_id.reset(token)

    def get(self, job_id: str) -> Job | None:
        with self._lock:
            return self._jobs.get(job_id)

    def shutdown(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
