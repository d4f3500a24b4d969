"""Hand-built hits from real corpus passages (corpus/), as retrieval would return them.

The texts are copied from the corpus files with line-break hyphenation joined, as the
ingest cleaning does. `retrieve` stands in for hybrid retrieval: a crude word-overlap
ranking with a boost for named speakers, so the answer step has to pick the evidence
out of realistic, noisy hit lists itself.
"""

from __future__ import annotations

import re
from dataclasses import replace

from answer.intent import detect_language, is_aggregate
from gremium.speakers import REGISTRY
from gremium.types import AgendaItem, Chunk, Document, Hit, QueryPlan, Session, Speaker
from index.query import understand

SONDER = Session("2024-06-27-sonder", None, "Sondersitzung", "2024-06-27", "Videokonferenz")
S47 = Session("2025-06-26-47", 47, "ordentlich", "2025-06-26", "Schwerin")
TOP01 = AgendaItem("01", "Delos Cloud", "Digitale Infrastruktur")
TOP10 = AgendaItem("10", "Bericht des Themenpaten", "Informationssicherheit")
TOP08 = AgendaItem("08", "Steuerungsgruppe NOOTS", "Grüne Liste")
TOP12 = AgendaItem("12", "Gemeinsame EfA-Finanzierung", "Grüne Liste")
TOP18 = AgendaItem("18", "Kooperation D21", "Grüne Liste")

DOC000 = Document(
    "d000",
    "2024-06-27_itplr-sondersitzung-delos-cloud_protokoll.txt",
    "Sondersitzung des IT-Planungsrats (27.06.2024 | Videokonferenz) Protokoll",
    "protokoll",
    SONDER,
    6,
)
DOC003 = Document(
    "d003",
    "2025-06-26_itplr-47-sitzung-schwerin_protokoll.txt",
    "47. IT-Planungsratssitzung Protokoll",
    "protokoll",
    S47,
    14,
)
DOC001 = Document(
    "d001",
    "undatiert_dmk-beschluss_verwaltungscloud-strategie.txt",
    "Umsetzung der Deutschen Verwaltungscloud-Strategie befördern",
    "beschluss",
    None,
    2,
)
DOC004 = Document(
    "d004",
    "2021_bericht-an-imk_itplr-35-36-sitzung.txt",
    "Bericht des IT-Planungsrats an die IMK",
    "bericht",
    None,
    6,
)

