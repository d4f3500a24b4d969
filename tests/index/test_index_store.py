"""The index folder: generations, manifest, refresh, vector reuse, reads during writes."""

from __future__ import annotations

import json
import threading
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from answer.plan import read_question as understand
from gremium.errors import IndexMismatch, InvalidRequest, NotFound
from gremium.types import Filters
from index.embedders.fake import FakeEmbedder
from index.generations import SCHEMA_VERSION
from index.store import Index, context_header
from index.testing import make_protocol, sample_corpus
from index.vector.sentences import split_sentences


class CountingEmbedder(FakeEmbedder):
    def __init__(self) -> None:
        super().__init__()
        self.embedded: list[str] = []

    def embed_documents(self, texts: Sequence[str]) -> np.ndarray:
        self.embedded.extend(texts)
        return super().embed_documents(texts)


def _generations(path: Path) -> list[str]:
    return sorted(p.name for p in path.iterdir() if p.name.startswith("gen-"))


def test_each_write_is_a_new_generation_with_a_manifest(open_index, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    index = open_index()
    corpus = sample_corpus()
    index.upsert(corpus[:1])
    root = tmp_path / "index"
    assert (root / "CURRENT").read_text().strip() == "gen-000001"
    manifest = json.loads((root / "gen-000001" / "manifest.json").read_text())
    assert manifest["embedder"] == "fake-hash-256" and manifest["dim"] == 256
    assert manifest["schema_version"] == SCHEMA_VERSION and manifest["chunks"] == 5
    assert "chunker" in manifest and manifest["context_header"] is True
    index.upsert(corpus[1:2])
    assert _generations(root) == ["gen-000001", "gen-000002"]  # previous kept for readers
    index.upsert(corpus[2:])
    assert _generations(root) == ["gen-000002", "gen-000003"]
    stats = index.stats()
    assert (stats["documents"], stats["chunks"], stats["generation"]) == (3, 13, 3)
    assert stats["model_id"] == "fake-hash-256" and stats["ann"] == "flat" and stats["built_at"]


def test_leftover_temporary_generations_are_removed_on_open(open_index, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    open_index().upsert(sample_corpus())
    junk = tmp_path / "index" / "gen-000009.tmp"
    junk.mkdir()
    (junk / "meta.sqlite").write_bytes(b"half")
    index = open_index()
    assert not junk.exists() and len(index.documents()) == 3
    index.upsert([make_protocol(1, "2020-01-01", [("BY", "01", "X", "Neu")])])
    assert index.stats()["generation"] == 2


def test_refresh_picks_up_another_writer(open_index) -> None:  # type: ignore[no-untyped-def]
    reader, writer = open_index(), open_index()
    writer.upsert(sample_corpus())
    assert reader.documents() == []
    assert reader.refresh() is True
    assert len(reader.documents()) == 3 and reader.refresh() is False


def test_only_new_chunks_are_embedded(open_index) -> None:  # type: ignore[no-untyped-def]
    embedder = CountingEmbedder()
    index = open_index(embedder=embedder)
    corpus = sample_corpus()

    def texts(items):  # type: ignore[no-untyped-def]
        # each passage once, and each of its sentences (index.vector.sentences)
        return sum(1 + len(split_sentences(c.text)) for _, chunks in items for c in chunks)

    index.upsert(corpus[:2])
    assert sum(len(chunks) for _, chunks in corpus[:2]) == 10
    assert len(embedder.embedded) == texts(corpus[:2])
    index.upsert(corpus[1:])  # the same second document again, and a third
    assert len(embedder.embedded) == texts(corpus)
    index.remove([corpus[0][0].id])
    assert len(embedder.embedded) == texts(corpus)
    assert index.chunk(corpus[1][1][0].id) == corpus[1][1][0]


def test_context_header_is_embedded(open_index) -> None:  # type: ignore[no-untyped-def]
    embedder = CountingEmbedder()
    index = open_index(embedder=embedder)
    doc, chunks = sample_corpus()[0]
    index.upsert([(doc, chunks)])
    assert embedder.embedded[1].startswith(
        "Bayern | Sondersitzung am 27.06.2024 | TOP 01 Delos Cloud"
    )
    assert context_header(chunks[1]) in embedder.embedded[1]
    plain = CountingEmbedder()
    open_index(path=index.path.parent / "plain", embedder=plain, context_header=False).upsert(
        [(doc, chunks)]
    )
    assert plain.embedded[1] == chunks[1].text
    with pytest.raises(IndexMismatch, match="context_header"):
        open_index(embedder=FakeEmbedder(), context_header=False)


def test_reindex_re_embeds_with_another_embedder(sample_index: Index) -> None:
    other = CountingEmbedder.__new__(CountingEmbedder)
    FakeEmbedder.__init__(other, 64)
    other.embedded = []
    with pytest.raises(IndexMismatch):
        Index.open(sample_index.path, other)
    rebuilt = Index.reindex(sample_index.path, other, fusion="rrf")
    passages = [c for doc in rebuilt.documents() for c in rebuilt.chunks(doc.id)]
    sentences = sum(len(split_sentences(c.text)) for c in passages)
    assert len(passages) == 13 and len(other.embedded) == 13 + sentences
    assert rebuilt.stats()["dim"] == 64
    assert rebuilt.documents() == sample_index.documents()
    hits = rebuilt.search(
        understand("Was hat Bayern zur Delos Cloud gesagt?"), k=1, filters=Filters()
    )
    assert hits[0].chunk.speaker is not None and hits[0].chunk.speaker.code == "BY"


def test_reads(sample_index: Index) -> None:
    doc = sample_index.document_by_file("protokoll-47.txt")
    assert doc is not None and sample_index.document(doc.id) == doc
    assert sample_index.is_unchanged("protokoll-47.txt", doc.sha256)
    assert not sample_index.is_unchanged("protokoll-47.txt", "0" * 64)
    assert not sample_index.is_unchanged("other.txt", doc.sha256)
    assert [c.position for c in sample_index.chunks(doc.id)] == [0, 1, 2, 3, 4]
    assert sample_index.chunk("missing") is None and sample_index.chunks("missing") == []
    assert [d.file for d in sample_index.documents()] == sorted(
        d.file for d in sample_index.documents()
    )
    assert sample_index.sessions()[0][0].id == "2025-06-26-47"
    assert sample_index.speakers()[0][0].code == "BY"


def test_bad_requests(sample_index: Index) -> None:
    with pytest.raises(NotFound, match="'nope'"):
        sample_index.remove(["nope"])
    with pytest.raises(InvalidRequest, match="mode"):
        sample_index.search(understand("x"), k=3, filters=Filters(), mode="magic")
    with pytest.raises(InvalidRequest, match="k must"):
        sample_index.search(understand("x"), k=0, filters=Filters())
    doc, _ = sample_corpus()[0]
    with pytest.raises(InvalidRequest, match="belongs to"):
        sample_index.upsert([(doc, sample_corpus()[1][1])])
    assert len(sample_index.documents()) == 3


def test_empty_index(open_index) -> None:  # type: ignore[no-untyped-def]
    index = open_index()
    assert index.search(understand("Cloud"), k=5, filters=Filters()) == []
    assert index.documents() == [] and index.speakers() == [] and index.sessions() == []
    assert index.stats()["chunks"] == 0
    index.upsert(sample_corpus())
    index.remove([d.id for d in index.documents()])
    assert index.search(understand("Cloud"), k=5, filters=Filters()) == []
    open_index(embedder=FakeEmbedder(64))  # nothing embedded: another embedder may take over


def test_queries_keep_being_served_during_writes(open_index) -> None:  # type: ignore[no-untyped-def]
    index = open_index()
    index.upsert(sample_corpus())
    errors: list[BaseException] = []
    counts: list[int] = []
    stop = threading.Event()

    def read() -> None:
        while not stop.is_set():
            try:
                hits = index.search(understand("Was hat Bayern gesagt?"), k=5, filters=Filters())
                counts.append(len(hits))
            except BaseException as exc:  # pragma: no cover - reported below
                errors.append(exc)

    readers = [threading.Thread(target=read) for _ in range(2)]
    for thread in readers:
        thread.start()
    for i in range(5):
        index.upsert(
            [
                make_protocol(
                    100 + i,
                    "2023-01-01",
                    [("BY", "01", "T", f"Bayern Beitrag {i}")],
                    file=f"extra-{i}.txt",
                )
            ]
        )
    stop.set()
    for thread in readers:
        thread.join()
    assert not errors and counts and min(counts) == 5
    assert len(index.documents()) == 8
