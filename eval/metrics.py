"""Scores from recorded results.

Ranking metrics (hit@k, MRR@10, nDCG@10) come from `ir_measures`. Its qrels are
built here by judging every passage the systems of one pool returned: a passage is
relevant when it contains one of the question's evidence phrases (`eval.matching`).
The product's three modes share chunk ids and so one pool; the naive baseline has
chunks of its own and is judged alone.

The other measures are about the answer, not the ranking:

- attribution: for a question about one speaker, the first citation is that
  speaker's, and a cited passage attributed to that speaker and session holds the
  evidence;
- speaker recall and precision: for aggregate questions, the share of expected
  speakers the answer names (in its statements or citations), and the share of
  named speakers that were expected;
- abstention precision and recall, with "should abstain" as the positive class;
- absent-speaker violations: an answer cites someone who did not speak;
- containment: the reference answer occurs in the answer text (folded);
- latency p50 / p95.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import ir_measures
import numpy as np
from ir_measures import RR, Success, nDCG

from eval.dataset import QAItem
from eval.matching import compact, contains_any
from eval.runner import Passage, QuestionResult


@dataclass
class QuestionScore:
    """How one question fared in one system; `problems` says why it is not perfect."""

    id: str
    hit: float | None = None  # Success@k
    rr: float | None = None  # RR@10
    ndcg: float | None = None
    attributed: bool | None = None  # from the answer's citations (the ranking without answer)
    ranked_attributed: bool | None = None  # from the ranked list, for every system
    cited_evidence: bool | None = None
    speaker_recall: float | None = None
    speaker_precision: float | None = None
    abstained: bool | None = None
    contained: bool | None = None
    evidence_at_k: bool | None = None  # the headline: evidence among the first k citations
    negative_ok: bool | None = None  # a negative: abstained and cited no forbidden speaker
    problems: list[str] = field(default_factory=list)

    @property
    def badness(self) -> float:
        """Sort key for the worst questions: more and graver problems first."""
        grave = sum(
            1
            for p in self.problems
            if p.startswith(("no evidence", "error", "cited absent", "answered", "abstained"))
        )
        return grave * 10 + len(self.problems) + (1 - (self.rr or 0.0))


@dataclass
class SystemMetrics:
    system: str
    pool: str
    answers: bool
    questions: int = 0
    errors: int = 0
    evidence_questions: int = 0
    hit_at_k: float | None = None
    mrr: float | None = None
    ndcg: float | None = None
    attribution: float | None = None
    attribution_questions: int = 0
    ranked_attribution: float | None = None
    cited_evidence: float | None = None
    speaker_recall: float | None = None
    speaker_precision: float | None = None
    aggregate_questions: int = 0
    abstention_precision: float | None = None
    abstention_recall: float | None = None
    absent_violations: int | None = None
    containment: float | None = None
    containment_questions: int = 0
    latency_p50_ms: float | None = None
    latency_p95_ms: float | None = None
    per_question: dict[str, QuestionScore] = field(default_factory=dict)

    def summary(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if k != "per_question"}


def build_qrels(
    items: Sequence[QAItem], results: Sequence[QuestionResult], depth: int = 10
) -> list[ir_measures.Qrel]:
    """Judge every passage returned (ranked or cited) by the given results."""
    by_id = {item.id: item for item in items}
    judged: dict[tuple[str, str], int] = {}
    for result in results:
        item = by_id.get(result.id)
        if item is None or not item.has_evidence:
            continue
        passages = list(result.retrieved[:depth])
        if result.ask is not None:
            passages.extend(result.ask.citations)
        for passage in passages:
            key = (item.id, passage.chunk_id)
            if key not in judged:
                judged[key] = int(contains_any(passage.text, item.evidence))
    return [ir_measures.Qrel(qid, doc, rel) for (qid, doc), rel in judged.items()]


def ranking_scores(
    items: Sequence[QAItem],
    results: Sequence[QuestionResult],
    qrels: Sequence[ir_measures.Qrel],
    k: int = 5,
) -> dict[str, dict[str, float]]:
    """Per question: Success@k, RR@10, nDCG@10 (0 where nothing relevant came back)."""
    hit_measure, rr_measure, ndcg_measure = Success @ k, RR @ 10, nDCG @ 10
    names = {str(hit_measure): "hit", str(rr_measure): "rr", str(ndcg_measure): "ndcg"}
    run = []
    for result in results:
        seen: set[str] = set()
        for rank, passage in enumerate(result.retrieved):
            if passage.chunk_id in seen:
                continue
            seen.add(passage.chunk_id)
            # Rank-derived scores: the system's own order, whatever its score scale.
            run.append(ir_measures.ScoredDoc(result.id, passage.chunk_id, float(1000 - rank)))
    scores: dict[str, dict[str, float]] = defaultdict(dict)
    for metric in ir_measures.iter_calc([hit_measure, rr_measure, ndcg_measure], qrels, run):
        name = names[str(metric.measure)]
        scores[metric.query_id][name] = float(metric.value)
    evaluable = {item.id for item in items if item.has_evidence}
    for result in results:
        if result.id in evaluable:
            for name in ("hit", "rr", "ndcg"):
                scores[result.id].setdefault(name, 0.0)
    return dict(scores)


def compute_metrics(
    items: Sequence[QAItem],
    runs: Mapping[str, Sequence[QuestionResult]],
    pools: Mapping[str, str],
    answering: Mapping[str, bool],
    k: int = 5,
) -> dict[str, SystemMetrics]:
    """Metrics for every system; `pools` maps system name to its judgement pool."""
    pooled: dict[str, list[QuestionResult]] = defaultdict(list)
    for name, results in runs.items():
        pooled[pools[name]].extend(results)
    qrels_by_pool = {pool: build_qrels(items, results) for pool, results in pooled.items()}
    return {
        name: score_system(
            name, items, results, qrels_by_pool[pools[name]], pools[name], answering[name], k
        )
        for name, results in runs.items()
    }


def score_system(
    name: str,
    items: Sequence[QAItem],
    results: Sequence[QuestionResult],
    qrels: Sequence[ir_measures.Qrel],
    pool: str,
    answers: bool,
    k: int = 5,
) -> SystemMetrics:
    by_id = {item.id: item for item in items}
    results = [r for r in results if r.id in by_id]
    metrics = SystemMetrics(system=name, pool=pool, answers=answers, questions=len(results))
    metrics.errors = sum(1 for r in results if r.error)
    ranking = ranking_scores(items, results, qrels, k)
    structured = any(p.speaker for r in results for p in r.retrieved)

    for result in results:
        item = by_id[result.id]
        score = QuestionScore(id=item.id)
        metrics.per_question[item.id] = score
        if result.error:
            score.problems.append(f"error: {result.error}")
        if item.id in ranking:
            score.hit = ranking[item.id]["hit"]
            score.rr = ranking[item.id]["rr"]
            score.ndcg = ranking[item.id]["ndcg"]
            if not score.hit:
                score.problems.append(f"no evidence in top {k}")
        if item.expects_attribution and structured:
            score.ranked_attributed, ranked_reason = attribution(item, result.retrieved[:k])
        if item.expects_attribution and (answers or structured):
            if answers:
                cited = list(result.ask.citations) if result.ask else []
                score.attributed, reason = attribution(item, cited)
            else:
                score.attributed, reason = score.ranked_attributed, ranked_reason
            if not score.attributed:
                score.problems.append(reason)
        if answers:
            _score_answer(item, result, score, k)
        else:
            # a retrieval-only system is judged on its ranking: it never abstains
            if item.has_evidence:
                score.evidence_at_k = bool(score.hit)
            if item.expect_abstain:
                score.negative_ok = False
            if item.kind == "aggregate" and item.expected_speakers:
                ranked = {p.speaker for p in result.retrieved[:k] if p.speaker}
                _speaker_scores(item, ranked, score)

    _aggregate(metrics, items, results)
    return metrics


def attribution(item: QAItem, cited: Sequence[Passage]) -> tuple[bool, str]:
    """First citation is the expected speaker's, and the evidence is cited under them."""
    expected = item.speakers[0]
    if not cited:
        return False, "nothing cited"
    first = cited[0].speaker
    if first != expected:
        return False, f"first citation is {first or 'no speaker'}, expected {expected}"
    for passage in cited:
        if (
            passage.speaker == expected
            and (item.session is None or passage.session_date == item.session)
            and contains_any(passage.text, item.evidence)
        ):
            return True, ""
    return False, f"evidence not cited under {expected} in session {item.session}"


