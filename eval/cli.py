"""`gremium eval`: run the reference questions, compare with the baseline, write the report.

    python -m eval.cli --out eval/out                     # in process, fresh index of corpus/
    python -m eval.cli --api http://127.0.0.1:8000 --key K  # against a running API
    python -m eval.cli --min-hit 0.8 --min-attribution 0.7  # exit 1 when missed

Exit codes: 0 all thresholds met, 1 a threshold missed, 2 bad input.
"""

from __future__ import annotations

import argparse
import logging
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from eval.dataset import DEFAULT_QA, DatasetError, QAItem, load_qa
from eval.metrics import SystemMetrics, compute_metrics
from eval.report import comparison_table, write_outputs
from eval.runner import (
    HttpSystem,
    InProcessSystem,
    QuestionResult,
    System,
    run_system,
    write_results,
)
from gremium.logs import setup_logging
from gremium.settings import get_settings

if TYPE_CHECKING:
    from gremium.service import Gremium
    from index.embedders import Embedder

log = logging.getLogger("gremium.eval")

PRODUCT = "hybrid"
MODES = ("bm25", "dense", "hybrid")


def evaluate(
    items: Sequence[QAItem], systems: Sequence[System], k: int = 5, depth: int = 10
) -> tuple[dict[str, list[QuestionResult]], dict[str, SystemMetrics]]:
    """Every system over every question, then the metrics of each."""
    runs = {s.name: run_system(s, items, k=max(k, depth), progress=True) for s in systems}
    metrics = compute_metrics(
        items,
        runs,
        pools={s.name: s.pool for s in systems},
        answering={s.name: s.answers for s in systems},
        k=k,
    )
    return runs, metrics


def open_in_process(data_dir: Path, corpus: Path, embedder: str | None = None) -> Gremium:
    """A Gremium over `data_dir`, with `corpus` ingested (unchanged files are skipped)."""
    from gremium.service import Gremium
    from gremium.settings import Settings

    overrides: dict[str, Any] = {"data_dir": data_dir, "corpus_dir": corpus}
    if embedder:
        overrides["embedder"] = embedder
    service = Gremium.open(Settings(**overrides))
    report = service.ingest_paths([corpus])
    for name, error in report.failed:
        log.warning("ingest failed for %s: %s", name, error)
    log.info(
        "index ready: %d added, %d unchanged, %d chunks, %.1fs",
        len(report.added),
        len(report.unchanged),
        report.chunks,
        report.seconds,
    )
    return service


def _embedder_of(service: Gremium | None, name: str) -> Embedder:
    """The product's loaded embedder for the baseline (same model, loaded once); over
    --api there is no local service, so the configured one is loaded."""
    if service is not None:
        return service.index.embedder
    from index.embedders import make_embedder

    return make_embedder(name)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="gremium eval",
        description="Run the reference Q&A against Gremium and the naive baseline; write "
        "report.md, results.json and results.jsonl.",
    )
    parser.add_argument("--qa", type=Path, default=DEFAULT_QA, help="reference questions (JSONL)")
    parser.add_argument("--api", metavar="URL", help="evaluate a running API instead of in process")
    parser.add_argument("--key", help="API key for --api (sent as X-API-Key and Bearer)")
    parser.add_argument("--out", type=Path, default=Path("eval/out"), help="output folder")
    parser.add_argument("--k", type=int, default=5, help="cut-off for hit@k (default 5)")
    parser.add_argument("--min-hit", type=float, help="fail when the product's hit@k is lower")
    parser.add_argument(
        "--min-attribution", type=float, help="fail when the product's attribution is lower"
    )
    parser.add_argument(
        "--data-dir",
        type=Path,
        help="index folder to use in process (default: a fresh temporary index)",
    )
    parser.add_argument("--corpus", type=Path, help="corpus folder (default: settings.corpus_dir)")
    parser.add_argument("--embedder", help="embedder name (default: settings, GREMIUM_EMBEDDER)")
    parser.add_argument(
        "--modes",
        default=",".join(MODES),
        help="product modes to compare (default bm25,dense,hybrid; hybrid always runs)",
    )
    parser.add_argument("--no-baseline", action="store_true", help="skip the naive baseline")
    parser.add_argument("--limit", type=int, help="only the first N questions (quick runs)")
    parser.add_argument(
        "--split", choices=["dev", "test", "all"], default="all", help="which questions to run"
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if not logging.getLogger().handlers:
        settings = get_settings()
        setup_logging(settings.log_format, settings.log_level)
    try:
        items = load_qa(args.qa)
    except DatasetError as exc:
        print(f"gremium eval: {exc}", file=sys.stderr)
        return 2
    if args.split != "all":
        items = [item for item in items if item.split == args.split]
    if args.limit:
        items = items[: args.limit]
    modes = [m.strip() for m in args.modes.split(",") if m.strip()]
    if PRODUCT not in modes:
        modes.append(PRODUCT)
    unknown = sorted(set(modes) - set(MODES))
    if unknown:
        print(f"gremium eval: unknown mode(s) {unknown}; use {list(MODES)}", file=sys.stderr)
        return 2

    settings = get_settings()
    corpus = args.corpus or settings.corpus_dir
    embedder_name = args.embedder or settings.embedder
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="gremium-eval-") as tmp:
        systems: list[System] = []
        service: Gremium | None = None
        if args.api:
            systems += [HttpSystem(args.api, key=args.key, mode=m) for m in modes]
        else:
            service = open_in_process(args.data_dir or Path(tmp), corpus, embedder_name)
            systems += [InProcessSystem(service, mode=m) for m in modes]
        if not args.no_baseline:
            from eval.baseline import NaiveBaseline

            embedder = _embedder_of(service, embedder_name)
            systems.append(NaiveBaseline.from_corpus(corpus, embedder))
        runs, metrics = evaluate(items, systems, k=args.k)

    config = {
        "qa": str(args.qa),
        "questions": len(items),
        "target": args.api or "in process",
        "embedder": embedder_name,
        "corpus": str(corpus),
        "k": args.k,
        "seconds": round(time.perf_counter() - started, 1),
        "thresholds": {"min_hit": args.min_hit, "min_attribution": args.min_attribution},
    }
    write_results(args.out / "results.jsonl", [r for rs in runs.values() for r in rs])
    report, results = write_outputs(args.out, items, runs, metrics, config, k=args.k)
    print(comparison_table(metrics, args.k))
    print(f"\nreport: {report}\nresults: {results}")
    return check_thresholds(metrics[PRODUCT], args.min_hit, args.min_attribution, args.k)


def check_thresholds(
    product: SystemMetrics, min_hit: float | None, min_attribution: float | None, k: int = 5
) -> int:
    """1 when the product misses a threshold (a missing figure counts as missed)."""
    failed = []
    if min_hit is not None and (product.hit_at_k or 0.0) < min_hit:
        failed.append(f"hit@{k} {product.hit_at_k} < {min_hit}")
    if min_attribution is not None and (product.attribution or 0.0) < min_attribution:
        failed.append(f"attribution {product.attribution} < {min_attribution}")
    for message in failed:
        print(f"gremium eval: threshold missed: {message}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
