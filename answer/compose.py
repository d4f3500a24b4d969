"""Write the answer: quotes framed in the question's language, numbered, grouped by speaker.

The framing is neutral ("äußerte sich", "erklärte in einer Protokollnotiz"); what a
speaker meant is left to the verbatim quote, so no sentence turns indirect speech into
a claim the record does not make.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from answer.select import Passage, Quote, decision_label
from gremium.types import Citation, Session, Speaker, Statement

ENGLISH_NAMES = {
    "BW": "Baden-Württemberg",
    "BY": "Bavaria",
    "BE": "Berlin",
    "BB": "Brandenburg",
    "HB": "Bremen",
    "HH": "Hamburg",
    "HE": "Hesse",
    "MV": "Mecklenburg-Western Pomerania",
    "NI": "Lower Saxony",
    "NW": "North Rhine-Westphalia",
    "RP": "Rhineland-Palatinate",
    "SL": "Saarland",
    "SN": "Saxony",
    "ST": "Saxony-Anhalt",
    "SH": "Schleswig-Holstein",
    "TH": "Thuringia",
    "Bund": "the Federation (Bund)",
    "BKAmt": "the Federal Chancellery (Bundeskanzleramt)",
}


def speaker_name(speaker: Speaker, language: str) -> str:
    """ "Bayern (BY)" / "Bavaria (BY)"; federal bodies and others as written."""
    if language == "en" and speaker.code in ENGLISH_NAMES:
        name = ENGLISH_NAMES[speaker.code]
        return name if speaker.kind != "land" else f"{name} ({speaker.code})"
    if speaker.kind == "land":
        return f"{speaker.name} ({speaker.code})"
    return speaker.name


# German framing names federal bodies with their article: "äußerte sich der Bund".
_GERMAN_SUBJECTS = {
    "Bund": "der Bund",
    "BKAmt": "das Bundeskanzleramt",
    "BMDS": "das BMDS",
    "BMI": "das BMI",
    "BSI": "das BSI",
    "BfDI": "die BfDI",
    "FITKO": "die FITKO",
    "DStGB": "der Deutsche Städte- und Gemeindebund",
    "DLT": "der Deutsche Landkreistag",
    "DST": "der Deutsche Städtetag",
}


def speaker_subject(speaker: Speaker, language: str) -> str:
    """The speaker as the subject of a framing sentence."""
    if language != "en" and speaker.code in _GERMAN_SUBJECTS:
        return _GERMAN_SUBJECTS[speaker.code]
    return speaker_name(speaker, language)


def session_phrase(session: Session | None, language: str) -> str | None:
    """ "der Sondersitzung am 27.06.2024" / "the special session on 27.06.2024"."""
    if session is None:
        return None
    if language != "en":
        return f"der {session.label}"
    label = session.label  # German dates read fine in English text
    date = label.split(" am ", 1)[1] if " am " in label else None
    if session.kind == "Sondersitzung":
        stem = "the special session"
    elif session.number is not None:
        stem = f"the {_ordinal(session.number)} session"
    else:
        stem = "the session"
    return f"{stem} on {date}" if date else stem


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def quoted(text: str) -> str:
    return f"„{text.rstrip()}“"


@dataclass
class Numbering:
    """Citation numbers in order of first use; one number per chunk."""

    by_chunk: dict[str, int] = field(default_factory=dict)
    passages: list[Passage] = field(default_factory=list)

    def number(self, passage: Passage) -> int:
        chunk_id = passage.hit.chunk.id
        if chunk_id not in self.by_chunk:
            self.by_chunk[chunk_id] = len(self.passages) + 1
            self.passages.append(passage)
        return self.by_chunk[chunk_id]

    def citations(self) -> tuple[Citation, ...]:
        return tuple(Citation(n=i + 1, hit=p.hit) for i, p in enumerate(self.passages))


@dataclass
class Group:
    """The quotes of one speaker in one session (speaker None: decisions and texts)."""

    speaker: Speaker | None
    session: Session | None
    quotes: list[Quote]

    @property
    def key(self) -> tuple[str | None, str | None]:
        return (
            self.speaker.code if self.speaker else None,
            self.session.id if self.session else None,
        )


def group_quotes(quotes: Sequence[Quote]) -> list[Group]:
    """Quotes grouped by (speaker, session), groups in order of their best quote."""
    groups: dict[tuple[str | None, str | None], Group] = {}
    for item in quotes:
        speaker = item.passage.speaker
        session = item.passage.session
        key = (speaker.code if speaker else None, session.id if session else None)
        if speaker is None:
            # decisions and texts stand alone: one "group" per passage
            key = (None, item.passage.hit.chunk.id)
        groups.setdefault(key, Group(speaker, session, [])).quotes.append(item)
    for group in groups.values():
        group.quotes.sort(
            key=lambda q: (q.passage.hit.chunk.document_id, q.passage.hit.chunk.position)
        )
    return list(groups.values())


def _where(passage: Passage, language: str) -> str:
    """ "In der Sondersitzung am 27.06.2024 (TOP 01 Delos Cloud)"."""
    chunk = passage.hit.chunk
    phrase = session_phrase(chunk.session, language)
    top = chunk.agenda_item.label if chunk.agenda_item else None
    if phrase:
        text = f"In {phrase}"
        return f"{text} ({top})" if top else text
    document = passage.hit.document
    title = document.title if document else chunk.document_id
    text = f"In „{title}“"
    return f"{text} ({top})" if top else text


def write_group(group: Group, numbering: Numbering, language: str) -> str:
    """One paragraph: where, who, and each quote with its citation number."""
    sentences: list[str] = []
    for i, item in enumerate(group.quotes):
        n = numbering.number(item.passage)
        citation = f"{quoted(item.text)} [{n}]"
        sentences.append(_frame(item.passage, citation, language, first=i == 0))
    return " ".join(sentences)


def _frame(passage: Passage, citation: str, language: str, *, first: bool) -> str:
    speaker = passage.speaker
    role = passage.role
    en = language == "en"
    if role == "decision" or speaker is None:
        return _frame_unattributed(passage, citation, language)
    who = speaker_subject(speaker, language)
    where = _where(passage, language)
    if role == "protocol_note":
        if first:
            return (
                f"{where}, {who} gave a protocol note (Protokollnotiz): {citation}"
                if en
                else f"{where} gab {who} eine Protokollnotiz ab: {citation}"
            )
        return (
            f"In a protocol note (Protokollnotiz), {who} declared: {citation}"
            if en
            else f"In einer Protokollnotiz erklärte {who}: {citation}"
        )
    if first:
        return (
            f"{where}, {who} stated according to the minutes: {citation}"
            if en
            else f"{where} äußerte sich {who} laut Protokoll: {citation}"
        )
    return f"Further: {citation}" if en else f"Außerdem: {citation}"


def _frame_unattributed(passage: Passage, citation: str, language: str) -> str:
    en = language == "en"
    chunk = passage.hit.chunk
    label = decision_label(passage) if chunk.role == "decision" else None
    session = session_phrase(chunk.session, language)
    top = chunk.agenda_item.label if chunk.agenda_item else None
    context = ", ".join(x for x in (session, top) if x)
    if label:
        if en:
            name = label.replace("Beschluss", "Decision", 1)
            return f"{name} ({context}): {citation}" if context else f"{name}: {citation}"
        where = f" ({context.removeprefix('der ')})" if context else ""
        return f"{label}{where}: {citation}"
    document = passage.hit.document
    title = document.title if document else chunk.document_id
    page = f"p. {chunk.page_start}" if en else f"S. {chunk.page_start}"
    if en:
        return f"The document „{title}“ ({page}) says: {citation}"
    return f"In „{title}“ ({page}) heißt es: {citation}"


def statements_of(groups: Sequence[Group], numbering: Numbering) -> tuple[Statement, ...]:
    """Speaker groups as Statements: the quoted gist with [n] markers and the numbers."""
    out: list[Statement] = []
    for group in groups:
        if group.speaker is None:
            continue
        parts: list[str] = []
        numbers: list[int] = []
        for item in group.quotes:
            n = numbering.number(item.passage)
            parts.append(f"{quoted(item.text)} [{n}]")
            if n not in numbers:
                numbers.append(n)
        out.append(Statement(group.speaker, group.session, " ".join(parts), tuple(numbers)))
    return tuple(out)
