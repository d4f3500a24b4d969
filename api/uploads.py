"""Checks on an uploaded file before it is queued: name, size, extension.

The parser (`ingest`) sniffs content (executables, archives, damaged, encrypted and
text-less PDFs) and raises typed errors; this module refuses what is cheaper to refuse
before the write queue: names that try to leave a folder, files over the limit, empty
files and extensions Gremium does not read.
"""

from __future__ import annotations

import unicodedata
from pathlib import PurePosixPath

from gremium.errors import EmptyDocument, FileTooLarge, InvalidRequest, UnsupportedFormat
from gremium.service import SUPPORTED_SUFFIXES, check_collection

__all__ = ["check_collection", "check_upload", "safe_filename"]
_SUPPORTED = ", ".join(sorted(SUPPORTED_SUFFIXES))


class InvalidFilename(InvalidRequest):
    code = "invalid_filename"
    status = 400


def safe_filename(raw: str | None) -> str:
    """The name as given, if it is a plain file name; paths and control characters are refused."""
    name = unicodedata.normalize("NFC", (raw or "").strip())
    if not name:
        raise InvalidFilename("the upload has no file name; send it as multipart field 'file'")
    if "/" in name or "\\" in name or name in {".", ".."} or ".." in PurePosixPath(name).parts:
        raise InvalidFilename(f"file name {name!r} contains a path; send the bare file name")
    if any(unicodedata.category(ch).startswith("C") for ch in name):
        raise InvalidFilename(f"file name {name!r} contains control characters")
    if name.startswith("."):
        raise InvalidFilename(f"file name {name!r} is hidden (starts with a dot)")
    if len(name.encode()) > 255:
        raise InvalidFilename("the file name is longer than 255 bytes")
    return name


def check_upload(data: bytes, filename: str, max_bytes: int) -> None:
    """Refuse oversized, empty and unsupported uploads with their 4xx."""
    if len(data) > max_bytes:
        raise FileTooLarge(
            f"{filename} has {len(data) / 1048576:.1f} MB; the limit is "
            f"{max_bytes / 1048576:.1f} MB (GREMIUM_MAX_UPLOAD_MB)"
        )
    if not data or data.isspace():
        raise EmptyDocument(f"{filename} is empty")
    suffix = PurePosixPath(filename).suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise UnsupportedFormat(
            f"{filename}: files ending in {suffix or '(no extension)'} are not supported; "
            f"use one of {_SUPPORTED}"
        )
