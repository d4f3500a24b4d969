"""Parsing throughput (no embedding): pages/second over the corpus and rendered PDFs,
then parsing accuracy per house style and format (bench/styles.py).

Usage: python -m bench.parse [--repeat N] [--no-styles]
       (writes bench/results/parse.json and bench/results/parse_styles.json)
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

from ingest.pipeline import parse_bytes

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "parse.json"


def _measure(files: list[tuple[str, bytes]], repeat: int) -> dict[str, float]:
    runs = []
    pages = chunks = 0
    for _ in range(repeat):
        pages = chunks = 0
        started = time.perf_counter()
        for name, data in files:
            parsed = parse_bytes(data, name)
            pages += parsed.document.pages
            chunks += len(parsed.chunks)
        runs.append(time.perf_counter() - started)
    best = min(runs)
    return {
        "files": len(files),
        "pages": pages,
        "chunks": chunks,
        "seconds_median": round(statistics.median(runs), 4),
        "pages_per_second": round(pages / statistics.median(runs), 1),
        "pages_per_second_best": round(pages / best, 1),
    }


def main(argv: list[str] | None = None) -> dict[str, object]:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--no-styles", action="store_true", help="skip the accuracy table")
    args = parser.parse_args(argv)
    corpus = sorted((ROOT / "corpus").glob("*.txt"))
    texts = [(p.name, p.read_bytes()) for p in corpus]
    from tests.ingest.pdf_render import render_protocol

    pdfs = []
    for path in corpus:
        parsed = parse_bytes(path.read_bytes(), path.name)
        if parsed.document.doc_type == "protokoll":
            pdf, _ = render_protocol(parsed)
            pdfs.append((path.with_suffix(".pdf").name, pdf))
    result = {
        "text_exports": _measure(texts, args.repeat),
        "pdf": _measure(pdfs, max(3, args.repeat // 4)),
        "measured_at": time.strftime("%Y-%m-%dT%H:%M:%S"),
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))
    if not args.no_styles:
        from bench import styles

        styles.main([])
    return result


if __name__ == "__main__":
    main()
