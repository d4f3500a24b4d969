"""FastAPI dependencies: the app state, the rate-limited and authenticated caller, filters."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from api.auth import Caller, authorize, check_write_origin, identify
from api.filters import resolve_filters
from api.schemas import FiltersIn
from api.state import AppState
from gremium.service import Gremium
from gremium.types import Filters


def get_state(request: Request) -> AppState:
    state: AppState = request.app.state.gremium
    return state


State = Annotated[AppState, Depends(get_state)]


def _limit(state: AppState, request: Request) -> None:
    known = identify(state.keys, request)
    if known is not None and known.key_id is not None:
        bucket = f"key:{known.key_id}"
    else:
        bucket = f"ip:{request.client.host if request.client else 'unknown'}"
    state.limiter.check(bucket)


def reader(request: Request, state: State) -> Caller:
    """Any valid key (or none when reads are open); rate limited."""
    _limit(state, request)
    return authorize(state.keys, request)


def admin(request: Request, state: State) -> Caller:
    """An admin key (or none when no keys are configured: then loopback, same origin)."""
    _limit(state, request)
    caller = authorize(state.keys, request, admin=True)
    if not state.keys.enabled:
        check_write_origin(
            request,
            allow_remote=state.settings.allow_remote_writes,
            cors_origins=state.cors_origins,
        )
    return caller


def ready_service(state: State) -> Gremium:
    return state.ready_service()


Reader = Annotated[Caller, Depends(reader)]
Admin = Annotated[Caller, Depends(admin)]
Service = Annotated[Gremium, Depends(ready_service)]


def core_filters(caller: Caller, requested: FiltersIn | None) -> Filters:
    """Core filters, restricted to what the caller may see."""
    return resolve_filters(requested, caller)
