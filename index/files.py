"""Original files, content-addressed: `index_dir/files/<sha256>`.

A writer stores a document's bytes before it publishes the generation that names the
document, so a published generation never points at a missing file. Each file is
written under a temporary name, fsynced and renamed, so no reader sees half a file;
`read` checks the bytes against their name all the same. Files that no generation on
disk names any more (and leftovers of a crashed writer) are removed by `collect`,
which the writer calls while it holds the writer lock.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
from collections.abc import Iterable
from pathlib import Path

from index.generations import fsync_dir

FOLDER = "files"
_NAME = re.compile(r"^[0-9a-f]{64}$")


class FileStore:
    """The original files below one index folder."""

    def __init__(self, root: Path) -> None:
        self.folder = Path(root) / FOLDER

    def path(self, sha256: str) -> Path:
        if not _NAME.match(sha256):
            raise ValueError(f"not a SHA-256 hex digest: {sha256!r}")
        return self.folder / sha256

    def has(self, sha256: str) -> bool:
        return bool(_NAME.match(sha256)) and self.path(sha256).is_file()

    def put(self, data: bytes) -> str:
        """Store `data` durably (idempotent); returns its SHA-256."""
        sha256 = hashlib.sha256(data).hexdigest()
        final = self.path(sha256)
        if self.read(sha256) is not None:
            return sha256
        self.folder.mkdir(parents=True, exist_ok=True)
        tmp = self.folder / f"{sha256}.{os.getpid()}.tmp"
        with open(tmp, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, final)
        fsync_dir(self.folder)
        return sha256

    def read(self, sha256: str) -> bytes | None:
        """The file's bytes, or None when it is missing or does not match its digest."""
        if not _NAME.match(sha256):
            return None
        try:
            data = self.path(sha256).read_bytes()
        except FileNotFoundError:
            return None
        return data if hashlib.sha256(data).hexdigest() == sha256 else None

    def collect(self, keep: Iterable[str]) -> int:
        """Remove files not in `keep` and temporary leftovers; returns how many went."""
        if not self.folder.is_dir():
            return 0
        wanted = set(keep)
        removed = 0
        for entry in self.folder.iterdir():
            if entry.name in wanted and _NAME.match(entry.name):
                continue
            with contextlib.suppress(FileNotFoundError):
                entry.unlink()
                removed += 1
        return removed
