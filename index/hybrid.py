"""Fusing keyword and dense rankings, then boosting what the question names.

Two fusions are kept because both were measured (bench/retrieval.py, "fusion"):
- reciprocal rank fusion (RRF): sum of 1 / (K + rank) over the retrievers;
- weighted: ALPHA * dense cosine (min-max scaled) + (1 - ALPHA) * bm25 / max bm25.

Boosts are additive after fusion and sized against the fused scale, so a chunk
spoken by a speaker the question names outranks every chunk that is not.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

RRF_K = 60
ALPHA = 0.6


@dataclass(frozen=True)
class Ranking:
    """One retriever's result: rows best first and their raw scores."""

    name: str
    rows: np.ndarray
    scores: np.ndarray


def rrf(rankings: list[Ranking]) -> dict[int, float]:
    fused: dict[int, float] = {}
    for ranking in rankings:
        for rank, row in enumerate(ranking.rows.tolist()):
            fused[row] = fused.get(row, 0.0) + 1.0 / (RRF_K + rank + 1)
    return fused


def weighted(rankings: list[Ranking], alpha: float = ALPHA) -> dict[int, float]:
    fused: dict[int, float] = {}
    for ranking in rankings:
        if len(ranking.rows) == 0:
            continue
        scores = ranking.scores.astype(np.float64)
        if ranking.name == "dense":
            low, high = float(scores.min()), float(scores.max())
            scaled = (scores - low) / (high - low) if high > low else np.ones_like(scores)
            weight = alpha
        else:
            top = float(scores.max())
            scaled = scores / top if top > 0 else np.zeros_like(scores)
            weight = 1.0 - alpha
        for row, value in zip(ranking.rows.tolist(), scaled.tolist(), strict=True):
            fused[row] = fused.get(row, 0.0) + weight * value
    return fused


def fuse(rankings: list[Ranking], method: str) -> dict[int, float]:
    if len(rankings) == 1:
        only = rankings[0]
        return dict(zip(only.rows.tolist(), only.scores.astype(np.float64).tolist(), strict=True))
    return weighted(rankings) if method == "weighted" else rrf(rankings)


def boost_scale(method: str, rankings: list[Ranking]) -> float:
    """The largest score fusion can give one row: boosts are sized against it."""
    if len(rankings) == 1:
        scores = rankings[0].scores
        return float(scores.max()) if len(scores) else 1.0
    if method == "weighted":
        return 1.0
    return len(rankings) / (RRF_K + 1)


def apply_boosts(fused: Mapping[int, float], boosts: Mapping[int, float]) -> dict[int, float]:
    return {row: score + boosts.get(row, 0.0) for row, score in fused.items()}
