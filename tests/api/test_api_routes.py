"""The API in process, with the fake embedder: endpoints, streaming, auth, limits, CORS."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from api_helpers import (
    ADMIN_KEY,
    KEYS,
    ORIGIN,
    PUBLIC_KEY,
    STAFF_KEY,
    UPLOAD_LINES,
    UPLOAD_PHRASE,
    UPLOAD_QUESTION,
    make_pdf,
)
from fastapi.testclient import TestClient

QUESTION = "Was hat Bayern zur Delos Cloud gesagt?"


def sse_events(text: str) -> list[tuple[str, Any]]:
    events = []
    for block in text.strip().split("\n\n"):
        name, data = "message", []
        for line in block.splitlines():
            if line.startswith("event:"):
                name = line[6:].strip()
            elif line.startswith("data:"):
                data.append(line[5:].strip())
        payload = "\n".join(data)
        events.append((name, payload if payload == "[DONE]" else json.loads(payload)))
    return events


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


# -- queries -----------------------------------------------------------------------------------


def test_ask_answers_with_citations_of_the_speaker(client: TestClient) -> None:
    response = client.post("/ask", json={"question": QUESTION})
    assert response.status_code == 200
    body = response.json()
    assert body["question"] == QUESTION
    assert body["abstained"] is False
    assert "[1]" in body["answer"]
    first = body["citations"][0]
    assert first["n"] == 1
    assert first["speaker"]["code"] == "BY"
    assert first["session"]["id"] == "2024-06-27-sonder"
    assert first["agenda_item"]["number"] == "01"
    assert first["page"] == 1
    assert {"chunk_id", "text", "role", "document", "score"} <= set(first)
    assert response.headers["x-request-id"]


def test_ask_keeps_a_sane_incoming_request_id(client: TestClient) -> None:
    response = client.post("/ask", json={"question": QUESTION}, headers={"X-Request-ID": "abc-123"})
    assert response.headers["x-request-id"] == "abc-123"
    response = client.post("/ask", json={"question": QUESTION}, headers={"X-Request-ID": "a b\tc"})
    assert response.headers["x-request-id"] != "a b\tc"


def test_ask_filters_by_speaker_name_and_session(client: TestClient) -> None:
    body = client.post(
        "/ask",
        json={
            "question": "Was wurde zur Beschlussfassung gesagt?",
            "filters": {"speaker": ["Nordrhein-Westfalen"], "session": "2024-06-27"},
        },
    ).json()
    assert body["citations"]
    assert {c["speaker"]["code"] for c in body["citations"]} == {"NW"}


def test_ask_streams_meta_deltas_and_done(client: TestClient) -> None:
    plain = client.post("/ask", json={"question": QUESTION}).json()
    response = client.post("/ask", json={"question": QUESTION, "stream": True})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/event-stream")
    events = sse_events(response.text)
    names = [name for name, _ in events]
    assert names[0] == "meta" and names[-1] == "done" and names.count("delta") >= 2
    assert events[0][1]["citations"] == plain["citations"]
    text = "".join(data["text"] for name, data in events if name == "delta")
    assert text == plain["answer"]
    assert events[-1][1]["answer"] == plain["answer"]


def test_ask_streams_on_accept_header(client: TestClient) -> None:
    response = client.post(
        "/ask", json={"question": QUESTION}, headers={"Accept": "text/event-stream"}
    )
    assert response.headers["content-type"].startswith("text/event-stream")


def test_search_returns_ranked_citation_shaped_hits(client: TestClient) -> None:
    response = client.get("/search", params={"q": "Matrix-Protokoll", "k": 3, "speaker": "BW"})
    assert response.status_code == 200
    body = response.json()
    assert body["query"] == "Matrix-Protokoll" and body["k"] == 3
    assert 1 <= len(body["hits"]) <= 3
    assert [h["n"] for h in body["hits"]] == list(range(1, len(body["hits"]) + 1))
    assert all(h["speaker"]["code"] == "BW" for h in body["hits"])
    assert "Matrix" in body["hits"][0]["text"]


def test_search_mode_selects_the_retriever(client: TestClient) -> None:
    """bm25 alone ranks by keywords only; the eval's comparison rows depend on it."""
    bm25 = client.get("/search", params={"q": "Matrix-Protokoll", "k": 5, "mode": "bm25"}).json()
    dense = client.get("/search", params={"q": "Matrix-Protokoll", "k": 5, "mode": "dense"}).json()
    assert bm25["mode"] == "bm25" and dense["mode"] == "dense"
    assert bm25["hits"] and dense["hits"]
    assert all("bm25" in h["scores"] and "dense" not in h["scores"] for h in bm25["hits"])
    assert all("dense" in h["scores"] and "bm25" not in h["scores"] for h in dense["hits"])


