"""Request and response models of the HTTP API (pydantic), separate from the core types.

Requests are validated by these models. Responses are built as dicts by
`answer.render` (answers, hits) and `api.convert` (documents, speakers,
sessions, jobs); the response models here document them in the OpenAPI schema.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

DocTypeName = Literal["protokoll", "beschluss", "bericht", "praesentation", "sonstiges"]


class FiltersIn(BaseModel):
    """Restrict the passages an answer or search may use. Unknown values are refused (422)."""

    model_config = ConfigDict(extra="forbid")

    speaker: list[str] | str | None = Field(
        default=None,
        description="Speaker codes or names, e.g. ['BY', 'Nordrhein-Westfalen'].",
        examples=[["BY"]],
    )
    session: int | str | None = Field(
        default=None,
        description="Session number (47), id ('2024-06-27-sonder') or ISO date.",
        examples=[47],
    )
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    doc_type: DocTypeName | None = None
    document_id: str | None = Field(default=None, max_length=128)

    def speakers(self) -> list[str]:
        if self.speaker is None:
            return []
        values = [self.speaker] if isinstance(self.speaker, str) else self.speaker
        return [part.strip() for value in values for part in value.split(",") if part.strip()]


class AskRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    question: str = Field(
        description="The question, in German or English.",
        examples=["Was hat Bayern zur Delos Cloud gesagt?"],
    )
    filters: FiltersIn | None = None
    top_k: int | None = Field(default=None, ge=1, le=50, description="Passages to cite at most.")
    stream: bool = Field(
        default=False,
        description="Answer as server-sent events: `meta` (citations), `delta` (text), `done`.",
    )


# -- responses (documentation) -----------------------------------------------------------------


class ErrorDetail(BaseModel):
    code: str = Field(examples=["invalid_request"])
    message: str


class ErrorResponse(BaseModel):
    error: ErrorDetail


class SpeakerOut(BaseModel):
    code: str = Field(examples=["BY"])
    name: str = Field(examples=["Bayern"])
    kind: Literal["land", "federal", "body"]


class SessionOut(BaseModel):
    model_config = ConfigDict(extra="allow")

    id: str = Field(examples=["2024-06-27-sonder"])
    number: int | None = None
    kind: str | None = None
    date: str | None = None
    place: str | None = None


class AgendaItemOut(BaseModel):
    model_config = ConfigDict(extra="allow")

    number: str
    title: str


class DocumentRef(BaseModel):
    model_config = ConfigDict(extra="allow")

    id: str
    title: str
    file: str
    doc_type: str


class CitationOut(BaseModel):
    model_config = ConfigDict(extra="allow")

    n: int
    chunk_id: str
    text: str
    speaker: SpeakerOut | None
    role: Literal["statement", "protocol_note", "decision", "text"]
    session: SessionOut | None
    agenda_item: AgendaItemOut | None
    document: DocumentRef
    page: int | None
    score: float


class StatementOut(BaseModel):
    model_config = ConfigDict(extra="allow")

    speaker: SpeakerOut | None
    session: SessionOut | None
    summary: str
    citations: list[int]


class AskResponse(BaseModel):
    model_config = ConfigDict(extra="allow")

    question: str
    answer: str = Field(description="Answer text with [n] markers that point into `citations`.")
    abstained: bool
    citations: list[CitationOut]
    statements: list[StatementOut]


class SearchResponse(BaseModel):
    query: str
    k: int
    mode: str = "hybrid"
    hits: list[CitationOut]


class DocumentOut(BaseModel):
    id: str
    file: str
    title: str
    doc_type: str
    collection: str
    pages: int
    sha256: str
    session: SessionOut | None


class DocumentList(BaseModel):
    count: int
    documents: list[DocumentOut]


class DeletedResponse(BaseModel):
    deleted: DocumentOut


class JobOut(BaseModel):
    id: str
    kind: str
    status: Literal["queued", "running", "done", "failed"]
    file: str | None
    collection: str | None
    created_at: str
    finished_at: str | None
    result: dict[str, Any] | None = Field(
        default=None, description="For a finished upload: status, document and chunk count."
    )
    progress: dict[str, Any] | None = Field(
        default=None,
        description="While running: files_done, files_total, chunks, documents_committed "
        "(safe from a crash), chunks_per_s and eta_s.",
    )
    error: ErrorDetail | None = None


class UploadResponse(BaseModel):
    status: Literal["indexed", "unchanged", "queued", "running"] = Field(
        description="`indexed`/`unchanged` (201): searchable now. `queued`/`running` (202): "
        "poll `status_url` until the job is `done`."
    )
    job_id: str
    status_url: str
    document: DocumentOut | None = None
    chunks: int | None = None


class SpeakerCount(SpeakerOut):
    passages: int


class SpeakerList(BaseModel):
    count: int
    speakers: list[SpeakerCount]


class SessionCount(SessionOut):
    label: str
    passages: int


class SessionList(BaseModel):
    count: int
    sessions: list[SessionCount]


class HealthResponse(BaseModel):
    model_config = ConfigDict(extra="allow")

    status: Literal["starting", "indexing", "ready"]
    ready: bool
    documents: int
    chunks: int
    indexing: dict[str, Any] | None = None


# -- OpenAI-compatible chat --------------------------------------------------------------------


class ChatContentPart(BaseModel):
    model_config = ConfigDict(extra="allow")

    type: str
    text: str | None = None


class ChatMessage(BaseModel):
    model_config = ConfigDict(extra="allow")

    role: str = Field(examples=["user"])
    content: str | list[ChatContentPart] | None = None

    def text(self) -> str:
        if self.content is None:
            return ""
        if isinstance(self.content, str):
            return self.content
        return "\n".join(part.text or "" for part in self.content if part.type == "text")


class ChatCompletionRequest(BaseModel):
    """OpenAI's request shape; sampling options are accepted and ignored."""

    model_config = ConfigDict(extra="allow")

    model: str = Field(default="gremium", examples=["gremium"])
    messages: list[ChatMessage] = Field(min_length=1)
    stream: bool = False
    filters: FiltersIn | None = Field(default=None, description="Gremium extension.")
    top_k: int | None = Field(default=None, ge=1, le=50, description="Gremium extension.")
