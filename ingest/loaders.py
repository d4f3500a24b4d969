"""Loaders: bytes -> pages of raw text, chosen by content first and extension second.

A PDF keeps its real pages. Text exports of PDFs carry no form feeds, so their page
breaks are inferred from the residue extraction leaves behind (see `split_text_pages`).
Every unreadable input raises a typed `IngestError` with a message naming the file.
"""

from __future__ import annotations

import codecs
import contextlib
import io
import itertools
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import PurePath

from gremium.errors import (
    CorruptFile,
    DocumentTooLarge,
    EmptyDocument,
    EncryptedPdf,
    NoTextLayer,
    UnsupportedFormat,
)
from ingest.limits import NO_LIMITS, ParseLimits
from ingest.office import OFFICE_SUFFIXES, load_office, sniff

TEXT_SUFFIXES = {".txt", ".text", ""}
MARKDOWN_SUFFIXES = {".md", ".markdown"}
HTML_SUFFIXES = {".html", ".htm"}
PDF_SUFFIXES = {".pdf"}
SUPPORTED = TEXT_SUFFIXES | MARKDOWN_SUFFIXES | HTML_SUFFIXES | PDF_SUFFIXES | OFFICE_SUFFIXES

# Magic numbers of formats we refuse outright (executables, archives, office files, images).
_BINARY_MAGIC = {
    b"\x7fELF": "an ELF executable",
    b"MZ": "a Windows executable",
    b"PK\x03\x04": "a ZIP archive (or an Office file)",
    b"\x1f\x8b": "a gzip archive",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"\xd0\xcf\x11\xe0": "an old Office file",
    b"#!": "a script",
}


@dataclass(frozen=True)
class RawDocument:
    """Raw text per page, before cleaning. `fmt` is pdf, docx, odt, text, markdown or html."""

    pages: list[str]
    fmt: str
    filename: str


def load_bytes(data: bytes, filename: str, limits: ParseLimits = NO_LIMITS) -> RawDocument:
    """Read a file's bytes as pages of text, or raise a typed IngestError.

    `limits` stops extraction as soon as the pages or characters exceed them.
    """
    name = PurePath(filename).name or "upload"
    suffix = PurePath(name).suffix.lower()
    if not data or not data.strip():
        raise EmptyDocument(f"{name} is empty: there is no text to ingest")
    if data.startswith(b"%PDF-") or (suffix in PDF_SUFFIXES and b"%PDF-" in data[:1024]):
        return RawDocument(_load_pdf(data, name, limits), "pdf", name)
    if suffix in PDF_SUFFIXES:
        raise CorruptFile(f"{name} is named .pdf but is not a PDF (no %PDF header)")
    if suffix in OFFICE_SUFFIXES or sniff(data):
        fmt, pages = load_office(data, name, suffix)
        return RawDocument(pages, fmt, name)
    for magic, what in _BINARY_MAGIC.items():
        if data.startswith(magic):
            raise UnsupportedFormat(
                f"{name} looks like {what}; Gremium reads PDF, DOCX, ODT, plain text, Markdown and HTML"
            )
    if suffix not in SUPPORTED:
        raise UnsupportedFormat(
            f"{name}: unsupported file type {suffix!r}; use .pdf, .docx, .odt, .txt, .md or .html"
        )
    text = _decode(data, name)
    if not text.strip():
        raise EmptyDocument(f"{name} holds only whitespace: there is no text to ingest")
    limits.check_chars(len(text), name)
    fmt = _sniff_text_format(text, suffix)
    if fmt == "html" and not re.search(r"<(?:html|body|p|div|table|h\d)\b", text, re.IGNORECASE):
        fmt = "text"
    pages = split_text_pages(text)
    limits.check_pages(len(pages), name)
    return RawDocument(pages, fmt, name)


_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Western code pages German files come in. A decoding is plausible when nearly all of its
# non-ASCII characters are ones German text uses; the most umlauts then decide.
_WESTERN = ("cp1252", "cp850", "mac_roman")
_GERMAN = frozenset("äöüÄÖÜß")
_GERMAN_PLAUSIBLE = _GERMAN | frozenset("„“”‚‘’«»–—…€§°éèêàáâçñíóú·×²³½\xa0")


