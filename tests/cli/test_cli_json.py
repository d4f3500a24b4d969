"""Every `--json` of the CLI prints the API's JSON for the same call, and nothing else."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from gremium.settings import REPO_ROOT, Settings
from tests.conftest import SONDERSITZUNG

QUESTION = "Was hat Bayern zur Delos Cloud gesagt?"


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("cli")
    corpus = folder / "corpus"
    corpus.mkdir()
    shutil.copy(SONDERSITZUNG, corpus / SONDERSITZUNG.name)
    result = _cli(folder / "data", "ingest", str(corpus))
    assert result.returncode == 0, result.stderr
    return folder / "data"


@pytest.fixture(scope="module")
def api(data_dir: Path) -> Iterator[TestClient]:
    settings = Settings(
        embedder="fake", data_dir=data_dir, corpus_dir=data_dir / "none", rate_limit_per_minute=0
    )
    with TestClient(create_app(settings)) as client:
        yield client


def _cli(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "PYTHONPATH": str(REPO_ROOT),
        "GREMIUM_DATA_DIR": str(data_dir),
        "GREMIUM_EMBEDDER": "fake",
    }
    return subprocess.run(
        [sys.executable, "-m", "gremium.cli", *args],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def _json_alone(data_dir: Path, *args: str) -> Any:
    result = _cli(data_dir, *args, "--json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)  # fails on anything printed before or after the JSON


def test_documents_json_is_the_api_list(data_dir: Path, api: TestClient) -> None:
    printed = _json_alone(data_dir, "documents")
    assert printed == api.get("/documents").json()
    assert printed["count"] == 1 and printed["documents"][0]["file"] == SONDERSITZUNG.name


def test_search_json_is_the_api_search(data_dir: Path, api: TestClient) -> None:
    printed = _json_alone(data_dir, "search", "Delos Cloud", "-k", "3", "--speaker", "BY")
    served = api.get("/search", params={"q": "Delos Cloud", "k": 3, "speaker": "BY"}).json()
    assert [h["chunk_id"] for h in printed["hits"]] == [h["chunk_id"] for h in served["hits"]]
    assert printed["hits"] and all(h["speaker"]["code"] == "BY" for h in printed["hits"])


def test_ask_json_is_the_api_answer(data_dir: Path, api: TestClient) -> None:
    printed = _json_alone(data_dir, "ask", QUESTION)
    served = api.post("/ask", json={"question": QUESTION}).json()
    assert printed["answer"] == served["answer"]
    assert [c["chunk_id"] for c in printed["citations"]] == [
        c["chunk_id"] for c in served["citations"]
    ]


def test_plain_documents_is_a_table_not_json(data_dir: Path) -> None:
    result = _cli(data_dir, "documents")
    assert result.returncode == 0
    assert SONDERSITZUNG.name in result.stdout and not result.stdout.lstrip().startswith("{")
