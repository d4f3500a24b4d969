"""OpenAI-compatible chat: `POST /v1/chat/completions` and `GET /v1/models`.

Existing chat front ends and the official `openai` client work unchanged. The last
user message is the question; earlier turns are ignored (each answer stands on its
own sources). The answer text carries [n] markers; the citations travel in the
extension field `citations` (with `statements` and `abstained`) at the top level of the
completion, and when streaming in the first chunk and again in the last chunk before
`data: [DONE]`. Any model name is accepted; responses name the model `gremium`.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse, Response

from answer.render import answer_to_dict
from api.deps import Reader, Service, core_filters
from api.routes.query import ERRORS
from api.schemas import ChatCompletionRequest
from api.sse import event, pieces, sse_response
from gremium.errors import InvalidRequest, NotFound
from gremium.settings import Settings

MODEL_ID = "gremium"
_CREATED = 1_719_446_400  # 2024-06-27, the model card's fixed date

router = APIRouter(prefix="/v1", tags=["openai"])


def _model_card() -> dict[str, Any]:
    return {"id": MODEL_ID, "object": "model", "created": _CREATED, "owned_by": "gremium"}


@router.get("/models", summary="Models (OpenAI-compatible): just `gremium`")
def list_models(caller: Reader) -> JSONResponse:
    return JSONResponse({"object": "list", "data": [_model_card()]})


@router.get("/models/{model_id}", summary="One model (OpenAI-compatible)")
def get_model(model_id: str, caller: Reader) -> JSONResponse:
    if model_id != MODEL_ID:
        raise NotFound(f"no model {model_id!r}; the only model is {MODEL_ID!r}")
    return JSONResponse(_model_card())


@router.post(
    "/chat/completions",
    summary="Chat completion (OpenAI-compatible) with citations",
    response_model=None,
    responses={
        200: {
            "description": "A `chat.completion` with extension fields `citations`, "
            "`statements`, `abstained`; with `stream: true` `chat.completion.chunk` "
            "events ending in `data: [DONE]`.",
            "content": {"text/event-stream": {"schema": {"type": "string"}}},
        },
        **ERRORS,
    },
)
def chat_completions(body: ChatCompletionRequest, caller: Reader, service: Service) -> Response:
    question, history = _conversation(body, service.settings)
    filters = core_filters(caller, body.filters)
    payload = answer_to_dict(service.ask(question, filters, body.top_k, history=history))
    completion_id = "chatcmpl-" + uuid.uuid4().hex[:24]
    created = int(time.time())
    if body.stream:
        return sse_response(_chunks(payload, completion_id, created))
    return JSONResponse(completion(payload, question, completion_id, created))


def _conversation(
    body: ChatCompletionRequest, settings: Settings
) -> tuple[str, list[dict[str, str]]]:
    """The last user message is the question; the user and assistant messages before it
    are the conversation, of which the most recent turns within the history limits are
    kept (chat front ends send the whole conversation every time)."""
    for index in range(len(body.messages) - 1, -1, -1):
        message = body.messages[index]
        if message.role != "user":
            continue
        text = message.text().strip()
        if not text:
            break
        earlier = [
            {"role": m.role, "content": m.text()}
            for m in body.messages[:index]
            if m.role in {"user", "assistant"} and m.text().strip()
        ]
        kept: list[dict[str, str]] = []
        size = 0
        for turn in reversed(earlier[-settings.max_history_turns :]):
            size += len(turn["content"])
            if size > settings.max_history_chars:
                break
            kept.append(turn)
        return text, kept[::-1]
    raise InvalidRequest("no user message with text; the last user message is the question")


def _extensions(payload: dict[str, Any]) -> dict[str, Any]:
    return {
        "citations": payload.get("citations", []),
        "statements": payload.get("statements", []),
        "abstained": payload.get("abstained", False),
    }


def completion(
    payload: dict[str, Any], question: str, completion_id: str, created: int
) -> dict[str, Any]:
    answer = payload.get("answer", "")
    prompt_tokens, completion_tokens = len(question.split()), len(answer.split())
    return {
        "id": completion_id,
        "object": "chat.completion",
        "created": created,
        "model": MODEL_ID,
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": answer},
                "finish_reason": "stop",
                "logprobs": None,
            }
        ],
        "usage": {
            "prompt_tokens": prompt_tokens,
            "completion_tokens": completion_tokens,
            "total_tokens": prompt_tokens + completion_tokens,
        },
        **_extensions(payload),
    }


def _chunk(
    completion_id: str, created: int, delta: dict[str, Any], finish: str | None
) -> dict[str, Any]:
    return {
        "id": completion_id,
        "object": "chat.completion.chunk",
        "created": created,
        "model": MODEL_ID,
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish, "logprobs": None}],
    }


def _chunks(payload: dict[str, Any], completion_id: str, created: int) -> Iterator[str]:
    extensions = _extensions(payload)
    first = _chunk(completion_id, created, {"role": "assistant", "content": ""}, None)
    yield event(None, {**first, **extensions})
    for piece in pieces(payload.get("answer", "")):
        yield event(None, _chunk(completion_id, created, {"content": piece}, None))
    yield event(None, {**_chunk(completion_id, created, {}, "stop"), **extensions})
    yield event(None, "[DONE]")
