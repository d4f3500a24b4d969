"""Every kind of bad input gets its typed error with a message naming the file."""

from __future__ import annotations

import os

import pytest
from fpdf import FPDF

from gremium import errors
from ingest.loaders import load_bytes
from ingest.pipeline import parse_bytes


def _pdf(text: str | None = None, *, password: str | None = None) -> bytes:
    pdf = FPDF()
    pdf.add_page()
    if text is None:
        pdf.rect(20, 20, 100, 60, style="F")  # an image-like page: no text layer
    else:
        pdf.set_font("Helvetica", size=12)
        pdf.cell(0, 10, text)
    if password:
        pdf.set_encryption(owner_password="owner", user_password=password)
    return bytes(pdf.output())


CASES = [
    ("empty.txt", b"", errors.EmptyDocument),
    ("blank.txt", b"  \n\n \t", errors.EmptyDocument),
    ("empty.pdf", b"", errors.EmptyDocument),
    (
        "corrupt.pdf",
        b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >>\ngarbage\x00\xff" * 3,
        errors.CorruptFile,
    ),
    ("fake.pdf", b"this is not a pdf at all", errors.CorruptFile),
    ("encrypted.pdf", _pdf("Geheim", password="secret"), errors.EncryptedPdf),
    ("scan.pdf", _pdf(None), errors.NoTextLayer),
    ("junk.txt", os.urandom(4096) + b"\x00" * 64, errors.CorruptFile),
    ("program.txt", b"\x7fELF\x02\x01\x01" + b"\x00" * 200, errors.UnsupportedFormat),
    ("program.exe", b"MZ\x90\x00\x03" + b"\x00" * 200, errors.UnsupportedFormat),
    # Word files are read now: a broken one is damaged, not of an unknown kind
    ("brief.docx", b"PK\x03\x04" + b"\x00" * 200, errors.CorruptFile),
    ("archiv.zip", b"PK\x03\x04" + b"\x00" * 200, errors.UnsupportedFormat),
    ("table.xlsx", b"Spalte A;Spalte B\n1;2\n", errors.UnsupportedFormat),
    ("marks.txt", b"[illegible]\n\n[REDACTED]\n", errors.EmptyDocument),
]


@pytest.mark.parametrize(("name", "data", "error"), CASES, ids=[c[0] for c in CASES])
def test_bad_file_raises_typed_error(
    name: str, data: bytes, error: type[errors.IngestError]
) -> None:
    with pytest.raises(error) as caught:
        parse_bytes(data, name)
    assert name in caught.value.message
    assert isinstance(caught.value, errors.IngestError)
    assert 400 <= caught.value.status < 500


def test_readable_pdf_loads_with_pages() -> None:
    raw = load_bytes(_pdf("Bayern lehnt ab."), "ok.pdf")
    assert raw.fmt == "pdf" and raw.pages == ["Bayern lehnt ab."]


def test_windows_1252_text_is_decoded() -> None:
    parsed = parse_bytes("Die Länder begrüßen den Beschluss.".encode("cp1252"), "alt.txt")
    assert "Länder begrüßen" in parsed.chunks[0].text
