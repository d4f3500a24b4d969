"""Hostile and oversized files, made on the fly, for the hardening tests and benchmark.

shared_stream_pdf(2000, 5)   # 2000 pages that all show one 5 MB content stream
many_pages_pdf(2000)         # 2000 ordinary pages, one short statement each
one_line_text(20)            # 20 MB of text without a line break
"""

from __future__ import annotations

import zlib


def _pdf(objects: list[bytes]) -> bytes:
    """A PDF from numbered object bodies (object 1 is the catalog), with a valid xref."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def _stream(content: bytes, compress: bool = True) -> bytes:
    data = zlib.compress(content, 9) if compress else content
    head = b"<< /Length %d%s >>\nstream\n" % (
        len(data),
        b" /Filter /FlateDecode" if compress else b"",
    )
    return head + data + b"\nendstream"


_FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"


def _pages_pdf(contents: list[int], streams: list[bytes]) -> bytes:
    """Pages whose content is the stream object `contents[i]` (an index into `streams`)."""
    pages = len(contents)
    first_page = 4 + len(streams)
    kids = b" ".join(b"%d 0 R" % (first_page + i) for i in range(pages))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, pages),
        _FONT,
        *streams,
    ]
    for stream_index in contents:
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
            b"/Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>" % (4 + stream_index)
        )
    return _pdf(objects)


def shared_stream_pdf(pages: int = 2000, stream_mb: float = 5.0) -> bytes:
    """Every page draws the same huge content stream: small on disk, endless to extract."""
    line = b"BT /F1 9 Tf 40 800 Td (Der IT-Planungsrat beraet die Registermodernisierung.) Tj ET\n"
    content = line * int(stream_mb * 1024 * 1024 / len(line))
    return _pages_pdf([0] * pages, [_stream(content)])


def many_pages_pdf(pages: int = 2000) -> bytes:
    """Ordinary pages, each with its own short statement (a long but honest document)."""
    streams = []
    for n in range(1, pages + 1):
        text = (
            f"BT /F1 11 Tf 56 780 Td (Seite {n}: Hessen berichtet zu Thema {n} "
            f"ueber den Registerabgleich und die Finanzierung.) Tj ET"
        ).encode("latin-1")
        streams.append(_stream(text, compress=False))
    return _pages_pdf(list(range(pages)), streams)


def one_line_text(megabytes: float = 20.0) -> bytes:
    """Text without a single line break, just under or over an upload limit."""
    sentence = b"Bayern begruesst die Delos Cloud und fordert eine gemeinsame Strategie. "
    return sentence * int(megabytes * 1024 * 1024 / len(sentence))
