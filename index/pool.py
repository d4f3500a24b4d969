"""Candidate pools for the answer step: the passages worth judging, with their features.

    pool = gather(snapshot, vector, plan, filters=Filters(), speaker="BY")
    pool.hits[0].scores   # {"dense": .83, "cover": 1.0, "numbers": 0.0, "words": 2, ...}

Where `retrieve` ranks passages for `/search`, a pool is a set: every passage that
could answer, each with features the answer step's fitted relevance model reads.

- The scope is the filters, narrowed by what the plan names: its session (when the
  index holds it; `session_missing` says when it does not) and its period (passages
  dated outside it drop out; undated ones stay). A period only picks among the
  sessions named; one that contradicts all of them is set aside (`period_overruled`).
- Inside the scope, the pool holds the best rows by dense similarity and by BM25, or
  every row (`exhaustive`, for aggregates: recall must not depend on a window; and any
  scope as small as a session, so that other documents cannot change what is judged).
- Features depend only on the question and the passage itself (cosine, the cosine of
  its sentence nearest the question, share of the topic's words present, numbers
  present), never on what else is indexed: adding an
  unrelated document cannot change how an existing passage is judged.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from gremium.types import Chunk, Filters, Hit, QueryPlan, Session
from index.bm25 import Word
from index.snapshot import Snapshot

DEPTH = 40  # rows each retriever contributes to a pool
SMALL_SCOPE = 300  # a scope this small (a session, a speaker in it) is judged whole
EXHAUSTIVE_LIMIT = 20_000  # above this, an exhaustive pool falls back to the best rows


@dataclass(frozen=True)
class Pool:
    hits: list[Hit]
    sessions: tuple[Session, ...] = ()  # sessions the plan's session resolved to
    session_missing: bool = False  # the plan names a session the visible index lacks
    words: tuple[Word, ...] = field(default_factory=tuple)  # the topic as index terms
    known: float = 0.0  # share of the topic's words found anywhere in scope (0 without words)
    # the same share weighed by how specific each word is, and the most specific word that
    # occurs nowhere in scope (0 when every word occurs): a question about something the
    # records never mention usually hinges on such a word
    wknown: float = 0.0
    missing: float = 0.0
    # the period the plan names contradicts every session it names, which win (see gather)
    period_overruled: bool = False


def gather(
    snap: Snapshot,
    vector: np.ndarray | None,
    plan: QueryPlan,
    *,
    filters: Filters,
    speaker: str | None = None,
    exhaustive: bool = False,
    with_speaker: bool = False,
    depth: int = DEPTH,
) -> Pool:
    """The pool for a plan: in scope, optionally one speaker's passages or all of them."""
    if snap.meta is None or snap.vectors is None or snap.bm25 is None:
        return Pool([])
    mask = snap.mask(filters)
    sessions: tuple[Session, ...] = ()
    missing = False
    overruled = False
    cols = snap.meta.columns
    low_date, high_date = plan.date_from or "0000-01-01", plan.date_to or "9999-12-31"
    period = bool(plan.date_from or plan.date_to)
    if plan.session:
        ids = snap.session_ids(plan.session, mask)
        if ids:
            by_id = snap.meta.sessions_by_id()
            sessions = tuple(by_id[i] for i in ids)
            if period:
                # the period picks among the sessions named ("die Sondersitzung 2024");
                # where it contradicts all of them ("die 47. Sitzung 2024", held in
                # 2025), the session named is the more specific word and wins
                within = tuple(s for s in sessions if s.date and low_date <= s.date <= high_date)
                overruled = not within
                sessions = within or sessions
                period = False
            mask = mask & np.isin(cols.session, cols.codes("session", [s.id for s in sessions]))
        else:
            missing = True
    if period:
        low = int(low_date.replace("-", ""))
        high = int(high_date.replace("-", ""))
        dated = cols.date > 0
        mask = mask & (~dated | ((cols.date >= low) & (cols.date <= high)))
    if speaker is not None:
        codes = cols.codes("speaker", [speaker])
        mask = mask & np.isin(cols.speaker, codes) if len(codes) else np.zeros_like(mask)
    if with_speaker:
        mask = mask & (cols.speaker >= 0)
    words = tuple(snap.bm25.words(plan.topic))
    lexical = [w for w in words if not w.numeric]
    occurs = snap.bm25.known(lexical, mask) if lexical else np.zeros(0)
    known = float(occurs.mean()) if lexical else 0.0
    weights = np.array([w.specificity for w in lexical])
    wknown = float(occurs @ weights / weights.sum()) if lexical else 0.0
    absent = float(max((w for w, f in zip(weights, occurs, strict=True) if f == 0), default=0.0))
    lexicon = Lexicon(known, wknown, absent)
    if not mask.any():
        return Pool([], sessions, missing, words, known, wknown, absent, overruled)

    in_scope = int(mask.sum())
    if in_scope <= SMALL_SCOPE or (exhaustive and in_scope <= EXHAUSTIVE_LIMIT):
        # every row: what is judged cannot depend on how other documents rank
        rows = np.flatnonzero(mask)
    else:
        pool: set[int] = set()
        if vector is not None:
            found, _ = snap.vectors.search(vector, depth, mask)
            pool.update(found.tolist())
        if plan.topic:
            bm25 = snap.bm25.scores(plan.topic)
            candidates = np.flatnonzero(mask & (bm25 > 0))
            if len(candidates) > depth:
                candidates = candidates[np.argpartition(-bm25[candidates], depth)[:depth]]
            pool.update(candidates.tolist())
        rows = np.array(sorted(pool), dtype=np.int64)
    hits = _featured(snap, vector, plan, rows, words, lexicon)
    return Pool(hits, sessions, missing, words, known, wknown, absent, overruled)


