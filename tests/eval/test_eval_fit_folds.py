"""Cross-validation in `eval.fit` holds out questions by the passage their evidence lies
in, as the dev/test split does: questions about one passage never sit on both sides of
a fold, in any repetition, and a synthetic near miss goes with its source question."""

from __future__ import annotations

import random

import pytest

from answer.evidence import Candidates
from eval.dataset import QAItem
from eval.fit import FOLDS, Case, fold_assignments, passage_groups
from gremium.types import Hit, QueryPlan
from index.pool import Pool
from index.testing import make_protocol


def _cases(rng: random.Random) -> tuple[list[Case], dict[str, str]]:
    turns = [("BY", "01", "Thema", f"Satz Nummer {i} über das Thema {i}.") for i in range(12)]
    _, chunks = make_protocol(47, "2025-06-26", turns, salt=str(rng.random()))
    pool = Pool([Hit(c, 0.0, {}) for c in chunks])
    cases: list[Case] = []
    passage_of: dict[str, str] = {}
    for n in range(60):
        chunk = rng.choice(chunks)
        item = QAItem(f"q{n}", "Frage?", evidence=(chunk.text[:20],), split="dev")
        plan = QueryPlan(question="Frage?", text="Frage?")
        cases.append(Case(item, Candidates(plan, "general", general=pool)))
        passage_of[item.id] = chunk.id
    negative = QAItem("neg", "Frage?", expect_abstain=True, split="dev")
    cases.append(Case(negative, Candidates(QueryPlan("Frage?", "Frage?"), "general", pool)))
    for n in range(10):
        source = rng.choice(cases[:60]).item
        synthetic = QAItem(f"{source.id}~x{n}", "Frage?", expect_abstain=True, split="dev")
        cases.append(Case(synthetic, cases[0].cands, source=source.id))
    return cases, passage_of


@pytest.mark.parametrize("seed", range(10))
def test_questions_about_one_passage_share_a_fold_in_every_repetition(seed: int) -> None:
    cases, passage_of = _cases(random.Random(seed))
    groups = passage_groups(cases)
    assert {item: groups[item] for item in passage_of} == passage_of
    assert groups["neg"] == "neg"  # a question without evidence stands alone
    assignments = fold_assignments(cases, repeats=3)
    assert len(assignments) == 3
    for folds in assignments:
        assert all(0 <= f < FOLDS for f in folds)
        fold_of = {c.item.id: f for c, f in zip(cases, folds, strict=True)}
        for case in cases:
            if case.source:
                assert fold_of[case.item.id] == fold_of[case.source]
        by_passage: dict[str, set[int]] = {}
        for item, chunk in passage_of.items():
            by_passage.setdefault(chunk, set()).add(fold_of[item])
        assert all(len(f) == 1 for f in by_passage.values())
    # the repetitions differ: another assignment, not the same one again
    assert len({tuple(folds) for folds in assignments}) > 1