# (key, document, role, speaker code or None, session, agenda item, label, page, text)
PASSAGES: list[
    tuple[str, Document, str, str | None, Session | None, AgendaItem | None, str | None, int, str]
] = [
    (
        "pn_by",
        DOC000,
        "protocol_note",
        "BY",
        SONDER,
        TOP01,
        "Protokollnotiz (Bayern)",
        1,
        "Der Freistaat Bayern verfolgt einen Multi-Cloud-Ansatz, in dessen Rahmen auch eine Third Party Private Cloud eine Rolle spielen kann. Deshalb begrüßt der Freistaat die engere Einbindung der Länder in die Prüfungsergebnisse, die nach mehrfacher Ankündigung nun auch erfolgen sollte. Für die Frage eines tatsächlichen Einsatzes einer entsprechenden Cloud-Lösung wird unter anderem eine Rolle spielen, wann diese zur Verfügung steht, welche Funktionalitäten sie beinhaltet und welche Kosten bei der Nutzung konkret anfallen. Aus dem strategischen Interesse allein kann aber keine Nutzungsverpflichtung abgeleitet werden.",
    ),
    (
        "bund1",
        DOC000,
        "statement",
        "Bund",
        SONDER,
        TOP01,
        None,
        2,
        "Der Grund für die Sondersitzung ergebe sich aus der Besprechung des Bundeskanzlers mit den Regierungschefinnen und Regierungschefs der Länder vom 20. Juni 2024 (BK-MP-K), in welcher die Delos Cloud thematisiert worden sei. Grundsätzlich bestehe eine gemeinsame Cloud-Strategie des Bundes und der Länder, die auf drei Säulen aufbaue. Von dieser Strategie werde nicht abgewichen. Allerdings gebe es eine Sonderthematik, die im Kontext der Cloud-Lösungen zu besprechen sei: Ab etwa 2030 gebe es nach den Ankündigungen von Microsoft keine Möglichkeit mehr, die bislang in der Verwaltung als on-premise genutzten Office-Lösungen weiter zu nutzen. Dann müsste Microsoft Office – Stand jetzt – als Microsoft-Cloud-Lösung bezogen werden. Es bestehe eine Abhängigkeit von Produkten des Unternehmens Microsoft und eine Übergangslösung würde benötigt.",
    ),
    (
        "nw1",
        DOC000,
        "statement",
        "NW",
        SONDER,
        TOP01,
        None,
        2,
        "Spricht sich gegen eine Beschlussfassung aus. Es bestehe Verärgerung und Irritation, da die letzte Sitzung des IT-Planungsrats erst eine Woche zuvor stattgefunden und wirkungsvolle Beschlüsse erbracht hätte. NW sehe keine Notwendigkeit in einer Bekräftigung der bereits getroffenen Beschlüsse. Die Informationen zur Cloud-Thematik werden zur Kenntnis genommen.",
    ),
    (
        "bund2",
        DOC000,
        "statement",
        "Bund",
        SONDER,
        TOP01,
        None,
        2,
        "Betont nochmals die Notwendigkeit einer Übergangslösung aufgrund der Abschaltung der Dienste durch Microsoft. Es werde als hilfreich angesehen auf die bestehende Beschlusslage aufmerksam zu machen. Nach der Sitzung werde ohnehin ein Schreiben mit einer Interessensbekundung an SAP versendet, ein heutiger Beschluss könne dies bestärken.",
    ),
    (
        "sh",
        DOC000,
        "statement",
        "SH",
        SONDER,
        TOP01,
        None,
        3,
        "Die Sicherung echter digitaler Souveränität Deutschlands sei zwingend notwendig. An den Lösungen dieser Herausforderung werde gearbeitet. Die MPK sei irritierend gewesen. Der Beschlussvorschlag schaffe eine Schlagseite im Rahmen der Cloud-Strategie, die weder wirtschaftlich vorteilhaft sei noch Souveränität schaffe. Sie verschiebe lediglich Abhängigkeiten. Dies könne nicht Ziel sein.",
    ),
    (
        "by",
        DOC000,
        "statement",
        "BY",
        SONDER,
        TOP01,
        None,
        3,
        "Schließt sich NW an. Die Kurzfristigkeit und Irritation spreche für die Ablehnung des Beschlussvorschlags. Außerdem werde in einem deklaratorischen Beschluss kein Mehrwert gesehen. Die allgemeine Irritation käme zudem aus den bisherigen Erfahrungen mit der Thematik Delos. Nach einer vergangenen Diskussionsrunde mit Bund und Ländern zur Delos-Thematik wären seitens des Bundes keine weiteren Informationen an die Länder mehr ausgesteuert worden. Um zukünftige Erfolgschancen des heutigen Anliegens zu sichern, müsse die Kommunikationsstrategie des Bundes verändert werden, hin zu mehr Beteiligung der Länder. Die Weiterentwicklung solle geschildert werden, bspw. in der AG Cloud oder einem anderen Format.",
    ),
    (
        "hh",
        DOC000,
        "statement",
        "HH",
        SONDER,
        TOP01,
        None,
        3,
        "Unterstützt BY bzgl. der Kommunikationsstrategie ausdrücklich. Es müsse geprüft werden, welche Signale es durch den IT-Planungsrat benötige. Eine Sondersitzung der MPK sollte vermieden werden, dies sei durch ein klares Signal des IT-Planungsrats zu erreichen. Der eingeschlagene Weg müsse fortgegangen werden. Gleichzeitig bestehe kein Interesse daran, dass SAP die Entscheidung zur Cloud-Strategie alleine treffe. Es werde befürwortet, dass der IT-Planungsrat ein deutlicheres Bekenntnis zur hybriden Cloud-Strategie ausspreche. Fragt nach ob tatsächlich eine Abschaltung der Dienste von Microsoft drohe.",
    ),
    (
        "bund3",
        DOC000,
        "statement",
        "Bund",
        SONDER,
        TOP01,
        None,
        3,
        "Nach dem aktuellen Rechtsrahmen bestehe zwar ein geltender Angemessenheitsbeschluss. Das Risiko des Prozesses bzgl. der weiteren Nutzung der Microsoft-Lösung sei hoch. Bisherige gerichtliche Klagen seien gegen eine weitere Nutzung verlaufen. Bei einer gerichtlichen Befassung zum aktuellen Angemessenheitsbeschluss werde ein ähnliches Ergebnis erwartet.",
    ),
    (
        "bkamt",
        DOC000,
        "statement",
        "BKAmt",
        SONDER,
        TOP01,
        None,
        4,
        "Der Aspekt der digitalen Souveränität sei sehr wichtig und die Verwaltung benötige zwingend eine Office-Suite. SAP dränge darauf, dass sie Partner bei der Cloud-Lösung sein wollen. Gleichzeitig würden sie einen guten Business Case anstreben. Die Abhängigkeit durch Microsoft mache eine Lösung notwendig. SAP benötige eine zügige Entscheidung. Die Angelegenheit habe eine hohe Bedeutung für den Bundeskanzler.",
    ),
    (
        "be",
        DOC000,
        "statement",
        "BE",
        SONDER,
        TOP01,
        None,
        4,
        "Unterstütze die bisherigen Aussagen zur Irritation durch die MPK. Delos sei bereits Teil der Cloud-Strategie. Spricht sich dafür aus, heute keinen Beschluss zu fassen. In den nächsten Monaten solle sich zeigen, welche notwendigen Entscheidungen zu treffen seien.",
    ),
    (
        "bb",
        DOC000,
        "statement",
        "BB",
        SONDER,
        TOP01,
        None,
        4,
        "Spricht sich ebenfalls gegen eine Beschlussfassung aus.",
    ),
    (
        "ni",
        DOC000,
        "statement",
        "NI",
        SONDER,
        TOP01,
        None,
        4,
        "In NI wurde aktuell eine Vereinbarung mit Microsoft Deutschland zum Einsatz von Teams in der Public Cloud von MS getroffen, die vom Landesbeauftragten für Datenschutz als tragfähig erachtet wird. Sehe zukünftig den Schwerpunkt auf dem Einsatz von MS 365. Die Eignung von souveränen Alternativen wie Open Desk werde als nicht gegeben angesehen. Ein Wechsel von der Public Cloud von MS in die Delos-Cloud mit MS 365 sei aufgrund der höheren Sicherheit denkbar und wünschenswert.",
    ),
    (
        "rp",
        DOC000,
        "statement",
        "RP",
        SONDER,
        TOP01,
        None,
        5,
        "Habe sehr intensive Gespräche mit Delos für RP geführt. Trotz des Commitments zur deutschen Verwaltungsstrategie gehe jedes Land einen eigenen Weg. Zudem habe RP intensive Gespräche mit dem BSI geführt. Es wäre die Frage aufgekommen, ob der Zugang zur Delos Cloud als Land überhaupt möglich wäre. Die Sicherheitsgrundlage solle vom Bund erörtert werden.",
    ),
    (
        "nw2",
        DOC000,
        "statement",
        "NW",
        SONDER,
        TOP01,
        None,
        5,
        "Die zeitliche Dringlichkeit, die von der Geschäftsordnung für eine Sondersitzung des IT-Planungsrats gefordert wird, sei nicht gegeben. Es werde daran festgehalten, dass kein Beschluss gefasst werden solle. Die gesamte Herangehensweise werde als unglücklich wahrgenommen.",
    ),
    (
        "st",
        DOC000,
        "statement",
        "ST",
        SONDER,
        TOP01,
        None,
        5,
        "Könne die Kritikpunkte der Länder sehen, aber sehe zeitgleich die Notwendigkeit eines Commitments. Das Schreiben des Bundes an SAP mit der Bekräftigung des Commitments werde befürwortet.",
    ),
    (
        "sl47",
        DOC003,
        "statement",
        "SL",
        S47,
        TOP10,
        None,
        3,
        "Die Form der Zusammenarbeit solle vereinfacht und losgelöst von formalen Prozessen stattfinden, um diese zu vereinfachen und zu beschleunigen.",
    ),
    (
        "by47",
        DOC003,
        "statement",
        "BY",
        S47,
        TOP10,
        None,
        3,
        "➤ Jeder mögliche Einsatz im Bereich Cybersicherheit sei notwendig. Dies führe allerdings nicht zur Entlastung der Partner:innen. BY habe ein eigenes Landesamt für Sicherheit in der Informationstechnik gegründet, dieses könne in die Zusammenarbeit mit dem BSI einbezogen werden. ➤ Der Dialog zwischen BSI und IT-Planungsrat solle institutionalisiert werden, wobei der einzelne Beitrag der Länder erörtert werden müsse.",
    ),
    (
        "he47",
        DOC003,
        "statement",
        "HE",
        S47,
        TOP10,
        None,
        2,
        "› Hinweis auf das Bestehen der AG Cybersicherheit. › Im Dialog müsse geklärt werden, welche Aufgaben dezentral bei den Ländern verbleiben müssten. Die Länder dürften nicht in einer Wohlfühlzone gelassen werden, das BSI könne ein ganzheitliches Bild ermitteln. › Die Zusammenarbeit zwischen IT-Planungsrat und BSI solle gestärkt werden.",
    ),
    (
        "b26",
        DOC003,
        "decision",
        None,
        S47,
        TOP08,
        "Beschluss B-2025/26-IT",
        10,
        "Der IT-Planungsrat richtet auf der Grundlage des IT-Planungsratsbeschluss 2025/13 und im Sinne des § 3 Abs. 4 NOOTS-Staatsvertrag die Steuerungsgruppe NOOTS ein. Stimmberechtigte Mitglieder sind der Bund und Bayern, Hessen, Nordrhein-Westfalen, Brandenburg, Hamburg und Saarland. Beschlussvorschläge für den IT-Planungsrat, die die NOOTS-Umsetzung betreffen, können erst nach vorheriger Beteiligung in der Steuerungsgruppe dem IT-Planungsrat vorgelegt werden.",
    ),
    (
        "pn_be",
        DOC003,
        "protocol_note",
        "BE",
        S47,
        TOP08,
        "Protokollnotiz (Berlin)",
        10,
        "Berlin geht davon aus, dass eine frühzeitige und themenbezogene Einbindung der Länder vor jeweiliger Befassung in der Steuerungsgruppe über die NOOTS-Staatsvertragsstrukturen erfolgt und Beiratsstrukturen als beratende Gremien im Rahmen der NOOTS-Staatsvertragsstrukturen ermöglicht werden.",
    ),
    (
        "pn_hh",
        DOC003,
        "protocol_note",
        "HH",
        S47,
        TOP08,
        "Protokollnotiz (Hamburg)",
        10,
        "Hamburg, in der derzeitigen Rolle des Lenkungskreisvorsitzes Gesamtsteuerung Registermodernisierung gemäß des Auftrages des IT-Planungsratsbeschlusses 2025/13, schlägt zur Ernennung der Gesamtleitung NOOTS im Sinne des §3 (6) NOOTS-Staatsvertrag [REDACTED] vor.",
    ),
    (
        "pn_fitko",
        DOC003,
        "protocol_note",
        "FITKO",
        S47,
        TOP08,
        "Protokollnotiz (FITKO)",
        10,
        "Die Entscheidung zur Personalauswahl erfolgte im Einvernehmen mit der FITKO.",
    ),
    (
        "b27",
        DOC003,
        "decision",
        None,
        S47,
        TOP12,
        "Beschluss B-2025/27-IT",
        11,
        'Der IT-Planungsrat beschließt das Grobkonzept für die Evaluation der Gesamtmaßnahme "Gemeinsame EfA-Finanzierung". Er bittet die PG EfA-Finanzierung und die FITKO darum, die Beauftragung eines wissenschaftlichen Instituts bis zum 31.08.2025 durchzuführen.',
    ),
    (
        "pn_he",
        DOC003,
        "protocol_note",
        "HE",
        S47,
        None,
        "Protokollnotiz (Hessen)",
        12,
        "Hessen hat mehrfach in der Abstimmung des Vorgehens und zuletzt in der 39. AL-Runde darauf hingewiesen, dass eine nachvollziehbare Projektplanung nicht vorliege. Es müsse zumindest klar sein, welche Meilensteine wann und mit welchem Budget geplant sind. Es wird erwartet, dass eine solche Projektplanung kurzfristig, spätestens zur 48. Sitzung des IT-Planungsrats, zur Kenntnisnahme zur Verfügung gestellt wird.",
    ),
    (
        "b30",
        DOC003,
        "decision",
        None,
        S47,
        TOP18,
        "Beschluss B-2025/30-IT",
        13,
        "1. Der IT-Planungsrat beschließt die Verlängerung der Beteiligung der FITKO als exklusive Fachpartnerin am „eGovernment MONITOR“ der Initiative-D21 ab 2026 für weitere 5 Jahre. Die Unterstützung pro Studienausgabe beträgt durchschnittlich bis zu 40.700,00 Euro. Nach Veröffentlichung der Studie für 2030 soll diese Fachpartnerschaft vom Steuerungskreis erneut bewertet werden. 2. Die Förderung dieses Vorhaben erfolgt aus den Budgetmitteln des Schwerpunktthemas „Digitale Transformation“.",
    ),
    (
        "dmk",
        DOC001,
        "text",
        None,
        None,
        None,
        None,
        1,
        "Daran anknüpfend fasst die Digitalministerkonferenz folgenden Beschluss: 1. Die Digitalministerkonferenz begrüßt den Beschluss des Bundeskanzlers und der Regierungschefinnen und Regierungschefs der Länder als Meilenstein auf dem Weg zu einer digitalen Gesellschaft. Sie begreift digitale Souveränität als Schlüssel, um die Resilienz einer digitalen Gesellschaft sicherzustellen. 2. Vor diesem Hintergrund unterstützt die Digitalministerkonferenz die Deutsche Verwaltungscloud-Strategie (DVS) des IT-Planungsrats ausdrücklich und bekräftigt die Wichtigkeit der föderalen Zusammenarbeit zur gemeinsamen Umsetzung derselben.",
    ),
    (
        "imk",
        DOC004,
        "text",
        None,
        None,
        None,
        None,
        1,
        "Das Konjunkturpaket hat der Umsetzung des Onlinezugangsgesetzes (OZG) weiteren Schub verliehen. Dem Digitalisierungsprogramm Föderal, in dem sich die Länder aktiv einbringen, sind im Rahmen des Konjunkturpakets ein Anteil von 1,5 Mrd. Euro von insgesamt 3 Mrd. Euro für die Leistungsdigitalisierung zur Verfügung gestellt worden. Für eine Reihe von Umsetzungsprojekten sind bereits Mittel bereitgestellt, bei zahlreichen weiteren steht dies unmittelbar bevor.",
    ),
]


