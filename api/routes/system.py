"""`GET /health` (liveness and index status, never needs a key) and `GET /metrics`."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response

from api.auth import sees_everything
from api.deps import Reader, State
from api.metrics import CONTENT_TYPE
from api.schemas import HealthResponse

router = APIRouter(tags=["system"])


@router.get("/health", summary="Liveness and index status", response_model=HealthResponse)
def health(request: Request, state: State) -> JSONResponse:
    """Needs no key. Counts of documents and passages only for a caller who may see every
    collection (any caller when no keys are set): they would tell others what is hidden."""
    everything = sees_everything(state.keys, request)
    figures = state.index_figures() if everything else {"documents": None, "chunks": None}
    body = {
        "status": state.phase,
        "ready": state.ready,
        "documents": figures["documents"],
        "chunks": figures["chunks"],
        "embedder": state.settings.embedder,
        "indexing": state.progress if everything else None,
    }
    return JSONResponse(body)


@router.get(
    "/metrics",
    summary="Prometheus metrics",
    response_class=Response,
    responses={200: {"content": {CONTENT_TYPE: {}}, "description": "Prometheus text format."}},
)
def metrics(caller: Reader, state: State) -> Response:
    """The index gauges (documents, passages) only for a key that sees every collection."""
    everything = caller.collections is None
    return Response(state.metrics.render(include_index=everything), media_type=CONTENT_TYPE)
