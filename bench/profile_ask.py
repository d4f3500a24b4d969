"""Where the time of one `/ask` goes, in process: question reading, query embedding,
retrieval, the answer step; plus a pyinstrument call tree of the rest.

    python -m bench.profile_ask [--questions 300] [--data-dir data]

Uses one engine thread, as a server worker on 2 cores does, and distinct questions.
Writes bench/results/ask_profile.json and ask_profile.txt (the call tree without the
model call, which is one C function).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
RESULTS = REPO / "bench" / "results"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--questions", type=int, default=300)
    parser.add_argument("--data-dir", type=Path, help="an index to use (default: corpus/)")
    parser.add_argument("--out", type=Path, default=RESULTS / "ask_profile.json")
    args = parser.parse_args(argv)

    from bench.questions import distinct_questions
    from gremium.service import Gremium
    from gremium.settings import Settings

    data_dir = args.data_dir or Path(tempfile.mkdtemp(prefix="gremium-profile-"))
    settings = Settings(data_dir=data_dir, embed_threads=1, corpus_dir=REPO / "corpus")
    service = Gremium.open(settings)
    if not service.documents():
        service.ingest_paths([REPO / "corpus"])
    questions = distinct_questions(2 * args.questions + 20, seed=41)
    embedder = service.index.embedder
    vectors = {}
    cpu = time.process_time()
    for question in questions[: args.questions]:
        vectors[question] = embedder.embed_query(service.plan(question).text)
    embed_ms = (time.process_time() - cpu) * 1000 / args.questions

    # The rest of /ask with the query vectors looked up instead of computed.
    # The index embeds through embed_queries where the embedder has it: patch both.
    embed_one, embed_many = embedder.embed_query, getattr(embedder, "embed_queries", None)

    def looked_up(texts: list[str]) -> list[Any]:
        missing = [t for t in texts if t not in vectors]
        if missing:
            vectors.update(
                zip(
                    missing,
                    embed_many(missing) if embed_many else map(embed_one, missing),
                    strict=True,
                )
            )
        return [vectors[t] for t in texts]

    embedder.embed_query = lambda text: looked_up([text])[0]  # type: ignore[method-assign]
    if embed_many is not None:
        embedder.embed_queries = looked_up  # type: ignore[attr-defined]
    for question in questions[: min(20, args.questions)]:
        service.ask(question)
    stages: dict[str, list[float]] = {}
    cpu = time.process_time()
    for question in questions[: args.questions]:
        started = time.perf_counter()
        service.plan(question)
        stages.setdefault("plan", []).append(time.perf_counter() - started)
        answer = service.ask(question)
        for name, value in answer.timings_ms.items():
            stages.setdefault(name, []).append(value / 1000)
    rest_ms = (time.process_time() - cpu) * 1000 / args.questions
    median = {name: round(statistics.median(v) * 1000, 2) for name, v in stages.items()}

    tree = ""
    try:
        from pyinstrument import Profiler
    except ImportError:
        tree = "pyinstrument is not installed (pip install pyinstrument)"
    else:
        profiler = Profiler(interval=0.0002)
        profiler.start()
        for question in questions[: args.questions]:
            service.ask(question)
        profiler.stop()
        tree = profiler.output_text(unicode=False, color=False)

    report: dict[str, Any] = {
        "questions": args.questions,
        "cpu_ms_per_ask": {
            "query_embedding": round(embed_ms, 2),
            "everything_else": round(rest_ms, 2),
        },
        "median_ms_by_stage_without_embedding": median,
        "engine_threads": 1,
        "loadavg": [round(x, 2) for x in os.getloadavg()],
        "measured_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2) + "\n")
    args.out.with_suffix(".txt").write_text(tree)
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
