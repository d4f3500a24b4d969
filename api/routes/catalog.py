"""`GET /speakers` and `GET /sessions`: what the visible passages cover, with counts.

`GET /sessions?agenda=true` adds each session's agenda items and decisions, so an
overview needs one request, not one per session.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse

from api.convert import session_list, speaker_list
from api.deps import Reader, Service
from api.routes.query import ERRORS
from api.schemas import SessionList, SpeakerList

router = APIRouter(tags=["catalog"])


@router.get(
    "/speakers",
    summary="Speakers with passage counts",
    response_model=SpeakerList,
    responses=ERRORS,
)
def speakers(caller: Reader, service: Service) -> JSONResponse:
    return JSONResponse(speaker_list(service.speakers(caller.collections)))


@router.get(
    "/sessions",
    summary="Sessions with passage counts",
    response_model=SessionList,
    responses=ERRORS,
)
def sessions(
    caller: Reader,
    service: Service,
    agenda: Annotated[
        bool,
        Query(description="Also list each session's agenda items with their decisions."),
    ] = False,
) -> JSONResponse:
    rows = service.sessions(caller.collections)
    agendas = service.agendas(caller.collections) if agenda else None
    return JSONResponse(session_list(rows, agendas))
