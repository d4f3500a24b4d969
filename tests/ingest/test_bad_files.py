"""Every kind of bad input gets its typed error with a message naming the file."""

from __future__ import annotations

import codecs
import os
import random

import pytest
from fpdf import FPDF
from fpdf.enums import EncryptionMethod

from gremium import errors
from ingest.loaders import load_bytes
from ingest.pipeline import parse_bytes


def _pdf(
    text: str | None = None,
    *,
    password: str | None = None,
    owner_only: bool = False,
    method: EncryptionMethod = EncryptionMethod.RC4,
    pages: int = 1,
) -> bytes:
    pdf = FPDF()
    for _ in range(pages):
        pdf.add_page()
        if text is None:
            pdf.rect(20, 20, 100, 60, style="F")  # an image-like page: no text layer
        else:
            pdf.set_font("Helvetica", size=12)
            pdf.multi_cell(0, 10, text)
    if password or owner_only:
        pdf.set_encryption(owner_password="owner", user_password=password, encryption_method=method)
    return bytes(pdf.output())


def _damaged_in_the_middle(data: bytes, *, seed: int) -> bytes:
    """The first and last thirds intact (header, xref, trailer), the middle overwritten."""
    damaged = bytearray(data)
    noise = random.Random(seed)
    for i in range(len(data) // 3, 2 * len(data) // 3):
        damaged[i] = noise.randrange(256)
    return bytes(damaged)


_FIVE_PAGES = _pdf("Sitzung am 01.02.2024. Hessen spricht zum Testthema. " * 12, pages=5)


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
    (
        "aes128-user.pdf",
        _pdf("Geheim", password="u", method=EncryptionMethod.AES_128),
        errors.EncryptedPdf,
    ),
    (
        "aes256-user.pdf",
        _pdf("Geheim", password="u", method=EncryptionMethod.AES_256),
        errors.EncryptedPdf,
    ),
    ("middle-1.pdf", _damaged_in_the_middle(_FIVE_PAGES, seed=1), errors.CorruptFile),
    ("middle-2.pdf", _damaged_in_the_middle(_FIVE_PAGES, seed=2), errors.CorruptFile),
    ("middle-3.pdf", _damaged_in_the_middle(_FIVE_PAGES, seed=3), errors.CorruptFile),
    ("bad-bom.txt", codecs.BOM_UTF16_LE + b"\x00\xd8A\x00", errors.CorruptFile),
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


@pytest.mark.parametrize("method", [EncryptionMethod.AES_128, EncryptionMethod.AES_256])
def test_owner_password_only_aes_pdf_is_read(method: EncryptionMethod) -> None:
    raw = load_bytes(_pdf("Bayern lehnt ab.", owner_only=True, method=method), "aes.pdf")
    assert raw.pages == ["Bayern lehnt ab."]


TEXT = "Die Länder begrüßen den Beschluss. Übergreifend für Bürger: „Zustimmung“."


@pytest.mark.parametrize(
    "encoding",
    ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "cp1252", "mac_roman"],
)
def test_text_is_decoded_by_its_mark_or_its_content(encoding: str) -> None:
    raw = load_bytes(TEXT.encode(encoding), "brief.txt")
    assert raw.pages == [TEXT]


def test_old_dos_text_is_decoded_by_its_umlauts() -> None:
    text = "Die Länder begrüßen den Beschluss. Übergreifend für Bürger."
    assert load_bytes(text.encode("cp850"), "dos.txt").pages == [text]


@pytest.mark.parametrize(
    ("encoding", "text"),
    [
        ("cp1250", "Wójt gminy przyjął uchwałę w sprawie budżetu i zażółć gęślą jaźń."),
        ("cp1251", "Совет по информационным технологиям принял решение о переходе."),
    ],
)
def test_other_code_pages_are_detected(encoding: str, text: str) -> None:
    assert load_bytes(text.encode(encoding), "fremd.txt").pages == [text]


def test_utf16_protocol_is_parsed_like_its_utf8_original() -> None:
    from tests.conftest import SONDERSITZUNG

    original = SONDERSITZUNG.read_text(encoding="utf-8")
    utf8 = parse_bytes(original.encode("utf-8"), "s.txt")
    utf16 = parse_bytes(original.encode("utf-16"), "s.txt")
    assert [c.text for c in utf16.chunks] == [c.text for c in utf8.chunks]
    assert [c.speaker for c in utf16.chunks] == [c.speaker for c in utf8.chunks]


def test_a_page_lost_to_damage_is_corrupt_not_silently_dropped() -> None:
    data = bytearray(_FIVE_PAGES)
    start = len(data) * 2 // 3
    data[start : start + 200] = b"\x00\xff" * 100
    with pytest.raises(errors.CorruptFile, match="damaged"):
        parse_bytes(bytes(data), "seite.pdf")
