"""Core types -> JSON dicts for the endpoints that `answer.render` does not cover."""

from __future__ import annotations

from typing import Any

from answer.render import (
    agenda_item_to_dict,
    file_url,
    hit_to_dict,
    session_to_dict,
    speaker_to_dict,
)
from gremium.types import (
    AgendaItem,
    AgendaRecord,
    Chunk,
    Document,
    Hit,
    Page,
    PositionOverTime,
    Session,
    SessionRecord,
    Speaker,
    SpeakerRecord,
)


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
    speakers = [speaker_count(s, count) for s, count in rows]
    return {"count": len(speakers), "speakers": speakers}


def speaker_count(speaker: Speaker, count: int) -> dict[str, Any]:
    return {
        **(speaker_to_dict(speaker) or {}),
        "passages": count,
        "url": f"/speakers/{speaker.code}",
    }


def session_list(
    rows: list[tuple[Session, int]],
    agendas: dict[str, list[tuple[AgendaItem, tuple[str, ...]]]] | None = None,
) -> dict[str, Any]:
    """Sessions with counts; with `agendas`, each with its agenda items and decisions."""
    sessions = [session_count(s, count) for s, count in rows]
    if agendas is not None:
        for entry in sessions:
            entry["agenda_items"] = [
                {**(agenda_item_to_dict(item) or {}), "decisions": list(decisions)}
                for item, decisions in agendas.get(entry["id"], [])
            ]
    return {"count": len(sessions), "sessions": sessions}


def session_count(session: Session, count: int) -> dict[str, Any]:
    return {
        **(session_to_dict(session) or {}),
        "label": session.label,
        "passages": count,
        "url": f"/sessions/{session.id}",
    }


def page_dict(page: Page) -> dict[str, Any]:
    return {
        "page": page.number,
        "text": page.text,
        "document": document_dict(page.document),
        "highlights": [{"start": start, "end": end} for start, end in page.highlights],
        "file_url": file_url(page.document.id),
    }


def passage_dict(chunk: Chunk, document: Document | None) -> dict[str, Any]:
    """A passage shaped like a citation, without the numbering and scores of a ranking."""
    out = hit_to_dict(Hit(chunk=chunk, score=0.0, document=document))
    for ranked in ("score", "scores"):
        out.pop(ranked, None)
    return out


def agenda_record_dict(record: AgendaRecord, documents: dict[str, Document]) -> dict[str, Any]:
    speakers = {c.speaker.code: c.speaker for c in record.passages if c.speaker is not None}
    passages = [passage_dict(c, documents.get(c.document_id)) for c in record.passages]
    return {
        "agenda_item": agenda_item_to_dict(record.item),
        "speakers": [speaker_to_dict(s) for s in speakers.values()],
        "decisions": decisions(passages),
        "passages": passages,
    }


def decisions(passages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One entry per decision: a long decision's consecutive passages belong together."""
    out: list[dict[str, Any]] = []
    previous: dict[str, Any] | None = None
    for passage in passages:
        if passage["role"] != "decision":
            previous = None
            continue
        key = (passage["decision"], passage["label"])
        if previous is not None and (previous["decision"], previous["label"]) == key:
            previous["passages"].append(passage)
            continue
        previous = {
            "decision": passage["decision"],
            "label": passage["label"] or "Beschluss",
            "page": passage["page"],
            "url": passage["url"],
            "passages": [passage],
        }
        out.append(previous)
    return out


def session_record_dict(record: SessionRecord) -> dict[str, Any]:
    documents = {d.id: d for d in record.documents}
    items = [agenda_record_dict(item, documents) for item in record.agenda]
    speakers: dict[str, Any] = {}
    for item in items:
        for speaker in item["speakers"]:
            speakers.setdefault(speaker["code"], speaker)
    passages = sum(len(item.passages) for item in record.agenda)
    return {
        "session": session_count(record.session, passages),
        "documents": [{**document_dict(d), "file_url": file_url(d.id)} for d in record.documents],
        "speakers": list(speakers.values()),
        "agenda_items": items,
    }


def speaker_record_dict(record: SpeakerRecord, *, limit: int, offset: int) -> dict[str, Any]:
    return {
        "speaker": speaker_count(record.speaker, record.passages),
        "total_sessions": record.total_sessions,
        "limit": limit,
        "offset": offset,
        "sessions": [
            {
                "session": session_to_dict(session),
                "agenda_items": [agenda_record_dict(item, record.documents) for item in items],
            }
            for session, items in record.sessions
        ],
    }


def statements_dict(position: PositionOverTime) -> dict[str, Any]:
    n = 0
    sessions = []
    for session, hits in position.sessions:
        citations = []
        for hit in hits:
            n += 1
            citations.append(hit_to_dict(hit, n))
        sessions.append({"session": session_to_dict(session), "citations": citations})
    return {
        "speaker": speaker_to_dict(position.speaker),
        "topic": position.topic,
        "count": n,
        "sessions": sessions,
    }
