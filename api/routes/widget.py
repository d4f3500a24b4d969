"""The chat widget: `GET /widget` (a whole page), the browse page `GET /browse` and their
static files (never need a key; the data they show does).

An intranet page embeds it with one tag:

    <script src="https://gremium.example/widget.js" data-gremium-url="https://gremium.example"
            data-gremium-key="..." defer></script>
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import FileResponse

STATIC = Path(__file__).resolve().parent.parent / "static"

router = APIRouter(tags=["widget"])

_CACHE = {"Cache-Control": "public, max-age=300"}


@router.get("/widget", summary="Chat page (embeddable widget)", response_class=FileResponse)
def widget_page() -> FileResponse:
    return FileResponse(
        STATIC / "widget.html", media_type="text/html; charset=utf-8", headers=_CACHE
    )


@router.get("/widget.js", include_in_schema=False)
def widget_script() -> FileResponse:
    return FileResponse(
        STATIC / "widget.js", media_type="text/javascript; charset=utf-8", headers=_CACHE
    )


@router.get("/widget.css", include_in_schema=False)
def widget_style() -> FileResponse:
    return FileResponse(STATIC / "widget.css", media_type="text/css; charset=utf-8", headers=_CACHE)


@router.get(
    "/browse",
    summary="Browse page: sessions and speakers (same look as the widget)",
    response_class=FileResponse,
)
def browse_page() -> FileResponse:
    return FileResponse(
        STATIC / "browse.html", media_type="text/html; charset=utf-8", headers=_CACHE
    )


@router.get("/browse.js", include_in_schema=False)
def browse_script() -> FileResponse:
    return FileResponse(
        STATIC / "browse.js", media_type="text/javascript; charset=utf-8", headers=_CACHE
    )


@router.get("/browse.css", include_in_schema=False)
def browse_style() -> FileResponse:
    return FileResponse(STATIC / "browse.css", media_type="text/css; charset=utf-8", headers=_CACHE)
