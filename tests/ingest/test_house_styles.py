"""The grammar of the newer house styles, one rule at a time (the fixtures in styles/
test them together)."""

from __future__ import annotations

from ingest.pipeline import parse_bytes
from tests.ingest.style_fixtures import Block, render_docx, render_odt, render_pdf

LABEL_PROTOCOL = """Protokoll der 50. Sitzung des IT-Planungsrats
Datum: 12.02.2026
Ort: Erfurt

TOP 02  Informationssicherheit
Lagebild der Länder
Ziel: Information
Quelle: Beschluss 2025/12
BE: Bund, HE

Diskussion

BE:
Berlin berichtet über die Übung im Januar.

TOP 03  Verschiedenes
Ziel: Information
BE: Vorsitz

BY: Zustimmung
"""


def test_a_rapporteur_field_is_no_statement_of_berlin() -> None:
    parsed = parse_bytes(LABEL_PROTOCOL.encode(), "p.txt")
    berlin = [t for t in parsed.turns if t.speaker and t.speaker.code == "BE"]
    assert [t.text for t in berlin] == ["Berlin berichtet über die Übung im Januar."]
    item = berlin[0].agenda_item
    assert item is not None and item.title == "Informationssicherheit – Lagebild der Länder"
    assert "Bund, HE" not in parsed.text and "Vorsitz" not in parsed.text
    # a statement without a sentence after the discussion is still a statement
    assert any(
        t.speaker and t.speaker.code == "BY" and t.text == "Zustimmung" for t in parsed.turns
    )


def test_the_running_head_of_a_two_page_pdf_is_no_text() -> None:
    blocks = [Block("heading", "Protokoll der 50. Sitzung des IT-Planungsrats", 1)]
    blocks += [Block("para", "Datum: 12.02.2026")]
    blocks += [Block("para", f"Hessen berichtet über Punkt {n}.") for n in range(30)]
    head = "IT-Planungsrat · 50. Sitzung · Stand: 01.03.2026"
    data = render_pdf(blocks, "Seite {n} von {total}", head, header_first=True)
    parsed = parse_bytes(data, "p.pdf")
    assert parsed.document.pages == 2
    assert "Stand: 01.03.2026" not in parsed.text and "Seite" not in parsed.text
    assert parsed.document.title.startswith("Protokoll der 50. Sitzung")


def test_excused_in_a_sentence_are_absentees_not_speakers() -> None:
    text = (
        "Protokoll der 50. Sitzung des IT-Planungsrats\nDatum: 12.02.2026\n\n"
        "TOP 1 Begrüßung\n"
        "Mecklenburg-Vorpommern und das Saarland hätten sich für die heutige Sitzung "
        "entschuldigt.\n\nBayern: Bayern begrüßt die Mitglieder.\n"
    )
    parsed = parse_bytes(text.encode(), "p.txt")
    session = parsed.document.session
    assert session is not None and set(session.absentees) == {"MV", "SL"}
    assert {t.speaker.code for t in parsed.turns if t.speaker} == {"BY"}


def test_one_results_table_is_read_by_its_columns() -> None:
    """A results protocol with a single TOP table: the header names columns, not an area."""
    blocks = [
        Block("para", "Ergebnisprotokoll der 50. Sitzung des IT-Planungsrats"),
        Block("para", "Datum: 12.02.2026"),
        Block(
            "table",
            rows=[
                [["Thema"], ["TOP"], ["Beratung"]],  # not a protocol header: first is no TOP
            ],
        ),
        Block(
            "table",
            rows=[
                [["TOP"], ["Gegenstand"], ["Wortbeiträge"]],
                [
                    ["7"],
                    ["Cloud-Strategie"],
                    ["HE: Hessen stimmt zu.", "Beschluss 2026/03: Der IT-Planungsrat stimmt zu."],
                ],
            ],
        ),
    ]
    for data, name in ((render_docx(blocks), "p.docx"), (render_odt(blocks), "p.odt")):
        parsed = parse_bytes(data, name)
        he = next(t for t in parsed.turns if t.speaker and t.speaker.code == "HE")
        assert he.text == "Hessen stimmt zu."
        assert he.agenda_item is not None
        assert (he.agenda_item.number, he.agenda_item.title) == ("07", "Cloud-Strategie")
        assert "Wortbeiträge" not in parsed.text
        decision = next(t for t in parsed.turns if t.decision)
        assert decision.decision == "2026/03" and decision.agenda_item == he.agenda_item


def test_site_furniture_is_known_by_its_lines() -> None:
    from ingest.web import is_site_furniture

    for line in (
        "Startseite › Entscheidungen › Entscheidungen 2019",
        "Sie sind hier: Startseite > Beschlüsse",
        "nach oben",
        "↑ Zum Seitenanfang",
        "© 2024 Geschäftsstelle des IT-Planungsrats",
        "Impressum | Datenschutz | Barrierefreiheit | Kontakt",
    ):
        assert is_site_furniture(line), line
    for line in (
        "IT-Planungsrat | 23.06.2021 | 35. Sitzung | Beschluss 2021/25",
        "Ziel: Information | Quelle: – | BE: Bund",
        "Startseite",
        "Der Bund bittet, den Bericht nach oben zu korrigieren.",
    ):
        assert not is_site_furniture(line), line


def test_a_page_without_main_loses_its_menu_but_keeps_its_header() -> None:
    page = (
        "<html><body><header><a href='/'>Logo</a><nav><ul><li>Startseite</li>"
        "<li>Kontakt</li></ul></nav></header>"
        "<article><header><h1>Beschluss 2024/09</h1></header>"
        "<p>IT-Planungsrat | 14.03.2024 | 43. Sitzung | Beschluss 2024/09</p>"
        "<ol><li>Der IT-Planungsrat nimmt den Bericht zur Kenntnis.</li>"
        "<li>Hessen und Bayern berichten in der 44. Sitzung.</li></ol></article>"
        "<footer>Impressum</footer></body></html>"
    )
    parsed = parse_bytes(page.encode(), "b.html")
    assert "Kontakt" not in parsed.text and "Impressum" not in parsed.text
    decision = next(t for t in parsed.turns if t.decision == "2024/09")
    assert "2. Hessen und Bayern berichten in der 44. Sitzung." in decision.text
    assert decision.session is not None and decision.session.number == 43
