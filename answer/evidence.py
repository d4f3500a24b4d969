"""Choose the evidence for a planned question: candidates from the index, judged by the
fitted relevance model, arranged by the shape of the question.

- Named speakers: each one's own passages are retrieved with a speaker filter and
  judged; a speaker gets their relevant passages or an explicit "none found" (or the
  record's note that they were absent). Others' statements only come as "others".
- Aggregates ("Welche Länder ..."): every speaker with a passage in scope is judged,
  so recall does not depend on a top-k window; a speaker qualifies by their best
  passage (and, when the question asks for a stance, only with a matching cue).
- Everything else: the relevant passages, best first.

`candidates` and `judge` are separate so that `eval.fit` fits the model on exactly
the candidates the answer step sees.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Literal

from answer.relevance import RelevanceModel, pool_features
from gremium.speakers import REGISTRY
from gremium.types import Filters, Hit, QueryPlan, Session

if TYPE_CHECKING:
    from index.pool import Pool
    from index.store import Index

Shape = Literal["speakers", "aggregate", "general"]

MAX_CITED = 5
MAX_PER_SPEAKER = 3
MAX_RELATED = 5  # an answer with its "see also" cites at most this many passages
FUSION_K = 60  # reciprocal-rank fusion constant for the order further passages are shown in

# Stance cues in a passage: general vocabulary of approval and rejection.
_AGAINST_TEXT = re.compile(
    r"\b(?:gegen|dagegen|ablehn\w*|Ablehnung\w*|abgelehnt|lehnt\w*\b.{0,80}\bab\b|"
    r"kein\w*\s+(?:\w+\s+)?Beschluss\w*|widersprech\w*|widerspricht|widersprach\w*|"
    r"nicht\s+(?:zu)?zu\s*stimm\w*|nicht\s+mittragen|keine\s+Notwendigkeit|"
    r"nicht\s+(?:ge)?geben|kritisch\w*|Kritik)\b",
    re.IGNORECASE,
)
_FOR_TEXT = re.compile(
    r"\b(?:dafür|befürwort\w*|unterstütz\w*|begrüß\w*|stimmt\w*\s+zu|zustimm\w*|"
    r"schließt\s+sich\b.{0,40}\ban|bereit\w*|Zustimmung)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Scored:
    """A candidate passage with its probability of holding the answer."""

    hit: Hit
    p: float

    @property
    def speaker_code(self) -> str | None:
        return self.hit.chunk.speaker.code if self.hit.chunk.speaker else None


@dataclass(frozen=True)
class SpeakerFinding:
    """What one named speaker said on the question: passages, or why there are none."""

    code: str
    passages: tuple[Scored, ...] = ()
    absent_from: Session | None = None  # the record lists the speaker as absent


@dataclass(frozen=True)
class Evidence:
    plan: QueryPlan
    shape: Shape
    speakers: tuple[SpeakerFinding, ...] = ()  # named speakers, in the question's order
    passages: tuple[Scored, ...] = ()  # general answers; for aggregates the leading facts
    members: tuple[Scored, ...] = ()  # aggregates: each qualifying speaker's best passage
    others: tuple[Scored, ...] = ()  # named speakers silent: what others said, labelled
    related: tuple[Scored, ...] = ()  # no answer: the nearest passages, shown as such
    missing_session: str | None = None  # the plan names a session the records do not hold
    sessions: tuple[Session, ...] = ()  # sessions the plan's session resolved to

    @property
    def found(self) -> bool:
        """Does the evidence answer the question (related passages do not)?"""
        return bool(self.passages or self.members or any(f.passages for f in self.speakers))

    def cited(self) -> list[Scored]:
        """Every passage the answer quotes, in the order it cites them."""
        order: list[Scored] = []
        if self.shape == "aggregate":
            order += [*self.passages, *self.members]
        elif self.shape == "speakers":
            for finding in self.speakers:
                order += finding.passages
            order += self.others
        else:
            order += self.passages
        order += self.related
        unique: dict[str, Scored] = {}
        for item in order:
            unique.setdefault(item.hit.chunk.id, item)
        return list(unique.values())


@dataclass(frozen=True)
class Candidates:
    """What the index offers for a plan, before judging (see `candidates`)."""

    plan: QueryPlan
    shape: Shape
    general: Pool | None = None
    per_speaker: dict[str, Pool] = field(default_factory=dict)
    everyone: Pool | None = None  # aggregates: every speaker's passages in scope


def shape_of(plan: QueryPlan) -> Shape:
    """Named speakers shape the answer unless the question asks for a figure or a decision
    without asking what they said ("Wie lange wird die Beteiligung der FITKO verlängert?"
    is answered like any other question)."""
    if plan.aggregate:
        return "aggregate"
    if plan.speakers and (plan.asks_speech or plan.over_time or not (plan.figure or plan.decision)):
        return "speakers"
    return "general"


def candidates(index: Index, plan: QueryPlan, filters: Filters) -> Candidates:
    (vector,) = index.query_vectors([plan.text])
    shape = shape_of(plan)
    general = index.pool(plan, filters=filters, vector=vector)
    per_speaker = {
        code: index.pool(plan, filters=filters, vector=vector, speaker=code)
        for code in (plan.speakers if shape == "speakers" else ())
    }
    everyone = None
    if shape == "aggregate":
        everyone = index.pool(
            plan,
            filters=filters,
            vector=vector,
            exhaustive=True,
            with_speaker=True,
        )
    return Candidates(plan, shape, general, per_speaker, everyone)


def scored(
    model: RelevanceModel,
    plan: QueryPlan,
    hits: Sequence[Hit],
    *,
    own: bool,
    scope: Sequence[Hit] = (),
) -> list[Scored]:
    """Hits with their probabilities, best first (ties: document order); a named
    speaker's own passages are also measured against the best passage in `scope`."""
    probabilities = model.probabilities(pool_features(plan, hits, own=own, scope=scope))
    out = [
        Scored(replace(hit, score=round(float(p), 6)), float(p))
        for hit, p in zip(hits, probabilities, strict=True)
    ]
    out.sort(key=lambda s: (-s.p, s.hit.chunk.document_id, s.hit.chunk.position))
    return out


