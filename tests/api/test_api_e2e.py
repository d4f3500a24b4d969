"""End to end: the real server (`api.app.run`) on loopback, the real embedder, the real corpus."""

from __future__ import annotations

import time

import httpx
import pytest
from api_helpers import (
    ADMIN_KEY,
    BURST_KEY,
    ORIGIN,
    PUBLIC_KEY,
    STAFF_KEY,
    UPLOAD_LINES,
    UPLOAD_PHRASE,
    UPLOAD_QUESTION,
    Server,
    make_pdf,
)

pytestmark = pytest.mark.slow

QUESTION = "Was hat Bayern zur Delos Cloud gesagt?"


def test_serve_ingests_the_corpus_on_an_empty_data_dir(real_server: Server) -> None:
    first = real_server.first_health  # type: ignore[attr-defined]
    assert first["status"] in ("indexing", "ready")
    # Counts are for keys that see every collection; anonymous callers get the status only.
    anonymous = httpx.get(real_server.url + "/health").json()
    assert anonymous["status"] == "ready" and anonymous["documents"] is None
    with real_server.client(STAFF_KEY) as staff:
        health = staff.get("/health").json()
    assert health["status"] == "ready" and health["documents"] >= 2 and health["chunks"] > 10
    log = real_server.log_text()
    assert "empty index: ingesting" in log
    assert f"indexing corpus: {health['documents']}/{health['documents']} files" in log


def test_ask_and_search(real_server: Server) -> None:
    with real_server.client(STAFF_KEY) as client:
        response = client.post("/ask", json={"question": QUESTION})
        assert response.status_code == 200, response.text
        body = response.json()
        assert not body["abstained"] and "[1]" in body["answer"]
        assert any(c["speaker"] and c["speaker"]["code"] == "BY" for c in body["citations"])
        assert all(c["session"] and c["page"] >= 1 for c in body["citations"])
        hits = client.get("/search", params={"q": "Delos Cloud", "k": 5}).json()["hits"]
        assert 1 <= len(hits) <= 5 and any("Delos" in h["text"] for h in hits)


def test_upload_ask_delete(real_server: Server) -> None:
    with real_server.client(ADMIN_KEY) as client:
        created = client.post(
            "/documents",
            files={"file": ("zwergplaneten.pdf", make_pdf(UPLOAD_LINES), "application/pdf")},
        )
        assert created.status_code in (201, 202), created.text
        if created.status_code == 202:  # indexing took longer than the wait; poll the job
            for _ in range(120):
                job = client.get(created.json()["status_url"]).json()
                if job["status"] in ("done", "failed"):
                    break
                time.sleep(0.5)
            assert job["status"] == "done", job
            doc_id = job["result"]["document"]["id"]
        else:
            doc_id = created.json()["document"]["id"]

        answer = client.post("/ask", json={"question": UPLOAD_QUESTION}).json()
        cited = [c for c in answer["citations"] if c["document"]["id"] == doc_id]
        assert cited and any(UPLOAD_PHRASE in c["text"] for c in cited)
        assert any(c["speaker"] and c["speaker"]["code"] == "HE" for c in cited)

        assert client.delete(f"/documents/{doc_id}").status_code == 200
        assert client.get(f"/documents/{doc_id}").status_code == 404
        docs = client.get("/documents").json()["documents"]
        assert all(d["id"] != doc_id for d in docs)
        answer = client.post("/ask", json={"question": UPLOAD_QUESTION}).json()
        assert all(c["document"]["id"] != doc_id for c in answer["citations"])
        hits = client.get("/search", params={"q": UPLOAD_PHRASE, "k": 20}).json()["hits"]
        assert all(UPLOAD_PHRASE not in h["text"] for h in hits)


def test_official_openai_client_gets_citations(real_server: Server) -> None:
    from openai import OpenAI

    client = OpenAI(base_url=real_server.url + "/v1", api_key=STAFF_KEY, max_retries=0)
    assert [m.id for m in client.models.list()] == ["gremium"]

    completion = client.chat.completions.create(
        model="gremium", messages=[{"role": "user", "content": QUESTION}]
    )
    content = completion.choices[0].message.content or ""
    assert "[1]" in content
    citations = (completion.model_extra or {})["citations"]
    assert citations[0]["n"] == 1 and citations[0]["text"]

    stream = client.chat.completions.create(
        model="gremium", messages=[{"role": "user", "content": QUESTION}], stream=True
    )
    text, streamed_citations, finish = "", None, None
    for chunk in stream:
        extra = chunk.model_extra or {}
        if extra.get("citations"):
            streamed_citations = extra["citations"]
        if chunk.choices:
            text += chunk.choices[0].delta.content or ""
            finish = chunk.choices[0].finish_reason or finish
    assert text == content
    assert streamed_citations == citations
    assert finish == "stop"


