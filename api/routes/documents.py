"""Documents: upload (admin), list, show, delete (admin); and the status of upload jobs.

An upload is checked and handed to the write worker at once; the request then waits
up to `wait` seconds (default 10) for it. Done in time: 201, and the document is
searchable. Not yet: 202 with `status_url`; poll it until `status` is `done`
(`failed` carries the error). A bad file (empty, damaged, encrypted, unsupported)
fails within the wait with its 4xx, and the index is unchanged.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Query, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse

from api.convert import document_dict
from api.deps import Admin, Reader, State
from api.schemas import (
    DeletedResponse,
    DocumentList,
    DocumentOut,
    ErrorResponse,
    JobOut,
    MovedResponse,
    MoveRequest,
    UploadResponse,
)
from api.uploads import check_collection, check_upload, safe_filename
from gremium.errors import NotFound

router = APIRouter(tags=["documents"])

_ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorResponse} for status in (400, 401, 403, 404, 413, 415, 422, 429)
}


@router.post(
    "/documents",
    summary="Upload a file (PDF, TXT, MD, HTML) into a collection",
    status_code=201,
    response_model=UploadResponse,
    responses={
        202: {"model": UploadResponse, "description": "Accepted; poll `status_url`."},
        **_ERRORS,
    },
)
async def upload(
    caller: Admin,
    state: State,
    file: Annotated[UploadFile, File(description="The document.")],
    collection: Annotated[
        str, Form(description="Who may see it (API keys name collections).")
    ] = "public",
    wait: Annotated[float, Query(ge=0, le=120, description="Seconds to wait for indexing.")] = 10.0,
) -> JSONResponse:
    name = safe_filename(file.filename)
    check_collection(collection)
    max_bytes = int(state.settings.max_upload_mb * 1024 * 1024)
    data = await file.read(max_bytes + 1)
    check_upload(data, name, max_bytes)
    # The bytes are written to disk (fsync) before the answer: a 202 survives a crash.
    job = await run_in_threadpool(
        state.jobs.submit,
        lambda job: state.ingest_upload(data, name, collection),
        kind="upload",
        file=name,
        collection=collection,
        payload=data,
    )
    finished = await run_in_threadpool(job.done.wait, wait)
    if finished and job.error is not None:
        raise job.error
    body: dict[str, Any] = {"job_id": job.id, "status_url": f"/jobs/{job.id}"}
    if finished and job.result is not None:
        return JSONResponse({**job.result, **body}, status_code=201)
    return JSONResponse({"status": job.status, **body}, status_code=202)


@router.get(
    "/jobs/{job_id}", summary="Status of an upload job", response_model=JobOut, tags=["documents"]
)
def job_status(job_id: str, caller: Admin, state: State) -> JSONResponse:
    job = state.jobs.status(job_id)
    if job is None:
        raise NotFound(f"no job with id {job_id!r}; jobs are kept for the latest 1000 uploads")
    return JSONResponse(job)


@router.get(
    "/documents", summary="Documents you may see", response_model=DocumentList, responses=_ERRORS
)
def list_documents(caller: Reader, state: State) -> JSONResponse:
    docs = state.service.documents(caller.collections)
    return JSONResponse({"count": len(docs), "documents": [document_dict(d) for d in docs]})


@router.get("/documents/{document_id}", response_model=DocumentOut, responses=_ERRORS)
def get_document(document_id: str, caller: Reader, state: State) -> JSONResponse:
    return JSONResponse(document_dict(state.service.document(document_id, caller.collections)))


@router.patch(
    "/documents/{document_id}",
    summary="Move a document into another collection",
    response_model=MovedResponse,
    responses={409: {"model": ErrorResponse}, **_ERRORS},
)
def move_document(document_id: str, body: MoveRequest, caller: Admin, state: State) -> JSONResponse:
    """The only way a document changes collection (an upload never moves one).

    Its id changes with the collection (ids are unique per collection); the answer names
    both. 409 if the target already holds a file of the same name.
    """
    before, after = state.service.move(document_id, body.collection)
    moved = before.id != after.id or before.collection != after.collection
    return JSONResponse(
        {
            "status": "moved" if moved else "unchanged",
            "document": document_dict(after),
            "previous": {"id": before.id, "collection": before.collection},
        }
    )


@router.delete(
    "/documents/{document_id}",
    summary="Remove a document and its passages",
    response_model=DeletedResponse,
    responses=_ERRORS,
)
def delete_document(document_id: str, caller: Admin, state: State) -> JSONResponse:
    removed = state.service.remove(document_id)
    return JSONResponse({"deleted": document_dict(removed)})
