"""`gremium chat`: a conversation on the terminal, with follow-ups read in its light."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

from gremium.chat import run_chat

ROOT = Path(__file__).resolve().parents[2]


def _script(lines: list[str]) -> Iterator[str]:
    yield from lines


def test_a_follow_up_is_read_in_the_conversation(corpus_service) -> None:  # type: ignore[no-untyped-def]
    lines = _script(
        [
            "Was sagte Niedersachsen in der Sondersitzung zu Microsoft Teams?",
            "Und wie sah Berlin das?",
            "/neu",
            "Und wie sah Berlin das?",
            "/ende",
        ]
    )
    out: list[str] = []
    assert run_chat(corpus_service, read=lambda _: next(lines), write=out.append) == 0
    text = "\n".join(out)
    first_reading = text.index("Verstanden als:")
    assert "Berlin" in text[first_reading:].splitlines()[0]
    assert "Sondersitzung" in text[first_reading:].splitlines()[0]
    assert "(neue Unterhaltung)" in text
    after_reset = text[text.index("(neue Unterhaltung)") :]
    assert "Verstanden als:" not in after_reset  # nothing to read it against


def test_the_command_runs_on_a_pipe(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "GREMIUM_DATA_DIR": str(tmp_path),
        "GREMIUM_EMBEDDER": "fake",
        "GREMIUM_LOG_LEVEL": "WARNING",
    }
    cli = [sys.executable, "-m", "gremium.cli"]
    ingest = subprocess.run(
        [*cli, "ingest", str(ROOT / "corpus")], env=env, capture_output=True, text=True, cwd=ROOT
    )
    assert ingest.returncode == 0, ingest.stderr
    chat = subprocess.run(
        [*cli, "chat"],
        env=env,
        input="Was sagte Bayern in der Sondersitzung zur Delos Cloud?\nUnd Berlin?\n",
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert chat.returncode == 0, chat.stderr
    assert chat.stdout.count("Frage>") == 3
    assert "Verstanden als: Was sagte Berlin" in chat.stdout
