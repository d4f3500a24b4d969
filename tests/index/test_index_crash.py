"""A writer killed with SIGKILL part-way leaves the previous consistent index."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from answer.plan import read_question as understand
from gremium.types import Filters
from index.embedders.fake import FakeEmbedder
from index.store import Index

REPO = Path(__file__).resolve().parents[2]
DOCS = 14
CHUNKS_PER_DOC = 40

WRITER = """
import sys, time
from pathlib import Path
from index.embedders.fake import FakeEmbedder
from index.store import Index
from index.testing import make_protocol

CODES = ["BY", "NW", "HH", "BE", "SH", "HE", "NI", "BW"]

class SlowEmbedder(FakeEmbedder):
    def embed_documents(self, texts):
        time.sleep(0.001 * len(texts))
        return super().embed_documents(texts)

path, docs, per_doc = Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
index = Index.open(path, SlowEmbedder(), fusion="rrf")
for i in range(docs):
    turns = [(CODES[j % len(CODES)], "01", f"Thema {i}",
              f"Beitrag marker{i}x{j} zur Verwaltungscloud und Registermodernisierung " * 8)
             for j in range(per_doc)]
    index.upsert([make_protocol(i + 1, f"2020-01-{1 + i % 28:02d}", turns, file=f"doc-{i}.txt")])
    print(i, flush=True)
"""


def _run_writer(path: Path) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.Popen(
        [sys.executable, "-c", WRITER, str(path), str(DOCS), str(CHUNKS_PER_DOC)],
        stdout=subprocess.PIPE,
        text=True,
        env=env,
        cwd=REPO,
    )


def _assert_consistent(path: Path) -> int:
    index = Index.open(path, FakeEmbedder(), fusion="rrf")
    documents = index.documents()
    assert index.stats()["chunks"] == len(documents) * CHUNKS_PER_DOC
    for doc in documents:
        i = int(doc.file.removeprefix("doc-").removesuffix(".txt"))
        assert len(index.chunks(doc.id)) == CHUNKS_PER_DOC
        for j in (0, CHUNKS_PER_DOC - 1):
            hits = index.search(understand(f"marker{i}x{j}"), k=1, filters=Filters(), mode="bm25")
            assert (
                hits
                and hits[0].chunk.document_id == doc.id
                and f"marker{i}x{j}" in hits[0].chunk.text
            )
            dense = index.search(
                understand(f"marker{i}x{j}"), k=3, filters=Filters(document_id=doc.id), mode="dense"
            )
            assert dense and all(h.chunk.document_id == doc.id for h in dense)
    assert not [p for p in path.iterdir() if p.name.endswith(".tmp")]
    return len(documents)


@pytest.mark.slow
@pytest.mark.parametrize("delay", [0.0, 0.07, 0.15])
def test_sigkill_mid_ingest_leaves_a_consistent_index(tmp_path: Path, delay: float) -> None:
    path = tmp_path / "index"
    writer = _run_writer(path)
    assert writer.stdout is not None
    for _ in range(3):  # let a few generations complete, then kill at varying points
        assert writer.stdout.readline(), "the writer died before it was killed"
    time.sleep(delay)
    writer.send_signal(signal.SIGKILL)
    writer.wait(timeout=30)
    assert writer.returncode == -signal.SIGKILL
    assert 3 <= _assert_consistent(path) < DOCS

    finisher = _run_writer(path)  # completing the ingest after the crash
    out, _ = finisher.communicate(timeout=300)
    assert finisher.returncode == 0, out
    assert _assert_consistent(path) == DOCS
