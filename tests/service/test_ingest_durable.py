"""Durable ingest: `gremium ingest` commits in batches, survives SIGKILL, and resumes exactly.

Real CLI processes, the real index on disk, the fake embedder (the model is not the point
here), killed at ten random moments: startup, parsing, embedding or writing a generation.
"""

from __future__ import annotations

import random
import shutil
import signal
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest

from bench.ingest import REPO, environment, ingest_command, make_files
from gremium.service import Gremium
from gremium.settings import Settings


def _per_document(data_dir: Path) -> dict[str, int]:
    """file -> chunks, from the live generation's database."""
    root = data_dir / "index"
    if not (root / "CURRENT").exists():
        return {}
    name = (root / "CURRENT").read_text().strip()
    db = sqlite3.connect(f"file:{root / name / 'meta.sqlite'}?mode=ro", uri=True)
    try:
        rows = db.execute(
            "SELECT d.file, COUNT(c.row) FROM documents d LEFT JOIN chunks c "
            "ON c.document_id = d.id GROUP BY d.id"
        ).fetchall()
    finally:
        db.close()
    return {file: count for file, count in rows}


def _run(folder: Path, data_dir: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ingest_command(folder),
        env=environment(data_dir, "fake"),
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )


@pytest.mark.slow
def test_sigkill_at_random_moments_loses_at_most_the_batch_in_flight(tmp_path: Path) -> None:
    folder = tmp_path / "files"
    make_files(folder, 45, pdf_every=9)

    started = time.perf_counter()
    clean = _run(folder, tmp_path / "clean")
    clean_seconds = time.perf_counter() - started
    assert clean.returncode == 0, clean.stderr
    expected = _per_document(tmp_path / "clean")
    assert len(expected) == 45
    generations = (tmp_path / "clean" / "index" / "CURRENT").read_text().strip()
    assert generations == "gen-000003"  # 45 documents, a commit every 20

    data_dir = tmp_path / "crash"
    rng = random.Random(13)
    kills = attempts = 0
    committed_before = 0
    while kills < 10:
        attempts += 1
        assert attempts <= 40, f"only {kills} of {attempts} runs could be killed mid-run"
        if committed_before == len(expected):  # all done: start a fresh index
            shutil.rmtree(data_dir)
            committed_before = 0
        process = subprocess.Popen(
            ingest_command(folder),
            env=environment(data_dir, "fake"),
            cwd=REPO,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(rng.uniform(0.2, 1.0) * clean_seconds)
        if process.poll() is None:
            process.send_signal(signal.SIGKILL)
            kills += 1
        process.wait(timeout=60)
        kept = _per_document(data_dir)
        # whatever survived is whole documents with all their chunks, never a part
        assert all(expected[file] == count for file, count in kept.items()), kept
        assert len(kept) >= committed_before, "a crash lost committed documents"
        assert len(kept) % 20 == 0 or len(kept) == 45, "commits come in batches of 20"
        committed_before = len(kept)
    if committed_before == len(expected):
        shutil.rmtree(data_dir)
        committed_before = 0

    final = _run(folder, data_dir)
    assert final.returncode == 0, final.stderr
    assert f"{committed_before} unchanged" in final.stdout  # committed work is not redone
    assert _per_document(data_dir) == expected


def test_ingest_commits_every_n_documents_and_reports_progress(tmp_path: Path) -> None:
    folder = tmp_path / "files"
    make_files(folder, 7, pdf_every=0)
    service = Gremium.open(
        Settings(embedder="fake", data_dir=tmp_path / "data", corpus_dir=tmp_path / "none")
    )
    seen = []
    report = service.ingest_paths(
        [folder], commit_documents=3, on_progress=lambda p: seen.append(p.to_dict())
    )
    assert len(report.added) == 7 and not report.failed
    assert service.status()["generation"] == 3  # 3 + 3 + 1
    assert [s["files_done"] for s in seen[:7]] == list(range(1, 8))
    assert seen[-1]["documents_committed"] == 7 and seen[-1]["eta_s"] == 0.0
    assert seen[-1]["chunks"] == report.chunks == service.status()["chunks"]
    again = service.ingest_paths([folder])
    assert len(again.unchanged) == 7 and service.status()["generation"] == 3
