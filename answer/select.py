"""Choose the evidence: which passages answer the question, and which of their sentences.

Relevance is lexical coverage of the question's topic terms by a passage and its
context (speaker, session, TOP, label), so it does not depend on the score scale of
any one retriever; the fused and the dense score only break ties in the ranking.
A passage is relevant when it covers at least half of the topic terms.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from answer.intent import Intent
from answer.text import clean, ellipsize, split_sentences, terms
from gremium.speakers import REGISTRY
from gremium.types import Hit, Session, Speaker

RELEVANT = 0.5  # share of topic terms a passage must cover
PARTIAL = 0.6  # credit for a compound match ("beschluss" ~ "beschlussvorschlag")
MAX_SENTENCES_PER_QUOTE = 2

_AGAINST_TEXT = re.compile(
    r"\b(?:gegen|dagegen|ablehn\w*|Ablehnung\w*|abgelehnt|lehnt\w*\b.{0,80}\bab\b|"
    r"kein\w*\s+(?:\w+\s+)?Beschluss\w*|widersprech\w*|widerspricht|widersprach\w*|"
    r"nicht\s+(?:zu)?zu\s*stimm\w*|nicht\s+mittragen)\b",
    re.IGNORECASE,
)
_FOR_TEXT = re.compile(
    r"\b(?:dafür|befürwort\w*|unterstütz\w*|begrüß\w*|stimmt\w*\s+zu|zustimm\w*|schließt\s+sich)\b",
    re.IGNORECASE,
)
_FIGURE_TEXT = re.compile(
    r"\d[\d.,]*\s*(?:Euro|EUR|€|Mio|Mrd|Prozent|%)|\b\d{1,2}\.\d{1,2}\.\d{4}\b|"
    r"\b(?:19|20)\d{2}\b|\b\d+\s+(?:Jahre|Monate|Wochen|Tage)\b"
)
_DECISION_NUMBER = re.compile(r"\bB-\d{4}/\d{1,3}-IT\b|\bBeschluss\s+(?:Nr\.\s*)?\d{4}/\d{1,3}\b")
_LEADING_LABEL = re.compile(r"^\s*([A-Za-zÄÖÜäöüß][\w .\-()]{0,60}?)\s*:\s+")
_NOTE_LABEL = re.compile(r"Protokollnotiz\s*\(([^)]+)\)", re.IGNORECASE)


@dataclass(frozen=True)
class Passage:
    """A hit read for answering: its sentences, their terms and its topical coverage."""

    hit: Hit
    rank: int
    speaker: Speaker | None
    sentences: tuple[str, ...]
    sentence_terms: tuple[frozenset[str], ...]
    context_terms: frozenset[str]  # speaker, session, TOP, label, document title
    coverage: float  # share of topic terms in text + context, 1.0 when there are none
    score: float  # coverage, sentence fit, retrieval rank and role, for ordering

    @property
    def session(self) -> Session | None:
        return self.hit.chunk.session

    @property
    def role(self) -> str:
        return self.hit.chunk.role

    @property
    def relevant(self) -> bool:
        return self.coverage >= RELEVANT


@dataclass(frozen=True)
class Quote:
    """Verbatim sentences of one passage, in text order."""

    passage: Passage
    sentences: tuple[str, ...]
    score: float
    indices: tuple[int, ...] = ()  # positions of the sentences in the passage

    @property
    def text(self) -> str:
        """The sentences as one quote; an omission between them is marked with "…"."""
        out = self.sentences[0]
        for k in range(1, len(self.sentences)):
            adjacent = len(self.indices) == len(self.sentences) and (
                self.indices[k] == self.indices[k - 1] + 1
            )
            out += (" " if adjacent else " … ") + self.sentences[k]
        return out


def effective_speaker(hit: Hit) -> Speaker | None:
    """The chunk's speaker, or the one its label names ("Protokollnotiz (Bayern)")."""
    chunk = hit.chunk
    if chunk.speaker is not None:
        return chunk.speaker
    if chunk.role in {"statement", "protocol_note"} and chunk.label:
        match = _NOTE_LABEL.search(chunk.label)
        if match:
            return REGISTRY.resolve(match.group(1))
    return None


