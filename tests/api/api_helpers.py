"""Shared pieces of the API tests: keys, a PDF maker, and the real server in a subprocess."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from gremium.settings import REPO_ROOT

DATA = Path(__file__).parent / "data"
ARTIFACTS = Path(__file__).parent / "artifacts"

ADMIN_KEY = "admin-key-0123456789"
STAFF_KEY = "staff-key-0123456789"  # every collection
PUBLIC_KEY = "public-key-0123456789"  # collection `public` only
BURST_KEY = "burst-key-0123456789"  # used up by the rate-limit test
KEYS = f"{STAFF_KEY},{PUBLIC_KEY}:public,{BURST_KEY}"
ORIGIN = "http://intranet.localhost"  # *.localhost: a secure context, as LNA wants
# In-process clients call from loopback, as a local `curl` would: writes without keys are
# accepted from loopback only.
LOOPBACK = ("127.0.0.1", 50000)


def make_pdf(lines: list[str], *, password: str | None = None) -> bytes:
    """A one-page PDF with a text layer (fpdf2's core font covers German umlauts)."""
    from fpdf import FPDF
    from fpdf.enums import EncryptionMethod

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    if password:
        pdf.set_encryption(
            owner_password="owner-" + password,
            user_password=password,
            encryption_method=EncryptionMethod.RC4,
        )
    for line in lines:
        pdf.multi_cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


# A protocol about a topic the corpus never mentions, so that questions about it can only
# be answered from this upload.
UPLOAD_LINES = [
    "Sondersitzung des IT-Planungsrats (14.03.2024 | Videokonferenz)",
    "Protokoll",
    "Datum: 14.03.2024",
    "Ort: Videokonferenz",
    "TOP Digitale Infrastruktur Ziel des TOP Quelle BE",
    "01 Zwergplanetenregister",
    "ON Diskussion",
    "HE:",
    "Hessen fordert ein gemeinsames Zwergplanetenregister für Pluto und Ceres bis 2026.",
    "SL:",
    "Das Saarland lehnt das Zwergplanetenregister wegen der Kosten ab.",
]
UPLOAD_QUESTION = "Was hat Hessen zum Zwergplanetenregister gesagt?"
UPLOAD_PHRASE = "Zwergplanetenregister"


# -- the real server ---------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def real_corpus() -> Path:
    """The repository's corpus, or the test protocols."""
    for candidate in (REPO_ROOT / "corpus",):
        if candidate.is_dir() and any(
            p.suffix in {".txt", ".pdf", ".md"} for p in candidate.iterdir()
        ):
            return candidate
    return DATA


@dataclass
class Server:
    url: str
    process: subprocess.Popen[bytes]
    log: Path
    data_dir: Path

    def client(self, key: str | None = None, **kwargs: Any) -> httpx.Client:
        headers = {"Authorization": f"Bearer {key}"} if key else {}
        return httpx.Client(base_url=self.url, headers=headers, timeout=60, **kwargs)

    def log_text(self) -> str:
        return self.log.read_text(errors="replace")


def start_server(data_dir: Path, corpus: Path, log: Path, **env: str) -> Server:
    port = free_port()
    environment = {
        **os.environ,
        "GREMIUM_DATA_DIR": str(data_dir),
        "GREMIUM_CORPUS_DIR": str(corpus),
        "GREMIUM_HOST": "127.0.0.1",
        "GREMIUM_PORT": str(port),
        "PYTHONPATH": str(REPO_ROOT),
        **env,
    }
    handle = log.open("wb")
    process = subprocess.Popen(
        [sys.executable, "-c", "from api.app import run; run()"],
        cwd=REPO_ROOT,
        env=environment,
        stdout=handle,
        stderr=subprocess.STDOUT,
    )
    server = Server(url=f"http://127.0.0.1:{port}", process=process, log=log, data_dir=data_dir)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited:\n{server.log_text()}")
        try:
            if httpx.get(server.url + "/health", timeout=2).status_code == 200:
                return server
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    stop_server(server)
    raise RuntimeError(f"the server did not answer /health within 60 s:\n{server.log_text()}")


def wait_ready(server: Server, timeout: float = 240) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        health: dict[str, Any] = httpx.get(server.url + "/health", timeout=5).json()
        if health["ready"]:
            return health
        time.sleep(0.5)
    raise RuntimeError(f"the index was not ready within {timeout} s:\n{server.log_text()}")


def stop_server(server: Server) -> None:
    server.process.terminate()
    try:
        server.process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        server.process.kill()
        server.process.wait()


# Debian's headless Chromium for the browser tests (never a downloaded browser).
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
BROWSER_MARKS = [
    pytest.mark.slow,
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason="needs Debian's chromium at /usr/bin/chromium (apt-get install -y chromium)",
    ),
]
