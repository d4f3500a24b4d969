"""Fuzzing questions, filters and history (hypothesis): never a 5xx, always a request id.

Text is drawn from all of Unicode including lone surrogates, control and bidi characters,
and values of the wrong type are mixed in. Bodies are sent as ASCII JSON, so a surrogate
arrives as the escape a client would send. The budget is bounded (a few seconds).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from api_helpers import LOOPBACK
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from api.app import create_app
from gremium.settings import Settings

NASTY = ["\ud800", "\udfff", "\x00", "\x1b[2J", "\u202e", "\ufeff", "\u200b", "\uffff", "𝔅", "ß"]
WORDS = ["Bayern", "Delos", "Cloud", "BY", "Hessen", "47", "Sondersitzung", "NOOTS", " "]

text = st.one_of(
    st.text(st.characters(exclude_categories=()), max_size=40),
    st.lists(st.sampled_from(NASTY + WORDS), max_size=8).map("".join),
)
junk: st.SearchStrategy[Any] = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=False, allow_infinity=False),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
)
value = st.one_of(text, junk)
filters = st.one_of(
    st.none(),
    junk,
    st.fixed_dictionaries(
        {},
        optional={
            "speaker": st.one_of(value, st.lists(st.one_of(text, st.sampled_from(["BY", "NW"])))),
            "session": st.one_of(value, st.sampled_from([47, "47", "2024-06-27", "sonder"])),
            "date_from": st.one_of(value, st.dates().map(str)),
            "date_to": st.one_of(value, st.dates().map(str)),
            "doc_type": st.one_of(value, st.sampled_from(["protokoll", "beschluss"])),
            "document_id": value,
        },
    ),
)
turn = st.one_of(
    junk,
    st.fixed_dictionaries(
        {"role": st.one_of(st.sampled_from(["user", "assistant", "system", ""]), value)},
        optional={"content": st.one_of(text, junk)},
    ),
)
history = st.one_of(st.none(), junk, st.lists(turn, max_size=25))
valid_turn = st.fixed_dictionaries(
    {"role": st.sampled_from(["user", "assistant"]), "content": text}
)

BUDGET = settings(
    max_examples=60,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


@pytest.fixture(scope="module")
def fuzz_client(
    tmp_path_factory: pytest.TempPathFactory, small_corpus: Path
) -> Iterator[TestClient]:
    settings_ = Settings(
        embedder="fake",
        data_dir=tmp_path_factory.mktemp("fuzz"),
        corpus_dir=small_corpus,
        rate_limit_per_minute=0,
    )
    with TestClient(
        create_app(settings_), raise_server_exceptions=False, client=LOOPBACK
    ) as client:
        assert client.app.state.gremium.wait_ready(60)  # type: ignore[attr-defined]
        yield client


def _post(client: TestClient, url: str, payload: Any) -> Any:
    body = json.dumps(payload, ensure_ascii=True).encode("ascii")
    return client.post(url, content=body, headers={"Content-Type": "application/json"})


def _check(response: Any) -> None:
    assert response.status_code < 500, response.text
    assert response.headers["x-request-id"]
    if response.status_code >= 400:
        error = response.json()["error"]
        assert error["code"] and error["message"]


@BUDGET
@given(
    question=st.one_of(text, junk),
    filters=filters,
    history=history,
    top_k=st.one_of(st.none(), st.integers(-3, 60), junk),
    stream=st.one_of(st.booleans(), junk),
)
def test_ask_never_fails_on_any_question_filters_or_history(
    fuzz_client: TestClient, question: Any, filters: Any, history: Any, top_k: Any, stream: Any
) -> None:
    payload = {"question": question, "filters": filters, "history": history, "top_k": top_k}
    payload["stream"] = stream
    response = _post(fuzz_client, "/ask", payload)
    _check(response)
    if response.status_code == 200 and stream is not True:
        assert "answer" in response.json()


@BUDGET
@given(
    question=text,
    history=st.one_of(st.none(), st.lists(valid_turn, max_size=4)),
    filters=st.one_of(st.none(), st.just({"speaker": ["BY"]}), st.just({"session": "sonder"})),
    stream=st.booleans(),
)
def test_ask_never_fails_on_any_text_in_a_well_formed_request(
    fuzz_client: TestClient, question: str, history: Any, filters: Any, stream: bool
) -> None:
    payload = {"question": question, "history": history, "filters": filters, "stream": stream}
    response = _post(fuzz_client, "/ask", payload)
    _check(response)
    if response.status_code != 200:
        assert response.status_code == 422, response.text


@BUDGET
@given(
    messages=st.one_of(st.lists(turn, max_size=6), st.lists(valid_turn, max_size=4)),
    question=st.one_of(text, text, junk),
    stream=st.booleans(),
)
def test_chat_never_fails_on_any_conversation(
    fuzz_client: TestClient, messages: list[Any], question: Any, stream: bool
) -> None:
    conversation = [*messages, {"role": "user", "content": question}]
    _check(_post(fuzz_client, "/v1/chat/completions", {"messages": conversation, "stream": stream}))


@BUDGET
@given(q=text, speaker=text, session=text, k=st.one_of(st.integers(-3, 200), text))
def test_search_never_fails_on_any_query_string(
    fuzz_client: TestClient, q: str, speaker: str, session: str, k: Any
) -> None:
    def encoded(value: Any) -> str:
        return quote(str(value).encode("utf-8", "surrogatepass"))

    query = f"q={encoded(q)}&speaker={encoded(speaker)}&session={encoded(session)}&k={encoded(k)}"
    _check(fuzz_client.get("/search?" + query))
