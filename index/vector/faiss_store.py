"""Dense vectors of one generation: exact search while it is fast, FAISS IVF beyond.

Rows are aligned with the metadata rows (row i = chunk i). Vectors are unit length,
so inner product is cosine similarity.

Measured on this 2-core machine (bench/results/retrieval.json, 384 dims): exact
search over all rows takes ~0.3 ms at 10k, ~2.5 ms at 30k and ~9 ms at 100k rows
(numpy mat-vec; faiss IndexFlatIP was slower for single queries: 0.8/4.7/15.6 ms).
IVF-Flat answers in ~0.3 ms at 100k with recall@10 ~0.92 on hard synthetic data and
builds in ~5 s. Flat is exact and needs no training, so it is kept up to
ANN_THRESHOLD rows, where it still costs under ~2 ms.

From PQ_THRESHOLD rows IVF-Flat's second full copy of the vectors (1.5 GB at 1M rows,
per worker process) is replaced by IVF-PQ codes (96 bytes a row); the PQ candidates are
re-scored exactly against the stored vectors, which are memory-mapped from that size on,
so every worker process shares one copy in the page cache (bench/results/scale.json).
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any, Protocol

import faiss
import numpy as np

ANN_THRESHOLD = 20_000
PQ_THRESHOLD = 200_000
# Measured at 1M rows of clustered synthetic vectors (bench/results/scale.json): 48-byte
# codes found 22-54 % of the exact top 10 even when 4-20x as many candidates were
# re-scored; 96-byte codes (4 dims a byte) with 20x re-scored found 92 %, in ~2 ms.
PQ_BYTES = 96
RERANK = 20  # PQ candidates fetched per wanted row, re-scored exactly
KINDS = ("flat", "ivf", "ivfpq")
# A filtered search over at most this many rows is exact over just those rows (gathering
# 2k rows costs well under 1 ms); larger subsets use the IVF index with a bitmap selector.
EXACT_SUBSET_LIMIT = 2_000


class VectorStore(Protocol):
    kind: str
    size: int
    dim: int

    def search(
        self, query: np.ndarray, k: int, mask: np.ndarray | None
    ) -> tuple[np.ndarray, np.ndarray]:
        """(rows, scores), best first, only rows where `mask` is true."""
        ...

    def save(self, folder: Path) -> None: ...


def _top(scores: np.ndarray, k: int) -> np.ndarray:
    """Positions of the k largest scores, best first."""
    if k >= len(scores):
        return np.argsort(-scores, kind="stable")
    part = np.argpartition(-scores, k)[:k]
    return part[np.argsort(-scores[part], kind="stable")]


class FaissStore:
    """Vectors in memory (vectors.npy) plus, above the threshold, an IVF index (ann.faiss)."""

    def __init__(self, vectors: np.ndarray, ann: faiss.Index | None = None) -> None:
        self.vectors = vectors
        self.size, self.dim = int(vectors.shape[0]), int(vectors.shape[1])
        self.ann = ann
        self.kind = "flat"
        if ann is not None:
            pq = isinstance(faiss.downcast_index(faiss.extract_index_ivf(ann)), faiss.IndexIVFPQ)
            self.kind = "ivfpq" if pq else "ivf"

    @classmethod
    def build(cls, vectors: np.ndarray, *, ann: str = "auto") -> FaissStore:
        """`ann`: "auto" (by size: flat, IVF from ANN_THRESHOLD, IVF-PQ from PQ_THRESHOLD
        rows), or one of KINDS."""
        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        kind = choose_kind(len(vectors)) if ann == "auto" else ann
        if kind == "flat" or len(vectors) == 0:
            return cls(vectors)
        return cls(vectors, _build_ivf(vectors, pq=kind == "ivfpq"))

    def save(self, folder: Path) -> None:
        np.save(folder / "vectors.npy", self.vectors, allow_pickle=False)
        if self.ann is not None:
            faiss.write_index(self.ann, str(folder / "ann.faiss"))

    @classmethod
    def load(cls, folder: Path, *, mmap: bool | None = None) -> FaissStore:
        """`mmap`: map the vectors instead of reading them (default: from PQ_THRESHOLD
        rows, so that worker processes share them)."""
        path = folder / "vectors.npy"
        if mmap is None:
            rows = np.load(path, mmap_mode="r", allow_pickle=False).shape[0]
            mmap = rows >= PQ_THRESHOLD
        vectors = np.load(path, mmap_mode="r" if mmap else None, allow_pickle=False)
        ann_path = folder / "ann.faiss"
        ann = None
        if ann_path.exists():
            ann = faiss.read_index(str(ann_path))
            _tune(ann)
        return cls(vectors, ann)

    def search(
        self, query: np.ndarray, k: int, mask: np.ndarray | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        if self.size == 0 or k <= 0:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        query = np.ascontiguousarray(query, dtype=np.float32).reshape(-1)
        if mask is not None and mask.all():
            mask = None
        if mask is not None:
            rows = np.flatnonzero(mask)
            if len(rows) == 0:
                return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
            if self.ann is None or len(rows) <= EXACT_SUBSET_LIMIT:
                scores = self.vectors[rows] @ query
                order = _top(scores, k)
                return rows[order].astype(np.int64), scores[order].astype(np.float32)
            found = self._ann_search(query, k, mask)
            if len(found[0]) >= min(k, len(rows)):
                return found
            scores = self.vectors[rows] @ query  # a selective filter starved the probes
            order = _top(scores, k)
            return rows[order].astype(np.int64), scores[order].astype(np.float32)
        if self.ann is not None:
            return self._ann_search(query, k, None)
        scores = self.vectors @ query
        order = _top(scores, k)
        return order.astype(np.int64), scores[order].astype(np.float32)

    def _ann_search(
        self, query: np.ndarray, k: int, mask: np.ndarray | None
    ) -> tuple[np.ndarray, np.ndarray]:
        assert self.ann is not None
        params = None
        if mask is not None:
            bits = np.packbits(mask, bitorder="little")
            selector = faiss.IDSelectorBitmap(len(mask), faiss.swig_ptr(bits))
            params = faiss.SearchParametersIVF()
            params.sel = selector
            params.nprobe = faiss.extract_index_ivf(self.ann).nprobe
        fetch = k * RERANK if self.kind == "ivfpq" else k
        distances, labels = self.ann.search(query.reshape(1, -1), fetch, params=params)
        keep = labels[0] >= 0
        rows, scores = labels[0][keep].astype(np.int64), distances[0][keep].astype(np.float32)
        if self.kind == "ivfpq" and len(rows):
            # PQ scores are approximate: re-score the candidates with the stored vectors
            exact = self.vectors[np.sort(rows)] @ query
            order = _top(exact, k)
            rows, scores = np.sort(rows)[order], exact[order].astype(np.float32)
        return rows, scores


def choose_kind(rows: int) -> str:
    """The vector index for a generation of `rows` rows."""
    if rows >= PQ_THRESHOLD:
        return "ivfpq"
    if rows >= ANN_THRESHOLD:
        return "ivf"
    return "flat"


def _build_ivf(vectors: np.ndarray, *, pq: bool = False) -> faiss.Index:
    n, dim = vectors.shape
    index: Any
    if pq:
        # sqrt(n) lists keep k-means on 2 cores to about a minute at 1M rows; fewer bits
        # per code where there are too few rows to train 256 centroids (tests)
        nlist = max(1, min(int(math.sqrt(n)), n // 39))
        bits = max(1, min(8, int(math.log2(max(n, 2)))))
        quantizer = faiss.IndexFlatIP(dim)
        index = faiss.IndexIVFPQ(
            quantizer, dim, nlist, _pq_groups(dim), bits, faiss.METRIC_INNER_PRODUCT
        )
        index.pq.cp.seed = 0
    else:
        nlist = max(1, min(int(4 * math.sqrt(n)), n // 8))
        quantizer = faiss.IndexFlatIP(dim)
        index = faiss.IndexIVFFlat(quantizer, dim, nlist, faiss.METRIC_INNER_PRODUCT)
    rng = np.random.default_rng(0)
    sample = vectors[np.sort(rng.choice(n, size=min(n, max(nlist * 40, 256 * 40)), replace=False))]
    index.cp.seed = 0
    index.cp.min_points_per_centroid = 1  # small samples are fine; avoid faiss' warning
    index.train(sample)
    for start in range(0, n, 100_000):  # in slices: no second full copy of the vectors
        index.add(vectors[start : start + 100_000])
    _tune(index)
    return index


def _pq_groups(dim: int) -> int:
    """The number of PQ sub-quantizers: PQ_BYTES where it divides the dimension."""
    for groups in (PQ_BYTES, 64, 48, 32, 24, 16, 8, 4, 2, 1):
        if dim % groups == 0:
            return groups
    return 1


def _tune(index: faiss.Index) -> None:
    ivf = faiss.extract_index_ivf(index)
    ivf.nprobe = max(16, ivf.nlist // 16)
