"""`GET /speakers` and `GET /sessions`: what the visible passages cover, with counts."""

from __future__ import annotations

from fastapi import APIRouter
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
def sessions(caller: Reader, service: Service) -> JSONResponse:
    return JSONResponse(session_list(service.sessions(caller.collections)))
