"""Hybrid retrieval over one snapshot: filter, retrieve, fuse, boost.

1. Filters become a row mask before anything is ranked (collections first: they are
   the access boundary of API keys, so hidden rows never enter a ranking).
2. BM25 and dense each propose their best rows; when the question names speakers or a
   session, each also proposes its best rows among those speakers' / that session's
   chunks, so they are in the pool even when the topic words favour others.
3. Every pooled row is scored by both retrievers (exact cosine, full BM25), ranked per
   retriever and fused (RRF or weighted, `index.hybrid`).
4. Additive boosts: the named speakers' own chunks first, then the named session, then
   the named period and document type.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from gremium.errors import InvalidRequest
from gremium.speakers import REGISTRY
from gremium.types import Filters, Hit, QueryPlan
from index.embedders.base import Embedder
from index.hybrid import Ranking, apply_boosts, boost_scale, fuse
from index.snapshot import Snapshot, normalise_doc_type

MODES = ("hybrid", "bm25", "dense")

SPEAKER_BOOST = 2.0  # times the largest fused score: named speakers' chunks come first
SESSION_BOOST = 1.0
PERIOD_BOOST = 0.5
DOC_TYPE_BOOST = 0.25


def retrieve(
    snap: Snapshot,
    embedder: Embedder,
    plan: QueryPlan,
    *,
    k: int,
    filters: Filters,
    mode: str = "hybrid",
    fusion: str = "rrf",
    vector: np.ndarray | None = None,
) -> list[Hit]:
    """Best k hits for the plan; `vector` is the plan text's embedding if already made."""
    if snap.meta is None or snap.vectors is None or snap.bm25 is None:
        return []
    mask = snap.mask(filters)
    if not mask.any():
        return []
    depth = max(4 * k, 50)
    focus = _focus_masks(snap, plan, mask)

    pool: set[int] = set()
    bm25_all: np.ndarray | None = None
    query_vector: np.ndarray | None = None
    if mode in {"hybrid", "bm25"}:
        bm25_all = snap.bm25.scores(_keyword_query(plan))
        for allowed in (mask, *focus.values()):
            pool.update(_top_positive(bm25_all, allowed, depth))
    if mode in {"hybrid", "dense"}:
        query_vector = vector if vector is not None else embedder.embed_query(plan.text)
        for allowed in (mask, *focus.values()):
            rows, _ = snap.vectors.search(query_vector, depth, allowed)
            pool.update(rows.tolist())
    if not pool:
        return []

    rows = np.array(sorted(pool), dtype=np.int64)
    raw: dict[str, np.ndarray] = {}
    rankings = []
    if bm25_all is not None:
        raw["bm25"] = bm25_all[rows]
        matched = raw["bm25"] > 0
        order = np.argsort(-raw["bm25"][matched], kind="stable")
        rankings.append(Ranking("bm25", rows[matched][order], raw["bm25"][matched][order]))
    if query_vector is not None:
        raw["dense"] = np.asarray(snap.vectors.vectors[rows] @ query_vector, dtype=np.float32)
        order = np.argsort(-raw["dense"], kind="stable")
        rankings.append(Ranking("dense", rows[order], raw["dense"][order]))
    rankings = [r for r in rankings if len(r.rows)]
    if not rankings:
        return []
    fused = fuse(rankings, fusion)
    scale = boost_scale(fusion, rankings)
    boosts = _boosts(snap, plan, focus, list(fused), scale)
    final = apply_boosts(fused, boosts)

    best = sorted(final, key=lambda row: (-final[row], row))[:k]
    chunks = snap.chunks(best)
    position = {int(row): i for i, row in enumerate(rows.tolist())}
    hits = []
    for row in best:
        scores = {name: round(float(values[position[row]]), 6) for name, values in raw.items()}
        scores["fused"] = round(fused[row], 6)
        if boosts.get(row):
            scores["boost"] = round(boosts[row], 6)
        chunk = chunks[row]
        hits.append(
            Hit(
                chunk=chunk,
                score=round(final[row], 6),
                scores=scores,
                document=snap.meta.document(chunk.document_id),
            )
        )
    return hits


def _keyword_query(plan: QueryPlan) -> str:
    """The plan's topic words: speaker names only re-find that speaker's chunks (which the
    speaker boost already handles) and crowd out topic words (bench/results/retrieval.json)."""
    return plan.topic or plan.text


def _top_positive(scores: np.ndarray, allowed: np.ndarray, depth: int) -> list[int]:
    candidates = np.flatnonzero(allowed & (scores > 0))
    if len(candidates) > depth:
        part = np.argpartition(-scores[candidates], depth)[:depth]
        candidates = candidates[part]
    return candidates.tolist()


def _focus_masks(snap: Snapshot, plan: QueryPlan, mask: np.ndarray) -> dict[str, np.ndarray]:
    """Rows of the speakers, session and period the question names (within the filters)."""
    assert snap.meta is not None
    cols = snap.meta.columns
    focus: dict[str, np.ndarray] = {}
    if plan.speakers:
        codes = _known_speakers(plan.speakers, cols.vocab["speaker"])
        if codes:
            rows = mask & np.isin(cols.speaker, cols.codes("speaker", codes))
            if rows.any():
                focus["speaker"] = rows
    if plan.session:
        ids = snap.session_ids(plan.session, mask)
        if ids:
            rows = mask & np.isin(cols.session, cols.codes("session", ids))
            if rows.any():
                focus["session"] = rows
    if plan.date_from or plan.date_to:
        try:
            low = int((plan.date_from or "0000-00-00").replace("-", ""))
            high = int((plan.date_to or "9999-12-31").replace("-", ""))
        except ValueError:
            return focus
        rows = mask & (cols.date >= low) & (cols.date <= high) & (cols.date > 0)
        if rows.any():
            focus["period"] = rows
    if "speaker" in focus and "session" in focus:
        both = focus["speaker"] & focus["session"]
        if both.any():
            focus["speaker_session"] = both
    return focus


def _known_speakers(codes: Sequence[str], indexed: Sequence[str]) -> list[str]:
    present = set(indexed)
    found = []
    for code in codes:
        speaker = REGISTRY.get(code)
        canonical = speaker.code if speaker else code
        if canonical in present:
            found.append(canonical)
    return found


def _boosts(
    snap: Snapshot,
    plan: QueryPlan,
    focus: dict[str, np.ndarray],
    rows: list[int],
    scale: float,
) -> dict[int, float]:
    assert snap.meta is not None
    if not rows:
        return {}
    index = np.array(rows, dtype=np.int64)
    total = np.zeros(len(rows), dtype=np.float64)
    for name, weight in (
        ("speaker", SPEAKER_BOOST),
        ("session", SESSION_BOOST),
        ("period", PERIOD_BOOST),
    ):
        if name in focus:
            total += weight * scale * focus[name][index]
    if plan.doc_type:
        cols = snap.meta.columns
        try:
            doc_type = normalise_doc_type(plan.doc_type)
        except InvalidRequest:  # a hint, not a filter: ignore what we do not know
            doc_type = ""
        hinted = np.isin(cols.doc_type[index], cols.codes("doc_type", [doc_type]))
        if doc_type == "beschluss":
            hinted |= np.isin(cols.role[index], cols.codes("role", ["decision"]))
        total += DOC_TYPE_BOOST * scale * hinted
    return {row: float(b) for row, b in zip(rows, total.tolist(), strict=True) if b}
