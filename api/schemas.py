"""Request and response models of the HTTP API (pydantic), separate from the core types.

Requests are validated by these models. Responses are built as dicts by
`answer.render` (answers, hits) and `api.convert` (documents, speakers,
sessions, jobs); the response models here document them in the OpenAPI schema.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from gremium.text_input import surrogate_at

DocTypeName = Literal["protokoll", "beschluss", "bericht", "praesentation", "sonstiges"]

# Hard caps of the schema; the configured limits (GREMIUM_MAX_HISTORY_*) are checked
# by the route, which knows the settings.
HISTORY_TURNS_CAP = 200
HISTORY_CONTENT_CAP = 100_000


def _unicode_text(value: str) -> str:
    """Refuse text that no UTF-8 encoder accepts (a lone surrogate sent as a JSON escape)."""
    position = surrogate_at(value)
    if position is not None:
        raise ValueError(
            f"character {position + 1} is a lone surrogate ({value[position]!a}); "
            "send valid Unicode text"
        )
    return value


Text = Annotated[str, AfterValidator(_unicode_text)]


class FiltersIn(BaseModel):
    """Restrict the passages an answer or search may use. Unknown values are refused (422)."""

    model_config = ConfigDict(extra="forbid")

    speaker: list[Text] | Text | None = Field(
        default=None,
        description="Speaker codes or names, e.g. ['BY', 'Nordrhein-Westfalen'].",
        examples=[["BY"]],
    )
    session: int | Text | None = Field(
        default=None,
        description="Session number (47), id ('2024-06-27-sonder') or ISO date.",
        examples=[47],
    )
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    doc_type: DocTypeName | None = None
    document_id: Text | None = Field(default=None, max_length=128)

    def speakers(self) -> list[str]:
        if self.speaker is None:
            return []
        values = [self.speaker] if isinstance(self.speaker, str) else self.speaker
        return [part.strip() for value in values for part in value.split(",") if part.strip()]


class HistoryTurn(BaseModel):
    """One earlier turn of the conversation."""

    model_config = ConfigDict(extra="forbid")

    role: Literal["user", "assistant"]
    content: Text = Field(max_length=HISTORY_CONTENT_CAP)


class AskRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    question: Text = Field(
        description="The question, in German or English.",
        examples=["Was hat Bayern zur Delos Cloud gesagt?"],
    )
    filters: FiltersIn | None = None
    top_k: int | None = Field(default=None, ge=1, le=50, description="Passages to cite at most.")
    stream: bool = Field(
        default=False,
        description="Answer as server-sent events: `meta` (citations), `delta` (text), `done`.",
    )
    history: list[HistoryTurn] | None = Field(
        default=None,
        max_length=HISTORY_TURNS_CAP,
        description="The conversation so far, oldest first; a follow-up question is read in "
        "its light. At most GREMIUM_MAX_HISTORY_TURNS turns of together "
        "GREMIUM_MAX_HISTORY_CHARS characters.",
        examples=[
            [
                {"role": "user", "content": "Was sagte Niedersachsen zu Microsoft Teams?"},
                {"role": "assistant", "content": "In der Sondersitzung am 27.06.2024 …"},
            ]
        ],
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
    participants: list[str] | None = Field(
        default=None, description="Speaker codes the record lists as present (when it does)."
    )
    absentees: list[str] | None = Field(
        default=None, description="Speaker codes the record lists as excused or absent."
    )


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
    url: str = Field(
        description="Where the citation leads: the page's text, `/documents/{id}/pages/{n}`.",
        examples=["/documents/3f2a9c1b7d4e5f60/pages/3"],
    )
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
    interpreted_as: str | None = Field(
        default=None, description="How a follow-up question was read, when it was one."
    )


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


class MoveRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    collection: Text = Field(
        max_length=64, description="The collection to move the document into.", examples=["intern"]
    )


class PreviousPlace(BaseModel):
    id: str
    collection: str


class MovedResponse(BaseModel):
    status: Literal["moved", "unchanged"] = Field(
        description="`unchanged` when the document already was in that collection."
    )
    document: DocumentOut
    previous: PreviousPlace


class JobOut(BaseModel):
    id: str
    kind: str
    status: Literal["queued", "running", "done", "failed"]
    file: str | None
    collection: str | None
    created_at: str
    finished_at: str | None
    resumed: bool = Field(
        default=False, description="Run again after a restart (the server stopped before it ended)."
    )
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
    url: str = Field(examples=["/speakers/BY"])


class SpeakerList(BaseModel):
    count: int
    speakers: list[SpeakerCount]


class AgendaOverview(BaseModel):
    number: str
    title: str
    decisions: list[str] = Field(examples=[["Beschluss B-2025/26-IT"]])


class SessionCount(SessionOut):
    label: str
    passages: int
    url: str = Field(examples=["/sessions/2024-06-27-sonder"])
    agenda_items: list[AgendaOverview] | None = Field(
        default=None, description="With `agenda=true`: agenda items in record order."
    )


class SessionList(BaseModel):
    count: int
    sessions: list[SessionCount]


# -- where citations lead, and browsing ----------------------------------------------------------


class Highlight(BaseModel):
    start: int = Field(description="Offset in `text`, counted in Unicode code points.")
    end: int


class PageOut(BaseModel):
    page: int = Field(examples=[3])
    text: str = Field(description="The page as a reader sees it (markup removed).")
    document: DocumentOut
    highlights: list[Highlight] = Field(
        description="Where the passage named by `chunk` lies on the page; empty without it."
    )
    file_url: str = Field(
        description="The original file; for a PDF append `#page=N`.",
        examples=["/documents/3f2a9c1b7d4e5f60/file"],
    )


class PassageOut(BaseModel):
    """A passage of the record, shaped like a citation (without `n` and scores)."""

    model_config = ConfigDict(extra="allow")

    chunk_id: str
    text: str
    speaker: SpeakerOut | None
    role: Literal["statement", "protocol_note", "decision", "text"]
    agenda_item: AgendaItemOut | None
    document: DocumentRef
    page: int | None
    url: str


class DecisionOut(BaseModel):
    decision: str | None = Field(description="Its number as written.", examples=["B-2025/26-IT"])
    label: str = Field(examples=["Beschluss B-2025/26-IT"])
    page: int | None
    url: str
    passages: list[PassageOut] = Field(description="Its text, in one or more passages.")


class AgendaItemRecord(BaseModel):
    agenda_item: AgendaItemOut | None = Field(description="null: passages outside any TOP.")
    speakers: list[SpeakerOut] = Field(description="Who spoke under this item, in order.")
    decisions: list[DecisionOut] = Field(description="Beschlüsse taken under this item.")
    passages: list[PassageOut] = Field(description="Everything recorded, in record order.")


class SessionDetail(BaseModel):
    session: SessionCount
    documents: list[DocumentOut]
    speakers: list[SpeakerOut] = Field(description="Who spoke in the session, in order.")
    agenda_items: list[AgendaItemRecord]


class SpeakerSession(BaseModel):
    session: SessionOut | None
    agenda_items: list[AgendaItemRecord]


class SpeakerDetail(BaseModel):
    speaker: SpeakerCount
    total_sessions: int
    limit: int
    offset: int
    sessions: list[SpeakerSession] = Field(description="Newest first.")


class StatementSession(BaseModel):
    session: SessionOut | None
    citations: list[CitationOut]


class StatementsOut(BaseModel):
    speaker: SpeakerOut
    topic: str
    count: int
    sessions: list[StatementSession] = Field(description="Oldest first; each statement cited.")


class HealthResponse(BaseModel):
    model_config = ConfigDict(extra="allow")

    status: Literal["starting", "indexing", "ready"]
    ready: bool
    documents: int | None = Field(description="null unless the caller may see everything.")
    chunks: int | None = Field(description="null unless the caller may see everything.")
    indexing: dict[str, Any] | None = None


# -- OpenAI-compatible chat --------------------------------------------------------------------


class ChatContentPart(BaseModel):
    model_config = ConfigDict(extra="allow")

    type: Text
    text: Text | None = None


class ChatMessage(BaseModel):
    model_config = ConfigDict(extra="allow")

    role: Text = Field(examples=["user"])
    content: Text | list[ChatContentPart] | None = None

    def text(self) -> str:
        if self.content is None:
            return ""
        if isinstance(self.content, str):
            return self.content
        return "\n".join(part.text or "" for part in self.content if part.type == "text")


class ChatCompletionRequest(BaseModel):
    """OpenAI's request shape; sampling options are accepted and ignored."""

    model_config = ConfigDict(extra="allow")

    model: Text = Field(default="gremium", examples=["gremium"])
    messages: list[ChatMessage] = Field(min_length=1, max_length=HISTORY_TURNS_CAP + 1)
    stream: bool = False
    filters: FiltersIn | None = Field(default=None, description="Gremium extension.")
    top_k: int | None = Field(default=None, ge=1, le=50, description="Gremium extension.")
