"""Parse a file in a worker process that is killed when it takes too long.

A hostile or broken file can keep a parser busy for hours (pypdf on 2000 pages that
share one huge content stream), and no Python thread can be stopped from outside. A
process can. One parser process runs beside the caller (started on first use, with the
parser imported once); each file goes to it over a pipe. Past the deadline the process
is killed and the next file starts a fresh one. It is also replaced when it has grown
large, since Python rarely gives memory back.

    parsed = parse_isolated(data, "protokoll.pdf", limits=limits, timeout=60)

A separate interpreter rather than `multiprocessing`: forking the threaded server is
unsafe, and the spawn and forkserver methods re-import the caller's main script.
"""

from __future__ import annotations

import logging
import os
import pickle
import select
import subprocess
import sys
import threading
import time
import traceback
from typing import IO, Any

from gremium.errors import CorruptFile, IngestError, ParseTimeout
from ingest.limits import NO_LIMITS, ParseLimits
from ingest.pipeline import ParsedDocument, parse_bytes

log = logging.getLogger(__name__)

_HEADER = 8  # bytes of length before each pickled message
_RECYCLE_RSS = 400 * 1024 * 1024  # replace the worker once it holds this much memory


def parse_isolated(
    data: bytes,
    filename: str,
    *,
    collection: str = "public",
    source: str = "",
    limits: ParseLimits = NO_LIMITS,
    timeout: float = 60.0,
) -> ParsedDocument:
    """`parse_bytes` in the parser process; ParseTimeout past `timeout` seconds.

    `timeout` <= 0 parses in this process, without a time limit.
    """
    if timeout <= 0:
        return parse_bytes(data, filename, collection=collection, source=source, limits=limits)
    request = (data, filename, collection, source, limits)
    outcome, payload = _WORKER.run(request, timeout, filename)
    if outcome == "ok":
        parsed: ParsedDocument = payload
        return parsed
    if outcome == "error":
        error: IngestError = payload
        raise error
    log.error("the parser failed on %s:\n%s", filename, payload)
    raise CorruptFile(
        f"{filename} could not be read (the parser failed on it); if it opens elsewhere, "
        "report it with this message's request id"
    )


class _ParserProcess:
    """The parser process and the pipe to it; one file at a time."""

    def __init__(self) -> None:
        self._process: subprocess.Popen[bytes] | None = None
        self._lock = threading.Lock()

    def run(self, request: tuple[Any, ...], timeout: float, filename: str) -> tuple[str, Any]:
        with self._lock:
            process = self._started()
            assert process.stdin is not None and process.stdout is not None
            deadline = time.monotonic() + timeout
            try:
                _write(process.stdin, pickle.dumps(request, protocol=pickle.HIGHEST_PROTOCOL))
                reply = _read(process.stdout, deadline)
            except TimeoutError:
                self._stop()
                raise ParseTimeout(
                    f"{filename} took longer than {timeout:g} s to read and was given up "
                    "(GREMIUM_PARSE_TIMEOUT_S); the file is damaged or too complex"
                ) from None
            except (EOFError, OSError):
                code = process.poll()
                self._stop()
                raise CorruptFile(
                    f"{filename} could not be read: the parser process ended abruptly "
                    f"(exit code {code})"
                ) from None
            if _rss(process.pid) > _RECYCLE_RSS:
                self._stop()
            result: tuple[str, Any] = pickle.loads(reply)
            return result

    def _started(self) -> subprocess.Popen[bytes]:
        if self._process is not None and self._process.poll() is None:
            return self._process
        paths = [p for p in sys.path if p]
        boot = f"import sys; sys.path[:0] = {paths!r}; from ingest.worker import serve; serve()"
        self._process = subprocess.Popen(
            [sys.executable, "-c", boot],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            close_fds=True,
        )
        return self._process

    def _stop(self) -> None:
        process, self._process = self._process, None
        if process is None:
            return
        process.kill()
        process.wait()
        for pipe in (process.stdin, process.stdout):
            if pipe is not None:
                pipe.close()


_WORKER = _ParserProcess()


def _write(pipe: IO[bytes], payload: bytes) -> None:
    pipe.write(len(payload).to_bytes(_HEADER, "big") + payload)
    pipe.flush()


def _read(pipe: IO[bytes], deadline: float) -> bytes:
    """One message from the pipe; TimeoutError at the deadline, EOFError if it closes."""
    fd = pipe.fileno()
    buffer = bytearray()
    needed = _HEADER
    length = None
    while len(buffer) < needed:
        remaining = deadline - time.monotonic()
        if remaining <= 0 or not select.select([fd], [], [], remaining)[0]:
            raise TimeoutError
        chunk = os.read(fd, max(needed - len(buffer), 65536) if length else needed - len(buffer))
        if not chunk:
            raise EOFError
        buffer += chunk
        if length is None and len(buffer) >= _HEADER:
            length = int.from_bytes(buffer[:_HEADER], "big")
            needed = _HEADER + length
    return bytes(buffer[_HEADER:needed])


def _rss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm") as handle:
            return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def serve() -> None:
    """The parser process: read requests from stdin, answer on stdout, until stdin closes."""
    requests, replies = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr  # a stray print must not corrupt the replies
    import pypdf  # noqa: F401 - imported once here, not on the first PDF

    while True:
        header = requests.read(_HEADER)
        if len(header) < _HEADER:
            return
        data, filename, collection, source, limits = pickle.loads(
            requests.read(int.from_bytes(header, "big"))
        )
        reply: tuple[str, Any]
        try:
            parsed = parse_bytes(
                data, filename, collection=collection, source=source, limits=limits
            )
            reply = ("ok", parsed)
        except IngestError as exc:
            reply = ("error", exc)
        except Exception:
            reply = ("bug", traceback.format_exc())
        _write(replies, pickle.dumps(reply, protocol=pickle.HIGHEST_PROTOCOL))
