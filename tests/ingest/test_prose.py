"""Sentence by sentence: who speaks, who goes on, who hands back to the protocol; headers."""

from __future__ import annotations

import pytest

from gremium.speakers import REGISTRY
from ingest.labels import PersonMap, read_label
from ingest.metadata import detect_session, detect_title
from ingest.pipeline import parse_bytes
from ingest.prose import read_sentence, sentences

SPEAKER_SENTENCES = [
    ("Herr Staatssekretär Dr. Krause (Sachsen) führte aus, dass alles gut sei.", "SN", "Krause"),
    ("Die Vertreterin Thüringens ergänzte, die Kommunen seien einzubinden.", "TH", None),
    ("Der Vertreter des Landes Berlin, Herr Roth, wies darauf hin.", "BE", "Roth"),
    (
        "Für das BSI erklärte Herr Abteilungsleiter Ohm, die Architektur sei abgestimmt.",
        "BSI",
        "Ohm",
    ),
    ("Seitens des Bundes wies Herr Dr. Wendler darauf hin, dass …", "Bund", "Wendler"),
    ("Niedersachsen bat darum, die Kosten zu teilen.", "NI", None),
    ("Das Land Brandenburg schließt sich Nordrhein-Westfalen an.", "BB", None),
    ("Der Deutsche Landkreistag begrüßte die Initiative.", "DLT", None),
    ("Dem schloss sich Brandenburg an.", "BB", None),
    ("Auf Nachfrage Bremens erklärt der Bund, dass keine Kosten entstünden.", "Bund", None),
    ("Aus Sicht Bayerns kann eine Interessenbekundung nichts begründen.", "BY", None),
    ("Nach Auffassung Hessens greife der Entwurf zu weit.", "HE", None),
    ("Auch Rheinland-Pfalz sprach sich für eine gemeinsame Lösung aus.", "RP", None),
    (
        "Schleswig-Holstein (Herr Dr. Brandt) kündigt an, die Strategie vorzustellen.",
        "SH",
        "Brandt",
    ),
    ("Frau Kühn vom Deutschen Städte- und Gemeindebund merkte an, es fehle Geld.", "DStGB", "Kühn"),
    (
        "Frau Ministerin Dr. Wendt, Chief Information Officer des Landes Schleswig-Holstein, "
        "stellte den Bericht vor.",
        "SH",
        "Wendt",
    ),
    (
        "Der Chief Information Officer des Landes Niedersachsen, Herr Dr. Baier, stellte klar.",
        "NI",
        "Baier",
    ),
]


@pytest.mark.parametrize(("sentence", "code", "surname"), SPEAKER_SENTENCES)
def test_a_sentence_introduces_its_speaker(sentence: str, code: str, surname: str | None) -> None:
    cue = read_sentence(sentence, PersonMap())
    assert (cue.kind, cue.speaker.code if cue.speaker else None) == ("speaker", code)
    assert (surname in (cue.person or "")) if surname else True


@pytest.mark.parametrize(
    ("sentence", "kind"),
    [
        ("Die Vorsitzende dankte für die Beiträge.", "voice"),
        ("Der IT-Planungsrat nahm den Bericht zur Kenntnis.", "voice"),
        ("Nach kurzer Aussprache fasste der IT-Planungsrat folgenden Beschluss:", "voice"),
        (
            "Staatssekretär Brandes (Mecklenburg-Vorpommern) begrüßte als Vorsitzender alle.",
            "voice",
        ),
        ("Zudem müsse die Finanzierung geklärt werden.", "reported"),
        ("Die Länder würden frühzeitig beteiligt.", "reported"),
        ("Er bat die Länder um Stellungnahmen.", "pronoun"),
        ("Die nächste Sitzung findet am 22. Oktober 2026 in Berlin statt.", "neutral"),
        # never a guess: a group, two Länder at once, a person nobody tied to a Land
        ("Die Vertreter der kommunalen Spitzenverbände bitten darum, gehört zu werden.", "unknown"),
        ("Bayern und Baden-Württemberg unterstützten den Vorschlag.", "unknown"),
        ("Herr Dr. Unbekannt ergänzte, das sei richtig.", "unknown"),
    ],
)
def test_sentences_that_hand_over_or_go_on(sentence: str, kind: str) -> None:
    cue = read_sentence(sentence, PersonMap())
    assert cue.kind == kind and cue.speaker is None


