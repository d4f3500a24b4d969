"""The writer lock: one writer across processes and threads, re-entrant in its own thread."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

import pytest

from gremium.errors import IndexLocked
from index.embedders.fake import FakeEmbedder
from index.generations import writer_lock
from index.store import Index
from index.testing import make_protocol


def test_the_holding_thread_may_write_generations_inside(tmp_path: Path) -> None:
    index = Index.open(tmp_path, FakeEmbedder(), fusion="rrf", lock_timeout=1.0)
    with writer_lock(tmp_path, timeout=1.0):
        index.upsert([make_protocol(1, "2024-01-01", [("BY", "01", "Cloud", "Text eins.")])])
        index.upsert([make_protocol(2, "2024-02-01", [("NW", "01", "Cloud", "Text zwei.")])])
    assert len(index.documents()) == 2


def test_another_thread_waits_for_the_holder(tmp_path: Path) -> None:
    errors: list[BaseException] = []

    def other() -> None:
        try:
            with writer_lock(tmp_path, timeout=0.2):
                pass
        except BaseException as exc:
            errors.append(exc)

    with writer_lock(tmp_path, timeout=1.0):
        thread = threading.Thread(target=other)
        thread.start()
        thread.join(timeout=10)
    assert len(errors) == 1 and isinstance(errors[0], IndexLocked)
    with writer_lock(tmp_path, timeout=1.0):  # released: free again
        pass


def test_another_process_waits_for_the_holder(tmp_path: Path) -> None:
    probe = (
        "import sys; from pathlib import Path; from index.generations import writer_lock\n"
        "from gremium.errors import IndexLocked\n"
        "try:\n    with writer_lock(Path(sys.argv[1]), timeout=0.2): print('got it')\n"
        "except IndexLocked: print('locked')\n"
    )
    root = Path(__file__).resolve().parents[2]

    def run() -> str:
        result = subprocess.run(
            [sys.executable, "-c", probe, str(tmp_path)],
            capture_output=True,
            text=True,
            cwd=root,
            check=True,
        )
        return result.stdout.strip()

    with writer_lock(tmp_path, timeout=1.0), writer_lock(tmp_path, timeout=1.0):
        assert run() == "locked"
    assert run() == "got it"


def test_an_error_inside_releases_the_lock(tmp_path: Path) -> None:
    with pytest.raises(ValueError), writer_lock(tmp_path, timeout=1.0):
        raise ValueError("boom")
    done = threading.Event()

    def other() -> None:
        with writer_lock(tmp_path, timeout=1.0):
            done.set()

    thread = threading.Thread(target=other)
    thread.start()
    thread.join(timeout=10)
    assert done.is_set()
