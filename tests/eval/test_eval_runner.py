import json
from pathlib import Path

import httpx

from eval.dataset import QAItem
from eval.runner import AskResult, HttpSystem, Passage, read_results, run_system, write_results

CITATION = {
    "n": 1,
    "chunk_id": "c1",
    "text": "Schließt sich NW an.",
    "speaker": {"code": "BY", "name": "Bayern", "kind": "land"},
    "role": "statement",
    "session": {"id": "2024-06-27-sonder", "date": "2024-06-27"},
    "document": {"id": "d1", "file": "protokoll.txt"},
    "score": 0.8,
}


def _api(seen: list[httpx.Request]) -> httpx.Client:
    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.headers.get("X-API-Key") != "secret":
            return httpx.Response(401, json={"error": {"code": "unauthorized", "message": "key"}})
        if request.url.path == "/search":
            return httpx.Response(200, json={"query": "x", "hits": [CITATION]})
        if request.url.path == "/ask":
            body = json.loads(request.content)
            return httpx.Response(
                200,
                json={
                    "question": body["question"],
                    "answer": "BY schließt sich NW an [1]",
                    "abstained": False,
                    "citations": [CITATION],
                    "statements": [{"speaker": CITATION["speaker"], "citations": [1]}],
                },
            )
        return httpx.Response(404, json={"error": {"code": "not_found", "message": "no"}})

    return httpx.Client(base_url="http://test", transport=httpx.MockTransport(handler))


def test_http_system_sends_the_key_and_reads_the_interface_json() -> None:
    seen: list[httpx.Request] = []
    system = HttpSystem("http://test", key="secret", client=_api(seen))
    ranked = system.search("Was hat Bayern gesagt?", 10)
    assert ranked == [
        Passage(
            "c1",
            "Schließt sich NW an.",
            "BY",
            "2024-06-27",
            "2024-06-27-sonder",
            "statement",
            "protokoll.txt",
            0.8,
        )
    ]
    answer = system.ask("Was hat Bayern gesagt?")
    assert answer.statement_speakers == ("BY",) and not answer.abstained
    assert seen[0].url.params["k"] == "10" and "mode" not in seen[0].url.params
    assert seen[1].headers["Authorization"] == "Bearer secret"


def test_http_errors_are_recorded_per_question() -> None:
    system = HttpSystem("http://test", key="wrong", client=_api([]))
    item = QAItem(id="q1", question="Was?")
    [result] = run_system(system, [item])
    assert result.error == "RuntimeError: HTTP 401: key"
    assert result.retrieved == [] and result.ask is None


def test_other_modes_are_requested_by_parameter() -> None:
    seen: list[httpx.Request] = []
    system = HttpSystem("http://test", key="secret", mode="bm25", client=_api(seen))
    [result] = run_system(system, [QAItem(id="q1", question="Was?")])
    assert seen[0].url.params["mode"] == "bm25"
    assert result.ask is None and result.search_ms is not None


def test_results_round_trip_through_json_lines(tmp_path: Path) -> None:
    class Fixed:
        name, pool, answers = "fixed", "product", True

        def search(self, question: str, k: int) -> list[Passage]:
            return [Passage("c1", "text", "BY", "2024-06-27")][:k]

        def ask(self, question: str, history: object = ()) -> AskResult:
            return AskResult("answer", False, (Passage("c1", "text", "BY"),), ("BY",))

    results = run_system(Fixed(), [QAItem(id="q1", question="Was?", kind="speaker")])
    path = tmp_path / "out" / "results.jsonl"
    write_results(path, results)
    assert read_results(path) == results
