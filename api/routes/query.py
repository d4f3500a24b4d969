"""`POST /ask` (JSON or server-sent events) and `GET /search`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, Response

from answer.render import answer_to_dict, hit_to_dict
from api.deps import Reader, Service, core_filters
from api.schemas import (
    AskRequest,
    AskResponse,
    DocTypeName,
    ErrorResponse,
    FiltersIn,
    HistoryTurn,
    SearchResponse,
)
from api.sse import event, pieces, sse_response
from gremium.errors import InvalidRequest
from gremium.settings import Settings

router = APIRouter(tags=["query"])

ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorResponse} for status in (400, 401, 403, 422, 429, 503)
}


@router.post(
    "/ask",
    summary="Answer a question with cited passages",
    response_model=None,
    responses={
        200: {
            "model": AskResponse,
            "content": {"text/event-stream": {"schema": {"type": "string"}}},
            "description": "The answer; with `stream: true` (or `Accept: text/event-stream`) "
            'events `meta` (everything but the text), `delta` ({"text"}) and `done` '
            "(the whole answer).",
        },
        **ERRORS,
    },
)
def ask(body: AskRequest, request: Request, caller: Reader, service: Service) -> Response:
    check_history(body.history, service.settings)
    filters = core_filters(caller, body.filters)
    history = [{"role": turn.role, "content": turn.content} for turn in body.history or []]
    answer = service.ask(body.question, filters, body.top_k, history=history)
    payload = answer_to_dict(answer)
    if body.stream or "text/event-stream" in request.headers.get("accept", ""):
        return sse_response(_ask_events(payload))
    return JSONResponse(payload)


def check_history(history: list[HistoryTurn] | None, settings: Settings) -> None:
    """The configured bounds on `history`; its shape and text the schema has checked."""
    if not history:
        return
    if len(history) > settings.max_history_turns:
        raise InvalidRequest(
            f"history has {len(history)} turns; at most {settings.max_history_turns} are "
            "accepted (GREMIUM_MAX_HISTORY_TURNS): send the latest ones"
        )
    size = sum(len(turn.content) for turn in history)
    if size > settings.max_history_chars:
        raise InvalidRequest(
            f"history holds {size} characters; at most {settings.max_history_chars} are "
            "accepted (GREMIUM_MAX_HISTORY_CHARS): shorten or drop the oldest turns"
        )


def _ask_events(payload: dict[str, Any]) -> Iterator[str]:
    yield event("meta", {key: value for key, value in payload.items() if key != "answer"})
    for piece in pieces(payload.get("answer", "")):
        yield event("delta", {"text": piece})
    yield event("done", payload)


@router.get(
    "/search",
    summary="Ranked passages for a query, without an answer",
    response_model=SearchResponse,
    responses=ERRORS,
)
def search(
    caller: Reader,
    service: Service,
    q: Annotated[str, Query(description="The query text.")],
    k: Annotated[int, Query(ge=1, le=100)] = 10,
    mode: Annotated[
        Literal["hybrid", "bm25", "dense"],
        Query(description="hybrid (the product), or one retriever alone for comparisons."),
    ] = "hybrid",
    speaker: Annotated[
        list[str] | None, Query(description="Speaker code or name; repeat or comma-separate.")
    ] = None,
    session: Annotated[str | None, Query(description="Session number, id or ISO date.")] = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    doc_type: DocTypeName | None = None,
    document_id: Annotated[str | None, Query(max_length=128)] = None,
) -> JSONResponse:
    requested = FiltersIn(
        speaker=speaker,
        session=session,
        date_from=date_from,
        date_to=date_to,
        doc_type=doc_type,
        document_id=document_id,
    )
    filters = core_filters(caller, requested)
    hits = service.search(q, k=k, filters=filters, mode=mode)
    return JSONResponse(
        {
            "query": q,
            "k": k,
            "mode": mode,
            "hits": [hit_to_dict(hit, n) for n, hit in enumerate(hits, 1)],
        }
    )
