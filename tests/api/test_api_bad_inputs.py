"""Bad input gets its documented 4xx, the server stays up and the index is unchanged."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from api_helpers import make_pdf
from fastapi.testclient import TestClient

from api.app import create_app
from gremium.settings import Settings

OK_PDF = make_pdf(["Sitzung am 01.02.2024", "HE:", "Hessen spricht zum Testthema."])


def corrupt_pdf() -> bytes:
    return OK_PDF[: len(OK_PDF) // 3] + b"\x00garbage\xff" * 50


def ask(question: Any, **extra: Any) -> dict[str, Any]:
    return {"method": "POST", "url": "/ask", "json": {"question": question, **extra}}


def upload(name: str, data: bytes, **form: str) -> dict[str, Any]:
    return {"method": "POST", "url": "/documents", "files": {"file": (name, data)}, "data": form}


CASES: list[tuple[str, dict[str, Any], int, str]] = [
    ("empty question", ask(""), 422, "invalid_request"),
    ("blank question", ask("   \n "), 422, "invalid_request"),
    ("100 KB question", ask("Delos " * 17_000), 422, "invalid_request"),
    ("question not a string", ask(["Delos"]), 422, "invalid_request"),
    ("missing question", {"method": "POST", "url": "/ask", "json": {}}, 422, "invalid_request"),
    ("unknown speaker", ask("Delos", filters={"speaker": ["XX"]}), 422, "invalid_request"),
    ("unknown session", ask("Delos", filters={"session": 99}), 422, "invalid_request"),
    ("unknown doc_type", ask("Delos", filters={"doc_type": "memo"}), 422, "invalid_request"),
    ("bad date", ask("Delos", filters={"date_from": "gestern"}), 422, "invalid_request"),
    (
        "dates swapped",
        ask("Delos", filters={"date_from": "2025-01-01", "date_to": "2024-01-01"}),
        422,
        "invalid_request",
    ),
    ("unknown document", ask("Delos", filters={"document_id": "nope"}), 422, "invalid_request"),
    ("unknown filter key", ask("Delos", filters={"colour": "blue"}), 422, "invalid_request"),
    ("top_k zero", ask("Delos", top_k=0), 422, "invalid_request"),
    (
        "malformed JSON",
        {
            "method": "POST",
            "url": "/ask",
            "content": b'{"question": "Delos"',
            "headers": {"Content-Type": "application/json"},
        },
        400,
        "malformed_json",
    ),
    (
        "JSON body too large",
        {
            "method": "POST",
            "url": "/ask",
            "content": b"[" + b"1," * 600_000 + b"1]",
            "headers": {"Content-Type": "application/json"},
        },
        413,
        "payload_too_large",
    ),
    ("search without q", {"method": "GET", "url": "/search"}, 422, "invalid_request"),
    ("search k=0", {"method": "GET", "url": "/search?q=Delos&k=0"}, 422, "invalid_request"),
    (
        "search unknown mode",
        {"method": "GET", "url": "/search?q=Delos&mode=magic"},
        422,
        "invalid_request",
    ),
    (
        "search unknown speaker",
        {"method": "GET", "url": "/search?q=Delos&speaker=XX"},
        422,
        "invalid_request",
    ),
    (
        "search unknown session",
        {"method": "GET", "url": "/search?q=Delos&session=12"},
        422,
        "invalid_request",
    ),
    (
        "chat without messages",
        {"method": "POST", "url": "/v1/chat/completions", "json": {"messages": []}},
        422,
        "invalid_request",
    ),
    ("0-byte upload", upload("leer.pdf", b""), 422, "empty_document"),
    ("corrupt PDF", upload("kaputt.pdf", corrupt_pdf()), 422, "corrupt_file"),
    ("not a PDF at all", upload("falsch.pdf", b"Hallo, ich bin kein PDF."), 422, "corrupt_file"),
    (
        "encrypted PDF",
        upload("geheim.pdf", make_pdf(["Geheim"], password="geheim")),
        422,
        "encrypted_pdf",
    ),
    ("oversized upload", upload("gross.txt", b"Delos Cloud " * 200_000), 413, "file_too_large"),
    ("executable", upload("tool.exe", b"MZ\x90\x00" + b"\x00" * 4000), 415, "unsupported_format"),
    (
        "executable named .txt",
        upload("liesmich.txt", b"\x7fELF\x02\x01\x01" + b"\x00" * 4000),
        415,
        "unsupported_format",
    ),
    ("no extension", upload("protokoll", b"Sitzung"), 415, "unsupported_format"),
    ("path traversal", upload("../../etc/passwd.txt", b"root:x:0:0"), 400, "invalid_filename"),
    ("windows path traversal", upload("..\\..\\boot.txt", b"x"), 400, "invalid_filename"),
    ("bad collection", upload("ok.pdf", OK_PDF, collection="../geheim"), 422, "invalid_request"),
    (
        "no file field",
        {"method": "POST", "url": "/documents", "data": {"x": "y"}},
        422,
        "invalid_request",
    ),
    ("unknown document", {"method": "GET", "url": "/documents/nope"}, 404, "not_found"),
    ("delete unknown document", {"method": "DELETE", "url": "/documents/nope"}, 404, "not_found"),
    ("unknown job", {"method": "GET", "url": "/jobs/nope"}, 404, "not_found"),
    ("wrong method", {"method": "PUT", "url": "/ask"}, 405, "method_not_allowed"),
]


@pytest.fixture(scope="module")
def strict_client(
    tmp_path_factory: pytest.TempPathFactory, small_corpus: Path
) -> Iterator[TestClient]:
    settings = Settings(
        embedder="fake",
        data_dir=tmp_path_factory.mktemp("data"),
        corpus_dir=small_corpus,
        rate_limit_per_minute=0,
        max_upload_mb=1,
    )
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        assert client.app.state.gremium.wait_ready(60)  # type: ignore[attr-defined]
        yield client


def index_snapshot(client: TestClient) -> tuple[Any, ...]:
    health = client.get("/health").json()
    docs = client.get("/documents").json()["documents"]
    return health["documents"], health["chunks"], sorted(d["id"] for d in docs)


@pytest.mark.parametrize(
    ("case", "request_args", "status", "code"), CASES, ids=[c[0] for c in CASES]
)
def test_bad_input_gets_its_4xx_and_leaves_the_index_alone(
    strict_client: TestClient, case: str, request_args: dict[str, Any], status: int, code: str
) -> None:
    before = index_snapshot(strict_client)
    response = strict_client.request(**request_args)
    assert response.status_code == status, response.text
    body = response.json()
    assert body["error"]["code"] == code
    assert body["error"]["message"]
    assert index_snapshot(strict_client) == before
    assert strict_client.post("/ask", json={"question": "Delos Cloud"}).status_code == 200