def analyse(intent: Intent, hits: Sequence[Hit]) -> list[Passage]:
    """Every hit as a Passage, ordered best first."""
    dense = _normalised([h.scores.get("dense") for h in hits])
    passages: list[Passage] = []
    query = intent.terms
    seen: set[str] = set()
    for rank, hit in enumerate(hits):
        if hit.chunk.id in seen:
            continue
        seen.add(hit.chunk.id)
        speaker = effective_speaker(hit)
        sentences = tuple(_sentences_of(hit, speaker))
        sentence_terms = tuple(frozenset(terms(s)) for s in sentences)
        context = frozenset(terms(_context_text(hit, speaker)))
        text_terms = frozenset().union(*sentence_terms) if sentence_terms else frozenset()
        coverage = _coverage(query, text_terms | context)
        best_sentence = max((_coverage(query, t) for t in sentence_terms), default=0.0)
        retrieval = 1.0 / (1.0 + rank)
        dense_rank = dense[rank]
        role_bonus = 0.0
        if intent.decision and hit.chunk.role == "decision":
            role_bonus += 0.15
        if intent.protocol_note and hit.chunk.role == "protocol_note":
            role_bonus += 0.15
        if speaker is not None and speaker.code in intent.speakers:
            role_bonus += 0.1
        score = (
            0.55 * coverage
            + 0.25 * best_sentence
            + 0.1 * retrieval
            + 0.1 * (dense_rank if dense_rank is not None else retrieval)
            + role_bonus
        )
        passages.append(
            Passage(
                hit,
                rank,
                speaker,
                sentences,
                sentence_terms,
                context,
                coverage if query else 1.0,
                score,
            )
        )
    passages.sort(key=lambda p: -p.score)
    return passages


def quote(intent: Intent, passage: Passage, *, stance_required: bool = False) -> Quote | None:
    """The sentences of a passage that answer the question, or None when none does.

    The best-fitting sentence is taken, plus a second one that also fits; a passage that
    is relevant only through its context (speaker, TOP) is quoted from its beginning.
    """
    if not passage.sentences:
        return None
    # terms the context already answers ("Delos Cloud" as the TOP) do not pick sentences
    query = [t for t in intent.terms if not _match(t, passage.context_terms)]
    scored: list[tuple[float, int]] = []
    for i, (sentence, sentence_terms) in enumerate(
        zip(passage.sentences, passage.sentence_terms, strict=True)
    ):
        fit = _coverage(query, sentence_terms) if query else 0.0
        cue = _stance_cue(intent, sentence)
        if stance_required and not cue:
            continue
        if cue:
            fit += 0.5
        if intent.figure and _FIGURE_TEXT.search(sentence):
            fit += 0.4
        elif intent.decision and _DECISION_NUMBER.search(sentence):
            fit += 0.1
        scored.append((fit, i))
    if not scored:
        return None
    # earlier sentences state the point, later ones elaborate: ties go to the earlier one
    scored.sort(key=lambda item: (-item[0], item[1]))
    best_fit, best = scored[0]
    if best_fit < 0.1 and not stance_required:
        # relevant through its context only: the passage's own opening states its point
        chosen = [0]
        if len(passage.sentences) > 1 and len(passage.sentences[0]) < 80:
            chosen.append(1)
    else:
        chosen = [best]
        for fit, i in scored[1:MAX_SENTENCES_PER_QUOTE]:
            if fit >= 0.3 and fit >= 0.6 * best_fit:
                chosen.append(i)
    chosen.sort()
    sentences = tuple(ellipsize(passage.sentences[i]) for i in chosen)
    return Quote(passage, sentences, best_fit + passage.score, tuple(chosen))


def session_matches(session: Session | None, spec: str | None) -> bool:
    """Does a session fit what the question named ("47", "2024-06-27", a session id)?"""
    if spec is None:
        return True
    if session is None:
        return False
    spec = spec.strip()
    return spec in {session.id, session.date, str(session.number)} or (
        spec.lower().startswith("sonder") and session.kind == "Sondersitzung"
    )


