"""Where a citation leads: `GET /documents/{id}/file` and `GET /documents/{id}/pages/{n}`.

The original is served with its own content type and a download name that cannot
break the header. It is sent for reading, never as part of this site: `nosniff`
everywhere, and HTML or text originals in a sandbox (no scripts, no cookies, an opaque
origin), so an uploaded page cannot act with the reader's key. PDFs are exempt: the
browser's PDF viewer does not run in a sandboxed document, and a PDF has no scripts
that could reach this origin.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import PurePosixPath
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Path, Query
from fastapi.responses import JSONResponse, Response

from api.convert import page_dict
from api.deps import Reader, Service
from api.schemas import ErrorResponse, PageOut

router = APIRouter(tags=["sources"])

_ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorResponse} for status in (401, 403, 404, 422, 429, 503)
}

_TYPES = {
    ".pdf": "application/pdf",
    ".txt": "text/plain",
    ".text": "text/plain",
    ".md": "text/markdown",
    ".markdown": "text/markdown",
    ".html": "text/html",
    ".htm": "text/html",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".odt": "application/vnd.oasis.opendocument.text",
}
_UNSAFE = re.compile(r'[\x00-\x1f\x7f"\\/;:*?<>|%]+')

DocumentId = Annotated[str, Path(max_length=128, description="The document's id.")]


@router.get(
    "/documents/{document_id}/file",
    summary="The original file a citation comes from",
    response_class=Response,
    responses={
        200: {
            "content": {"application/pdf": {}, "text/plain": {}, "application/octet-stream": {}},
            "description": "The file as ingested, with its own content type; a PDF opens at "
            "a page with `#page=N`.",
        },
        **_ERRORS,
    },
)
def original_file(
    document_id: DocumentId,
    caller: Reader,
    service: Service,
    download: Annotated[
        bool, Query(description="Ask the browser to save the file instead of showing it.")
    ] = False,
) -> Response:
    doc, data = service.original(document_id, caller.collections)
    media_type = content_type(doc.file, data)
    disposition = "attachment" if download else "inline"
    headers = {
        "Content-Disposition": content_disposition(disposition, doc.file),
        "X-Content-Type-Options": "nosniff",
        "Cache-Control": "private, max-age=3600",
        "ETag": f'"{doc.sha256}"',
    }
    if not media_type.startswith("application/pdf"):
        headers["Content-Security-Policy"] = (
            "sandbox; default-src 'none'; style-src 'unsafe-inline'"
        )
    return Response(data, media_type=media_type, headers=headers)


@router.get(
    "/documents/{document_id}/pages/{page}",
    summary="The text of one page, optionally with a cited passage located on it",
    response_model=PageOut,
    responses=_ERRORS,
)
def page_text(
    document_id: DocumentId,
    page: Annotated[int, Path(ge=1, le=100_000, description="Page number, from 1.")],
    caller: Reader,
    service: Service,
    chunk: Annotated[
        str | None,
        Query(
            max_length=128,
            description="A citation's `chunk_id`: `highlights` then says where it lies.",
        ),
    ] = None,
) -> JSONResponse:
    return JSONResponse(
        page_dict(service.page(document_id, page, caller.collections, chunk_id=chunk))
    )


def content_type(name: str, data: bytes) -> str:
    """The file's type by content first (as ingest reads it), then by extension."""
    if data.startswith(b"%PDF-"):
        return "application/pdf"
    media_type = _TYPES.get(PurePosixPath(name).suffix.lower(), "application/octet-stream")
    if media_type.startswith("text/"):
        try:
            data.decode("utf-8")
            charset = "utf-8"
        except UnicodeDecodeError:
            charset = "windows-1252"  # what ingest falls back to
        media_type += f"; charset={charset}"
    return media_type


def content_disposition(disposition: str, name: str) -> str:
    """`inline; filename="Protokoll_47.pdf"; filename*=UTF-8''Protokoll%2047.pdf`.

    The quoted name is plain ASCII without quotes, separators or control characters;
    the full name travels percent-encoded (RFC 6266) for browsers that read it.
    """
    name = PurePosixPath(name.replace("\\", "/")).name
    cleaned = _UNSAFE.sub("_", unicodedata.normalize("NFC", name)).strip(" ._") or "dokument"
    path = PurePosixPath(cleaned)
    stem, suffix = _ascii(path.stem) or "dokument", _ascii(path.suffix.lstrip("."))
    ascii_name = f"{stem}.{suffix}" if suffix else stem
    return f"{disposition}; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(cleaned, safe='')}"


def _ascii(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^A-Za-z0-9_ -]+", "_", folded).strip(" _")