def judge(cands: Candidates, model: RelevanceModel, *, limit: int = MAX_CITED) -> Evidence:
    """The evidence for the candidates: at most `limit` passages in an ordinary answer."""
    plan = cands.plan
    cited = max(1, min(limit, MAX_CITED))
    general = cands.general
    sessions = general.sessions if general else ()
    missing = _missing_session(plan, general)
    if missing and (cands.shape != "general"):
        # what a speaker said in a session the records lack cannot be answered
        return Evidence(plan, cands.shape, missing_session=missing)
    thresholds = model.thresholds
    general_hits = general.hits if general else []
    if missing:
        general_hits = [h for h in general_hits if _mentions_session(h, plan.session)]
    ranked = scored(model, plan, general_hits, own=False)
    nearby = _nearest_first(ranked)
    if cands.shape == "aggregate":
        return _aggregate(cands, model, ranked, nearby, sessions)
    if cands.shape == "speakers":
        return _speakers(cands, model, nearby, sessions, cited)
    passages = _relevant(ranked, thresholds.general, thresholds.relative, cited)
    # further passages (an answer's "see also", or the nearest ones under an abstention)
    chosen = {s.hit.chunk.id for s in passages}
    related = _fill(nearby, chosen, thresholds.related, min(MAX_RELATED, cited) - len(passages))
    return Evidence(
        plan,
        "general",
        passages=tuple(passages),
        related=tuple(related),
        missing_session=missing,
        sessions=sessions,
    )


def _speakers(
    cands: Candidates,
    model: RelevanceModel,
    nearby: list[Scored],
    sessions: tuple[Session, ...],
    limit: int,
) -> Evidence:
    plan = cands.plan
    thresholds = model.thresholds
    per_speaker = max(1, min(MAX_PER_SPEAKER, limit))
    findings = []
    for code in plan.speakers:
        pool = cands.per_speaker.get(code)
        scope = cands.general.hits if cands.general else []
        own = scored(model, plan, pool.hits if pool else [], own=True, scope=scope)
        in_context = [s for s in own if _item_key(s) in plan.context_items]
        if in_context:
            # a follow-up about the agenda items just quoted: what they said there answers
            # it, first what came right after the passages quoted (a reply follows them)
            chosen = sorted(in_context, key=lambda s: _after(s, plan.context_after))
            chosen = chosen[:per_speaker]
        elif not plan.topic:
            # no topic: everything the speaker said in scope answers "Was sagte X?"
            chosen = sorted(own, key=lambda s: (s.hit.chunk.document_id, s.hit.chunk.position))
            chosen = chosen[:per_speaker]
        else:
            chosen = _relevant(own, thresholds.speaker, thresholds.relative, per_speaker)
        if plan.over_time:
            chosen = _relevant(own, thresholds.speaker, 0.0, 3 * per_speaker)
        absent = next((s for s in sessions if code in s.absentees), None)
        findings.append(SpeakerFinding(code, tuple(chosen), absent if not chosen else None))
    named = set(plan.speakers)
    others: list[Scored] = []
    related: list[Scored] = []
    if not any(f.passages for f in findings):
        # none of them said anything on it: others' statements, never the named speakers'
        others = [s for s in nearby if s.speaker_code not in named and s.p >= thresholds.related]
        others = others[: min(MAX_RELATED, limit)]
    else:
        # an answer's "see also": what others said on it, under its own heading (a named
        # speaker's passages beyond the relevant ones would only be off the question)
        cited = {s.hit.chunk.id for f in findings for s in f.passages}
        room = min(MAX_RELATED, limit) - len(cited)
        others_ranked = [s for s in nearby if s.speaker_code not in named]
        related = _fill(others_ranked, cited, thresholds.related, room)
    return Evidence(
        plan,
        "speakers",
        speakers=tuple(findings),
        others=tuple(others),
        related=tuple(related),
        sessions=sessions,
    )


def _nearest_first(ranked: Sequence[Scored]) -> list[Scored]:
    """The candidates nearest the question first: meaning and wording fused by rank.

    Dense similarity and the share of the topic's words a passage holds both depend only
    on the question and the passage, so this order (what "see also" shows) cannot change
    when unrelated documents are added.
    """

    def fused(orders: Sequence[Sequence[Scored]]) -> dict[str, float]:
        score: dict[str, float] = {}
        for order in orders:
            for rank, s in enumerate(order):
                score[s.hit.chunk.id] = score.get(s.hit.chunk.id, 0.0) + 1 / (FUSION_K + rank)
        return score

    def key(s: Scored) -> tuple[str, int]:
        return (s.hit.chunk.document_id, s.hit.chunk.position)

    dense = sorted(ranked, key=lambda s: (-s.hit.scores.get("dense", 0.0), key(s)))
    wording = sorted(
        ranked,
        key=lambda s: (
            -s.hit.scores.get("cover_whole", 0.0),
            -s.hit.scores.get("cover", 0.0),
            -s.hit.scores.get("dense", 0.0),
            key(s),
        ),
    )
    score = fused([dense, wording])
    return sorted(ranked, key=lambda s: (-score[s.hit.chunk.id], key(s)))


def _fill(ranked: Sequence[Scored], chosen: set[str], floor: float, room: int) -> list[Scored]:
    """Up to `room` further passages above `floor`, none of those already chosen."""
    out: list[Scored] = []
    seen = set(chosen)
    for item in ranked:
        if len(out) >= room:
            break
        if item.p >= floor and item.hit.chunk.id not in seen:
            seen.add(item.hit.chunk.id)
            out.append(item)
    return out


def _aggregate(
    cands: Candidates,
    model: RelevanceModel,
    ranked: list[Scored],
    nearby: list[Scored],
    sessions: tuple[Session, ...],
) -> Evidence:
    plan = cands.plan
    thresholds = model.thresholds
    pool = cands.everyone
    everyone = scored(model, plan, pool.hits if pool else [], own=False)
    best: dict[str, Scored] = {}
    for item in everyone:
        chunk = item.hit.chunk
        speaker = chunk.speaker
        if speaker is None or chunk.role == "decision":
            continue
        if plan.speaker_groups and REGISTRY.group(speaker) not in plan.speaker_groups:
            continue
        if plan.protocol_note and chunk.role != "protocol_note":
            continue
        if plan.topic and item.p < thresholds.aggregate:
            continue
        if plan.stance != "none" and not stance_cue(plan, chunk.text):
            continue
        if speaker.code not in best:
            best[speaker.code] = item
    members = sorted(best.values(), key=_reading_order)
    lead = [
        s
        for s in _relevant(ranked, thresholds.general, thresholds.relative, 1)
        if s.hit.chunk.speaker is None
    ]
    related: list[Scored] = []
    if not members and not lead:
        related = _fill(nearby, set(), thresholds.related, MAX_RELATED)
    return Evidence(
        plan,
        "aggregate",
        passages=tuple(lead),
        members=tuple(members),
        related=tuple(related),
        sessions=sessions,
    )


def _relevant(ranked: Sequence[Scored], floor: float, relative: float, limit: int) -> list[Scored]:
    """The passages above the fitted floor and near the best one, at most `limit`."""
    if not ranked or ranked[0].p < floor:
        return []
    cut = max(floor, relative * ranked[0].p)
    out: list[Scored] = []
    seen: set[str] = set()
    for item in ranked:
        if item.p < cut or len(out) >= limit:
            break
        if item.hit.chunk.id not in seen:
            seen.add(item.hit.chunk.id)
            out.append(item)
    return out


def stance_cue(plan: QueryPlan, text: str) -> bool:
    if plan.stance == "against":
        return bool(_AGAINST_TEXT.search(text))
    if plan.stance == "for":
        return bool(_FOR_TEXT.search(text))
    return True


def _missing_session(plan: QueryPlan, pool: Pool | None) -> str | None:
    if not plan.session or pool is None or not pool.session_missing:
        return None
    return plan.session


def _mentions_session(hit: Hit, spec: str | None) -> bool:
    """Does a passage name the session the records lack ("35. Sitzung", "23.06.2021")?"""
    if not spec:
        return False
    text = hit.chunk.text
    if spec.isdigit():
        return bool(re.search(rf"\b{spec}\.\s*(?:IT-Planungsrats?-?)?[Ss]itzung", text))
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", spec):
        year, month, day = spec.split("-")
        return f"{day}.{month}.{year}" in text or spec in text
    return False


def _item_key(item: Scored) -> str:
    chunk = item.hit.chunk
    session = chunk.session.id if chunk.session else ""
    return f"{session}|{chunk.agenda_item.number if chunk.agenda_item else ''}"


def _after(item: Scored, quoted: Sequence[str]) -> tuple[int, int, str, int]:
    """Order for a reply: passages following a quoted one in its document, nearest first;
    then the others in document order."""
    chunk = item.hit.chunk
    gaps = [
        chunk.position - int(position)
        for document, _, position in (where.rpartition("|") for where in quoted)
        if document == chunk.document_id and int(position) < chunk.position
    ]
    if gaps:
        return (0, min(gaps), chunk.document_id, chunk.position)
    return (1, 0, chunk.document_id, chunk.position)


def _reading_order(item: Scored) -> tuple[str, str, int]:
    chunk = item.hit.chunk
    date = chunk.session.date if chunk.session and chunk.session.date else "9999"
    return (date, chunk.document_id, chunk.position)


def with_plan(evidence: Evidence, plan: QueryPlan) -> Evidence:
    return replace(evidence, plan=plan)
