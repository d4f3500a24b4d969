"""The relevance features: what each passage is measured against."""

from __future__ import annotations

from answer.plan import read_question
from answer.relevance import FEATURES, candidate_features, pool_features
from gremium.types import Hit
from index.testing import make_protocol

_, CHUNKS = make_protocol(
    47,
    "2025-06-26",
    [
        ("NW", "01", "Cloud", "Die Dringlichkeit einer Sondersitzung sei nicht gegeben."),
        ("NW", "01", "Cloud", "Die Informationen werden zur Kenntnis genommen."),
        ("BY", "01", "Cloud", "Bayern fordert eine bessere Kommunikation des Bundes."),
    ],
)
PLAN = read_question("Warum sah NRW keinen Grund für eine Sondersitzung?")


def _hit(i: int, dense: float, sentence: float) -> Hit:
    return Hit(CHUNKS[i], dense, {"dense": dense, "sentence": sentence, "cover": 0.0})


def _named(row: list[float]) -> dict[str, float]:
    assert len(row) == len(FEATURES)
    return dict(zip(FEATURES, row, strict=True))


def test_a_speakers_passages_are_measured_against_their_own_best_and_the_scopes() -> None:
    own = [_hit(0, 0.85, 0.86), _hit(1, 0.80, 0.79)]
    scope = [*own, _hit(2, 0.90, 0.92)]
    first, second = (_named(r) for r in pool_features(PLAN, own, own=True, scope=scope))
    assert first["own_gap"] == 0.0 and round(second["own_gap"], 6) == -0.05
    assert round(first["own_sentence_gap"], 6) == 0.0
    assert round(second["own_sentence_gap"], 6) == -0.07
    # another speaker said something nearer the question
    assert round(first["own_scope_gap"], 6) == -0.05
    assert round(first["own_scope_sentence_gap"], 6) == -0.06


def test_the_scopes_best_passage_trails_nothing() -> None:
    own = [_hit(0, 0.90, 0.93)]
    scope = [*own, _hit(2, 0.85, 0.80)]
    (row,) = (_named(r) for r in pool_features(PLAN, own, own=True, scope=scope))
    assert row["own_scope_gap"] == 0.0 and row["own_scope_sentence_gap"] == 0.0


def test_passages_judged_for_no_named_speaker_carry_no_own_features() -> None:
    hits = [_hit(0, 0.85, 0.86), _hit(2, 0.9, 0.9)]
    for row in map(_named, pool_features(PLAN, hits, own=False, scope=hits)):
        assert row["own"] == 0.0
        assert row["own_gap"] == row["own_scope_gap"] == row["own_sentence_gap"] == 0.0


def test_a_passage_alone_is_measured_against_itself() -> None:
    row = _named(candidate_features(PLAN, _hit(0, 0.8, 0.7), own=True))
    assert row["dense_gap"] == row["sentence_gap"] == row["own_scope_gap"] == 0.0
    assert row["dense"] == 0.8 and row["sentence"] == 0.7
