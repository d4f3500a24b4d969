"""One place that turns every failure into `{"error": {"code", "message"}}` with its status.

GremiumError subclasses carry their own `.status` and `.code`; request validation
becomes 422 (400 for a body that is not JSON at all); Starlette's HTTP errors (404 for
an unknown path, 405, a malformed multipart body) keep their status. Anything else is a
bug, answered by `api.middleware.RequestContextMiddleware`: 500 with the request id, so
the log line can be found, on a connection that stays open.

Error bodies are ASCII JSON: a message may quote what the client sent, and that can be
text no UTF-8 encoder accepts (a lone surrogate); escaped, it cannot break the response.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from api.ratelimit import RateLimitExceeded
from gremium.errors import GremiumError, Unauthorized

log = logging.getLogger(__name__)

_HTTP_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "invalid_request",
    429: "rate_limited",
    503: "not_ready",
}


class ErrorJSONResponse(JSONResponse):
    def render(self, content: Any) -> bytes:
        return json.dumps(content, ensure_ascii=True, separators=(",", ":")).encode("ascii")


def error_body(code: str, message: str) -> dict[str, Any]:
    return {"error": {"code": code, "message": message}}


def error_response(
    status: int, code: str, message: str, headers: dict[str, str] | None = None
) -> JSONResponse:
    return ErrorJSONResponse(error_body(code, message), status_code=status, headers=headers)


def gremium_error_response(exc: GremiumError) -> JSONResponse:
    headers: dict[str, str] = {}
    if isinstance(exc, RateLimitExceeded):
        headers["Retry-After"] = str(exc.retry_after)
    if isinstance(exc, Unauthorized):
        headers["WWW-Authenticate"] = "Bearer"
    return error_response(exc.status, exc.code, exc.message, headers or None)


def describe_validation(errors: list[Any]) -> str:
    """A one-line summary of pydantic errors: where and what."""
    parts = []
    for error in errors[:5]:
        loc = [str(p) for p in error.get("loc", ()) if p not in ("body", "query", "path", "form")]
        where = ".".join(loc) or "request"
        parts.append(f"{where}: {error.get('msg', 'invalid value')}")
    more = f" (and {len(errors) - 5} more)" if len(errors) > 5 else ""
    return "; ".join(parts) + more


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(GremiumError)
    async def _gremium(_: Request, exc: GremiumError) -> JSONResponse:
        if exc.status >= 500 and exc.status != 503:
            log.error("%s: %s", exc.code, exc.message)
        return gremium_error_response(exc)

    @app.exception_handler(RequestValidationError)
    async def _validation(_: Request, exc: RequestValidationError) -> JSONResponse:
        errors = list(exc.errors())
        if any(e.get("type") == "json_invalid" for e in errors):
            return error_response(
                400,
                "malformed_json",
                "the request body is not valid JSON: " + describe_validation(errors),
            )
        return error_response(422, "invalid_request", describe_validation(errors))

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = getattr(exc, "code", None) or _HTTP_CODES.get(exc.status_code, "http_error")
        message = str(exc.detail) if exc.detail else code.replace("_", " ")
        if exc.status_code == 400 and message == "There was an error parsing the body":
            # FastAPI's answer to a body its JSON parser gave up on (not UTF-8, too deep).
            is_json = "json" in request.headers.get("content-type", "")
            if is_json:
                code, message = "malformed_json", "the request body is not readable UTF-8 JSON"
        if exc.status_code in (404, 405) and message in ("Not Found", "Method Not Allowed"):
            message = f"no endpoint {request.method} {request.url.path}; /docs lists them"
        return error_response(exc.status_code, code, message, dict(exc.headers or {}) or None)