def _speaker(code: str | None) -> Speaker | None:
    if code is None:
        return None
    speaker = REGISTRY.get(code)
    assert speaker is not None, code
    return speaker


def build_chunks() -> dict[str, tuple[Chunk, Document]]:
    chunks: dict[str, tuple[Chunk, Document]] = {}
    for position, (key, doc, role, code, session, item, label, page, text) in enumerate(PASSAGES):
        chunk = Chunk(
            id=Chunk.make_id(doc.id, position, text),
            document_id=doc.id,
            text=text,
            role=role,  # type: ignore[arg-type]
            page_start=page,
            page_end=page,
            char_start=0,
            char_end=len(text),
            position=position,
            speaker=_speaker(code),
            session=session,
            agenda_item=item,
            label=label,
            doc_type=doc.doc_type,
        )
        chunks[key] = (chunk, doc)
    return chunks


CHUNKS = build_chunks()
_WORD = re.compile(r"\w{3,}")


def retrieve(question: str, k: int = 12, *, keys: list[str] | None = None) -> list[Hit]:
    """Crude stand-in for hybrid retrieval: word overlap, named speakers boosted."""
    words = {w.lower() for w in _WORD.findall(question)}
    named = {s.code for s, _, _ in REGISTRY.mentions(question)}
    scored: list[tuple[float, Chunk, Document]] = []
    for key, (chunk, doc) in CHUNKS.items():
        if keys is not None and key not in keys:
            continue
        text_words = {w.lower() for w in _WORD.findall(chunk.text)}
        overlap = len(words & text_words) / (1 + len(words))
        boost = 0.3 if chunk.speaker is not None and chunk.speaker.code in named else 0.0
        scored.append((overlap + boost, chunk, doc))
    scored.sort(key=lambda item: -item[0])
    hits = []
    for rank, (score, chunk, doc) in enumerate(scored[:k]):
        rrf = 1 / (60 + rank)
        hits.append(Hit(chunk, rrf, {"bm25": round(score * 10, 3), "rrf": rrf}, doc))
    return hits


def make_plan(question: str, *, session: str | None = None) -> QueryPlan:
    """The plan the service builds: index.query.understand, then language and intent."""
    plan = understand(question)
    return replace(
        plan,
        session=session or plan.session,
        language=detect_language(question),
        aggregate=is_aggregate(question),
    )