def test_auth_on(real_server: Server) -> None:
    with real_server.client() as anonymous:
        assert anonymous.get("/health").status_code == 200
        assert anonymous.get("/widget.js").status_code == 200
        assert anonymous.post("/ask", json={"question": QUESTION}).status_code == 401
    with real_server.client("wrong-key") as wrong:
        assert wrong.get("/documents").status_code == 401
    with real_server.client(STAFF_KEY) as staff:
        upload = staff.post("/documents", files={"file": ("x.txt", b"Hallo")})
        assert upload.status_code == 403


def test_auth_off(open_server: Server) -> None:
    with open_server.client() as client:
        response = client.post("/ask", json={"question": QUESTION})
        assert response.status_code == 200 and response.json()["citations"]
        assert client.get("/documents").status_code == 200


def test_collection_limits_hold(real_server: Server) -> None:
    with real_server.client(ADMIN_KEY) as admin:
        created = admin.post(
            "/documents",
            files={"file": ("intern.pdf", make_pdf(UPLOAD_LINES))},
            data={"collection": "teilnehmer"},
            params={"wait": 60},
        )
        assert created.status_code == 201, created.text
        doc_id = created.json()["document"]["id"]
    try:
        for key, visible in ((STAFF_KEY, True), (PUBLIC_KEY, False)):
            with real_server.client(key) as client:
                listed = any(
                    d["id"] == doc_id for d in client.get("/documents").json()["documents"]
                )
                answer = client.post("/ask", json={"question": UPLOAD_QUESTION}).json()
                cited = any(c["document"]["id"] == doc_id for c in answer["citations"])
                hits = client.get("/search", params={"q": UPLOAD_PHRASE, "k": 20}).json()["hits"]
                found = any(h["document"]["id"] == doc_id for h in hits)
                assert (listed, cited, found) == (visible,) * 3, key
                assert answer["abstained"] is not visible
    finally:
        with real_server.client(ADMIN_KEY) as admin:
            assert admin.delete(f"/documents/{doc_id}").status_code == 200


def test_cors_headers(real_server: Server) -> None:
    preflight = httpx.options(
        real_server.url + "/ask",
        headers={
            "Origin": ORIGIN,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "authorization,content-type",
        },
    )
    assert preflight.status_code == 200
    assert preflight.headers["access-control-allow-origin"] == ORIGIN
    response = httpx.get(
        real_server.url + "/speakers",
        headers={"Origin": ORIGIN, "Authorization": f"Bearer {STAFF_KEY}"},
    )
    assert response.headers["access-control-allow-origin"] == ORIGIN
    assert "x-request-id" in response.headers["access-control-expose-headers"].lower()
    other = httpx.get(real_server.url + "/health", headers={"Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in other.headers


def test_rate_limit_gives_429(real_server: Server) -> None:
    with real_server.client(BURST_KEY) as client:
        statuses = [client.get("/sessions").status_code for _ in range(45)]
    assert statuses[0] == 200
    assert 429 in statuses
    first_limited = statuses.index(429)
    assert 35 <= first_limited <= 41  # the burst of 40, give or take the refill meanwhile
    with real_server.client(STAFF_KEY) as other:
        assert other.get("/sessions").status_code == 200


def test_queries_keep_answering_while_an_upload_is_indexed(real_server: Server) -> None:
    lines = [UPLOAD_LINES[0], "Protokoll", "Datum: 14.03.2024"]
    for n in range(1, 41):
        lines += [
            f"TOP {n:02d} Thema Nummer {n}",
            "HE:",
            f"Hessen berichtet zu Thema {n} über Fortschritte beim Registerabgleich, "
            "bei Schnittstellen und bei der Finanzierung durch Bund und Länder.",
        ]
    with real_server.client(ADMIN_KEY) as admin, real_server.client(STAFF_KEY) as reader:
        accepted = admin.post(
            "/documents", files={"file": ("lang.pdf", make_pdf(lines))}, params={"wait": 0}
        )
        assert accepted.status_code == 202, accepted.text
        status_url = accepted.json()["status_url"]
        latencies = []
        job = admin.get(status_url).json()
        while job["status"] in ("queued", "running") and len(latencies) < 10:
            started = time.perf_counter()
            assert reader.post("/ask", json={"question": QUESTION}).status_code == 200
            latencies.append(time.perf_counter() - started)
            job = admin.get(status_url).json()
        for _ in range(240):
            if job["status"] in ("done", "failed"):
                break
            time.sleep(0.5)
            job = admin.get(status_url).json()
        assert job["status"] == "done", job
        assert latencies and max(latencies) < 5.0, latencies
        assert admin.delete(f"/documents/{job['result']['document']['id']}").status_code == 200
