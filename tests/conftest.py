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