@dataclass(frozen=True)
class Lexicon:
    """How far the scope holds the topic's words (see Pool)."""

    known: float
    wknown: float
    missing: float


def _featured(
    snap: Snapshot,
    vector: np.ndarray | None,
    plan: QueryPlan,
    rows: np.ndarray,
    words: tuple[Word, ...],
    lexicon: Lexicon,
) -> list[Hit]:
    assert snap.meta is not None and snap.vectors is not None and snap.bm25 is not None
    if not len(rows):
        return []
    matrix = snap.vectors.vectors[rows]
    zeros = np.zeros(len(rows), dtype=np.float32)
    dense = np.asarray(matrix @ vector, dtype=np.float32) if vector is not None else zeros
    bm25 = snap.bm25.scores(plan.topic)[rows] if plan.topic else np.zeros(len(rows))
    presence = snap.bm25.presence(words, rows)
    lexical = [j for j, w in enumerate(words) if not w.numeric]
    numeric = [j for j, w in enumerate(words) if w.numeric]
    cover = presence[:, lexical].mean(axis=1) if lexical else np.zeros(len(rows))
    weights = np.array([words[j].specificity for j in lexical])
    wcover = presence[:, lexical] @ weights / weights.sum() if lexical else np.zeros(len(rows))
    whole = (presence[:, lexical] >= 1.0).mean(axis=1) if lexical else np.zeros(len(rows))
    numbers = presence[:, numeric].mean(axis=1) if numeric else np.zeros(len(rows))
    sentences = (
        snap.sentences.best(rows, vector)
        if snap.sentences is not None and vector is not None
        else dense
    )
    chunks = snap.chunks(rows.tolist())
    relpos = _relative_positions([chunks[row] for row in rows.tolist()])
    hits = []
    for i, row in enumerate(rows.tolist()):
        chunk = chunks[row]
        scores = {
            "dense": round(float(dense[i]), 6),
            "bm25": round(float(bm25[i]), 6),
            "cover": round(float(cover[i]), 4),
            "cover_whole": round(float(whole[i]), 4),
            "numbers": round(float(numbers[i]), 4),
            "words": float(len(lexical)),
            "numeric_words": float(len(numeric)),
            "wcover": round(float(wcover[i]), 4),
            "known": round(lexicon.known, 4),
            "wknown": round(lexicon.wknown, 4),
            "missing": round(lexicon.missing, 4),
            "sentence": round(float(sentences[i]), 6),
            "relpos": relpos[i],
        }
        hits.append(Hit(chunk, float(dense[i]), scores, snap.meta.document(chunk.document_id)))
    hits.sort(key=lambda h: (-h.score, h.chunk.id))
    return hits


def _relative_positions(chunks: list[Chunk]) -> list[float]:
    """Where each passage stands in its session's record within the pool, from 0 (the
    first) to 1 (the last); a session's record is its document (0.5 for a lone passage)."""
    spans: dict[tuple[str, str], tuple[int, int]] = {}
    for chunk in chunks:
        key = (chunk.document_id, chunk.session.id if chunk.session else "")
        low, high = spans.get(key, (chunk.position, chunk.position))
        spans[key] = (min(low, chunk.position), max(high, chunk.position))
    out = []
    for chunk in chunks:
        low, high = spans[(chunk.document_id, chunk.session.id if chunk.session else "")]
        out.append(round((chunk.position - low) / (high - low), 4) if high > low else 0.5)
    return out
