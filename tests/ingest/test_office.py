"""Word and OpenDocument files: paragraphs, lists, tables, the file's own pages, typed errors."""

from __future__ import annotations

import io
import zipfile

import docx
import pytest
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from gremium import errors
from ingest.loaders import load_bytes
from ingest.pipeline import parse_bytes
from tests.ingest.style_fixtures import Block, render_odt


def _docx(build) -> bytes:  # type: ignore[no-untyped-def]
    document = docx.Document()
    build(document)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _minutes(document) -> None:  # type: ignore[no-untyped-def]
    document.add_heading("Protokoll der 52. Sitzung des IT-Planungsrats", level=1)
    document.add_paragraph("Datum: 22.10.2026")
    document.add_paragraph("Ort: Berlin")
    document.add_heading("TOP 1 – Verwaltungscloud", level=2)
    document.add_paragraph("Bayern: Bayern unterstützt den Vorschlag.")
    document.add_paragraph("Der Zeitplan sei ehrgeizig.", style="List Bullet")
    document.add_page_break()
    document.add_heading("TOP 2 – Register", level=2)
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "Hessen"
    table.cell(0, 1).text = "Hessen bittet um einen Bericht."
    table.cell(1, 0).text = "Bund"
    table.cell(1, 1).text = "Der Bund sagt ihn zu."
    document.add_paragraph("Der IT-Planungsrat beschließt den Zeitplan.", style="List Number")
    document.add_paragraph("Die FITKO berichtet in der 53. Sitzung.", style="List Number")


def test_docx_paragraphs_lists_tables_and_explicit_pages() -> None:
    raw = load_bytes(_docx(_minutes), "protokoll.docx")
    assert raw.fmt == "docx" and len(raw.pages) == 2
    first, second = raw.pages
    assert "Bayern: Bayern unterstützt den Vorschlag." in first.split("\n")
    assert "• Der Zeitplan sei ehrgeizig." in first.split("\n")
    assert "TOP 2 – Register" not in first and second.startswith("TOP 2 – Register")
    assert "Hessen\tHessen bittet um einen Bericht." in second.split("\n")
    assert "1. Der IT-Planungsrat beschließt den Zeitplan." in second.split("\n")
    assert "2. Die FITKO berichtet in der 53. Sitzung." in second.split("\n")


def test_docx_protocol_parses_with_pages() -> None:
    parsed = parse_bytes(_docx(_minutes), "protokoll.docx")
    assert parsed.document.pages == 2
    assert parsed.document.session is not None and parsed.document.session.number == 52
    by = next(c for c in parsed.chunks if c.speaker and c.speaker.code == "BY")
    assert by.page_start == 1 and "Der Zeitplan sei ehrgeizig." in by.text
    he = next(c for c in parsed.chunks if c.text.startswith("Hessen bittet"))
    assert he.page_start == 2


def test_docx_rendered_page_breaks_win_over_explicit_ones() -> None:
    """Word records where it broke pages; then those are the pages, and only those."""

    def build(document) -> None:  # type: ignore[no-untyped-def]
        for i in range(1, 5):
            paragraph = document.add_paragraph(f"Absatz {i}.")
            if i in (2, 4):  # Word rendered page 2 from paragraph 2, page 3 from paragraph 4
                run = paragraph.runs[0]._r
                run.insert(0, OxmlElement("w:lastRenderedPageBreak"))
        document.paragraphs[0].runs[0].add_break(docx.enum.text.WD_BREAK.LINE)

    pages = load_bytes(_docx(build), "r.docx").pages
    assert [p.split("\n")[0] for p in pages] == ["Absatz 1.", "Absatz 2.", "Absatz 4."]


def test_docx_page_break_before_and_section_break() -> None:
    def build(document) -> None:  # type: ignore[no-untyped-def]
        document.add_paragraph("Seite eins.")
        flagged = document.add_paragraph("Seite zwei.")
        flagged.paragraph_format.page_break_before = True
        document.add_paragraph("Noch Seite zwei.")

    assert len(load_bytes(_docx(build), "b.docx").pages) == 2


def test_docx_without_pages_stays_one_page() -> None:
    def build(document) -> None:  # type: ignore[no-untyped-def]
        for i in range(40):
            document.add_paragraph(f"Absatz {i} ohne Seitenumbruch.")

    assert len(load_bytes(_docx(build), "lang.docx").pages) == 1  # no pages are invented