def _score_answer(item: QAItem, result: QuestionResult, score: QuestionScore, k: int) -> None:
    ask = result.ask
    if ask is None:
        if item.has_evidence:
            score.evidence_at_k = False
        if item.expect_abstain:
            score.negative_ok = False
        return
    score.abstained = ask.abstained
    if item.expect_abstain and not ask.abstained:
        score.problems.append("answered although it should abstain")
    if not item.expect_abstain and ask.abstained:
        score.problems.append("abstained although the corpus answers it")
    cited_speakers = {p.speaker for p in ask.citations if p.speaker}
    absent = cited_speakers & set(item.must_not_cite)
    if absent:
        score.problems.append(f"cited absent speaker(s) {sorted(absent)}")
    if item.expect_abstain:
        score.negative_ok = ask.abstained and not absent
    if item.has_evidence:
        score.cited_evidence = any(contains_any(p.text, item.evidence) for p in ask.citations)
        score.evidence_at_k = any(contains_any(p.text, item.evidence) for p in ask.citations[:k])
        if not score.cited_evidence:
            score.problems.append("evidence not among the citations")
    if item.is_aggregate and item.expected_speakers:
        _speaker_scores(item, set(ask.statement_speakers) | cited_speakers, score)
    if item.answer and not item.expect_abstain:
        score.contained = compact(item.answer) in compact(ask.answer)
        if not score.contained:
            score.problems.append(f"reference answer {item.answer!r} not in the answer")