def _decode(data: bytes, name: str) -> str:
    """Text from bytes: by byte-order mark, as UTF-16 by its zero bytes, as UTF-8, else detected."""
    text = _decode_unicode(data, name)
    if text is None:
        if b"\x00" in data[:4096]:
            raise CorruptFile(f"{name} contains binary data (NUL bytes); it is not a text file")
        text = _decode_legacy(data, name)
    control = sum(1 for ch in text[:20000] if ord(ch) < 32 and ch not in "\n\r\t\f")
    if control > max(8, len(text[:20000]) // 50):
        raise CorruptFile(f"{name} looks like binary junk ({control} control characters)")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _decode_unicode(data: bytes, name: str) -> str | None:
    """UTF-8/16/32 text, or None when the bytes are none of them."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(encoding)
            except UnicodeDecodeError as exc:
                raise CorruptFile(
                    f"{name} starts with a {encoding.upper()} byte-order mark but is not "
                    f"valid {encoding.upper()} (byte {exc.start})"
                ) from None
    head = data[:4096]
    even, odd = head[0::2], head[1::2]
    for zeros, encoding in ((odd, "utf-16-le"), (even, "utf-16-be")):
        # Latin text in UTF-16 without a mark: every other byte is zero.
        if len(head) >= 8 and zeros.count(0) > 0.4 * len(zeros):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def _decode_legacy(data: bytes, name: str) -> str:
    """Text in an 8-bit code page: a Western one if German reads plausibly, else detected."""
    sample = data[:65536]
    scored = []
    for rank, encoding in enumerate(_WESTERN):
        try:
            decoded = sample.decode(encoding)
        except UnicodeDecodeError:
            continue
        foreign = [ch for ch in decoded if ord(ch) > 127]
        plausible = sum(1 for ch in foreign if ch in _GERMAN_PLAUSIBLE)
        if plausible >= 0.9 * len(foreign):
            scored.append((sum(1 for ch in foreign if ch in _GERMAN), -rank, encoding))
    encodings = [encoding for *_, encoding in sorted(scored, reverse=True)]
    import charset_normalizer

    best = charset_normalizer.from_bytes(sample).best()
    if best is not None:
        encodings.append(best.encoding)
    for encoding in encodings:
        try:
            return data.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
    raise CorruptFile(f"{name} is text in no encoding Gremium recognises; save it as UTF-8")


def _sniff_text_format(text: str, suffix: str) -> str:
    if suffix in HTML_SUFFIXES or re.match(r"\s*(?:<!doctype html|<html)", text, re.IGNORECASE):
        return "html"
    if suffix in MARKDOWN_SUFFIXES:
        return "markdown"
    return "text"


def _load_pdf(data: bytes, name: str, limits: ParseLimits) -> list[str]:
    from pypdf import PdfReader
    from pypdf.errors import DependencyError, FileNotDecryptedError, PdfReadError, PdfStreamError

    damage = _PdfDamage()
    try:
        with damage.recording():
            reader = PdfReader(io.BytesIO(data), strict=False)
            if reader.is_encrypted:
                # Owner-password-only PDFs open with an empty user password (AES needs
                # `cryptography`); a PDF that needs a user password cannot be read.
                try:
                    if not reader.decrypt(""):
                        raise EncryptedPdf(f"{name} is encrypted; upload an unprotected copy")
                except (FileNotDecryptedError, NotImplementedError) as exc:
                    raise EncryptedPdf(f"{name} is encrypted; upload an unprotected copy") from exc
            count = len(reader.pages)
        limits.check_pages(count, name)
        pages, chars = [], 0
        for number, page in enumerate(reader.pages, start=1):
            with damage.recording() as problems:
                text = _page_text(page)
            if not text.strip() and problems:
                raise CorruptFile(
                    f"{name} is a damaged PDF: page {number} cannot be read ({problems[0]})"
                )
            chars += len(text)
            limits.check_chars(chars, name, partial=number < count)
            pages.append(text)
    except (EncryptedPdf, CorruptFile, DocumentTooLarge):
        raise
    except DependencyError as exc:
        raise EncryptedPdf(
            f"{name} is encrypted with AES, which needs the `cryptography` package; "
            "reinstall gremium, or upload an unprotected copy"
        ) from exc
    except FileNotDecryptedError as exc:
        raise EncryptedPdf(f"{name} is encrypted; upload an unprotected copy") from exc
    except (PdfReadError, PdfStreamError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise CorruptFile(f"{name} is a damaged PDF and cannot be read: {exc}") from exc
    except RecursionError as exc:
        raise CorruptFile(f"{name} is a damaged PDF (its objects refer to themselves)") from exc
    except Exception as exc:  # pypdf raises many kinds on broken input; none is our bug
        raise CorruptFile(f"{name} is a damaged PDF and cannot be read: {exc}") from exc
    if not pages:
        raise CorruptFile(f"{name} is a PDF without pages")
    if not any(page.strip() for page in pages):
        if damage.seen:
            raise CorruptFile(f"{name} is a damaged PDF: no page can be read ({damage.seen[0]})")
        raise NoTextLayer(
            f"{name} has {len(pages)} page(s) but no text layer (a scan?); run OCR first"
        )
    return pages


class _PdfDamage(logging.Handler):
    """Collects what pypdf reports while it repairs a broken file (it logs, not raises).

    A page that yields no text while pypdf reported damage is damaged, not a scan; the
    reports are kept out of the application log (a hostile file can make thousands).
    """

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.seen: list[str] = []
        self._current: list[str] | None = None

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()[:120]
        if len(self.seen) < 20:
            self.seen.append(message)
        if self._current is not None and len(self._current) < 20:
            self._current.append(message)

    @contextlib.contextmanager
    def recording(self) -> Iterator[list[str]]:
        logger = logging.getLogger("pypdf")
        propagate = logger.propagate
        self._current = []
        logger.addHandler(self)
        logger.propagate = False
        try:
            yield self._current
        finally:
            logger.removeHandler(self)
            logger.propagate = propagate


def _page_text(page) -> str:
    """Text of a PDF page; layout mode keeps the blank lines that separate paragraphs."""
    try:
        text = page.extract_text(extraction_mode="layout") or ""
    except Exception:  # layout mode is newer and stricter; plain mode still reads the page
        return page.extract_text() or ""
    lines = text.split("\n")
    indents = [len(ln) - len(ln.lstrip(" ")) for ln in lines if ln.strip()]
    cut = min(indents) if indents else 0
    return "\n".join(ln[cut:].rstrip() for ln in lines).strip("\n")


_TABLE_HEADER = re.compile(r"^\s*TOP[\t ]+.*?Ziel(?: des TOP)?[\t ]+Quelle[\t ]+BE\s*$")


def split_text_pages(text: str) -> list[str]:
    """Split a text export into pages.

    Form feeds are page breaks. Without them, two kinds of residue mark a new page:
    a line that starts with a space right after a non-blank line in a double-spaced
    export (extractors start each page with a space), and a table header that repeats
    the previous table's header (tables repeat their header on every page).
    """
    if "\f" in text:
        return text.split("\f")
    lines = text.split("\n")
    double_spaced = _is_double_spaced(lines)
    starts: list[int] = [0]
    last_header: str | None = None
    for i, line in enumerate(lines):
        if i == 0:
            continue
        prev = lines[i - 1]
        if _TABLE_HEADER.match(line):
            key = re.sub(r"\s+", " ", line).strip()
            if key == last_header and starts[-1] != i:
                starts.append(i)
            last_header = key
            continue
        if double_spaced and line.startswith(" ") and line.strip() and prev.strip():
            starts.append(i)
    bounds = [*starts, len(lines)]
    return ["\n".join(lines[a:b]) for a, b in itertools.pairwise(bounds)]


def _is_double_spaced(lines: list[str]) -> bool:
    """PDF-to-text exports that put an empty line after every text line."""
    content = [i for i, line in enumerate(lines[:-1]) if line.strip()]
    if len(content) < 10:
        return False
    followed_by_blank = sum(1 for i in content if lines[i + 1] == "")
    return followed_by_blank / len(content) > 0.6
