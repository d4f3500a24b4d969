"""`GET /health` (liveness and index status, never needs a key) and `GET /metrics`."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse, Response

from api.deps import Reader, State
from api.metrics import CONTENT_TYPE
from api.schemas import HealthResponse

router = APIRouter(tags=["system"])


@router.get("/health", summary="Liveness and index status", response_model=HealthResponse)
def health(state: State) -> JSONResponse:
    figures = state.index_figures()
    body = {
        "status": state.phase,
        "ready": state.ready,
        "documents": figures["documents"],
        "chunks": figures["chunks"],
        "embedder": state.settings.embedder,
        "indexing": state.progress,
    }
    return JSONResponse(body)


@router.get(
    "/metrics",
    summary="Prometheus metrics",
    response_class=Response,
    responses={200: {"content": {CONTENT_TYPE: {}}, "description": "Prometheus text format."}},
)
def metrics(caller: Reader, state: State) -> Response:
    return Response(state.metrics.render(), media_type=CONTENT_TYPE)
