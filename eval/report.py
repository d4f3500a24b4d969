"""Write the evaluation's outputs: `report.md` for people, `results.json` for tools."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

from eval.dataset import QAItem
from eval.metrics import SystemMetrics
from eval.runner import Passage, QuestionResult
from eval.slices import headline_table, summary

SYSTEM_ORDER = ("bm25", "dense", "hybrid", "naive-baseline")


def _fmt(value: float | None, digits: int = 3) -> str:
    return "n/a" if value is None else f"{value:.{digits}f}"


def _ms(value: float | None) -> str:
    if value is None:
        return "n/a"
    return f"{value:.1f} ms" if value < 10 else f"{value:.0f} ms"


def _ordered(metrics: Mapping[str, SystemMetrics]) -> list[SystemMetrics]:
    known = [metrics[n] for n in SYSTEM_ORDER if n in metrics]
    return known + [m for n, m in metrics.items() if n not in SYSTEM_ORDER]


def comparison_table(metrics: Mapping[str, SystemMetrics], k: int = 5) -> str:
    lines = [
        f"| system | hit@{k} | MRR@10 | nDCG@10 | attribution | attribution (ranked) "
        "| latency p50 |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for m in _ordered(metrics):
        lines.append(
            f"| {m.system} | {_fmt(m.hit_at_k)} | {_fmt(m.mrr)} | {_fmt(m.ndcg)} "
            f"| {_fmt(m.attribution)} | {_fmt(m.ranked_attribution)} | {_ms(m.latency_p50_ms)} |"
        )
    return "\n".join(lines)


def answer_table(metrics: Mapping[str, SystemMetrics]) -> str:
    lines = [
        "| system | cited evidence | speaker recall (aggregates) | speaker precision "
        "| abstention P | abstention R | absent-speaker violations | containment "
        "| latency p50 | latency p95 |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for m in _ordered(metrics):
        if not m.answers:
            continue
        lines.append(
            f"| {m.system} | {_fmt(m.cited_evidence)} | {_fmt(m.speaker_recall)} "
            f"(n={m.aggregate_questions}) | {_fmt(m.speaker_precision)} "
            f"| {_fmt(m.abstention_precision)} "
            f"| {_fmt(m.abstention_recall)} | {m.absent_violations} "
            f"| {_fmt(m.containment)} (n={m.containment_questions}) "
            f"| {_ms(m.latency_p50_ms)} | {_ms(m.latency_p95_ms)} |"
        )
    return "\n".join(lines)


def by_kind_table(items: Sequence[QAItem], metrics: SystemMetrics, k: int = 5) -> str:
    groups: dict[str, list[str]] = defaultdict(list)
    for item in items:
        groups[item.kind].append(item.id)
    lines = [
        f"| kind | questions | hit@{k} | MRR@10 | attribution | problems-free |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for kind, ids in sorted(groups.items()):
        scores = [metrics.per_question[i] for i in ids if i in metrics.per_question]
        hits = [s.hit for s in scores if s.hit is not None]
        rrs = [s.rr for s in scores if s.rr is not None]
        attr = [s.attributed for s in scores if s.attributed is not None]
        clean = sum(1 for s in scores if not s.problems)
        lines.append(
            f"| {kind} | {len(ids)} | {_avg(hits)} | {_avg(rrs)} | {_avg(attr)} "
            f"| {clean}/{len(scores)} |"
        )
    return "\n".join(lines)


def _avg(values: Sequence[float | bool]) -> str:
    return "n/a" if not values else f"{sum(float(v) for v in values) / len(values):.3f}"


def _passage_line(p: Passage, width: int = 160) -> str:
    text = " ".join(p.text.split())
    if len(text) > width:
        text = text[: width - 1] + "…"
    where = p.session_date or p.document or "?"
    return f"[{p.speaker or '—'} | {p.role or '—'} | {where}] {text}"


def worst_questions(
    items: Sequence[QAItem],
    results: Sequence[QuestionResult],
    metrics: SystemMetrics,
    limit: int = 15,
) -> str:
    by_id = {item.id: item for item in items}
    by_result = {r.id: r for r in results}
    scored = [s for s in metrics.per_question.values() if s.problems]
    scored.sort(key=lambda s: s.badness, reverse=True)
    blocks = []
    for score in scored[:limit]:
        item = by_id[score.id]
        result = by_result[score.id]
        expected = ", ".join(item.speakers) or ("abstain" if item.expect_abstain else "—")
        lines = [
            f"### {item.id} ({item.kind}): {item.question}",
            "",
            f"- expected: {expected}; session {item.session or '—'}; "
            f"evidence: {'; '.join(item.evidence) or '—'}",
            f"- problems: {'; '.join(score.problems)}",
        ]
        if result.ask is not None:
            answer = " ".join(result.ask.answer.split())
            lines.append(
                f"- answer ({'abstained' if result.ask.abstained else 'answered'}): "
                f"{answer[:300]}{'…' if len(answer) > 300 else ''}"
            )
            for n, passage in enumerate(result.ask.citations[:3], start=1):
                lines.append(f"  - cited {n}: {_passage_line(passage)}")
        for n, passage in enumerate(result.retrieved[:3], start=1):
            lines.append(f"  - ranked {n}: {_passage_line(passage)}")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) if blocks else "No question has a problem."


def render_markdown(
    items: Sequence[QAItem],
    runs: Mapping[str, Sequence[QuestionResult]],
    metrics: Mapping[str, SystemMetrics],
    config: Mapping[str, Any],
    product: str = "hybrid",
    k: int = 5,
) -> str:
    parts = [
        "# Gremium evaluation",
        "",
        f"{len(items)} reference questions from `{config.get('qa')}`; "
        f"target: {config.get('target')}; embedder: {config.get('embedder')}.",
        "",
        f"## Headline by split: {product} against the tutorial RAG (naive baseline)",
        "",
        headline_table(items, metrics, (product, "naive-baseline"), k),
        "",
        f"ev@{k}: evidence among the first {k} citations (baseline: passages); attr: first "
        "citation is the asked speaker's and holds the evidence; agg R/P: speakers named "
        "by aggregate answers against `speakers_all`; neg: negatives abstained without "
        "quoting a forbidden speaker. Tune on dev; test is held out.",
        "",
        "## Retrieval: the product's modes against the naive baseline",
        "",
        comparison_table(metrics, k),
        "",
        f"hit@{k}, MRR@10 and nDCG@10 (ir-measures) over the "
        f"{next(iter(metrics.values())).evidence_questions if metrics else 0} questions with "
        "evidence; a passage is relevant when it contains an evidence phrase. Attribution: "
        "the first citation (for retrieval-only rows: the first hit) is the expected speaker's "
        "and the evidence sits in a passage of that speaker and session; for the product it is "
        f"judged on the answer's citations, `attribution (ranked)` on the top {k} of the "
        "ranking for every row. Latency: `ask` for the product (retrieval and answer), "
        "`search` for the other rows.",
    ]
    if any(m.answers for m in metrics.values()):
        parts += ["", "## Answers", "", answer_table(metrics)]
    if product in metrics:
        parts += [
            "",
            f"## {product} by kind of question",
            "",
            by_kind_table(items, metrics[product], k),
            "",
            f"## Worst questions ({product})",
            "",
            worst_questions(items, runs[product], metrics[product]),
        ]
    errors = {name: m.errors for name, m in metrics.items() if m.errors}
    if errors:
        parts += ["", f"Errors: {errors} (see results.jsonl)."]
    return "\n".join(parts) + "\n"


def write_outputs(
    out: Path,
    items: Sequence[QAItem],
    runs: Mapping[str, Sequence[QuestionResult]],
    metrics: Mapping[str, SystemMetrics],
    config: Mapping[str, Any],
    k: int = 5,
) -> tuple[Path, Path]:
    out.mkdir(parents=True, exist_ok=True)
    report = out / "report.md"
    report.write_text(render_markdown(items, runs, metrics, config, k=k), encoding="utf-8")
    results = out / "results.json"
    payload = {
        "config": dict(config),
        "systems": {name: m.summary() for name, m in metrics.items()},
        "slices": {name: summary(items, m) for name, m in metrics.items()},
        "per_question": {
            name: {qid: asdict(score) for qid, score in m.per_question.items()}
            for name, m in metrics.items()
        },
    }
    results.write_text(json.dumps(payload, ensure_ascii=False, indent=2), encoding="utf-8")
    return report, results
