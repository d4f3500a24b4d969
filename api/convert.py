"""Core types -> JSON dicts for the endpoints that `answer.render` does not cover."""

from __future__ import annotations

from typing import Any

from answer.render import session_to_dict, speaker_to_dict
from gremium.types import Document, Session, Speaker


def document_dict(doc: Document) -> dict[str, Any]:
    """A document as the API shows it; the server-side source path stays private."""
    return {
        "id": doc.id,
        "file": doc.file,
        "title": doc.title,
        "doc_type": doc.doc_type,
        "collection": doc.collection,
        "pages": doc.pages,
        "sha256": doc.sha256,
        "session": session_to_dict(doc.session),
    }


def speaker_list(rows: list[tuple[Speaker, int]]) -> dict[str, Any]:
    speakers = [{**(speaker_to_dict(s) or {}), "passages": count} for s, count in rows]
    return {"count": len(speakers), "speakers": speakers}


def session_list(rows: list[tuple[Session, int]]) -> dict[str, Any]:
    sessions = [
        {**(session_to_dict(s) or {}), "label": s.label, "passages": count} for s, count in rows
    ]
    return {"count": len(sessions), "sessions": sessions}
