"""A protocol in another house style: full Land names, "TOP 2 – Titel", notes of "des Landes"."""

from __future__ import annotations

from ingest.pipeline import parse_bytes

OTHER_STYLE = """Protokoll der 48. Sitzung des IT-Planungsrats
Datum: 05.11.2025
Ort: Berlin
Stand: 20.12.2025

TOP 2 – Registermodernisierung
Freistaat Bayern: Bayern unterstützt die Fortschreibung der Gesamt-
steuerung und bittet um einen verbindlichen Zeitplan.
Niedersachsen:
Niedersachsen lehnt eine Erhöhung des Budgets ab und verweist auf die Haushalts-
lage.
Bund: Der Bund sagt eine Prüfung bis zur nächsten Sitzung zu.
Protokollnotiz des Landes Niedersachsen: Niedersachsen hält an seiner Position
zur Budgetierung fest.

TOP 3 – Cloud-Strategie
Beschluss 2025/41
Der IT-Planungsrat beschließt die Fortschreibung der Deutschen Verwaltungs-
cloud-Strategie bis zum 30.06.2026.
Deutscher Städtetag: Die Kommunen müssen frühzeitig eingebunden werden, ins-
besondere bei Bundes- und Landesvorhaben.
Baden-Württemberg:
"""


def test_other_style_protocol() -> None:
    parsed = parse_bytes(OTHER_STYLE.encode(), "protokoll-48.txt")
    session = parsed.document.session
    assert session is not None
    assert (session.number, session.date, session.place, session.kind) == (
        48,
        "2025-11-05",
        "Berlin",
        "ordentlich",
    )
    rows = [
        (
            t.role,
            t.agenda_item.number if t.agenda_item else "",
            t.speaker.code if t.speaker else "",
            t.label or "",
            t.text,
        )
        for t in parsed.turns
    ]
    assert rows == [
        ("text", "", "", "", "Protokoll der 48. Sitzung des IT-Planungsrats\nDatum: 05.11.2025\nOrt: Berlin\nStand: 20.12.2025"),
        ("statement", "02", "BY", "", "Bayern unterstützt die Fortschreibung der Gesamtsteuerung und bittet um einen verbindlichen Zeitplan."),
        ("statement", "02", "NI", "", "Niedersachsen lehnt eine Erhöhung des Budgets ab und verweist auf die Haushaltslage."),
        ("statement", "02", "Bund", "", "Der Bund sagt eine Prüfung bis zur nächsten Sitzung zu."),
        ("protocol_note", "02", "NI", "Protokollnotiz (Niedersachsen)", "Protokollnotiz des Landes Niedersachsen:\nNiedersachsen hält an seiner Position zur Budgetierung fest."),
        ("decision", "03", "", "Beschluss 2025/41", "Beschluss 2025/41\nDer IT-Planungsrat beschließt die Fortschreibung der Deutschen Verwaltungscloud-Strategie bis zum 30.06.2026."),
        ("statement", "03", "DST", "", "Die Kommunen müssen frühzeitig eingebunden werden, insbesondere bei Bundes- und Landesvorhaben."),
    ]  # fmt: skip
    items = {t.agenda_item.number: t.agenda_item.title for t in parsed.turns if t.agenda_item}
    assert items == {"02": "Registermodernisierung", "03": "Cloud-Strategie"}


def test_markdown_and_html_documents() -> None:
    md = "# Bericht zur Cloud\n\nDie **Deutsche Verwaltungscloud** wird [ausgebaut](http://x).\n\n- Punkt eins\n- Punkt zwei\n"
    parsed = parse_bytes(md.encode(), "bericht.md")
    text = " ".join(c.text for c in parsed.chunks)
    assert (
        "Die Deutsche Verwaltungscloud wird ausgebaut." in text
        and "**" not in text
        and "](" not in text
    )
    html = "<html><body><h1>Beschluss</h1><p>Der IT-Planungsrat beschlie&szlig;t die Umsetzung.</p><script>x()</script></body></html>"
    parsed = parse_bytes(html.encode(), "b.html")
    text = " ".join(c.text for c in parsed.chunks)
    assert (
        "Der IT-Planungsrat beschließt die Umsetzung." in text
        and "<" not in text
        and "x()" not in text
    )
