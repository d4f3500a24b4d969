"""One place that turns every failure into `{"error": {"code", "message"}}` with its status.

GremiumError subclasses carry their own `.status` and `.code`; request validation
becomes 422 (400 for a body that is not JSON at all); Starlette's HTTP errors (404 for
an unknown path, 405, a malformed multipart body) keep their status. Anything else is a
bug: 500 with the request id, so the log line can be found.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from api.ratelimit import RateLimitExceeded
from gremium.errors import GremiumError, Unauthorized
from gremium.logs import request_id

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


def error_body(code: str, message: str) -> dict[str, Any]:
    return {"error": {"code": code, "message": message}}


def error_response(
    status: int, code: str, message: str, headers: dict[str, str] | None = None
) -> JSONResponse:
    return JSONResponse(error_body(code, message), status_code=status, headers=headers)


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
        if exc.status_code in (404, 405) and message in ("Not Found", "Method Not Allowed"):
            message = f"no endpoint {request.method} {request.url.path}; /docs lists them"
        return error_response(exc.status_code, code, message, dict(exc.headers or {}) or None)

    @app.exception_handler(Exception)
    async def _unexpected(_: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error")
        return error_response(
            500,
            "internal_error",
            f"an internal error occurred; quote request id {request_id.get()} when reporting it",
        )