def _zip(files: dict[str, bytes | str]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return out.getvalue()


def test_odt_paragraphs_lists_tables_and_pages() -> None:
    blocks = [
        Block("heading", "Protokoll der 52. Sitzung", 1),
        Block("para", "Bayern: Bayern unterstützt den Vorschlag."),
        Block("bullet", "Der Zeitplan sei ehrgeizig."),
        Block("page"),
        Block("table", rows=[[["Hessen"], ["Hessen bittet um einen Bericht."]]]),
    ]
    raw = load_bytes(render_odt(blocks), "protokoll.odt")
    assert raw.fmt == "odt" and len(raw.pages) == 2
    assert raw.pages[0].split("\n") == [
        "Protokoll der 52. Sitzung",
        "Bayern: Bayern unterstützt den Vorschlag.",
        "• Der Zeitplan sei ehrgeizig.",
    ]
    assert raw.pages[1] == "Hessen\tHessen bittet um einen Bericht."


def test_odt_soft_page_breaks_are_the_pages() -> None:
    content = render_odt([Block("para", "Eins."), Block("para", "Zwei."), Block("para", "Drei.")])
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        xml = archive.read("content.xml").decode()
    xml = xml.replace("<text:p>Drei.", "<text:soft-page-break/><text:p>Drei.")
    data = _zip({"mimetype": "application/vnd.oasis.opendocument.text", "content.xml": xml})
    assert load_bytes(data, "s.odt").pages == ["Eins.\nZwei.", "Drei."]


ENCRYPTED_OOXML = (
    b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 500 + "EncryptedPackage".encode("utf-16-le")
)
BAD_OFFICE = [
    ("kaputt.docx", b"PK\x03\x04" + b"\x00" * 200, errors.CorruptFile),
    ("kein-word.docx", _zip({"[Content_Types].xml": "<Types/>"}), errors.CorruptFile),
    ("geschuetzt.docx", ENCRYPTED_OOXML, errors.EncryptedDocument),
    ("alt.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 500, errors.UnsupportedFormat),
    ("leer.docx", _docx(lambda d: None), errors.EmptyDocument),
    (
        "geschuetzt.odt",
        _zip(
            {
                "mimetype": "application/vnd.oasis.opendocument.text",
                "content.xml": "<x/>",
                "META-INF/manifest.xml": "<manifest:encryption-data/>",
            }
        ),
        errors.EncryptedDocument,
    ),
    (
        "ohne-inhalt.odt",
        _zip({"mimetype": "application/vnd.oasis.opendocument.text"}),
        errors.CorruptFile,
    ),
    (
        "kaputtes-xml.odt",
        _zip({"mimetype": "application/vnd.oasis.opendocument.text", "content.xml": "<a><b></a>"}),
        errors.CorruptFile,
    ),
    ("leer.odt", render_odt([]), errors.EmptyDocument),
]


@pytest.mark.parametrize(("name", "data", "error"), BAD_OFFICE, ids=[c[0] for c in BAD_OFFICE])
def test_bad_office_files_raise_typed_errors(
    name: str, data: bytes, error: type[errors.IngestError]
) -> None:
    with pytest.raises(error) as caught:
        parse_bytes(data, name)
    assert name in caught.value.message
    assert 400 <= caught.value.status < 500


def test_office_suffixes_are_accepted_for_upload() -> None:
    from gremium.service import SUPPORTED_SUFFIXES

    assert {".docx", ".odt"} <= SUPPORTED_SUFFIXES


def test_docx_tracked_deletions_and_field_codes_are_not_text() -> None:
    def build(document) -> None:  # type: ignore[no-untyped-def]
        paragraph = document.add_paragraph("Berlin stimmt zu.")
        deleted = OxmlElement("w:del")
        run = OxmlElement("w:r")
        text = OxmlElement("w:delText")
        text.text = " Gestrichen."
        run.append(text)
        deleted.append(run)
        paragraph._p.append(deleted)
        field = OxmlElement("w:r")
        code = OxmlElement("w:instrText")
        code.text = " PAGE "
        field.append(code)
        paragraph._p.append(field)
        paragraph._p.set(qn("w:rsidR"), "00000000")
        hyphenated = document.add_paragraph("IT")
        run = OxmlElement("w:r")
        run.append(OxmlElement("w:noBreakHyphen"))
        rest = OxmlElement("w:t")
        rest.text = "Planungsrat"
        run.append(rest)
        hyphenated._p.append(run)

    assert load_bytes(_docx(build), "t.docx").pages == ["Berlin stimmt zu.\nIT-Planungsrat"]


@pytest.mark.parametrize("fmt", ["docx", "odt"])
def test_a_protocol_table_after_an_attendance_table_is_read_as_one(fmt: str) -> None:
    from tests.ingest.style_fixtures import render_docx

    blocks = [
        Block("para", "47. IT-Planungsratssitzung"),
        Block("para", "Datum: 26.06.2025"),
        Block("table", rows=[[["Bund"], ["StS Dr. Pohl"]], [["Hessen"], ["StS Möller"]]]),
        Block(
            "table",
            rows=[
                [["TOP"], ["Informationssicherheit"], ["Ziel"], ["Quelle"], ["BE"]],
                [["10"], ["Bericht des Themenpaten"], ["Diskussion"], [], ["Bund"]],
                [["ON"], ["Diskussion", "HE:", "› Budget < 5 Mio. Euro, Laufzeit > 2 Jahre."]],
            ],
        ),
    ]
    data = render_docx(blocks) if fmt == "docx" else render_odt(blocks)
    parsed = parse_bytes(data, f"p.{fmt}")
    # the table's cells are read as the export's HTML cells, so "<" and ">" stay text
    he = next(t for t in parsed.turns if "Budget < 5 Mio. Euro, Laufzeit > 2 Jahre." in t.text)
    assert he.speaker is not None and he.speaker.code == "HE"
    assert he.agenda_item is not None and he.agenda_item.number == "10"
