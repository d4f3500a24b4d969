"""One logger setup for CLI and server: plain lines or JSON lines, with a request id."""

from __future__ import annotations

import contextvars
import json
import logging
import sys
import time
from collections.abc import Iterable
from typing import TypeVar

T = TypeVar("T")

request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")


class _RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id.get()
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        payload = {
            "ts": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created))
            + f".{int(record.msecs):03d}Z",
            "level": record.levelname,
            "logger": record.name,
            "request_id": getattr(record, "request_id", "-"),
            "message": record.getMessage(),
        }
        if record.exc_info:
            payload["exc"] = self.formatException(record.exc_info)
        return json.dumps(payload, ensure_ascii=False)


def setup_logging(fmt: str = "plain", level: str = "INFO") -> None:
    """Configure the root logger once; calling again replaces the handler."""
    handler = logging.StreamHandler(sys.stderr)
    handler.addFilter(_RequestIdFilter())
    if fmt == "json":
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(
            logging.Formatter("%(asctime)s %(levelname)-7s %(name)s [%(request_id)s] %(message)s")
        )
    root = logging.getLogger()
    for old in list(root.handlers):
        if getattr(old, "_gremium", False):
            root.removeHandler(old)
    handler._gremium = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    root.setLevel(level.upper())
    for noisy in (
        "httpx",
        "httpcore",
        "urllib3",
        "sentence_transformers",
        "filelock",
        "faiss",
        "bm25s",
    ):
        logging.getLogger(noisy).setLevel(logging.WARNING)


def progress(iterable: Iterable[T], *, total: int | None = None, desc: str = "") -> Iterable[T]:
    """A progress bar when attached to a terminal, the plain iterable otherwise."""
    if not sys.stderr.isatty():
        return iterable
    from tqdm import tqdm

    bar: Iterable[T] = tqdm(iterable, total=total, desc=desc, unit="it", leave=False)
    return bar