def test_a_person_the_record_tied_to_a_land_speaks_for_it() -> None:
    persons = PersonMap()
    persons.add("Staatssekretär Dr. Thomas Krause", REGISTRY.resolve("Sachsen"))  # type: ignore[arg-type]
    cue = read_sentence("Herr Dr. Krause ergänzte, der Freistaat sei bereit.", persons)
    assert cue.speaker is not None and cue.speaker.code == "SN"
    persons.add("Dr. Krause", REGISTRY.resolve("Hessen"))  # type: ignore[arg-type]
    assert read_sentence("Herr Dr. Krause ergänzte dies.", persons).kind == "unknown"  # ambiguous


def test_sentences_split_at_ends_not_at_abbreviations_or_ordinals() -> None:
    text = "Am 4. Juni tagte die 51. Sitzung. Dr. Krause sprach, u. a. zur Finanzierung. Ende 2026. Dann Schluss."
    assert [text[a:b].strip() for a, b in sentences(text)] == [
        "Am 4. Juni tagte die 51. Sitzung.",
        "Dr. Krause sprach, u. a. zur Finanzierung.",
        "Ende 2026.",
        "Dann Schluss.",
    ]


@pytest.mark.parametrize(
    ("label", "code", "person", "voice"),
    [
        ("Hamburg (Herr Lind)", "Hamburg", "Herr Lind", False),
        ("Dr. Kellner (Bayern)", "Bayern", "Dr. Kellner", False),
        ("Vorsitzender Dr. Oltmanns", None, None, True),
        ("Ergebnis", None, None, True),
        ("BW und HE", None, None, True),
    ],
)
def test_labels_with_people_the_chair_and_the_protocol(
    label: str, code: str | None, person: str | None, voice: bool
) -> None:
    found = read_label(label)
    assert found is not None
    assert bool(found.get("voice")) == voice
    if code:
        assert found["label"] == code and found["person"] == person


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (
            "Geschäftsstelle des IT-Planungsrats · Berlin\nNIEDERSCHRIFT\nüber die 51. Sitzung des "
            "IT-Planungsrats am Donnerstag, dem 4. Juni 2026, in Mainz\nStand: 17. Juli 2026",
            (51, "ordentlich", "2026-06-04", "Mainz"),
        ),
        (
            "Kurzprotokoll\nSondersitzung des IT-Planungsrats am 17. März 2021\n"
            "Die Sitzung fand als Videokonferenz statt.",
            (None, "Sondersitzung", "2021-03-17", "Videokonferenz"),
        ),
        (
            "Ergebnisvermerk\n2. Sondersitzung des IT-Planungsrats am 5. Dezember 2022 (Videokonferenz)",
            (2, "Sondersitzung", "2022-12-05", "Videokonferenz"),
        ),
        (
            "Stand: 03.12.2025\nErgebnisprotokoll der 49. Sitzung\nDatum: 12.11.2025\nOrt: Videokonferenz",
            (49, "ordentlich", "2025-11-12", "Videokonferenz"),
        ),
        (
            "Wortprotokoll der 50. Sitzung\nHannover, Niedersächsische Staatskanzlei, 18. März 2026\n"
            "Die Niederschrift wurde am 22. April 2026 bestätigt.",
            (50, "ordentlich", "2026-03-18", "Hannover"),
        ),
    ],
)
def test_header_gives_the_meeting_never_the_stand_date(head: str, expected: tuple) -> None:
    session = detect_session(head)
    assert session is not None
    assert (session.number, session.kind, session.date, session.place) == expected


