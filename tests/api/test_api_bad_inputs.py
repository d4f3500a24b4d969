"""The API's bad-input table: every case gets its documented 4xx (or is cleaned and answered),
carries X-Request-ID, leaves the index unchanged, and the server answers the next question.

Cases are (name, request, status, error code); a code of None marks input that is cleaned
and answered (200). KEYED_CASES run against an app with API keys.
"""

from __future__ import annotations

import codecs
import gzip
import json
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from api_helpers import ADMIN_KEY, KEYS, LOOPBACK, PUBLIC_KEY, STAFF_KEY, make_pdf
from fastapi.testclient import TestClient

from api.app import create_app
from bench.hostile import shared_stream_pdf
from gremium.settings import Settings

OK_PDF = make_pdf(["Sitzung am 01.02.2024", "HE:", "Hessen spricht zum Testthema."])
LONG_PDF = make_pdf(["Sitzung am 01.02.2024", "HE:", "Hessen spricht zum Testthema. " * 40] * 8)

Case = tuple[str, dict[str, Any], int, "str | None"]
IR = "invalid_request"
JSON_TYPE = {"Content-Type": "application/json"}


def corrupt_pdf() -> bytes:
    return OK_PDF[: len(OK_PDF) // 3] + b"\x00garbage\xff" * 50


def damaged_in_the_middle(seed: int) -> bytes:
    data = bytearray(LONG_PDF)
    noise = random.Random(seed)
    for i in range(len(data) // 3, 2 * len(data) // 3):
        data[i] = noise.randrange(256)
    return bytes(data)


def encrypted(user_password: str | None, method: str) -> bytes:
    from fpdf import FPDF
    from fpdf.enums import EncryptionMethod

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    pdf.cell(0, 10, "Geheim")
    pdf.set_encryption(
        owner_password="owner",
        user_password=user_password,
        encryption_method=EncryptionMethod[method],
    )
    return bytes(pdf.output())


def scan_pdf() -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.rect(20, 20, 100, 60, style="F")
    return bytes(pdf.output())


def as_json(url: str, payload: Any) -> dict[str, Any]:
    """A JSON request, non-ASCII as escapes: a lone surrogate travels as `\\ud800`."""
    body = json.dumps(payload, ensure_ascii=True).encode("ascii")
    return {"method": "POST", "url": url, "content": body, "headers": JSON_TYPE}


def with_headers(request: dict[str, Any], **headers: Any) -> dict[str, Any]:
    named = {k.replace("_", "-"): v for k, v in headers.items()}
    return {**request, "headers": {**request.get("headers", {}), **named}}


def ask(question: Any, **extra: Any) -> dict[str, Any]:
    return as_json("/ask", {"question": question, **extra})


def raw(url: str, body: bytes, content_type: str = "application/json", **kw: Any) -> dict[str, Any]:
    headers = {"Content-Type": content_type, **kw.pop("headers", {})}
    return {"method": "POST", "url": url, "content": body, "headers": headers, **kw}


def filters(**values: Any) -> dict[str, Any]:
    return ask("Delos Cloud", filters=values)


def history(turns: Any) -> dict[str, Any]:
    return ask("Und was sagte Hessen dazu?", history=turns)


def chat(messages: Any, **extra: Any) -> dict[str, Any]:
    return as_json("/v1/chat/completions", {"messages": messages, **extra})


def raw_upload(filename: bytes, data: bytes) -> dict[str, Any]:
    """A multipart upload written by hand, so that the file name reaches the server as is."""
    body = (
        b'--gremium\r\nContent-Disposition: form-data; name="file"; filename="'
        + filename
        + b'"\r\nContent-Type: application/octet-stream\r\n\r\n'
        + data
        + b"\r\n--gremium--\r\n"
    )
    return raw("/documents", body, "multipart/form-data; boundary=gremium")


def search(query: str) -> dict[str, Any]:
    return {"method": "GET", "url": "/search?" + query}


def upload(name: str, data: bytes, **form: str) -> dict[str, Any]:
    return {"method": "POST", "url": "/documents", "files": {"file": (name, data)}, "data": form}


def call(method: str, url: str, **kw: Any) -> dict[str, Any]:
    return {"method": method, "url": url, **kw}


CASES: list[Case] = [
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
    ("get unknown document", {"method": "GET", "url": "/documents/nope"}, 404, "not_found"),
    ("delete unknown document", {"method": "DELETE", "url": "/documents/nope"}, 404, "not_found"),
    ("unknown job", {"method": "GET", "url": "/jobs/nope"}, 404, "not_found"),
    ("wrong method", {"method": "PUT", "url": "/ask"}, 405, "method_not_allowed"),
]


BAD_JSON: list[Case] = [
    ("body not JSON", raw("/ask", b"Delos Cloud"), 400, "malformed_json"),
    ("empty body", raw("/ask", b""), 422, IR),
    ("JSON null", raw("/ask", b"null"), 422, IR),
    ("JSON array", raw("/ask", b'["Delos"]'), 422, IR),
    ("JSON number", raw("/ask", b"42"), 422, IR),
    ("JSON string", raw("/ask", b'"Delos"'), 422, IR),
    ("JSON true", raw("/ask", b"true"), 422, IR),
    ("trailing comma", raw("/ask", b'{"question": "Delos",}'), 400, "malformed_json"),
    ("single quotes", raw("/ask", b"{'question': 'Delos'}"), 400, "malformed_json"),
    ("not UTF-8", raw("/ask", b'{"question": "Bayern \xff Cloud"}'), 400, "malformed_json"),
    ("UTF-16 body is read", raw("/ask", '{"question": "Delos"}'.encode("utf-16")), 200, None),
    ("nested 100k deep", raw("/ask", b"[" * 100_000 + b"]" * 100_000), 400, "malformed_json"),
    ("NaN top_k", raw("/ask", b'{"question": "Delos", "top_k": NaN}'), 422, IR),
    ("huge top_k", raw("/ask", b'{"question": "Delos", "top_k": 1e400}'), 422, IR),
    (
        "form-encoded body",
        raw("/ask", b"question=Delos", "application/x-www-form-urlencoded"),
        422,
        IR,
    ),
    ("text/plain body", raw("/ask", b'{"question": "Delos"}', "text/plain"), 422, IR),
    (
        "gzip body unannounced",
        raw("/ask", gzip.compress(b'{"question": "x"}')),
        400,
        "malformed_json",
    ),
    ("body with a NUL byte", raw("/ask", b'{"question": "Delos\x00"}'), 400, "malformed_json"),
]

ASK_CASES: list[Case] = [
    ("question is a number", ask(47), 422, IR),
    ("question is null", ask(None), 422, IR),
    ("question is an object", ask({"text": "Delos"}), 422, IR),
    ("question is a bool", ask(True), 422, IR),
    ("question 2001 characters", ask("x" * 2001), 422, IR),
    ("question of control characters", ask("\x00\x01\x02\x1b"), 422, IR),
    ("question with lone high surrogate", ask("Bayern \ud800 Cloud"), 422, IR),
    ("question with lone low surrogate", ask("\udc80Delos"), 422, IR),
    ("question with NUL is cleaned", ask("Delos\x00 Cloud"), 200, None),
    ("question with escapes is cleaned", ask("Delos\x1b[31m Cloud\x7f"), 200, None),
    ("question with BOM is cleaned", ask("\ufeffDelos Cloud"), 200, None),
    ("question with emoji", ask("Delos Cloud 😀"), 200, None),
    ("question of zero-width spaces", ask("\u200b\u200b"), 422, IR),
    ("top_k negative", ask("Delos", top_k=-1), 422, IR),
    ("top_k 51", ask("Delos", top_k=51), 422, IR),
    ("top_k fraction", ask("Delos", top_k=2.5), 422, IR),
    ("top_k text", ask("Delos", top_k="viele"), 422, IR),
    ("top_k list", ask("Delos", top_k=[3]), 422, IR),
    ("stream not a bool", ask("Delos", stream="bitte"), 422, IR),
    ("stream a list", ask("Delos", stream=[True]), 422, IR),
    ("unknown field", ask("Delos", answer_in="English"), 422, IR),
    ("filters a string", ask("Delos", filters="BY"), 422, IR),
    ("filters a list", ask("Delos", filters=["BY"]), 422, IR),
    ("filters a number", ask("Delos", filters=47), 422, IR),
]

FILTER_CASES: list[Case] = [
    ("speaker a number", filters(speaker=7), 422, IR),
    ("speaker an object", filters(speaker={"code": "BY"}), 422, IR),
    ("speaker list of numbers", filters(speaker=[1, 2]), 422, IR),
    ("speaker nested list", filters(speaker=[["BY"]]), 422, IR),
    ("speaker with surrogate", filters(speaker=["B\udcff"]), 422, IR),
    ("speaker with control characters", filters(speaker=["BY\x00\x1b"]), 422, IR),
    ("speaker of 10 KB", filters(speaker=["X" * 10_000]), 422, IR),
    ("one unknown among known", filters(speaker=["BY", "Atlantis"]), 422, IR),
    ("session a bool", filters(session=True), 422, IR),
    ("session a list", filters(session=[47]), 422, IR),
    ("session an object", filters(session={"n": 47}), 422, IR),
    ("session negative", filters(session=-1), 422, IR),
    ("session huge", filters(session=10**30), 422, IR),
    ("session a fraction", filters(session=47.5), 422, IR),
    ("session with surrogate", filters(session="4\ud8007"), 422, IR),
    ("session words", filters(session="die letzte"), 422, IR),
    ("date_from month 13", filters(date_from="2024-13-01"), 422, IR),
    ("date_from 30 February", filters(date_from="2024-02-30"), 422, IR),
    ("date_to German format", filters(date_to="01.02.2024"), 422, IR),
    ("date_to a number", filters(date_to=20240101), 422, IR),
    ("date_from empty", filters(date_from=""), 422, IR),
    ("date_from year 0", filters(date_from="0000-01-01"), 422, IR),
    ("doc_type a number", filters(doc_type=3), 422, IR),
    ("doc_type a list", filters(doc_type=["protokoll"]), 422, IR),
    ("doc_type wrong case", filters(doc_type="PROTOKOLL"), 422, IR),
    ("document_id 129 characters", filters(document_id="a" * 129), 422, IR),
    ("document_id a number", filters(document_id=12345), 422, IR),
    ("document_id with surrogate", filters(document_id="\udcff"), 422, IR),
    ("document_id path", filters(document_id="../../etc/passwd"), 422, IR),
    ("collections smuggled in filters", filters(collections=["intern"]), 422, IR),
]

HISTORY_CASES: list[Case] = [
    ("history a string", history("vorher"), 422, IR),
    ("history an object", history({"role": "user", "content": "x"}), 422, IR),
    ("history of strings", history(["Was sagte Bayern?"]), 422, IR),
    ("history of numbers", history([1, 2]), 422, IR),
    ("history item null", history([None]), 422, IR),
    ("history role system", history([{"role": "system", "content": "x"}]), 422, IR),
    ("history role empty", history([{"role": "", "content": "x"}]), 422, IR),
    ("history role missing", history([{"content": "x"}]), 422, IR),
    ("history content missing", history([{"role": "user"}]), 422, IR),
    ("history content a number", history([{"role": "user", "content": 5}]), 422, IR),
    ("history content a list", history([{"role": "user", "content": ["x"]}]), 422, IR),
    ("history content surrogate", history([{"role": "user", "content": "a\ud800"}]), 422, IR),
    ("history extra key", history([{"role": "user", "content": "x", "name": "n"}]), 422, IR),
    (
        "history 21 turns",
        history([{"role": "user", "content": "Frage"}] * 21),
        422,
        IR,
    ),
    (
        "history 20001 characters",
        history(
            [
                {"role": "user", "content": "x" * 10_001},
                {"role": "assistant", "content": "y" * 10_000},
            ]
        ),
        422,
        IR,
    ),
    ("history 201 turns", history([{"role": "user", "content": "x"}] * 201), 422, IR),
    ("history one turn of 100 KB", history([{"role": "user", "content": "x" * 100_001}]), 422, IR),
    ("history empty list is fine", history([]), 200, None),
]

SEARCH_CASES: list[Case] = [
    ("q empty", search("q="), 422, IR),
    ("q blank", search("q=%20%20"), 422, IR),
    ("q 2001 characters", search("q=" + "x" * 2001), 422, IR),
    ("q of control characters", search("q=%00%01%1b"), 422, IR),
    ("q with NUL is cleaned", search("q=Delos%00Cloud"), 200, None),
    ("q not UTF-8 is replaced", search("q=Delos%FF%FECloud"), 200, None),
    ("q half a percent escape", search("q=Delos%E"), 200, None),
    ("k 101", search("q=Delos&k=101"), 422, IR),
    ("k negative", search("q=Delos&k=-3"), 422, IR),
    ("k text", search("q=Delos&k=zehn"), 422, IR),
    ("k fraction", search("q=Delos&k=1.5"), 422, IR),
    ("k empty", search("q=Delos&k="), 422, IR),
    ("mode upper case", search("q=Delos&mode=BM25"), 422, IR),
    ("speaker empty", search("q=Delos&speaker="), 200, None),
    ("speaker list with unknown", search("q=Delos&speaker=BY,XX"), 422, IR),
    ("date_from invalid", search("q=Delos&date_from=2024-02-30"), 422, IR),
    ("date_to text", search("q=Delos&date_to=morgen"), 422, IR),
    ("doc_type unknown", search("q=Delos&doc_type=memo"), 422, IR),
    ("document_id unknown", search("q=Delos&document_id=nope"), 422, IR),
    ("search document_id 129 characters", search("q=Delos&document_id=" + "a" * 129), 422, IR),
    ("session unknown number", search("q=Delos&session=999"), 422, IR),
    ("unknown parameter is ignored", search("q=Delos&colour=blue"), 200, None),
]

CHAT_CASES: list[Case] = [
    ("chat messages missing", call("POST", "/v1/chat/completions", json={}), 422, IR),
    ("chat messages a string", chat("Was sagte Bayern?"), 422, IR),
    ("chat message a string", chat(["Was sagte Bayern?"]), 422, IR),
    ("chat role missing", chat([{"content": "Delos"}]), 422, IR),
    ("chat content a number", chat([{"role": "user", "content": 5}]), 422, IR),
    ("chat content surrogate", chat([{"role": "user", "content": "Bayern \ud800"}]), 422, IR),
    ("chat role surrogate", chat([{"role": "us\udcffer", "content": "Delos"}]), 422, IR),
    ("chat part without type", chat([{"role": "user", "content": [{"text": "Delos"}]}]), 422, IR),
    (
        "chat part text a number",
        chat([{"role": "user", "content": [{"type": "text", "text": 1}]}]),
        422,
        IR,
    ),
    (
        "chat only an image part",
        chat([{"role": "user", "content": [{"type": "image_url"}]}]),
        422,
        IR,
    ),
    ("chat only assistant turns", chat([{"role": "assistant", "content": "Hallo"}]), 422, IR),
    ("chat last user message empty", chat([{"role": "user", "content": "  "}]), 422, IR),
    ("chat content null", chat([{"role": "user", "content": None}]), 422, IR),
    ("chat stream not a bool", chat([{"role": "user", "content": "Delos"}], stream="ja"), 422, IR),
    ("chat top_k zero", chat([{"role": "user", "content": "Delos"}], top_k=0), 422, IR),
    (
        "chat bad filters",
        chat([{"role": "user", "content": "Delos"}], filters={"speaker": ["XX"]}),
        422,
        IR,
    ),
    ("chat 300 messages", chat([{"role": "user", "content": "Delos"}] * 300), 422, IR),
    ("chat model a number", chat([{"role": "user", "content": "Delos"}], model=4), 422, IR),
    ("chat body not JSON", raw("/v1/chat/completions", b"messages=Delos"), 400, "malformed_json"),
]

UPLOAD_CASES: list[Case] = [
    ("whitespace-only text", upload("leer.txt", b" \n\t \n"), 422, "empty_document"),
    (
        "only redaction marks",
        upload("marks.txt", b"[REDACTED]\n[illegible]\n"),
        422,
        "empty_document",
    ),
    ("PDF header only", upload("kopf.pdf", b"%PDF-1.7\n"), 422, "corrupt_file"),
    ("PDF truncated to half", upload("halb.pdf", OK_PDF[: len(OK_PDF) // 2]), 422, "corrupt_file"),
    (
        "PDF damaged in the middle 1",
        upload("mitte1.pdf", damaged_in_the_middle(1)),
        422,
        "corrupt_file",
    ),
    (
        "PDF damaged in the middle 2",
        upload("mitte2.pdf", damaged_in_the_middle(2)),
        422,
        "corrupt_file",
    ),
    (
        "PDF damaged in the middle 3",
        upload("mitte3.pdf", damaged_in_the_middle(3)),
        422,
        "corrupt_file",
    ),
    (
        "PDF with a self reference",
        upload(
            "loop.pdf",
            b"%PDF-1.7\n1 0 obj << /Pages 1 0 R /Kids [1 0 R] >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF",
        ),
        422,
        "corrupt_file",
    ),
    ("PDF without text layer", upload("scan.pdf", scan_pdf()), 422, "no_text_layer"),
    (
        "PDF AES-128 user password",
        upload("aes128.pdf", encrypted("u", "AES_128")),
        422,
        "encrypted_pdf",
    ),
    (
        "PDF AES-256 user password",
        upload("aes256.pdf", encrypted("u", "AES_256")),
        422,
        "encrypted_pdf",
    ),
    (
        "PDF of 2000 pages",
        upload("endlos.pdf", shared_stream_pdf(2000, 0.2)),
        413,
        "too_many_pages",
    ),
    ("PDF bytes named .txt", upload("verkleidet.txt", corrupt_pdf()), 422, "corrupt_file"),
    (
        "gzip archive",
        upload("archiv.txt", gzip.compress(b"Delos Cloud")),
        415,
        "unsupported_format",
    ),
    ("ZIP archive", upload("archiv.txt", b"PK\x03\x04" + b"\x00" * 300), 415, "unsupported_format"),
    (
        "PNG image",
        upload("bild.txt", b"\x89PNG\r\n\x1a\n" + b"\x00" * 300),
        415,
        "unsupported_format",
    ),
    (
        "JPEG image",
        upload("bild.md", b"\xff\xd8\xff\xe0" + b"\x00" * 300),
        415,
        "unsupported_format",
    ),
    ("GIF image", upload("bild.html", b"GIF89a" + b"\x00" * 300), 415, "unsupported_format"),
    (
        "old Office file",
        upload("alt.txt", b"\xd0\xcf\x11\xe0" + b"\x00" * 300),
        415,
        "unsupported_format",
    ),
    ("shell script", upload("run.txt", b"#!/bin/sh\nrm -rf /\n"), 415, "unsupported_format"),
    ("random bytes", upload("rauschen.txt", random.Random(7).randbytes(4096)), 422, "corrupt_file"),
    (
        "UTF-16 with a broken surrogate",
        upload("kaputt16.txt", codecs.BOM_UTF16_LE + b"\x00\xd8A\x00"),
        422,
        "corrupt_file",
    ),
    ("extension .xlsx", upload("tabelle.xlsx", b"a;b\n1;2\n"), 415, "unsupported_format"),
    ("extension .docm", upload("makro.docm", b"Delos"), 415, "unsupported_format"),
    ("extension .PDF.exe", upload("protokoll.pdf.exe", b"MZ"), 415, "unsupported_format"),
    ("hidden file name", upload(".versteckt.txt", b"Delos"), 400, "invalid_filename"),
    ("name with a slash", upload("ordner/datei.txt", b"Delos"), 400, "invalid_filename"),
    ("name with a NUL", raw_upload(b"a\x00b.txt", b"Delos"), 400, "invalid_filename"),
    ("name with an escape", raw_upload(b"a\x1b[2Jb.txt", b"Delos"), 400, "invalid_filename"),
    ("name not UTF-8", raw_upload(b"a\xed\xa0\x80.txt", b"Delos"), 400, "invalid_filename"),
    (
        "name with a bidi override",
        upload("rechnung\u202etxt.exe", b"Delos"),
        400,
        "invalid_filename",
    ),
    ("name of 300 bytes", upload("ä" * 150 + ".txt", b"Delos"), 400, "invalid_filename"),
    ("name just dots", upload("..", b"Delos"), 400, "invalid_filename"),
    ("collection a dot", upload("ok.pdf", OK_PDF, collection="."), 422, IR),
    ("collection with a space", upload("ok.pdf", OK_PDF, collection="meine sammlung"), 422, IR),
    ("collection 65 characters", upload("ok.pdf", OK_PDF, collection="c" * 65), 422, IR),
    ("collection with umlaut", upload("ok.pdf", OK_PDF, collection="länder"), 422, IR),
    ("collection with newline", upload("ok.pdf", OK_PDF, collection="public\n"), 422, IR),
    ("wait negative", {**upload("ok.pdf", OK_PDF), "url": "/documents?wait=-1"}, 422, IR),
    ("wait 121 s", {**upload("ok.pdf", OK_PDF), "url": "/documents?wait=121"}, 422, IR),
    ("wait text", {**upload("ok.pdf", OK_PDF), "url": "/documents?wait=lange"}, 422, IR),
    (
        "file under another field",
        {"method": "POST", "url": "/documents", "files": {"datei": ("ok.pdf", OK_PDF)}},
        422,
        IR,
    ),
    (
        "JSON instead of a file",
        {"method": "POST", "url": "/documents", "json": {"file": "ok.pdf"}},
        422,
        IR,
    ),
    (
        "multipart without boundary",
        raw("/documents", b"--x\r\n", "multipart/form-data"),
        400,
        "bad_request",
    ),
    (
        "multipart cut off",
        raw(
            "/documents",
            b'--b\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\n\r\nDelos',
            "multipart/form-data; boundary=b",
        ),
        422,
        IR,
    ),
    ("oversized PDF", upload("gross.pdf", b"%PDF-1.7\n" + b"0" * 1_200_000), 413, "file_too_large"),
]

DOCUMENT_CASES: list[Case] = [
    ("document id 10 KB long", call("GET", "/documents/" + "a" * 10_000), 404, "not_found"),
    ("document id with encoded NUL", call("GET", "/documents/ab%00cd"), 404, "not_found"),
    ("document id not UTF-8", call("GET", "/documents/%FF%FE"), 404, "not_found"),
    (
        "move unknown document",
        call("PATCH", "/documents/nope", json={"collection": "intern"}),
        404,
        "not_found",
    ),
    ("move without collection", call("PATCH", "/documents/nope", json={}), 422, IR),
    (
        "move to invalid collection",
        call("PATCH", "/documents/nope", json={"collection": "../x"}),
        422,
        IR,
    ),
    (
        "move body not JSON",
        raw("/documents/nope", b"intern", method="PATCH"),
        400,
        "malformed_json",
    ),
    (
        "move with extra field",
        call("PATCH", "/documents/nope", json={"collection": "x", "file": "y"}),
        422,
        IR,
    ),
    ("job id 10 KB long", call("GET", "/jobs/" + "j" * 10_000), 404, "not_found"),
    ("unknown model", call("GET", "/v1/models/gpt-4"), 404, "not_found"),
]

METHOD_CASES: list[Case] = [
    (f"{method} {url}", call(method, url), 405, "method_not_allowed")
    for method, url in [
        ("GET", "/ask"),
        ("DELETE", "/ask"),
        ("PATCH", "/ask"),
        ("POST", "/search"),
        ("PUT", "/documents"),
        ("DELETE", "/documents"),
        ("PATCH", "/documents"),
        ("POST", "/health"),
        ("DELETE", "/metrics"),
        ("GET", "/v1/chat/completions"),
        ("POST", "/v1/models"),
        ("PUT", "/documents/abc"),
        ("POST", "/speakers"),
        ("OPTIONS", "/ask"),
    ]
]

PATH_CASES: list[Case] = [
    (f"unknown path {url}", call("GET", url), 404, "not_found")
    for url in [
        "/asks",
        "/v2/chat/completions",
        "/admin",
        "/documents/x/y/z",
        "/%2e%2e/etc/passwd",
        "/.env",
    ]
]

HEADER_CASES: list[Case] = [
    (
        "request id with spaces is replaced",
        with_headers(ask("Delos"), **{"X-Request-ID": "evil id\r\n"}),
        200,
        None,
    ),
    (
        "request id of 1 KB is replaced",
        with_headers(ask("Delos"), **{"X-Request-ID": "r" * 1024}),
        200,
        None,
    ),
    (
        "accept event stream",
        with_headers(ask("Delos"), **{"Accept": "text/event-stream"}),
        200,
        None,
    ),
    (
        "key sent while keys are off",
        with_headers(ask("Delos"), **{"Authorization": "Bearer x"}),
        200,
        None,
    ),
    (
        "content length too large",
        raw("/ask", b"x" * 10, headers={"Content-Length": "99999999"}),
        413,
        "payload_too_large",
    ),
    (
        "JSON body sent as multipart",
        raw("/ask", b'{"question": "Delos"}', "multipart/form-data; boundary=x"),
        422,
        IR,
    ),
    (
        "JSON declared latin-1",
        raw(
            "/ask", '{"question": "Länder"}'.encode("latin-1"), "application/json; charset=latin-1"
        ),
        400,
        "malformed_json",
    ),
    (
        "write from another origin",
        with_headers(upload("ok.pdf", OK_PDF), **{"Origin": "https://evil.example"}),
        403,
        "write_refused",
    ),
    (
        "delete from another origin",
        call("DELETE", "/documents/nope", headers={"Origin": "https://evil.example"}),
        403,
        "write_refused",
    ),
    (
        "write cross-site without origin",
        with_headers(upload("ok.pdf", OK_PDF), **{"Sec-Fetch-Site": "cross-site"}),
        403,
        "write_refused",
    ),
]

KEYED_CASES: list[Case] = [
    ("no key", ask("Delos"), 401, "unauthorized"),
    (
        "wrong key",
        with_headers(ask("Delos"), **{"Authorization": "Bearer falsch"}),
        401,
        "unauthorized",
    ),
    (
        "empty bearer",
        with_headers(ask("Delos"), **{"Authorization": "Bearer "}),
        401,
        "unauthorized",
    ),
    (
        "basic auth",
        with_headers(ask("Delos"), **{"Authorization": "Basic YWRtaW46YWRtaW4="}),
        401,
        "unauthorized",
    ),
    (
        "key with non-ASCII",
        with_headers(ask("Delos"), **{"X-API-Key": "schlüssel".encode()}),
        401,
        "unauthorized",
    ),
    (
        "reader uploads",
        with_headers(upload("ok.pdf", OK_PDF), **{"Authorization": f"Bearer {STAFF_KEY}"}),
        403,
        "forbidden",
    ),
    (
        "reader deletes",
        call("DELETE", "/documents/nope", headers={"X-API-Key": PUBLIC_KEY}),
        403,
        "forbidden",
    ),
    (
        "reader moves",
        call(
            "PATCH", "/documents/nope", json={"collection": "x"}, headers={"X-API-Key": STAFF_KEY}
        ),
        403,
        "forbidden",
    ),
    (
        "reader reads a job",
        call("GET", "/jobs/nope", headers={"X-API-Key": STAFF_KEY}),
        403,
        "forbidden",
    ),
    (
        "public key asks for a hidden document",
        with_headers(filters(document_id="nope"), **{"X-API-Key": PUBLIC_KEY}),
        422,
        IR,
    ),
    ("metrics without key", call("GET", "/metrics"), 401, "unauthorized"),
    (
        "admin with surrogate question",
        with_headers(ask("\ud800"), **{"X-API-Key": ADMIN_KEY}),
        422,
        IR,
    ),
]

TABLE: list[Case] = [
    *CASES,
    *BAD_JSON,
    *ASK_CASES,
    *FILTER_CASES,
    *HISTORY_CASES,
    *SEARCH_CASES,
    *CHAT_CASES,
    *UPLOAD_CASES,
    *DOCUMENT_CASES,
    *METHOD_CASES,
    *PATH_CASES,
    *HEADER_CASES,
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
    with TestClient(create_app(settings), raise_server_exceptions=False, client=LOOPBACK) as client:
        assert client.app.state.gremium.wait_ready(60)  # type: ignore[attr-defined]
        yield client


@pytest.fixture(scope="module")
def keyed_client(
    tmp_path_factory: pytest.TempPathFactory, small_corpus: Path
) -> Iterator[TestClient]:
    settings = Settings(
        embedder="fake",
        data_dir=tmp_path_factory.mktemp("keyed"),
        corpus_dir=small_corpus,
        rate_limit_per_minute=0,
        api_keys=KEYS,
        admin_keys=ADMIN_KEY,
    )
    with TestClient(create_app(settings), raise_server_exceptions=False, client=LOOPBACK) as client:
        assert client.app.state.gremium.wait_ready(60)  # type: ignore[attr-defined]
        yield client


def index_snapshot(client: TestClient) -> tuple[Any, ...]:
    admin = {"X-API-Key": ADMIN_KEY}
    health = client.get("/health", headers=admin).json()
    docs = client.get("/documents", headers=admin).json()["documents"]
    return health["documents"], health["chunks"], sorted(d["id"] for d in docs)


def check(client: TestClient, request_args: dict[str, Any], status: int, code: str | None) -> None:
    before = index_snapshot(client)
    response = client.request(**request_args)
    assert response.status_code == status, response.text
    assert response.status_code < 500
    rid = response.headers["x-request-id"]
    assert rid and "\n" not in rid and len(rid) <= 128
    if code is None:
        assert response.content  # cleaned and answered
    else:
        body = response.json()
        assert body["error"]["code"] == code
        assert body["error"]["message"]
    assert index_snapshot(client) == before
    ok = client.post("/ask", json={"question": "Delos Cloud"}, headers={"X-API-Key": ADMIN_KEY})
    assert ok.status_code == 200


def test_the_table_has_every_case_once() -> None:
    names = [case[0] for case in [*TABLE, *KEYED_CASES]]
    assert len(names) == len(set(names))
    assert len(names) >= 153


@pytest.mark.parametrize(
    ("case", "request_args", "status", "code"), TABLE, ids=[c[0] for c in TABLE]
)
def test_bad_input_gets_its_4xx_and_leaves_the_index_alone(
    strict_client: TestClient,
    case: str,
    request_args: dict[str, Any],
    status: int,
    code: str | None,
) -> None:
    check(strict_client, request_args, status, code)


@pytest.mark.parametrize(
    ("case", "request_args", "status", "code"), KEYED_CASES, ids=[c[0] for c in KEYED_CASES]
)
def test_bad_credentials_get_their_4xx(
    keyed_client: TestClient, case: str, request_args: dict[str, Any], status: int, code: str | None
) -> None:
    check(keyed_client, request_args, status, code)
