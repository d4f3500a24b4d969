"""Run reference questions against a system and record what came back.

A *system* answers two calls: `search` (ranked passages) and, for the product,
`ask` (an answer with citations). Three kinds exist:

- `InProcessSystem`: the `Gremium` facade, one retrieval mode each (bm25, dense,
  hybrid); the hybrid one also answers.
- `HttpSystem`: a running API, `GET /search` and `POST /ask`, with an optional key.
- `eval.baseline.NaiveBaseline`: character chunks in a flat FAISS index.

Every question gives one `QuestionResult`, saved as a JSON line; metrics are
computed from these records only, so a saved run can be scored again.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from eval.dataset import QAItem

if TYPE_CHECKING:
    from gremium.service import Gremium
    from gremium.types import Answer, Hit

log = logging.getLogger(__name__)

PRODUCT_POOL = "product"  # bm25, dense and hybrid share chunk ids: one judgement pool


@dataclass(frozen=True)
class Passage:
    """A returned passage, reduced to what the metrics and the report need."""

    chunk_id: str
    text: str
    speaker: str | None = None  # canonical code
    session_date: str | None = None
    session_id: str | None = None
    role: str | None = None
    document: str | None = None  # file name or document id
    score: float | None = None

    @classmethod
    def from_dict(cls, raw: Mapping[str, Any]) -> Passage:
        return cls(**{k: raw.get(k) for k in cls.__dataclass_fields__})  # type: ignore[arg-type]


@dataclass(frozen=True)
class AskResult:
    answer: str
    abstained: bool
    citations: tuple[Passage, ...] = ()
    statement_speakers: tuple[str, ...] = ()  # speakers the answer groups statements under


@dataclass
class QuestionResult:
    system: str
    id: str
    question: str
    kind: str
    retrieved: list[Passage] = field(default_factory=list)
    ask: AskResult | None = None
    search_ms: float | None = None
    ask_ms: float | None = None
    error: str | None = None

    @property
    def latency_ms(self) -> float | None:
        """What a user waits for: the answer where the system answers, else the search."""
        return self.ask_ms if self.ask_ms is not None else self.search_ms

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, raw: Mapping[str, Any]) -> QuestionResult:
        ask = raw.get("ask")
        return cls(
            system=raw["system"],
            id=raw["id"],
            question=raw["question"],
            kind=raw.get("kind", "speaker"),
            retrieved=[Passage.from_dict(p) for p in raw.get("retrieved", [])],
            ask=AskResult(
                answer=ask["answer"],
                abstained=ask["abstained"],
                citations=tuple(Passage.from_dict(p) for p in ask.get("citations", [])),
                statement_speakers=tuple(ask.get("statement_speakers", [])),
            )
            if ask
            else None,
            search_ms=raw.get("search_ms"),
            ask_ms=raw.get("ask_ms"),
            error=raw.get("error"),
        )


class System(Protocol):
    name: str
    pool: str  # systems in one pool return the same chunk ids
    answers: bool  # whether `ask` is meaningful

    def search(self, question: str, k: int) -> list[Passage]: ...

    def ask(self, question: str, history: Sequence[tuple[str, str]] = ()) -> AskResult:
        """Answer `question`; `history` is the conversation before it, oldest first."""
        ...


# -- in process --------------------------------------------------------------------------------


def passage_from_hit(hit: Hit) -> Passage:
    chunk = hit.chunk
    document = hit.document.file if hit.document is not None else chunk.document_id
    return Passage(
        chunk_id=chunk.id,
        text=chunk.text,
        speaker=chunk.speaker.code if chunk.speaker else None,
        session_date=chunk.session.date if chunk.session else None,
        session_id=chunk.session.id if chunk.session else None,
        role=chunk.role,
        document=document,
        score=round(float(hit.score), 6),
    )


def ask_result_from_answer(answer: Answer) -> AskResult:
    return AskResult(
        answer=answer.answer,
        abstained=answer.abstained,
        citations=tuple(passage_from_hit(c.hit) for c in answer.citations),
        statement_speakers=tuple(s.speaker.code for s in answer.statements if s.speaker),
    )


class InProcessSystem:
    """The Gremium facade with one retrieval mode; 'hybrid' is the product and answers."""

    pool = PRODUCT_POOL

    def __init__(self, service: Gremium, mode: str = "hybrid", name: str | None = None) -> None:
        self.service = service
        self.mode = mode
        self.name = name or mode
        self.answers = mode == "hybrid"

    def search(self, question: str, k: int) -> list[Passage]:
        return [passage_from_hit(h) for h in self.service.search(question, k=k, mode=self.mode)]

    def ask(self, question: str, history: Sequence[tuple[str, str]] = ()) -> AskResult:
        turns = [{"role": role, "content": content} for role, content in history]
        return ask_result_from_answer(self.service.ask(question, history=turns))


# -- over HTTP ---------------------------------------------------------------------------------


class HttpSystem:
    """A running Gremium API. Other modes than hybrid are requested with `mode=`."""

    pool = PRODUCT_POOL

    def __init__(
        self,
        base_url: str,
        key: str | None = None,
        mode: str = "hybrid",
        name: str | None = None,
        timeout: float = 60.0,
        client: Any = None,
    ) -> None:
        import httpx

        headers = {}
        if key:
            # Both forms: the API accepts either; sending both costs nothing.
            headers = {"X-API-Key": key, "Authorization": f"Bearer {key}"}
        self.client = client or httpx.Client(
            base_url=base_url.rstrip("/"), headers=headers, timeout=timeout
        )
        if client is not None and headers:
            self.client.headers.update(headers)
        self.mode = mode
        self.name = name or mode
        self.answers = mode == "hybrid"

    def search(self, question: str, k: int) -> list[Passage]:
        params: dict[str, Any] = {"q": question, "k": k}
        if self.mode != "hybrid":
            params["mode"] = self.mode
        response = self.client.get("/search", params=params)
        _raise_for_status(response)
        return [passage_from_json(p) for p in _passages(response.json())]

    def ask(self, question: str, history: Sequence[tuple[str, str]] = ()) -> AskResult:
        body: dict[str, Any] = {"question": question}
        if history:
            body["history"] = [{"role": role, "content": content} for role, content in history]
        response = self.client.post("/ask", json=body)
        _raise_for_status(response)
        body = response.json()
        return AskResult(
            answer=str(body.get("answer", "")),
            abstained=bool(body.get("abstained", False)),
            citations=tuple(passage_from_json(c) for c in body.get("citations", [])),
            statement_speakers=tuple(
                code
                for s in body.get("statements", [])
                if (code := _code(s.get("speaker"))) is not None
            ),
        )


def _raise_for_status(response: Any) -> None:
    if response.status_code >= 400:
        try:
            message = response.json()["error"]["message"]
        except Exception:
            message = response.text[:200]
        raise RuntimeError(f"HTTP {response.status_code}: {message}")


def _passages(body: Any) -> list[Mapping[str, Any]]:
    if isinstance(body, list):
        return body
    if isinstance(body, Mapping):
        for key in ("hits", "results", "passages", "citations"):
            if isinstance(body.get(key), list):
                return list(body[key])
    raise RuntimeError(f"unexpected /search response: {str(body)[:200]}")


def _code(speaker: Any) -> str | None:
    if isinstance(speaker, Mapping):
        code = speaker.get("code")
        return str(code) if code else None
    return str(speaker) if speaker else None


def passage_from_json(raw: Mapping[str, Any]) -> Passage:
    """A passage from the API's citation/hit JSON (see INTERFACE.md)."""
    session = raw.get("session") or {}
    document = raw.get("document") or {}
    chunk = raw.get("chunk") if isinstance(raw.get("chunk"), Mapping) else raw
    assert isinstance(chunk, Mapping)
    return Passage(
        chunk_id=str(chunk.get("chunk_id") or chunk.get("id") or ""),
        text=str(chunk.get("text", "")),
        speaker=_code(chunk.get("speaker") or raw.get("speaker")),
        session_date=session.get("date") if isinstance(session, Mapping) else None,
        session_id=session.get("id") if isinstance(session, Mapping) else None,
        role=chunk.get("role") or raw.get("role"),
        document=(document.get("file") or document.get("id"))
        if isinstance(document, Mapping)
        else (str(document) if document else None),
        score=raw.get("score"),
    )


