"""Turn request filters into core `Filters` restricted to what the caller may see.

Only the shape is checked here. Whether a speaker, session or document exists (for
this caller's collections) is decided by the index on every query, which answers an
unknown value with InvalidRequest (422) naming the valid ones, so this layer holds no
catalog that could go stale when another process ingests.
"""

from __future__ import annotations

from api.auth import Caller
from api.schemas import FiltersIn
from gremium.errors import InvalidRequest
from gremium.types import Filters


def resolve_filters(requested: FiltersIn | None, caller: Caller) -> Filters:
    """Core filters for this caller: the requested restrictions plus the caller's collections."""
    if requested is None:
        return caller.filters
    if requested.date_from and requested.date_to and requested.date_from > requested.date_to:
        raise InvalidRequest(
            f"date_from {requested.date_from} is after date_to {requested.date_to}; swap them"
        )
    session = str(requested.session).strip() if requested.session is not None else ""
    return Filters(
        speakers=tuple(dict.fromkeys(requested.speakers())),
        session=session or None,
        date_from=requested.date_from.isoformat() if requested.date_from else None,
        date_to=requested.date_to.isoformat() if requested.date_to else None,
        doc_type=requested.doc_type,
        document_id=requested.document_id or None,
        collections=caller.collections,
    )