def restrict(passages: Iterable[Passage], intent: Intent) -> list[Passage]:
    """Only passages of the session the question names: none when no hit is from it.

    What a speaker said must come from that session's protocol. A factual question
    ("Wann fand die 35. Sitzung statt?") may also be answered by a passage that belongs
    to no session, such as a report about that session.
    """
    items = list(passages)
    if intent.session:
        strict = bool(intent.speakers)
        items = [
            p
            for p in items
            if session_matches(p.session, intent.session) or (p.session is None and not strict)
        ]
    if intent.special_session:
        items = [p for p in items if p.session is not None and p.session.kind == "Sondersitzung"]
    if intent.protocol_note:
        notes = [p for p in items if p.role == "protocol_note" and p.relevant]
        items = notes or items
    return items


def decision_label(passage: Passage) -> str | None:
    """ "Beschluss B-2025/30-IT" from the chunk label, or from its text."""
    label = passage.hit.chunk.label
    if label and _DECISION_NUMBER.search(label):
        return label.strip()
    match = _DECISION_NUMBER.search(" ".join(passage.sentences[:2]))
    if match:
        found = match.group(0)
        return found if found.startswith("Beschluss") else f"Beschluss {found}"
    return label.strip() if label and "beschluss" in label.lower() else None


def _stance_cue(intent: Intent, sentence: str) -> bool:
    if intent.stance == "against":
        return bool(_AGAINST_TEXT.search(sentence))
    if intent.stance == "for":
        return bool(_FOR_TEXT.search(sentence))
    return False


def _sentences_of(hit: Hit, speaker: Speaker | None) -> list[str]:
    text = re.sub(r"<[^>]+>", " ", hit.chunk.text)
    label = hit.chunk.label
    stripped = clean(text)
    # a heading repeated at the start ("Protokollnotiz (Bayern) Der Freistaat ...") is not a quote
    if label and stripped.startswith(label):
        text = stripped[len(label) :]
    else:
        text = _strip_speaker_label(text, speaker)
    return split_sentences(text)


def _strip_speaker_label(text: str, speaker: Speaker | None) -> str:
    match = _LEADING_LABEL.match(text)
    if match and speaker is not None:
        named = REGISTRY.resolve(match.group(1))
        if named is not None and named.code == speaker.code:
            return text[match.end() :]
    return text


def _context_text(hit: Hit, speaker: Speaker | None) -> str:
    chunk = hit.chunk
    parts: list[str] = []
    if chunk.label:
        parts.append(chunk.label)
    if chunk.agenda_item:
        parts.append(f"TOP {chunk.agenda_item.number} {chunk.agenda_item.title}")
        if chunk.agenda_item.area:
            parts.append(chunk.agenda_item.area)
    # the session is not context: a named session restricts the evidence (see restrict)
    if speaker:
        parts.append(speaker.name)
    if chunk.role == "protocol_note":
        parts.append("Protokollnotiz")
    if chunk.role == "decision":
        parts.append("Beschluss")
    if hit.document:
        parts.append(hit.document.title)
    return " ; ".join(parts)


def _coverage(query: Sequence[str], found: frozenset[str]) -> float:
    if not query:
        return 0.0
    return sum(_match(term, found) for term in query) / len(query)


def _match(term: str, found: frozenset[str]) -> float:
    if term in found:
        return 1.0
    if term.isdigit() or len(term) < 4:
        return 0.0
    for other in found:
        shorter, longer = (term, other) if len(term) <= len(other) else (other, term)
        if len(shorter) < 4 or other[:1].isdigit():
            continue
        if (
            longer.startswith(shorter)
            or (len(shorter) >= 6 and longer.endswith(shorter))
            or _common_prefix(term, other) >= 8
            or _common_suffix(term, other)
            >= 9  # compounds with one head: Fach-/Kultusministerkonferenz
        ):
            return PARTIAL
    return 0.0


def _common_suffix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(reversed(a), reversed(b), strict=False):
        if x != y:
            break
        n += 1
    return n


def _common_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def _normalised(values: Sequence[float | None]) -> list[float | None]:
    present = [v for v in values if v is not None]
    if not present:
        return [None] * len(values)
    low, high = min(present), max(present)
    span = high - low
    return [None if v is None else (1.0 if span == 0 else (v - low) / span) for v in values]