# -- running -----------------------------------------------------------------------------------


def run_system(
    system: System, items: Sequence[QAItem], k: int = 10, progress: bool = False
) -> list[QuestionResult]:
    """Every question through one system; a failing question is recorded, not fatal."""
    results = []
    for number, item in enumerate(items, start=1):
        result = QuestionResult(
            system=system.name, id=item.id, question=item.question, kind=item.kind
        )
        try:
            started = time.perf_counter()
            result.retrieved = system.search(item.question, k)
            result.search_ms = round((time.perf_counter() - started) * 1000, 2)
            if system.answers:
                started = time.perf_counter()
                result.ask = system.ask(item.question, item.history)
                result.ask_ms = round((time.perf_counter() - started) * 1000, 2)
        except Exception as exc:  # one bad question must not hide the other results
            log.warning("%s %s failed: %s", system.name, item.id, exc)
            result.error = f"{type(exc).__name__}: {exc}"
        results.append(result)
        if progress and number % 20 == 0:
            log.info("%s: %d/%d questions", system.name, number, len(items))
    return results


def write_results(path: Path, results: Iterable[QuestionResult]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as handle:
        for result in results:
            handle.write(json.dumps(result.to_json(), ensure_ascii=False) + "\n")


def read_results(path: Path) -> list[QuestionResult]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [QuestionResult.from_json(json.loads(line)) for line in lines if line.strip()]
