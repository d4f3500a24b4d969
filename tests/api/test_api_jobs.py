"""Job progress: the first indexing and uploads report files and passages in /jobs/{id}."""

from __future__ import annotations

from collections.abc import Callable

from api_helpers import ADMIN_KEY, KEYS
from fastapi.testclient import TestClient


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def test_the_first_indexing_is_a_job_with_progress(make_client: Callable[..., TestClient]) -> None:
    client = make_client(api_keys=KEYS, admin_keys=ADMIN_KEY)
    health = client.get("/health", headers=bearer(ADMIN_KEY)).json()
    assert health["ready"]
    job_id = health["indexing"]["job_id"]
    job = client.get(f"/jobs/{job_id}", headers=bearer(ADMIN_KEY)).json()
    assert job["kind"] == "corpus" and job["status"] == "done"
    progress = job["progress"]
    assert progress["files_done"] == progress["files_total"] == health["documents"]
    assert progress["chunks"] == health["chunks"] and progress["eta_s"] == 0.0
    assert progress["documents_committed"] == health["documents"]


def test_a_job_is_read_from_disk_when_another_worker_ran_it(
    make_client: Callable[..., TestClient],
) -> None:
    client = make_client(api_keys=KEYS, admin_keys=ADMIN_KEY)
    state = client.app.state.gremium  # type: ignore[attr-defined]
    job_id = client.get("/health", headers=bearer(ADMIN_KEY)).json()["indexing"]["job_id"]
    with state.jobs._lock:  # as seen by a worker that did not run it
        state.jobs._jobs.clear()
    job = client.get(f"/jobs/{job_id}", headers=bearer(ADMIN_KEY))
    assert job.status_code == 200 and job.json()["status"] == "done"
    assert client.get("/jobs/0123456789abcdef", headers=bearer(ADMIN_KEY)).status_code == 404
    assert client.get("/jobs/..%2F..%2Fetc", headers=bearer(ADMIN_KEY)).status_code == 404
