"""Synthetic protocols for tests and benchmarks: Documents and Chunks without the parser.

doc, chunks = make_protocol("47", "2025-06-26", [("BY", "01", "NOOTS", "Bayern begrüßt ...")])
"""

from __future__ import annotations

from collections.abc import Sequence

from gremium.speakers import REGISTRY
from gremium.types import AgendaItem, Chunk, Document, Role, Session, content_hash


def make_session(number: str | int | None, date: str) -> Session:
    if number in (None, "sonder"):
        return Session(
            id=Session.make_id(date, None, "Sondersitzung"),
            number=None,
            kind="Sondersitzung",
            date=date,
            place="Videokonferenz",
        )
    n = int(number)
    return Session(
        id=Session.make_id(date, n, "ordentlich"),
        number=n,
        kind="ordentlich",
        date=date,
        place="Berlin",
    )


def make_protocol(
    number: str | int | None,
    date: str,
    turns: Sequence[tuple[str | None, str, str, str] | tuple[str | None, str, str, str, Role]],
    *,
    file: str | None = None,
    collection: str = "public",
    salt: str = "",
) -> tuple[Document, list[Chunk]]:
    """A protocol whose turns are (speaker code or None, TOP number, TOP title, text[, role])."""
    session = make_session(number, date)
    file = file or f"protokoll-{session.id}.txt"
    body = "\n".join(t[3] for t in turns)
    doc_id = content_hash(file, body, salt)
    document = Document(
        id=doc_id,
        file=file,
        title=f"Protokoll {session.label}",
        doc_type="protokoll",
        session=session,
        pages=max(1, len(turns) // 4),
        collection=collection,
        sha256=content_hash(body, salt, length=64),
        source_path=file,
    )
    chunks = []
    offset = 0
    for position, turn in enumerate(turns):
        code, top, title, text = turn[:4]
        role: Role = turn[4] if len(turn) > 4 else ("statement" if code else "text")
        speaker = REGISTRY.get(code) or REGISTRY.resolve_or_body(code) if code else None
        chunks.append(
            Chunk(
                id=Chunk.make_id(doc_id, position, text),
                document_id=doc_id,
                text=text,
                role=role,
                page_start=1 + position // 4,
                page_end=1 + position // 4,
                char_start=offset,
                char_end=offset + len(text),
                position=position,
                speaker=speaker,
                session=session,
                agenda_item=AgendaItem(top, title),
                label=None,
                doc_type="protokoll",
                collection=collection,
            )
        )
        offset += len(text) + 1
    return document, chunks


def sample_corpus(collection: str = "public") -> list[tuple[Document, list[Chunk]]]:
    """Three small protocols with distinct speakers, sessions and topics."""
    sonder = make_protocol(
        None,
        "2024-06-27",
        [
            (
                "Bund",
                "01",
                "Delos Cloud",
                "Der Bund erläutert die Delos Cloud als Brückentechnologie "
                "bis openDesk verfügbar ist; SAP müsse über die Investition entscheiden.",
            ),
            (
                "BY",
                "01",
                "Delos Cloud",
                "Der Freistaat Bayern verfolgt einen Multi-Cloud-Ansatz; "
                "aus dem strategischen Interesse kann keine Nutzungsverpflichtung abgeleitet werden.",
                "protocol_note",
            ),
            (
                "NW",
                "01",
                "Delos Cloud",
                "NW spricht sich gegen eine Beschlussfassung aus; die "
                "Informationen zur Cloud-Thematik werden zur Kenntnis genommen.",
            ),
            (
                "SH",
                "01",
                "Delos Cloud",
                "SH betont die digitale Souveränität; der Beschlussvorschlag "
                "schaffe eine Schlagseite im Rahmen der Cloud-Strategie.",
            ),
            (
                None,
                "01",
                "Delos Cloud",
                "Beschluss B-2024/30-IT: Der IT-Planungsrat nimmt den Bericht "
                "zur Verwaltungscloud-Strategie zur Kenntnis.",
                "decision",
            ),
        ],
        file="sonder-2024-06-27.txt",
        collection=collection,
    )
    s47 = make_protocol(
        47,
        "2025-06-26",
        [
            (
                "HH",
                "00",
                "Begrüßung",
                "HH dankt für die Erarbeitung zur Steuerungsgruppe NOOTS; am "
                "10. und 11.07.2025 werde diese zusammenkommen.",
            ),
            (
                "BW",
                "13",
                "Postfach",
                "BW dankt für die Stellungnahme zur Zielarchitektur Postfach- und "
                "Kommunikationslösungen; Projekte zum Matrix-Protokoll seien unterbrochen.",
            ),
            (
                "BY",
                "05",
                "Registermodernisierung",
                "Bayern fordert eine verlässliche Finanzierung der "
                "Registermodernisierung und des NOOTS-Staatsvertrags.",
            ),
            (
                "NI",
                "05",
                "Registermodernisierung",
                "Niedersachsen unterstützt den Zeitplan der "
                "Registermodernisierung, mahnt aber Ressourcen für die Kommunen an.",
            ),
            (
                None,
                "07",
                "Normung",
                "Beschluss B-2025/26-IT: Die DIN SPEC 66336 wird mit Kosten von "
                "40.700,00 Euro zur Anwendung empfohlen.",
                "decision",
            ),
        ],
        file="protokoll-47.txt",
        collection=collection,
    )
    s45 = make_protocol(
        45,
        "2024-11-08",
        [
            (
                "BY",
                "03",
                "KI in der Verwaltung",
                "Bayern berichtet über den Einsatz generativer KI "
                "in der Landesverwaltung und plant eine gemeinsame Plattform.",
            ),
            (
                "HE",
                "03",
                "KI in der Verwaltung",
                "Hessen begrüßt den Austausch zu künstlicher "
                "Intelligenz und bietet Pilotprojekte zur Nachnutzung an.",
            ),
            (
                "BSI",
                "04",
                "Informationssicherheit",
                "Das BSI stellt das Lagebild zur "
                "Informationssicherheit vor; die Bedrohungslage bleibe angespannt.",
            ),
        ],
        file="protokoll-45.txt",
        collection=collection,
    )
    return [sonder, s47, s45]


# Reference questions over the real corpus (corpus/): (question, speaker code or None,
# session id or None, a verbatim phrase the right passage contains).
REFERENCE_QUESTIONS: tuple[tuple[str, str | None, str | None, str], ...] = (
    ("Was hat Bayern zur Delos Cloud gesagt?", "BY", "2024-06-27-sonder", "Delos"),
    (
        "Wie positionierte sich Nordrhein-Westfalen zur Beschlussfassung über die Delos Cloud?",
        "NW",
        "2024-06-27-sonder",
        "gegen eine Beschlussfassung",
    ),
    (
        "Was sagte Schleswig-Holstein zur digitalen Souveränität?",
        "SH",
        "2024-06-27-sonder",
        "digitaler Souveränität",
    ),
    (
        "Welche Vereinbarung hat Niedersachsen mit Microsoft getroffen?",
        "NI",
        "2024-06-27-sonder",
        "Teams",
    ),
    (
        "Was berichtete Rheinland-Pfalz über Gespräche mit Delos?",
        "RP",
        "2024-06-27-sonder",
        "Gespräche mit Delos",
    ),
    ("Was sagte Hamburg zur Steuerungsgruppe NOOTS?", "HH", "2025-06-26-47", "NOOTS"),
    (
        "Was hat Baden-Württemberg zum Matrix-Protokoll gesagt?",
        "BW",
        "2025-06-26-47",
        "Matrix-Protokoll",
    ),
    ("Wie äußerte sich Bremen zu Sicherheitsübungen?", "HB", "2025-06-26-47", "Sicherheitsübungen"),
    (
        "Was sagte das Saarland zur Zusammenarbeit in der Informationssicherheit?",
        "SL",
        "2025-06-26-47",
        "Zusammenarbeit",
    ),
    (
        "Was berichtete Sachsen-Anhalt aus der Kultusministerkonferenz zu XBildung?",
        "ST",
        "2025-06-26-47",
        "XBildung",
    ),
    (
        "Welche Protokollnotiz gab Hessen zur EfA-Finanzierung ab?",
        "HE",
        "2025-06-26-47",
        "EfA-Finanzierung",
    ),
    (
        "Was forderte Berlin zur Einbindung der Länder in die Steuerungsgruppe NOOTS?",
        "BE",
        "2025-06-26-47",
        "Einbindung der Länder",
    ),
    (
        "Was hat die bayerische Landesregierung zur Cybersicherheit gesagt?",
        "BY",
        "2025-06-26-47",
        "Cybersicherheit",
    ),
    (
        "What did Lower Saxony say about cooperation with the BSI?",
        "NI",
        "2025-06-26-47",
        "Kooperation mit dem BSI",
    ),
    (
        "Was sagte Brandenburg zur Justizministerkonferenz?",
        "BB",
        "2025-06-26-47",
        "Justizministerkonferenz",
    ),
    (
        "Was sagte der Deutsche Landkreistag zur DIN SPEC 66336?",
        "DLT",
        "2025-06-26-47",
        "DIN SPEC 66336",
    ),
    ("Wie hoch ist die Unterstützung pro Studienausgabe?", None, "2025-06-26-47", "40.700,00"),
    ("Was beschloss der IT-Planungsrat mit B-2025/27-IT?", None, "2025-06-26-47", "Grobkonzept"),
    ("Welche Länder haben keinen Zugang zu GovData?", None, None, "GovData"),
    ("Was ist Open CoDE?", None, None, "Open CoDE"),
)
