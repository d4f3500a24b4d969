"""Load benchmark: concurrent clients asking `POST /ask` against the real server.

    python bench/load.py                       # 16 clients, 60 s, own server on a temp data dir
    python bench/load.py --data-dir data       # reuse an index (skips the first ingest)
    python bench/load.py --url http://host:8000 --key K   # an already running server

Starts `api.app.run` (what `gremium serve` runs) on loopback with the real embedder and
no rate limit, waits until the corpus is indexed, warms up with each question once,
then lets N clients ask a rotating set of realistic questions for the given duration.
Prints and writes throughput, latency percentiles (p50/p95/p99) and errors to
bench/results/load.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import httpx

REPO = Path(__file__).resolve().parent.parent
RESULTS = REPO / "bench" / "results"

QUESTIONS = [
    "Was hat Bayern zur Delos Cloud gesagt?",
    "Wie hat sich Nordrhein-Westfalen zur Beschlussfassung in der Sondersitzung geäußert?",
    "Was sagte Schleswig-Holstein zur digitalen Souveränität?",
    "Welche Länder haben Protokollnotizen abgegeben?",
    "Was hat Hamburg zur Steuerungsgruppe NOOTS gesagt?",
    "Was sagte Baden-Württemberg zum Matrix-Protokoll?",
    "Was wurde in der 47. Sitzung beschlossen?",
    "Wie begründete der Bund die Übergangslösung für Microsoft Office?",
    "What did Bavaria say about the Delos Cloud?",
    "Was sagte das BSI zum Matrix-Protokoll?",
    "Was hat die FITKO zur Evaluations- und Testphase gesagt?",
    "Wer hat sich gegen den Beschlussvorschlag zur Delos Cloud ausgesprochen?",
    "Was wurde zur Deutschen Verwaltungscloud-Strategie beschlossen?",
    "Welche Position hatte Hessen zur Cloud-Strategie?",
    "Was hat der IT-Planungsrat zur Wetterkontrolle auf dem Mars beschlossen?",  # abstains
]


def percentile(sorted_values: list[float], q: float) -> float:
    """Nearest-rank percentile of already sorted values."""
    if not sorted_values:
        return float("nan")
    rank = max(1, round(q / 100 * len(sorted_values) + 0.5))
    return sorted_values[min(rank, len(sorted_values)) - 1]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(data_dir: Path, log_path: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    env = {
        **os.environ,
        "GREMIUM_DATA_DIR": str(data_dir),
        "GREMIUM_HOST": "127.0.0.1",
        "GREMIUM_PORT": str(port),
        "GREMIUM_RATE_LIMIT_PER_MINUTE": "0",
        "GREMIUM_LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(REPO),
    }
    log = log_path.open("wb")
    process = subprocess.Popen(
        [sys.executable, "-c", "from api.app import run; run()"],
        cwd=REPO,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    return process, f"http://127.0.0.1:{port}"


def wait_ready(url: str, process: subprocess.Popen[bytes] | None, timeout: float) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise SystemExit("the server exited; see its log")
        try:
            health: dict[str, Any] = httpx.get(url + "/health", timeout=5).json()
            if health.get("ready"):
                return health
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise SystemExit(f"the server was not ready within {timeout:.0f} s")


def run_clients(
    url: str, headers: dict[str, str], clients: int, duration: float
) -> tuple[list[float], dict[str, int], int]:
    latencies: list[float] = []
    errors: dict[str, int] = {}
    lock = threading.Lock()
    stop_at = time.monotonic() + duration
    abstained = [0]

    def client_loop(index: int) -> None:
        n = index
        with httpx.Client(base_url=url, headers=headers, timeout=30) as client:
            while time.monotonic() < stop_at:
                question = QUESTIONS[n % len(QUESTIONS)]
                n += clients
                started = time.perf_counter()
                try:
                    response = client.post("/ask", json={"question": question})
                    elapsed = time.perf_counter() - started
                    ok = response.status_code == 200
                    key = None if ok else f"HTTP {response.status_code}"
                    was_abstained = ok and response.json().get("abstained", False)
                except httpx.HTTPError as exc:
                    elapsed, key, was_abstained = (
                        time.perf_counter() - started,
                        type(exc).__name__,
                        False,
                    )
                with lock:
                    if key is None:
                        latencies.append(elapsed)
                        abstained[0] += int(was_abstained)
                    else:
                        errors[key] = errors.get(key, 0) + 1

    threads = [threading.Thread(target=client_loop, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, errors, abstained[0]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of load (default 60)")
    parser.add_argument("--url", help="benchmark a running server instead of starting one")
    parser.add_argument("--key", help="API key for --url")
    parser.add_argument("--data-dir", type=Path, help="index to serve (default: a fresh temp dir)")
    parser.add_argument("--out", type=Path, default=RESULTS / "load.json")
    args = parser.parse_args(argv)

    process = None
    workdir = Path(tempfile.mkdtemp(prefix="gremium-load-"))
    headers = {"Authorization": f"Bearer {args.key}"} if args.key else {}
    try:
        if args.url:
            url = args.url.rstrip("/")
        else:
            data_dir = args.data_dir or workdir / "data"
            process, url = start_server(data_dir, workdir / "server.log")
            print(f"server {url}, data dir {data_dir}; waiting for the index ...", flush=True)
        started = time.monotonic()
        health = wait_ready(url, process, timeout=900)
        print(
            f"ready after {time.monotonic() - started:.1f} s: {health['documents']} documents, "
            f"{health['chunks']} passages",
            flush=True,
        )

        with httpx.Client(base_url=url, headers=headers, timeout=60) as warm:
            for question in QUESTIONS:
                warm.post("/ask", json={"question": question}).raise_for_status()

        load_before = os.getloadavg()
        t0 = time.monotonic()
        latencies, errors, abstained = run_clients(url, headers, args.clients, args.duration)
        wall = time.monotonic() - t0
        load_after = os.getloadavg()
    finally:
        if process is not None:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
        shutil.rmtree(workdir, ignore_errors=True)

    ordered = sorted(latencies)
    result = {
        "endpoint": "POST /ask",
        "clients": args.clients,
        "duration_s": round(wall, 1),
        "requests_ok": len(latencies),
        "abstained": abstained,
        "errors": sum(errors.values()),
        "errors_by_kind": errors,
        "throughput_rps": round(len(latencies) / wall, 2),
        "latency_ms": {
            "mean": round(statistics.fmean(ordered) * 1000, 1) if ordered else None,
            "p50": round(percentile(ordered, 50) * 1000, 1),
            "p95": round(percentile(ordered, 95) * 1000, 1),
            "p99": round(percentile(ordered, 99) * 1000, 1),
            "max": round(ordered[-1] * 1000, 1) if ordered else None,
        },
        "index": {
            "documents": health["documents"],
            "chunks": health["chunks"],
            "embedder": health.get("embedder"),
        },
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "loadavg_before": [round(x, 2) for x in load_before],
            "loadavg_after": [round(x, 2) for x in load_after],
        },
        "measured_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    lat = result["latency_ms"]
    print(
        f"{args.clients} clients, {wall:.0f} s: {result['throughput_rps']} req/s, "
        f"p50 {lat['p50']} ms, p95 {lat['p95']} ms, p99 {lat['p99']} ms, "
        f"errors {result['errors']}  -> {args.out}"
    )
    return 0 if result["errors"] == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