def test_speakers_and_sessions_list_what_the_corpus_covers(client: TestClient) -> None:
    speakers = client.get("/speakers").json()
    codes = {s["code"] for s in speakers["speakers"]}
    assert {"BY", "NW", "BW", "Bund"} <= codes
    assert all(s["passages"] >= 1 for s in speakers["speakers"])
    sessions = client.get("/sessions").json()["sessions"]
    by_id = {s["id"]: s for s in sessions}
    assert by_id["2025-06-26-47"]["number"] == 47
    assert by_id["2024-06-27-sonder"]["label"] == "Sondersitzung am 27.06.2024"


def test_health_and_metrics(client: TestClient) -> None:
    health = client.get("/health").json()
    assert health["status"] == "ready" and health["ready"] is True
    assert health["documents"] == 2 and health["chunks"] > 0
    client.post("/ask", json={"question": QUESTION})
    metrics = client.get("/metrics")
    assert metrics.status_code == 200
    assert metrics.headers["content-type"].startswith("text/plain")
    text = metrics.text
    assert 'gremium_http_requests_total{method="POST",route="/ask",status="200"}' in text
    assert "gremium_http_request_duration_seconds_bucket" in text
    assert "gremium_documents_indexed 2.0" in text
    assert f"gremium_chunks_indexed {float(health['chunks'])}" in text


