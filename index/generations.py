"""The index folder on disk: generations, the CURRENT pointer, the manifest and the writer lock.

    index_dir/
      CURRENT            names the live generation ("gen-000007"), replaced atomically
      LOCK               fcntl lock file: one writer at a time, across processes
      gen-000006/        the previous generation, kept until the next write
      gen-000007/        manifest.json, meta.sqlite, vectors.npy, [ann.faiss], bm25/,
                         sentences.npy, sentence_offsets.npy

A writer builds `gen-N.tmp/`, fsyncs every file and the folder, renames it to
`gen-N/`, then replaces CURRENT (temp file, fsync, os.replace, fsync of the folder).
A crash at any point leaves CURRENT naming a complete generation; leftover `.tmp`
folders are removed by the next writer.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import re
import shutil
import threading
import time
from collections.abc import Iterator
from pathlib import Path

from gremium.errors import IndexLocked

SCHEMA_VERSION = 3  # 3: sentence vectors beside the passage vectors
MANIFEST = "manifest.json"
CURRENT = "CURRENT"
LOCK = "LOCK"
_GEN = re.compile(r"^gen-(\d{6})(\.tmp)?$")
_held = threading.local()  # index folders whose writer lock this thread holds


def generation_name(number: int) -> str:
    return f"gen-{number:06d}"


def generation_number(name: str) -> int:
    match = _GEN.match(name)
    return int(match.group(1)) if match else -1


def read_current(root: Path) -> str | None:
    try:
        name = (root / CURRENT).read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None
    return name if _GEN.match(name) and not name.endswith(".tmp") else None


def current_stamp(root: Path) -> tuple[int, int, int] | None:
    """A cheap fingerprint of CURRENT: changes whenever a writer replaces it."""
    try:
        st = os.stat(root / CURRENT)
    except FileNotFoundError:
        return None
    return (st.st_ino, st.st_mtime_ns, st.st_size)


def read_manifest(folder: Path) -> dict[str, object]:
    data: dict[str, object] = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    return data


def next_generation(root: Path) -> int:
    numbers = [generation_number(p.name) for p in root.iterdir() if _GEN.match(p.name)]
    return max(numbers, default=0) + 1


def fsync_tree(folder: Path) -> None:
    """fsync every file below `folder`, then every folder bottom-up."""
    for dirpath, _, filenames in os.walk(folder, topdown=False):
        for filename in filenames:
            fd = os.open(os.path.join(dirpath, filename), os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
        fsync_dir(Path(dirpath))


def fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_json(path: Path, data: dict[str, object]) -> None:
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False), encoding="utf-8")


def publish(root: Path, tmp: Path) -> str:
    """Make a fully written `gen-N.tmp` folder the live generation; returns its name."""
    fsync_tree(tmp)
    final = tmp.with_name(tmp.name.removesuffix(".tmp"))
    os.rename(tmp, final)
    fsync_dir(root)
    pointer = root / f"{CURRENT}.tmp"
    with open(pointer, "w", encoding="utf-8") as handle:
        handle.write(final.name + "\n")
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(pointer, root / CURRENT)
    fsync_dir(root)
    return final.name


def clean(root: Path, live: str | None) -> None:
    """Remove `.tmp` leftovers and generations older than the one before `live`.

    Call only while holding the writer lock: a `.tmp` folder may be another writer's work.
    """
    keep_from = generation_number(live) - 1 if live else 0
    for entry in root.iterdir():
        match = _GEN.match(entry.name)
        if not match or not entry.is_dir():
            continue
        if match.group(2) or int(match.group(1)) < keep_from:
            shutil.rmtree(entry, ignore_errors=True)
    with contextlib.suppress(FileNotFoundError):
        (root / f"{CURRENT}.tmp").unlink()


@contextlib.contextmanager
def writer_lock(root: Path, timeout: float) -> Iterator[None]:
    """Hold the cross-process writer lock; IndexLocked after `timeout` seconds of waiting.

    Re-entrant within one thread: a thread that holds it (e.g. a server worker seeding
    an empty index, so that the other workers wait instead of ingesting too) may write
    generations inside. Other threads and processes wait as before.
    """
    root.mkdir(parents=True, exist_ok=True)
    key = str(root.resolve())
    held: set[str] = _held.__dict__.setdefault("roots", set())
    if key in held:
        yield
        return
    handle = open(root / LOCK, "a+")  # noqa: SIM115 - held for the duration of the context
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise IndexLocked(
                        f"another process is writing the index at {root} (waited {timeout:.0f} s); "
                        "try again when its ingest has finished"
                    ) from None
                time.sleep(0.05)
        held.add(key)
        try:
            yield
        finally:
            held.discard(key)
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
    finally:
        handle.close()


def try_clean(root: Path) -> None:
    """Clean leftovers if no writer is active right now (never waits)."""
    try:
        with writer_lock(root, timeout=0):
            clean(root, read_current(root))
    except IndexLocked:
        pass
