"""Generative mode against a tiny local server that speaks OpenAI chat completions."""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from answer import answer_question, plan_question
from answer.llm import chat_url, strip_unknown_markers
from gremium.settings import Settings
from gremium.types import Filters


class FakeLLM:
    """What the server answers next, and what it was asked."""

    def __init__(self) -> None:
        self.reply: str = "Bayern lehnte ab: „Schließt sich NW an.“ [2] Siehe auch [1] und [9]."
        self.status = 200
        self.delay_s = 0.0
        self.requests: list[dict[str, Any]] = []
        self.paths: list[str] = []
        self.headers: list[dict[str, str]] = []


@pytest.fixture
def llm_server() -> Iterator[tuple[str, FakeLLM]]:
    fake = FakeLLM()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            fake.requests.append(json.loads(self.rfile.read(length)))
            fake.paths.append(self.path)
            fake.headers.append(dict(self.headers))
            if fake.delay_s:
                time.sleep(fake.delay_s)
            if fake.status != 200:
                self.send_response(fake.status)
                self.end_headers()
                self.wfile.write(b'{"error": "boom"}')
                return
            body = json.dumps(
                {
                    "id": "chatcmpl-1",
                    "object": "chat.completion",
                    "model": "fake",
                    "choices": [
                        {
                            "index": 0,
                            "message": {"role": "assistant", "content": fake.reply},
                            "finish_reason": "stop",
                        }
                    ],
                }
            ).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", fake
    finally:
        server.shutdown()
        server.server_close()


QUESTION = "Was hat Bayern zur Delos Cloud gesagt?"


_CORPUS: dict[str, Any] = {}


@pytest.fixture(autouse=True)
def _corpus_index(corpus_service) -> None:  # type: ignore[no-untyped-def]
    _CORPUS["index"] = corpus_service.index


def _answer(settings: Settings, question: str = QUESTION):  # type: ignore[no-untyped-def]
    index = _CORPUS["index"]
    return answer_question(index, plan_question(index, question), Filters(), settings=settings)


def test_llm_answer_keeps_only_citations_that_exist(llm_server, tmp_path) -> None:
    url, fake = llm_server
    answer = _answer(Settings(data_dir=tmp_path, llm_url=url, llm_model="m1", llm_api_key="k"))
    assert answer.mode == "llm"
    assert "[9]" not in answer.answer
    assert "[2]" in answer.answer and "[1]" in answer.answer
    assert {1, 2} <= {c.n for c in answer.citations}
    assert answer.timings_ms["llm"] >= 0
    # the request: the protocol, the model, the key, the numbered passages, the question
    assert fake.paths == ["/v1/chat/completions"]
    request = fake.requests[0]
    assert request["model"] == "m1"
    assert fake.headers[0]["Authorization"] == "Bearer k"
    user = request["messages"][-1]["content"]
    assert "[1] (Bayern (BY); Protokollnotiz" in user and "[2] (Bayern (BY)" in user
    assert QUESTION in user
    assert "Deutsch" in request["messages"][0]["content"]


def test_english_question_gets_an_english_prompt(llm_server, tmp_path) -> None:
    url, fake = llm_server
    fake.reply = "Bavaria rejected it [1]."
    answer = _answer(
        Settings(data_dir=tmp_path, llm_url=url + "/v1"),
        "What did Bavaria say about the Delos Cloud?",
    )
    assert answer.mode == "llm" and answer.answer == "Bavaria rejected it [1]."
    assert "English" in fake.requests[0]["messages"][0]["content"]
    assert fake.paths == ["/v1/chat/completions"]


def test_server_error_falls_back_to_extractive(llm_server, tmp_path, caplog) -> None:
    url, fake = llm_server
    fake.status = 500
    settings = Settings(data_dir=tmp_path, llm_url=url)
    with caplog.at_level(logging.WARNING, logger="answer.llm"):
        answer = _answer(settings)
    assert answer.mode == "extractive"
    assert answer.answer == _answer(Settings(data_dir=tmp_path)).answer
    assert "falls" in caplog.text or "failed" in caplog.text


def test_timeout_falls_back_to_extractive(llm_server, tmp_path) -> None:
    url, fake = llm_server
    fake.delay_s = 1.0
    started = time.perf_counter()
    answer = _answer(Settings(data_dir=tmp_path, llm_url=url, llm_timeout_s=0.2))
    assert time.perf_counter() - started < 0.9
    assert answer.mode == "extractive"
    assert "„" in answer.answer


def test_answer_without_any_valid_citation_falls_back(llm_server, tmp_path) -> None:
    url, fake = llm_server
    fake.reply = "Bayern war dagegen [7]."
    answer = _answer(Settings(data_dir=tmp_path, llm_url=url))
    assert answer.mode == "extractive"


def test_unreachable_server_falls_back(tmp_path) -> None:
    answer = _answer(Settings(data_dir=tmp_path, llm_url="http://127.0.0.1:9", llm_timeout_s=0.5))
    assert answer.mode == "extractive" and not answer.abstained


def test_abstentions_never_reach_the_model(llm_server, tmp_path) -> None:
    url, fake = llm_server
    answer = _answer(Settings(data_dir=tmp_path, llm_url=url), "Rezept für Apfelkuchen")
    assert answer.abstained and fake.requests == []


def test_llm_is_off_by_default(tmp_path) -> None:
    assert Settings(data_dir=tmp_path).llm_url == ""
    assert _answer(Settings(data_dir=tmp_path)).mode == "extractive"


@pytest.mark.parametrize(
    ("base", "url"),
    [
        ("http://localhost:11434", "http://localhost:11434/v1/chat/completions"),
        ("http://localhost:11434/", "http://localhost:11434/v1/chat/completions"),
        ("http://h:8000/v1", "http://h:8000/v1/chat/completions"),
        ("http://h:8000/v1/chat/completions", "http://h:8000/v1/chat/completions"),
    ],
)
def test_chat_url(base: str, url: str) -> None:
    assert chat_url(base) == url


def test_strip_unknown_markers() -> None:
    text, kept = strip_unknown_markers("A [1]. B [9]. C [2, 9].", {1, 2})
    assert text == "A [1]. B. C [2]."
    assert kept == {1, 2}
