"""Turn request filters into core `Filters`, refusing values that name nothing (422).

A speaker may be given by code or any name the registry knows ("Bayern" -> BY) or by
a body's name as the index holds it; a session by number, id or date of a session the
caller can see. The catalog of visible speakers and sessions is cached per collection
scope and dropped after every write.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from api.auth import Caller
from api.schemas import FiltersIn
from gremium.errors import InvalidRequest
from gremium.service import Gremium
from gremium.types import Filters
from ingest.speakers import REGISTRY


@dataclass(frozen=True)
class Catalog:
    speakers: dict[str, str]  # folded code or name -> canonical code
    sessions: dict[str, str]  # folded id, number or date -> session id
    session_ids: tuple[str, ...]


class CatalogCache:
    def __init__(self) -> None:
        self._cache: dict[tuple[int, tuple[str, ...] | None], Catalog] = {}
        self._lock = threading.Lock()

    def get(self, service: Gremium, version: int, collections: tuple[str, ...] | None) -> Catalog:
        key = (version, collections)
        with self._lock:
            found = self._cache.get(key)
        if found is not None:
            return found
        catalog = _build_catalog(service, collections)
        with self._lock:
            self._cache = {k: v for k, v in self._cache.items() if k[0] == version}
            self._cache[key] = catalog
        return catalog


def _build_catalog(service: Gremium, collections: tuple[str, ...] | None) -> Catalog:
    speakers: dict[str, str] = {}
    for known in REGISTRY.all():
        speakers[known.code.casefold()] = known.code
    for speaker, _count in service.speakers(collections):
        speakers[speaker.code.casefold()] = speaker.code
        speakers[speaker.name.casefold()] = speaker.code
    sessions: dict[str, str] = {}
    ids: list[str] = []
    for session, _count in service.sessions(collections):
        ids.append(session.id)
        sessions[session.id.casefold()] = session.id
        if session.number is not None:
            sessions[str(session.number)] = session.id
        if session.date:
            sessions.setdefault(session.date, session.id)
    return Catalog(speakers=speakers, sessions=sessions, session_ids=tuple(ids))


def resolve_filters(requested: FiltersIn | None, caller: Caller, catalog: Catalog) -> Filters:
    """Core filters for this caller: the requested restrictions plus the caller's collections."""
    if requested is None:
        return caller.filters
    codes: list[str] = []
    for value in requested.speakers():
        code = _speaker_code(value, catalog)
        if code not in codes:
            codes.append(code)
    session: str | None = None
    if requested.session is not None and str(requested.session).strip():
        wanted = str(requested.session).strip()
        if wanted.casefold() not in catalog.sessions:
            shown = ", ".join(catalog.session_ids[:12]) or "none"
            raise InvalidRequest(
                f"unknown session {wanted!r}; give a number, id or date of one of: {shown}"
            )
        session = wanted
    if requested.date_from and requested.date_to and requested.date_from > requested.date_to:
        raise InvalidRequest(
            f"date_from {requested.date_from} is after date_to {requested.date_to}; swap them"
        )
    return Filters(
        speakers=tuple(codes),
        session=session,
        date_from=requested.date_from.isoformat() if requested.date_from else None,
        date_to=requested.date_to.isoformat() if requested.date_to else None,
        doc_type=requested.doc_type,
        document_id=requested.document_id or None,
        collections=caller.collections,
    )


def _speaker_code(value: str, catalog: Catalog) -> str:
    known = REGISTRY.resolve(value)
    if known is not None:
        return known.code
    code = catalog.speakers.get(value.casefold())
    if code is None:
        raise InvalidRequest(
            f"unknown speaker {value!r}; use a code such as BY, NW, Bund or FITKO "
            "(GET /speakers lists them)"
        )
    return code