def test_openapi_and_docs(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    for path in (
        "/ask",
        "/search",
        "/documents",
        "/documents/{document_id}",
        "/speakers",
        "/sessions",
        "/health",
        "/metrics",
        "/v1/chat/completions",
        "/v1/models",
        "/jobs/{job_id}",
        "/widget",
    ):
        assert path in schema["paths"], path
    assert client.get("/docs").status_code == 200


def test_unknown_path_is_a_json_404(client: TestClient) -> None:
    response = client.get("/nowhere")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


# -- OpenAI-compatible -------------------------------------------------------------------------


def test_chat_completion_carries_citations(client: TestClient) -> None:
    response = client.post(
        "/v1/chat/completions",
        json={
            "model": "gremium",
            "messages": [
                {"role": "system", "content": "Du bist hilfreich."},
                {"role": "user", "content": QUESTION},
            ],
        },
    )
    assert response.status_code == 200
    body = response.json()
    assert body["object"] == "chat.completion" and body["model"] == "gremium"
    message = body["choices"][0]["message"]
    assert message["role"] == "assistant" and "[1]" in message["content"]
    assert body["choices"][0]["finish_reason"] == "stop"
    assert body["citations"][0]["speaker"]["code"] == "BY"


def test_chat_completion_takes_content_parts(client: TestClient) -> None:
    response = client.post(
        "/v1/chat/completions",
        json={"messages": [{"role": "user", "content": [{"type": "text", "text": QUESTION}]}]},
    )
    assert response.json()["citations"]


def test_chat_completion_streams_chunks_with_citations_and_done(client: TestClient) -> None:
    response = client.post(
        "/v1/chat/completions",
        json={
            "model": "gremium",
            "stream": True,
            "messages": [{"role": "user", "content": QUESTION}],
        },
    )
    assert response.status_code == 200
    events = sse_events(response.text)
    assert events[-1][1] == "[DONE]"
    chunks = [data for _, data in events[:-1]]
    assert all(c["object"] == "chat.completion.chunk" for c in chunks)
    assert chunks[0]["choices"][0]["delta"]["role"] == "assistant"
    assert chunks[0]["citations"] and chunks[-1]["citations"] == chunks[0]["citations"]
    assert chunks[-1]["choices"][0]["finish_reason"] == "stop"
    text = "".join(c["choices"][0]["delta"].get("content", "") for c in chunks)
    assert "[1]" in text


def test_chat_completion_without_user_message_is_422(client: TestClient) -> None:
    response = client.post(
        "/v1/chat/completions", json={"messages": [{"role": "system", "content": "x"}]}
    )
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid_request"


def test_models_lists_gremium(client: TestClient) -> None:
    assert [m["id"] for m in client.get("/v1/models").json()["data"]] == ["gremium"]
    assert client.get("/v1/models/gremium").json()["id"] == "gremium"
    assert client.get("/v1/models/gpt-4").status_code == 404


# -- documents ---------------------------------------------------------------------------------


def test_upload_ask_delete_roundtrip(make_client: Callable[..., TestClient]) -> None:
    client = make_client()
    before = client.get("/documents").json()["count"]
    pdf = make_pdf(UPLOAD_LINES)
    response = client.post("/documents", files={"file": ("zwerge.pdf", pdf, "application/pdf")})
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["status"] == "indexed" and body["chunks"] >= 1
    doc_id = body["document"]["id"]
    assert body["document"]["collection"] == "public"
    assert client.get(body["status_url"]).json()["status"] == "done"
    assert client.get(f"/documents/{doc_id}").json()["file"] == "zwerge.pdf"
    assert client.get("/documents").json()["count"] == before + 1

    answer = client.post("/ask", json={"question": UPLOAD_QUESTION}).json()
    assert any(
        c["document"]["id"] == doc_id and UPLOAD_PHRASE in c["text"] for c in answer["citations"]
    )

    again = client.post("/documents", files={"file": ("zwerge.pdf", pdf, "application/pdf")})
    assert again.status_code == 201 and again.json()["status"] == "unchanged"

    deleted = client.delete(f"/documents/{doc_id}")
    assert deleted.status_code == 200 and deleted.json()["deleted"]["id"] == doc_id
    assert client.get(f"/documents/{doc_id}").status_code == 404
    assert client.delete(f"/documents/{doc_id}").status_code == 404
    answer = client.post("/ask", json={"question": UPLOAD_QUESTION}).json()
    assert all(c["document"]["id"] != doc_id for c in answer["citations"])
    hits = client.get("/search", params={"q": UPLOAD_PHRASE}).json()["hits"]
    assert all(UPLOAD_PHRASE not in h["text"] for h in hits)


def test_upload_with_wait_zero_returns_a_job_to_poll(
    make_client: Callable[..., TestClient],
) -> None:
    client = make_client()
    response = client.post(
        "/documents", params={"wait": 0}, files={"file": ("zwerge.pdf", make_pdf(UPLOAD_LINES))}
    )
    assert response.status_code in (201, 202)
    status_url = response.json()["status_url"]
    state = client.app.state.gremium  # type: ignore[attr-defined]
    state.jobs.get(response.json()["job_id"]).done.wait(30)
    job = client.get(status_url).json()
    assert job["status"] == "done" and job["result"]["status"] == "indexed"
    assert client.get("/jobs/unknown").status_code == 404


# -- keys, collections, limits, CORS -----------------------------------------------------------


def test_keys_guard_every_endpoint_but_health_and_widget(
    make_client: Callable[..., TestClient],
) -> None:
    client = make_client(api_keys=KEYS, admin_keys=ADMIN_KEY)
    assert client.get("/health").status_code == 200
    for path in ("/widget", "/widget.js", "/widget.css"):
        assert client.get(path).status_code == 200, path
    for method, path, kwargs in [
        ("POST", "/ask", {"json": {"question": QUESTION}}),
        ("GET", "/search?q=Delos", {}),
        ("GET", "/documents", {}),
        ("GET", "/speakers", {}),
        ("GET", "/sessions", {}),
        ("GET", "/metrics", {}),
        ("GET", "/v1/models", {}),
        (
            "POST",
            "/v1/chat/completions",
            {"json": {"messages": [{"role": "user", "content": "x"}]}},
        ),
    ]:
        missing = client.request(method, path, **kwargs)
        assert missing.status_code == 401, path
        assert missing.json()["error"]["code"] == "unauthorized"
        assert missing.headers["www-authenticate"] == "Bearer"
        wrong = client.request(method, path, headers=bearer("nope"), **kwargs)
        assert wrong.status_code == 401, path
        ok = client.request(method, path, headers=bearer(STAFF_KEY), **kwargs)
        assert ok.status_code == 200, (path, ok.text)
    assert client.get("/documents", headers={"X-API-Key": STAFF_KEY}).status_code == 200


def test_writes_need_an_admin_key(make_client: Callable[..., TestClient]) -> None:
    client = make_client(api_keys=KEYS, admin_keys=ADMIN_KEY)
    files = {"file": ("zwerge.pdf", make_pdf(UPLOAD_LINES))}
    assert client.post("/documents", files=files).status_code == 401
    forbidden = client.post("/documents", files=files, headers=bearer(STAFF_KEY))
    assert forbidden.status_code == 403 and forbidden.json()["error"]["code"] == "forbidden"
    doc_id = client.get("/documents", headers=bearer(STAFF_KEY)).json()["documents"][0]["id"]
    assert client.delete(f"/documents/{doc_id}", headers=bearer(STAFF_KEY)).status_code == 403
    created = client.post("/documents", files=files, headers=bearer(ADMIN_KEY))
    assert created.status_code == 201


def test_collection_limits_hold_for_search_answers_and_listings(
    make_client: Callable[..., TestClient],
) -> None:
    client = make_client(api_keys=KEYS, admin_keys=ADMIN_KEY)
    created = client.post(
        "/documents",
        files={"file": ("zwerge.pdf", make_pdf(UPLOAD_LINES))},
        data={"collection": "teilnehmer"},
        headers=bearer(ADMIN_KEY),
    )
    assert created.status_code == 201, created.text
    doc_id = created.json()["document"]["id"]
    assert created.json()["document"]["collection"] == "teilnehmer"

    def sees(key: str) -> dict[str, bool]:
        headers = bearer(key)
        docs = client.get("/documents", headers=headers).json()["documents"]
        answer = client.post("/ask", json={"question": UPLOAD_QUESTION}, headers=headers).json()
        hits = client.get("/search", params={"q": UPLOAD_PHRASE, "k": 20}, headers=headers).json()[
            "hits"
        ]
        chat = client.post(
            "/v1/chat/completions",
            json={"messages": [{"role": "user", "content": UPLOAD_QUESTION}]},
            headers=headers,
        ).json()
        speakers = {s["code"] for s in client.get("/speakers", headers=headers).json()["speakers"]}
        sessions = {s["id"] for s in client.get("/sessions", headers=headers).json()["sessions"]}
        return {
            "listing": any(d["id"] == doc_id for d in docs),
            "document": client.get(f"/documents/{doc_id}", headers=headers).status_code == 200,
            "answer": any(c["document"]["id"] == doc_id for c in answer["citations"])
            or UPLOAD_PHRASE in answer["answer"],
            "search": any(h["document"]["id"] == doc_id for h in hits),
            "chat": any(c["document"]["id"] == doc_id for c in chat["citations"]),
            "speaker": "SL" in speakers,
            "session": "2024-03-14-sonder" in sessions,
        }

    assert all(sees(STAFF_KEY).values()), sees(STAFF_KEY)
    assert not any(sees(PUBLIC_KEY).values()), sees(PUBLIC_KEY)
    # a filter naming the hidden document is refused like any unknown value
    response = client.post(
        "/ask",
        json={"question": UPLOAD_QUESTION, "filters": {"document_id": doc_id}},
        headers=bearer(PUBLIC_KEY),
    )
    assert response.status_code == 422


def test_admin_keys_alone_leave_reads_open(make_client: Callable[..., TestClient]) -> None:
    client = make_client(admin_keys=ADMIN_KEY)
    assert client.post("/ask", json={"question": QUESTION}).status_code == 200
    assert client.post("/documents", files={"file": ("a.txt", b"Hallo Welt")}).status_code == 401


def test_rate_limit_gives_429_with_retry_after(make_client: Callable[..., TestClient]) -> None:
    client = make_client(api_keys=KEYS, rate_limit_per_minute=3)
    statuses = [client.get("/speakers", headers=bearer(STAFF_KEY)).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    limited = client.get("/speakers", headers=bearer(STAFF_KEY))
    assert limited.json()["error"]["code"] == "rate_limited"
    assert int(limited.headers["retry-after"]) >= 1
    # another key has its own bucket; /health is never limited
    assert client.get("/speakers", headers=bearer(PUBLIC_KEY)).status_code == 200
    assert client.get("/health").status_code == 200


def test_cors_allows_configured_origins_only(make_client: Callable[..., TestClient]) -> None:
    client = make_client(cors_origins=ORIGIN)
    preflight = client.options(
        "/ask",
        headers={
            "Origin": ORIGIN,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "authorization,content-type",
        },
    )
    assert preflight.status_code == 200
    assert preflight.headers["access-control-allow-origin"] == ORIGIN
    assert "authorization" in preflight.headers["access-control-allow-headers"].lower()
    simple = client.post("/ask", json={"question": QUESTION}, headers={"Origin": ORIGIN})
    assert simple.headers["access-control-allow-origin"] == ORIGIN
    other = client.post(
        "/ask", json={"question": QUESTION}, headers={"Origin": "https://evil.example"}
    )
    assert "access-control-allow-origin" not in other.headers


def test_no_cors_headers_by_default(client: TestClient) -> None:
    response = client.post("/ask", json={"question": QUESTION}, headers={"Origin": ORIGIN})
    assert "access-control-allow-origin" not in response.headers


# -- start-up ----------------------------------------------------------------------------------


def test_queries_answer_503_until_the_first_indexing_is_done(
    make_client: Callable[..., TestClient],
) -> None:
    client = make_client()
    state = client.app.state.gremium  # type: ignore[attr-defined]
    state._ready.clear()
    state.phase = "indexing"
    try:
        assert client.get("/health").json()["status"] == "indexing"
        response = client.post("/ask", json={"question": QUESTION})
        assert response.status_code == 503
        assert response.json()["error"]["code"] == "not_ready"
    finally:
        state._mark_ready()
    assert client.post("/ask", json={"question": QUESTION}).status_code == 200