def test_title_comes_from_the_heading_under_a_letterhead() -> None:
    head = "Geschäftsstelle des IT-Planungsrats · Berlin\nNIEDERSCHRIFT\nüber die 51. Sitzung des IT-Planungsrats am 4. Juni 2026"
    assert detect_title(head, head, "protokoll", "x.pdf") == (
        "Niederschrift über die 51. Sitzung des IT-Planungsrats am 4. Juni 2026"
    )
    head = "Ergebnisprotokoll\n49. Sitzung des IT-Planungsrats\nDatum: 12.11.2025"
    assert (
        detect_title(head, head, "protokoll", "x.pdf")
        == "49. Sitzung des IT-Planungsrats – Ergebnisprotokoll"
    )


def test_a_report_that_tells_what_laender_said_stays_a_report() -> None:
    report = (
        "Bericht an die Innenministerkonferenz\n\nDer IT-Planungsrat hat zwei Sitzungen abgehalten.\n\n"
        "Bayern berichtete über die Registermodernisierung. Hessen betonte die Bedeutung der Cloud.\n"
    )
    parsed = parse_bytes(report.encode(), "bericht.txt")
    assert parsed.document.doc_type == "bericht" and parsed.document.session is None


def test_a_decisions_numbered_points_stay_the_decision() -> None:
    text = (
        "Protokoll der 52. Sitzung des IT-Planungsrats\nDatum: 22.10.2026\n\n"
        "TOP 4: Registermodernisierung\n\nBeschluss 2026/12\n\n"
        "1. Der IT-Planungsrat nimmt den Bericht zur Kenntnis.\n\n"
        "2. Der Bund berichtet dem IT-Planungsrat halbjährlich über den Fortschritt.\n\n"
        "Bayern erklärte, es trage den Beschluss mit.\n"
    )
    parsed = parse_bytes(text.encode(), "p.txt")
    decision = next(t for t in parsed.turns if t.decision == "2026/12")
    assert "halbjährlich" in decision.text and "trage" not in decision.text
    bavaria = next(t for t in parsed.turns if "trage den Beschluss" in t.text)
    assert bavaria.speaker is not None and bavaria.speaker.code == "BY"


def test_points_under_the_decision_formula_stay_the_decision() -> None:
    text = (
        "Protokoll der 52. Sitzung des IT-Planungsrats\nDatum: 22.10.2026\n\n"
        "TOP 4: Registermodernisierung\n\nDer IT-Planungsrat beschließt:\n\n"
        "1. Die Gesamtsteuerung wird fortgesetzt.\n\n"
        "2. Der Bund berichtet dem IT-Planungsrat halbjährlich über den Fortschritt.\n"
    )
    parsed = parse_bytes(text.encode(), "p.txt")
    assert not any(t.speaker for t in parsed.turns)
    assert any(t.role == "decision" and "halbjährlich" in t.text for t in parsed.turns)


def test_notes_given_in_prose_and_attendance_told_in_a_sentence() -> None:
    text = (
        "Niederschrift über die 52. Sitzung des IT-Planungsrats am 22. Oktober 2026 in Berlin\n\n"
        "An der Sitzung nahmen alle Länder außer Bremen teil.\n\n"
        "Punkt 1 der Tagesordnung: Verwaltungscloud\n\n"
        "Der Bund berichtete über den Sachstand. Die Plattform sei im Regelbetrieb.\n\n"
        "Hessen gab folgende Erklärung zu Protokoll: Hessen trägt den Beschluss nur unter "
        "Haushaltsvorbehalt mit.\n"
    )
    parsed = parse_bytes(text.encode(), "n.txt")
    session = parsed.document.session
    assert session is not None and session.absentees == ("HB",) and len(session.participants) == 15
    note = next(t for t in parsed.turns if "Haushaltsvorbehalt" in t.text)
    assert note.role == "protocol_note" and note.speaker is not None and note.speaker.code == "HE"
    bund = next(t for t in parsed.turns if "Regelbetrieb" in t.text)
    assert bund.role == "statement" and bund.speaker is not None and bund.speaker.code == "Bund"
