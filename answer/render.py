"""The one place that turns core types into the public JSON of INTERFACE.md, and into text.

`answer_to_dict` is exactly the POST /ask response (plus `language`, `mode`,
`timings_ms`); `hit_to_dict` is one citation, which GET /search also returns per hit.
"""

from __future__ import annotations

from typing import Any

from gremium.types import (
    AgendaItem,
    Answer,
    Citation,
    Document,
    Hit,
    Session,
    Speaker,
    Statement,
)


def speaker_to_dict(speaker: Speaker | None, person: str | None = None) -> dict[str, Any] | None:
    if speaker is None:
        return None
    out: dict[str, Any] = {"code": speaker.code, "name": speaker.name, "kind": speaker.kind}
    if person:
        out["person"] = person
    return out


def session_to_dict(session: Session | None) -> dict[str, Any] | None:
    if session is None:
        return None
    out: dict[str, Any] = {
        "id": session.id,
        "number": session.number,
        "kind": session.kind,
        "date": session.date,
        "place": session.place,
    }
    if session.participants:
        out["participants"] = list(session.participants)
    if session.absentees:
        out["absentees"] = list(session.absentees)
    return out


def agenda_item_to_dict(item: AgendaItem | None) -> dict[str, Any] | None:
    if item is None:
        return None
    return {"number": item.number, "title": item.title}


def page_url(document_id: str, page: int) -> str:
    """Where a citation leads: the page's text (GET /documents/{id}/pages/{n})."""
    return f"/documents/{document_id}/pages/{page}"


def file_url(document_id: str) -> str:
    """The original file (GET /documents/{id}/file); a PDF opens at `#page=N` appended."""
    return f"/documents/{document_id}/file"


def document_to_dict(hit: Hit) -> dict[str, Any]:
    document: Document | None = hit.document
    chunk = hit.chunk
    if document is None:
        return {"id": chunk.document_id, "title": None, "file": None, "doc_type": chunk.doc_type}
    return {
        "id": document.id,
        "title": document.title,
        "file": document.file,
        "doc_type": document.doc_type,
    }


def hit_to_dict(hit: Hit, n: int | None = None) -> dict[str, Any]:
    """One passage in the citation shape of INTERFACE.md; `n` omitted when None."""
    chunk = hit.chunk
    out: dict[str, Any] = {}
    if n is not None:
        out["n"] = n
    out.update(
        {
            "chunk_id": chunk.id,
            "text": chunk.text,
            "speaker": speaker_to_dict(chunk.speaker, chunk.person),
            "role": chunk.role,
            "session": session_to_dict(chunk.session),
            "agenda_item": agenda_item_to_dict(chunk.agenda_item),
            "document": document_to_dict(hit),
            "page": chunk.page_start,
            "url": page_url(chunk.document_id, chunk.page_start),
            "score": round(float(hit.score), 6),
            # beyond the contract: all pages, the label and each retriever's score
            "pages": chunk.pages,
            "label": chunk.label,
            "decision": chunk.decision,
            "scores": {k: round(float(v), 6) for k, v in hit.scores.items()},
        }
    )
    return out


def citation_to_dict(citation: Citation) -> dict[str, Any]:
    return hit_to_dict(citation.hit, citation.n)


def statement_to_dict(statement: Statement) -> dict[str, Any]:
    session = statement.session
    return {
        "speaker": speaker_to_dict(statement.speaker),
        "session": {"id": session.id, "date": session.date} if session else None,
        "summary": statement.summary,
        "citations": list(statement.citations),
    }


def answer_to_dict(answer: Answer) -> dict[str, Any]:
    """The POST /ask response body."""
    out: dict[str, Any] = {
        "question": answer.question,
        "answer": answer.answer,
        "abstained": answer.abstained,
        "citations": [citation_to_dict(c) for c in answer.citations],
        "statements": [statement_to_dict(s) for s in answer.statements],
        "language": answer.language,
        "mode": answer.mode,
        "timings_ms": dict(answer.timings_ms),
    }
    if answer.interpreted_as:
        out["interpreted_as"] = answer.interpreted_as
    return out


def citation_line(citation: Citation) -> str:
    """ "[1] Bayern (BY) · Sondersitzung am 27.06.2024 · TOP 01 Delos Cloud · Protokoll … · S. 3"."""
    chunk = citation.hit.chunk
    parts: list[str] = []
    if chunk.speaker:
        speaker = chunk.speaker
        parts.append(f"{speaker.name} ({speaker.code})" if speaker.kind == "land" else speaker.name)
    role = {"protocol_note": "Protokollnotiz", "decision": chunk.label or "Beschluss"}.get(
        chunk.role
    )
    if role:
        parts.append(role)
    if chunk.session:
        parts.append(chunk.session.label)
    if chunk.agenda_item:
        parts.append(chunk.agenda_item.label)
    document = citation.hit.document
    parts.append(document.title if document else chunk.document_id)
    if chunk.page_start != chunk.page_end:
        parts.append(f"S. {chunk.page_start}–{chunk.page_end}")
    else:
        parts.append(f"S. {chunk.page_start}")
    return f"[{citation.n}] " + " · ".join(parts)


def format_text(answer: Answer) -> str:
    """The answer for a terminal: the text, then one line per citation."""
    lines = [answer.answer.rstrip()]
    if answer.citations:
        lines.append("")
        lines.append("Quellen:" if answer.language != "en" else "Sources:")
        lines.extend(citation_line(c) for c in answer.citations)
    return "\n".join(lines) + "\n"
