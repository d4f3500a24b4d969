"""`gremium serve --workers 2`: two processes over one index, the corpus ingested once."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from api_helpers import ADMIN_KEY, free_port

from bench.ingest import make_files
from gremium.settings import REPO_ROOT


@pytest.mark.slow
def test_two_workers_share_one_index_and_ingest_the_corpus_once(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    make_files(corpus, 30, pdf_every=0)
    port = free_port()
    env = {
        **os.environ,
        "PYTHONPATH": str(REPO_ROOT),
        "GREMIUM_DATA_DIR": str(tmp_path / "data"),
        "GREMIUM_CORPUS_DIR": str(corpus),
        "GREMIUM_EMBEDDER": "fake",
        "GREMIUM_ADMIN_KEYS": ADMIN_KEY,
        "GREMIUM_RATE_LIMIT_PER_MINUTE": "0",
    }
    log = (tmp_path / "server.log").open("wb")
    server = subprocess.Popen(
        [sys.executable, "-m", "gremium.cli", "serve", "--port", str(port), "--workers", "2"],
        cwd=REPO_ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        ready = 0
        while ready < 20:  # 20 fresh connections in a row, spread over both workers
            assert time.monotonic() < deadline, (tmp_path / "server.log").read_text()
            assert server.poll() is None, (tmp_path / "server.log").read_text()
            try:
                health = httpx.get(url + "/health", timeout=5).json()
            except httpx.HTTPError:
                time.sleep(0.3)
                continue
            ready = ready + 1 if health["ready"] else 0
            if not health["ready"]:
                time.sleep(0.3)
        assert health["documents"] == 30
        # One worker wrote the batches (every 20 documents or 30 seconds, so at least two);
        # the other found them done and wrote nothing.
        current = (tmp_path / "data" / "index" / "CURRENT").read_text().strip()
        log_text = (tmp_path / "server.log").read_text()
        assert log_text.count("empty index: ingesting 30 files") == 1, log_text
        written = re.findall(r"index generation (gen-\d+): (\d+) documents", log_text)
        assert len(written) >= 2 and written[-1] == (current, "30"), log_text
        assert [g for g, _ in written] == sorted({g for g, _ in written}), log_text
        _, checked = log_text.split("the corpus was indexed by another worker", 1)
        assert "index generation gen-" not in checked, log_text

        headers = {"Authorization": f"Bearer {ADMIN_KEY}"}
        upload = httpx.post(
            url + "/documents?wait=0",
            headers=headers,
            files={"file": ("notiz.txt", "Bayern: Die Delos Cloud wird geprüft.".encode())},
            timeout=30,
        )
        assert upload.status_code in {201, 202}, upload.text
        job_id = upload.json()["job_id"]
        for _ in range(10):  # whichever worker answers knows the job
            status = httpx.get(f"{url}/jobs/{job_id}", headers=headers, timeout=5)
            assert status.status_code == 200, status.text
            assert status.json()["id"] == job_id
        answers = [
            httpx.post(url + "/ask", json={"question": f"Was sagte Bayern {i}?"}, timeout=30)
            for i in range(6)
        ]
        assert all(a.status_code == 200 for a in answers)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
        log.close()
