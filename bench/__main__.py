"""Run the benchmarks; each prints its numbers and writes bench/results/<name>.json.

Usage: python -m bench [parse retrieval answer load ingest harden scale]
(default: all but scale, which builds a 1M-chunk index for ~15 minutes)
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCHMARKS = {
    "parse": [sys.executable, "-m", "bench.parse"],
    "retrieval": [sys.executable, "-m", "bench.retrieval"],
    "answer": [sys.executable, "-m", "bench.answer_latency"],
    "load": [sys.executable, "-m", "bench.load", "--duration", "30", "--clients", "16"],
    "ingest": [
        *(sys.executable, "-m", "bench.ingest", "--files", "150", "--crash-trials", "10"),
        *("--crash-files", "40", "--crash-embedder", "fake"),
    ],
    "scale": [sys.executable, "-m", "bench.scale", "--chunks", "1000000"],
    "harden": [sys.executable, "-m", "bench.harden"],
}
DEFAULT = [name for name in BENCHMARKS if name != "scale"]


def main(argv: list[str]) -> int:
    names = argv or DEFAULT
    unknown = [n for n in names if n not in BENCHMARKS]
    if unknown:
        print(f"unknown benchmark(s) {unknown}; choose from {list(BENCHMARKS)}", file=sys.stderr)
        return 2
    failed = []
    for name in names:
        print(f"== {name}", flush=True)
        if subprocess.run(BENCHMARKS[name], cwd=ROOT, check=False).returncode != 0:
            failed.append(name)
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