def _speaker_scores(item: QAItem, named: set[str], score: QuestionScore) -> None:
    """Recall and precision of the speakers an aggregate answer names."""
    expected = item.expected_speakers
    found = [s for s in expected if s in named]
    score.speaker_recall = len(found) / len(expected)
    score.speaker_precision = len(found) / len(named) if named else 0.0
    extra = sorted(named - set(expected))
    if extra:
        score.problems.append(f"speakers not expected: {extra}")
    missing = [s for s in expected if s not in named]
    if missing:
        score.problems.append(f"speakers missing: {missing}")


def _mean(values: Sequence[float | bool | None]) -> float | None:
    present = [float(v) for v in values if v is not None]
    return round(float(np.mean(present)), 4) if present else None


def _aggregate(
    metrics: SystemMetrics, items: Sequence[QAItem], results: Sequence[QuestionResult]
) -> None:
    scores = list(metrics.per_question.values())
    ranked = [s for s in scores if s.hit is not None]
    metrics.evidence_questions = len(ranked)
    metrics.hit_at_k = _mean([s.hit for s in ranked])
    metrics.mrr = _mean([s.rr for s in ranked])
    metrics.ndcg = _mean([s.ndcg for s in ranked])
    attributed = [s.attributed for s in scores if s.attributed is not None]
    metrics.attribution_questions = len(attributed)
    metrics.attribution = _mean(attributed)
    metrics.ranked_attribution = _mean([s.ranked_attributed for s in scores])
    latencies = [r.latency_ms for r in results if r.latency_ms is not None and not r.error]
    if latencies:
        metrics.latency_p50_ms = round(float(np.percentile(latencies, 50)), 1)
        metrics.latency_p95_ms = round(float(np.percentile(latencies, 95)), 1)
    if not metrics.answers:
        return
    by_id = {item.id: item for item in items}
    metrics.cited_evidence = _mean([s.cited_evidence for s in scores])
    recalls = [s.speaker_recall for s in scores if s.speaker_recall is not None]
    metrics.aggregate_questions = len(recalls)
    metrics.speaker_recall = _mean(recalls)
    metrics.speaker_precision = _mean([s.speaker_precision for s in scores])
    answered = [
        (by_id[s.id].expect_abstain, s.abstained) for s in scores if s.abstained is not None
    ]
    true_pos = sum(1 for want, got in answered if want and got)
    predicted = sum(1 for _, got in answered if got)
    wanted = sum(1 for want, _ in answered if want)
    metrics.abstention_precision = round(true_pos / predicted, 4) if predicted else None
    metrics.abstention_recall = round(true_pos / wanted, 4) if wanted else None
    metrics.absent_violations = sum(
        1 for s in scores if any(p.startswith("cited absent") for p in s.problems)
    )
    contained = [s.contained for s in scores if s.contained is not None]
    metrics.containment_questions = len(contained)
    metrics.containment = _mean(contained)
