"""`gremium chat`: a conversation on the terminal, follow-ups read in its light.

    $ gremium chat
    Frage> Was sagte Niedersachsen in der Sondersitzung zu Microsoft Teams?
    …
    Frage> Und wie sah Berlin das?
    Verstanden als: Was sagte Berlin in der Sondersitzung zu „Microsoft Teams“?
    …

`/neu` (or `/new`) starts a new conversation, `/ende` (`/quit`) or Ctrl-D leaves. On a
terminal, readline keeps the questions of earlier sessions (↑) in the data folder.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from gremium.errors import GremiumError

if TYPE_CHECKING:
    from gremium.service import Gremium

PROMPT = "Frage> "
NEW = {"/neu", "/new", "/reset"}
QUIT = {"/ende", "/quit", "/exit", "/q"}


def run_chat(
    service: Gremium,
    read: Callable[[str], str] = input,
    write: Callable[[str], None] = print,
) -> int:
    """Ask and answer until the user leaves; the conversation is kept between questions."""
    from answer.render import format_text

    history: list[dict[str, str]] = []
    limit = service.settings.max_history_turns
    write(
        "Gremium – Fragen an die Protokolle des IT-Planungsrats. /neu: neue Unterhaltung, /ende: beenden."
    )
    while True:
        try:
            question = read(PROMPT).strip()
        except (EOFError, KeyboardInterrupt):
            write("")
            return 0
        if not question:
            continue
        if question.lower() in QUIT:
            return 0
        if question.lower() in NEW:
            history.clear()
            write("(neue Unterhaltung)")
            continue
        try:
            answer = service.ask(question, history=history[-limit:] if limit else [])
        except GremiumError as exc:
            write(f"Fehler: {exc.message}")
            continue
        if answer.interpreted_as:
            label = "Read as" if answer.language == "en" else "Verstanden als"
            write(f"{label}: {answer.interpreted_as}")
        write(format_text(answer))
        history += [
            {"role": "user", "content": question},
            {"role": "assistant", "content": answer.answer},
        ]


def with_readline(history_file: Path) -> contextlib.AbstractContextManager[None]:
    """Line editing and a persistent question history when stdin is a terminal."""

    @contextlib.contextmanager
    def manager():  # type: ignore[no-untyped-def]
        if not sys.stdin.isatty():
            yield
            return
        try:
            import readline
        except ImportError:  # not on every platform
            yield
            return
        with contextlib.suppress(OSError):
            readline.read_history_file(history_file)
        readline.set_history_length(1000)
        try:
            yield
        finally:
            with contextlib.suppress(OSError):
                history_file.parent.mkdir(parents=True, exist_ok=True)
                readline.write_history_file(history_file)

    return manager()
