"""ASGI middleware: request ids, access log and metrics, and a cap on body size.

Plain ASGI rather than BaseHTTPMiddleware so that streamed responses pass through
untouched and the request id context variable reaches the route and its threads.
"""

from __future__ import annotations

import json
import logging
import re
import time
import uuid
from typing import Any

from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.metrics import Metrics
from gremium.logs import request_id

log = logging.getLogger("api.access")

_SAFE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")


class BodyTooLarge(StarletteHTTPException):
    """Raised from `receive` when a body without Content-Length grows over the limit."""

    def __init__(self, limit: int, is_upload: bool) -> None:
        self.code = "file_too_large" if is_upload else "payload_too_large"
        super().__init__(413, _too_large_message(limit, is_upload))


def _too_large_message(limit: int, is_upload: bool) -> str:
    what = "upload" if is_upload else "request body"
    hint = "; raise GREMIUM_MAX_UPLOAD_MB to allow larger files" if is_upload else ""
    return f"the {what} exceeds the limit of {_human(limit)}{hint}"


def _human(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB" if size >= 1024 * 1024 else f"{size // 1024} KB"


class RequestContextMiddleware:
    """Sets X-Request-ID (kept from the client when sane), logs and measures each request.

    It is also where an unexpected error ends: answered here with a 500 that carries the
    request id, and not re-raised. Re-raised, Starlette's outer error middleware would
    answer without the id and uvicorn would close the keep-alive connection, failing the
    client's next request too. An error after a response has started ends that response
    cleanly (a stream gets a last `error` event) instead of resetting the connection.
    """

    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        incoming = _header(scope, b"x-request-id")
        rid = incoming if incoming and _SAFE_REQUEST_ID.match(incoming) else uuid.uuid4().hex[:16]
        token = request_id.set(rid)
        started = time.perf_counter()
        status = 500
        response = {"started": False, "finished": False, "stream": False}

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = [(k, v) for k, v in message.get("headers", []) if k != b"x-request-id"]
                headers.append((b"x-request-id", rid.encode()))
                message["headers"] = headers
                response["started"] = True
                response["stream"] = any(
                    k == b"content-type" and v.startswith(b"text/event-stream") for k, v in headers
                )
            elif message["type"] == "http.response.body" and not message.get("more_body", False):
                response["finished"] = True
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        except Exception:
            log.exception("unhandled error in %s %s", scope["method"], scope["path"])
            if not response["started"]:
                await _send_json(send_with_id, 500, _internal_error(rid))
            elif not response["finished"]:
                tail = b""
                if response["stream"]:
                    tail = b"event: error\ndata: " + json.dumps(_internal_error(rid)).encode()
                    tail += b"\n\n"
                await send_with_id({"type": "http.response.body", "body": tail})
        finally:
            elapsed = time.perf_counter() - started
            route = scope.get("route")
            template = getattr(route, "path", None) or "unmatched"
            self.metrics.observe(scope["method"], template, status, elapsed)
            log.info("%s %s %d %.1f ms", scope["method"], scope["path"], status, elapsed * 1000)
            request_id.reset(token)


def _internal_error(rid: str) -> dict[str, Any]:
    return {
        "error": {
            "code": "internal_error",
            "message": f"an internal error occurred; quote request id {rid} when reporting it",
        }
    }


class BodyLimitMiddleware:
    """Refuses bodies over a limit with 413 before they are read into memory.

    Uploads (`POST /documents`) may be as large as the configured upload limit plus room
    for the multipart envelope; every other body is capped at `default_limit`.
    """

    def __init__(self, app: ASGIApp, upload_limit: int, default_limit: int = 1024 * 1024) -> None:
        self.app = app
        self.upload_limit = upload_limit
        self.default_limit = default_limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS", "DELETE"):
            await self.app(scope, receive, send)
            return
        is_upload = scope["path"].rstrip("/") == "/documents"
        limit = self.upload_limit + 64 * 1024 if is_upload else self.default_limit
        shown = self.upload_limit if is_upload else self.default_limit
        declared = _header(scope, b"content-length")
        if declared and declared.isdigit() and int(declared) > limit:
            await _drain(receive, cap=limit * 4)
            await _send_413(send, shown, is_upload)
            return
        received = 0

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge(shown, is_upload)
            return message

        await self.app(scope, counting_receive, send)


async def _drain(receive: Receive, cap: int) -> None:
    """Read and drop the body, so that the client gets to read the 413 rather than a reset.

    Past `cap` bytes the connection is closed on the client instead.
    """
    drained = 0
    while drained <= cap:
        message = await receive()
        if message["type"] != "http.request":
            return
        drained += len(message.get("body", b""))
        if not message.get("more_body", False):
            return


async def _send_413(send: Send, limit: int, is_upload: bool) -> None:
    body = {
        "error": {
            "code": "file_too_large" if is_upload else "payload_too_large",
            "message": _too_large_message(limit, is_upload),
        }
    }
    await _send_json(send, 413, body, close=True)


async def _send_json(send: Send, status: int, payload: Any, *, close: bool = False) -> None:
    body = json.dumps(payload).encode()
    headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
    ]
    if close:
        headers.append((b"connection", b"close"))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key == name:
            decoded: Any = value.decode("latin-1")
            return str(decoded)
    return None
