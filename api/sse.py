"""Server-sent events: the wire format and the cutting of an answer into pieces.

Answers are computed whole (extractive or LLM, not token-streamed by the core), so
streaming sends the citations first and then the text in word groups: a widget can
render the sources at once and the answer as it arrives.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from starlette.responses import StreamingResponse

_WORD = re.compile(r"\S+\s*|\s+")


def event(name: str | None, data: Any) -> str:
    """One SSE event; `data` is JSON-encoded unless it is a str."""
    payload = data if isinstance(data, str) else json.dumps(data, ensure_ascii=False)
    lines = "".join(f"data: {line}\n" for line in payload.split("\n"))
    return (f"event: {name}\n" if name else "") + lines + "\n"


def pieces(text: str, words: int = 6) -> Iterator[str]:
    """The text in groups of `words` words, whitespace kept, so that joining gives it back."""
    tokens = _WORD.findall(text)
    for start in range(0, len(tokens), words):
        yield "".join(tokens[start : start + words])


def sse_response(events: Iterator[str]) -> StreamingResponse:
    return StreamingResponse(
        events,
        media_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )
