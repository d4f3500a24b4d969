"""Choose the evidence for a planned question: candidates from the index, judged by the
fitted relevance model, arranged by the shape of the question.

- Named speakers: each one's own passages are retrieved with a speaker filter and
  judged; a speaker gets their relevant passages or an explicit "none found" (or the
  record's note that they were absent). Others' statements only come as "others".
- Aggregates ("Welche Länder ..."): every speaker with a passage in scope is judged,
  so recall does not depend on a top-k window; a speaker qualifies by their best
  passage (and, when the question asks for a stance, only with a matching cue).
- Everything else: the relevant passages, best first.

Three steps, so that `eval.fit` fits on exactly what the answer step sees: `candidates`
(what the index offers), `weigh` (the fitted models' probabilities) and `select` (the
fitted thresholds turn them into evidence); `judge` is the last two.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Literal

from answer.endorse import Endorsement, endorsements, on_topic
from answer.relevance import (
    RelevanceModel,
    Thresholds,
    answer_features,
    member_features,
    pool_features,
)
from gremium.speakers import REGISTRY
from gremium.types import Filters, Hit, QueryPlan, Session, german_date

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
    # their next most probable passages in scope, shown as further statements of theirs
    # (never without `passages`: a speaker not found is not quoted at all)
    further: tuple[Scored, ...] = ()


@dataclass(frozen=True)
class Roll:
    """A session's attendance list as a question asks for it: who was absent (or present),
    and the passage of the record that lists them (None where no passage names them)."""

    session: Session
    codes: tuple[str, ...]
    passage: Scored | None = None


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
    rolls: tuple[Roll, ...] = ()  # attendance questions: the lists that answer them
    # the question's period contradicted the sessions it names and was set aside
    period_overruled: bool = False

    @property
    def found(self) -> bool:
        """Does the evidence answer the question (related passages do not)?"""
        return bool(
            self.passages
            or self.members
            or any(f.passages for f in self.speakers)
            or any(r.codes for r in self.rolls)
        )

    def answering(self) -> list[Scored]:
        """The passages that answer the question (not others', not related ones): what a
        follow-up's "darauf" points back to."""
        if self.shape == "aggregate":
            order = [*self.passages, *self.members]
        elif self.shape == "speakers":
            order = [s for finding in self.speakers for s in finding.passages]
        else:
            order = list(self.passages)
        return list({s.hit.chunk.id: s for s in order}.values())

    def cited(self) -> list[Scored]:
        """Every passage the answer quotes, in the order it cites them."""
        order: list[Scored] = []
        if self.shape == "aggregate":
            order += [r.passage for r in self.rolls if r.passage and r.codes]
            order += [*self.passages, *self.members]
        elif self.shape == "speakers":
            for finding in self.speakers:
                order += finding.passages
            for finding in self.speakers:
                order += finding.further
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


@dataclass(frozen=True)
class Member:
    """One speaker of an aggregate's scope: the passage to quote and how likely they qualify."""

    best: Scored
    p: float
    cue: bool  # a passage of theirs states the stance asked for (True when none is asked)
    # whose statements their passages endorse ("Schließt sich NW an"), each with the passage
    endorsed: tuple[tuple[Endorsement, Scored], ...] = ()


@dataclass(frozen=True)
class Weighed:
    """Candidates with the fitted models' probabilities: all that thresholds do not change."""

    cands: Candidates
    ranked: list[Scored]  # in scope, most probable first
    nearby: list[Scored]  # in scope, nearest the question first (see also, related)
    own: dict[str, list[Scored]]  # named speakers: their passages, most probable first
    members: list[Member]  # aggregates: every speaker in scope
    missing: str | None = None  # the session the plan names and the records lack
    answerable: float = 0.0  # how likely the best passage in scope answers the question


def judge(cands: Candidates, model: RelevanceModel, *, limit: int = MAX_CITED) -> Evidence:
    """The evidence for the candidates: at most `limit` passages in an ordinary answer."""
    return select(weigh(cands, model), model.thresholds, limit=limit)


def weigh(cands: Candidates, model: RelevanceModel) -> Weighed:
    """Every candidate's probability of holding the answer, and every aggregate speaker's
    of qualifying."""
    plan = cands.plan
    general = cands.general
    missing = _missing_session(plan, general)
    general_hits = general.hits if general else []
    if missing:
        # a report about the session answers for it; the record of another session that
        # names it in passing ("seit der 45. Sitzung") does not say what it decided
        general_hits = [
            h
            for h in general_hits
            if h.chunk.session is None and _mentions_session(h, plan.session)
        ]
    ranked = scored(model, plan, general_hits, own=False)
    own: dict[str, list[Scored]] = {}
    if cands.shape == "speakers":
        scope = general.hits if general else []
        for code in plan.speakers:
            pool = cands.per_speaker.get(code)
            own[code] = scored(model, plan, pool.hits if pool else [], own=True, scope=scope)
    members: list[Member] = []
    if cands.shape == "aggregate" and cands.everyone is not None:
        everyone = scored(model, plan, cands.everyone.hits, own=False)
        members = _members(plan, model, everyone)
    row = answer_row(plan, ranked)
    answerable = model.answer_probability(row) if row else 0.0
    nearby = _nearest_first(ranked, english=plan.language == "en")
    return Weighed(cands, ranked, nearby, own, members, missing, answerable)


def answer_row(plan: QueryPlan, ranked: Sequence[Scored]) -> list[float] | None:
    """The answerability features of a question from its ranked passages (None: no passage)."""
    if not ranked:
        return None
    second = ranked[1].p if len(ranked) > 1 else 0.0
    return answer_features(plan, ranked[0].hit, ranked[0].p, second)


def select(weighed: Weighed, thresholds: Thresholds, *, limit: int = MAX_CITED) -> Evidence:
    """The evidence the thresholds admit."""
    general = weighed.cands.general
    evidence = _select(weighed, thresholds, limit)
    if general is not None and general.period_overruled:
        return replace(evidence, period_overruled=True)
    return evidence


def _select(weighed: Weighed, thresholds: Thresholds, limit: int) -> Evidence:
    cands = weighed.cands
    plan = cands.plan
    cited = max(1, min(limit, MAX_CITED))
    sessions = cands.general.sessions if cands.general else ()
    missing = weighed.missing
    if missing and (cands.shape != "general"):
        # what a speaker said in a session the records lack cannot be answered
        return Evidence(plan, cands.shape, missing_session=missing)
    nearby = weighed.nearby
    if cands.shape == "aggregate" and plan.attendance != "none":
        return _attendance(weighed, sessions)
    if cands.shape == "aggregate":
        return _aggregate(weighed, thresholds, sessions)
    if cands.shape == "speakers":
        return _speakers(weighed, thresholds, sessions, cited)
    passages = _answering(weighed, thresholds, cited)
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
    weighed: Weighed, thresholds: Thresholds, sessions: tuple[Session, ...], limit: int
) -> Evidence:
    plan = weighed.cands.plan
    nearby = weighed.nearby
    per_speaker = max(1, min(MAX_PER_SPEAKER, limit))
    findings = []
    # a topic the scope never discusses was discussed by no one in it (a follow-up about
    # the agenda items just quoted is on a topic the scope holds)
    discussed = not plan.topic or bool(plan.context_items) or weighed.answerable >= thresholds.scope
    for code in plan.speakers:
        own = weighed.own.get(code, []) if discussed else []
        in_context = [s for s in own if _item_key(s) in plan.context_items]
        if in_context:
            # a follow-up about the agenda items just quoted: what they said there answers
            # it, first what came right after the passages quoted (a reply follows them)
            chosen = sorted(in_context, key=lambda s: _after(s, plan.context_after))
            if plan.reply_to:
                # "Wie reagierte der Bund auf …?": what they said before is no reply
                replies = [s for s in chosen if _after(s, plan.context_after)[0] == 0]
                chosen = replies or chosen
            chosen = chosen[:per_speaker]
        elif not plan.topic:
            # no topic: everything the speaker said in scope answers "Was sagte X?", from
            # the close of the session first where the question asks about its close
            chosen = sorted(own, key=lambda s: (s.hit.chunk.document_id, s.hit.chunk.position))
            if plan.position == "end":
                chosen.reverse()
            chosen = chosen[:per_speaker]
        else:
            chosen = _relevant(own, thresholds.speaker, thresholds.relative, per_speaker)
        if plan.over_time:
            chosen = _relevant(own, thresholds.speaker, 0.0, 3 * per_speaker)
        findings.append(SpeakerFinding(code, tuple(chosen)))
    if plan.topic and not plan.over_time:
        findings = _beside_the_others(findings, weighed.own, thresholds.co_item, per_speaker)
        findings = _further(findings, weighed.own, thresholds.further, per_speaker)
    findings = [
        replace(f, absent_from=next((s for s in sessions if f.code in s.absentees), None))
        if not f.passages
        else f
        for f in findings
    ]
    named = set(plan.speakers)
    others: list[Scored] = []
    related: list[Scored] = []
    if not any(f.passages for f in findings):
        # none of them said anything on it: others' statements, never the named speakers'
        others = [s for s in nearby if s.speaker_code not in named and s.p >= thresholds.related]
        others = others[: min(MAX_RELATED, limit)]
    else:
        # an answer's "see also": what others said on it, under its own heading, in the
        # room the named speakers' passages and further statements leave
        cited = {s.hit.chunk.id for f in findings for s in (*f.passages, *f.further)}
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


def _beside_the_others(
    findings: list[SpeakerFinding], own: dict[str, list[Scored]], floor: float, limit: int
) -> list[SpeakerFinding]:
    """A named speaker found nowhere is answered by their most likely passages under the
    agenda items where the other named speakers were found, where those reach `floor`:
    "Wie lief der Austausch zwischen X und Y?" asks about one exchange, and the passage
    that found one of them locates it."""
    items = {_item_key(s) for f in findings for s in f.passages}
    if not items:
        return findings
    out = []
    for finding in findings:
        if finding.passages:
            out.append(finding)
            continue
        beside = [s for s in own.get(finding.code, []) if _item_key(s) in items and s.p >= floor]
        beside.sort(key=lambda s: -s.p)
        out.append(replace(finding, passages=tuple(beside[:limit])))
    return out


def _further(
    findings: list[SpeakerFinding], own: dict[str, list[Scored]], floor: float, limit: int
) -> list[SpeakerFinding]:
    """A speaker found gets their next most probable passages in scope above `floor` as
    further statements, up to `limit` passages in all: what else they said near the
    question, before anyone else's words (the relevance model ranks one speaker's
    passages better than it judges where their answer ends)."""
    out = []
    for finding in findings:
        chosen = {s.hit.chunk.id for s in finding.passages}
        room = limit - len(chosen)
        if not finding.passages or room <= 0:
            out.append(finding)
            continue
        rest = [s for s in own.get(finding.code, []) if s.hit.chunk.id not in chosen]
        out.append(replace(finding, further=tuple(_fill(rest, chosen, floor, room))))
    return out


def _nearest_first(ranked: Sequence[Scored], *, english: bool = False) -> list[Scored]:
    """The candidates nearest the question first: meaning and wording fused by rank.

    The passage's cosine, its nearest sentence's cosine and the share of the topic's
    words it holds all depend only on the question and the passage, so this order (what
    "see also" shows) cannot change when unrelated documents are added. English questions
    are ordered by the cosines alone: they share no words with German records.
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
    sentence = sorted(ranked, key=lambda s: (-s.hit.scores.get("sentence", 0.0), key(s)))
    wording = sorted(
        ranked,
        key=lambda s: (
            -s.hit.scores.get("cover_whole", 0.0),
            -s.hit.scores.get("cover", 0.0),
            -s.hit.scores.get("dense", 0.0),
            key(s),
        ),
    )
    # an English question shares no words with German records: meaning alone orders them
    score = fused([dense, sentence] if english else [dense, sentence, wording])
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


def _members(plan: QueryPlan, model: RelevanceModel, everyone: list[Scored]) -> list[Member]:
    """Every speaker with a statement in scope, judged by the fitted membership model."""
    chosen, rows = member_rows(plan, everyone)
    probabilities = model.member_probabilities(rows)
    endorsed: dict[str, list[tuple[Endorsement, Scored]]] = {}
    for item in everyone:
        for endorsement in endorsements(item.hit.chunk.text, item.speaker_code):
            endorsed.setdefault(item.speaker_code or "", []).append((endorsement, item))
    return [
        Member(best, float(p), cue, tuple(endorsed.get(best.speaker_code or "", ())))
        for (best, cue), p in zip(chosen, probabilities, strict=True)
    ]


def _endorsing(
    members: Sequence[Member], qualifying: dict[str, Scored], plan: QueryPlan
) -> dict[str, Scored]:
    """Members an endorsement adds to an aggregate: who endorsed a qualifying member's
    statement on the topic ("Unterstützt BY bzgl. der Kommunikationsstrategie") made it
    their own (quoted with the endorsement); a qualifying member who endorsed another's
    statements on the topic itself ("Unterstützung der Ausführungen aus SH zu einem
    kommunalen Lagebild") says that the other spoke on it, with the stance they share.
    One step, no chains."""
    by_code = {m.best.speaker_code: m for m in members}
    added: dict[str, Scored] = {}
    for member in members:
        code = member.best.speaker_code or ""
        for endorsement, passage in member.endorsed:
            target = by_code.get(endorsement.target)
            if target is None or not on_topic(endorsement, plan.topic):
                continue
            # what is endorsed was said under the same agenda item ("teilte die Auffassung
            # Niedersachsens" takes up what Niedersachsen just said, not all it said)
            if code not in qualifying and endorsement.target in qualifying:
                if _topic_key(qualifying[endorsement.target]) == _topic_key(passage):
                    added.setdefault(code, passage)
            elif (
                code in qualifying
                and endorsement.limited_to
                and endorsement.target not in qualifying
                and _topic_key(target.best) == _topic_key(passage)
            ):
                # the endorser qualifies, stance included: the statement they took up
                # on the topic holds that stance
                added.setdefault(endorsement.target, target.best)
    return added


def member_rows(
    plan: QueryPlan, everyone: list[Scored]
) -> tuple[list[tuple[Scored, bool]], list[list[float]]]:
    """Each speaker in scope (their passage to quote, whether it states the asked stance)
    and their membership features; `everyone` comes most probable first."""
    eligible = [
        item
        for item in everyone
        if item.hit.chunk.speaker is not None
        and item.hit.chunk.role != "decision"
        and item.speaker_code not in plan.excluded
        and not (
            plan.speaker_groups
            and REGISTRY.group(item.hit.chunk.speaker) not in plan.speaker_groups
        )
    ]
    if not eligible:
        return [], []
    by_item: dict[str, list[Scored]] = {}
    by_speaker: dict[str, list[Scored]] = {}
    for item in eligible:
        by_item.setdefault(_topic_key(item), []).append(item)
        by_speaker.setdefault(item.speaker_code or "", []).append(item)
    item_p = {key: max(s.p for s in items) for key, items in by_item.items()}
    item_dense = {
        key: max(s.hit.scores.get("dense", 0.0) for s in items) for key, items in by_item.items()
    }
    top = eligible[0]
    scope_dense = max(s.hit.scores.get("dense", 0.0) for s in eligible)
    scope_sentence = max(s.hit.scores.get("sentence", 0.0) for s in eligible)
    rows: list[list[float]] = []
    chosen: list[tuple[Scored, bool]] = []
    for items in by_speaker.values():
        if plan.protocol_note:
            items = [s for s in items if s.hit.chunk.role == "protocol_note"] or items
        cues = [s for s in items if stance_cue(plan, s.hit.chunk.text)]
        best = (cues or items)[0]
        keys = {_topic_key(s) for s in items}
        best_key = max(keys, key=lambda k: item_p[k])
        rows.append(
            member_features(
                best.hit,
                best.p,
                scope_p=top.p,
                scope_dense=scope_dense,
                scope_sentence=scope_sentence,
                in_top_item=_topic_key(top) in keys,
                item_p=item_p[best_key],
                item_dense=item_dense[best_key],
                cue=bool(cues),
                plan=plan,
                note=any(s.hit.chunk.role == "protocol_note" for s in items),
            )
        )
        chosen.append((best, bool(cues)))
    return chosen, rows


def _aggregate(weighed: Weighed, thresholds: Thresholds, sessions: tuple[Session, ...]) -> Evidence:
    plan = weighed.cands.plan
    qualifying: dict[str, Scored] = {}
    top = max((m.p for m in weighed.members), default=0.0)
    floor = max(thresholds.aggregate, thresholds.member_relative * top)
    for member in weighed.members:
        if plan.protocol_note and member.best.hit.chunk.role != "protocol_note":
            continue
        if plan.topic and member.p < floor:
            continue
        if plan.stance != "none" and not member.cue:
            continue
        qualifying[member.best.speaker_code or ""] = member.best
    if plan.topic and not plan.protocol_note:
        qualifying.update(_endorsing(weighed.members, qualifying, plan))
    members = sorted(qualifying.values(), key=_reading_order)
    lead = [s for s in _answering(weighed, thresholds, 1) if s.hit.chunk.speaker is None]
    related: list[Scored] = []
    if not members and not lead:
        related = _fill(weighed.nearby, set(), thresholds.related, MAX_RELATED)
    return Evidence(
        plan,
        "aggregate",
        passages=tuple(lead),
        members=tuple(members),
        related=tuple(related),
        sessions=sessions,
    )


def _attendance(weighed: Weighed, sessions: tuple[Session, ...]) -> Evidence:
    """Who was absent (or present) in the sessions in scope, from their attendance lists;
    each list cited where a passage of the record names those it lists."""
    plan = weighed.cands.plan
    in_scope = sessions or tuple(
        {
            s.hit.chunk.session.id: s.hit.chunk.session
            for s in weighed.ranked
            if s.hit.chunk.session
        }.values()
    )
    rolls = []
    for session in in_scope:
        listed = session.absentees if plan.attendance == "absent" else session.participants
        codes = tuple(
            code
            for code in listed
            if not plan.speaker_groups
            or (
                (speaker := REGISTRY.get(code)) is not None
                and REGISTRY.group(speaker) in plan.speaker_groups
            )
        )
        if not codes:
            continue
        rolls.append(Roll(session, codes, _listing(weighed.ranked, session, codes)))
    return Evidence(plan, "aggregate", sessions=sessions, rolls=tuple(rolls))


def _listing(ranked: Sequence[Scored], session: Session, codes: tuple[str, ...]) -> Scored | None:
    """The passage of a session's record that names the most of `codes` (ties: the first)."""
    wanted = set(codes)
    best: tuple[int, str, int] | None = None
    chosen: Scored | None = None
    for item in ranked:
        chunk = item.hit.chunk
        if chunk.session is None or chunk.session.id != session.id or chunk.speaker is not None:
            continue
        named = len({s.code for s, _, _ in REGISTRY.mentions(chunk.text)} & wanted)
        key = (-named, chunk.document_id, chunk.position)
        if named and (best is None or key < best):
            best, chosen = key, item
    return chosen


def _topic_key(item: Scored) -> str:
    """The agenda item a passage belongs to (its document, where it has none)."""
    chunk = item.hit.chunk
    where = chunk.session.id if chunk.session else chunk.document_id
    agenda = chunk.agenda_item
    return f"{where}|{agenda.number}|{agenda.title}" if agenda else f"{where}|{chunk.document_id}"


def _answering(weighed: Weighed, thresholds: Thresholds, limit: int) -> list[Scored]:
    """The passages answering a question that names no speaker: none unless the question
    is judged answerable, else the best ones near the best."""
    if weighed.answerable < thresholds.general:
        return []
    return _relevant(weighed.ranked, 0.0, thresholds.relative, limit)


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
        return german_date(spec) in text or spec in text
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
