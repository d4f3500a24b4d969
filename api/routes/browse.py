"""Browsing the record: one session, one speaker, a speaker's position on a topic over time.

`GET /sessions/{id}`: date, place, attendance where the record lists it, and per agenda
item who spoke and what was decided. `GET /speakers/{code}`: what a speaker said, by
session (newest first) and agenda item. `GET /speakers/{code}/statements?topic=...`:
the speaker's statements on a topic, by session, oldest first, each cited.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query
from fastapi.responses import JSONResponse

from api.convert import session_record_dict, speaker_record_dict, statements_dict
from api.deps import Reader, Service
from api.schemas import ErrorResponse, SessionDetail, SpeakerDetail, StatementsOut

router = APIRouter(tags=["catalog"])

_ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorResponse} for status in (401, 403, 404, 422, 429, 503)
}

SpeakerCode = Annotated[
    str, Path(max_length=80, description="Speaker code ('BY') or name ('Bayern').")
]


@router.get(
    "/sessions/{session_id}",
    summary="One session: attendance, agenda items, speakers and decisions",
    response_model=SessionDetail,
    responses=_ERRORS,
)
def session_detail(
    session_id: Annotated[str, Path(max_length=80, examples=["2024-06-27-sonder"])],
    caller: Reader,
    service: Service,
) -> JSONResponse:
    return JSONResponse(session_record_dict(service.session_record(session_id, caller.collections)))


@router.get(
    "/speakers/{code}",
    summary="What one speaker said, by session (newest first) and agenda item",
    response_model=SpeakerDetail,
    responses=_ERRORS,
)
def speaker_detail(
    code: SpeakerCode,
    caller: Reader,
    service: Service,
    limit: Annotated[int, Query(ge=1, le=100, description="Sessions to show.")] = 20,
    offset: Annotated[int, Query(ge=0, le=100_000, description="Sessions to skip.")] = 0,
) -> JSONResponse:
    record = service.speaker_record(code, caller.collections, limit=limit, offset=offset)
    return JSONResponse(speaker_record_dict(record, limit=limit, offset=offset))


@router.get(
    "/speakers/{code}/statements",
    summary="A speaker's statements on a topic, by session, oldest first",
    response_model=StatementsOut,
    responses=_ERRORS,
)
def speaker_statements(
    code: SpeakerCode,
    caller: Reader,
    service: Service,
    topic: Annotated[
        str,
        Query(
            min_length=1,
            max_length=500,
            description="What about, e.g. 'Cloud'.",
            examples=["Cloud"],
        ),
    ],
) -> JSONResponse:
    return JSONResponse(statements_dict(service.statements(code, topic, caller.collections)))
