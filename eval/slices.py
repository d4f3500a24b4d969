"""The headline figures per split (dev, test) and slice of questions, for every system.

Slices overlap: an English follow-up counts in `english` and in `followup`. Older
kinds of the team's first reference file map onto the interface's kinds (a
protocol-note question is a speaker question, a document question a fact).

- evidence@k: answerable questions with an evidence phrase among the first k
  citations (systems that only retrieve: among the first k passages);
- attribution: questions about one speaker whose first citation is theirs and whose
  evidence is cited under them;
- aggregate recall / precision of the speakers named, against `speakers_all`;
- negatives: questions that must abstain and did, quoting no forbidden speaker
  (a system that cannot abstain scores 0).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from eval.dataset import QAItem
from eval.metrics import SystemMetrics

SLICES = ("all", "speaker", "multi", "fact", "aggregate", "negative", "english", "followup")
SPLITS = ("dev", "test")


def slices_of(item: QAItem) -> set[str]:
    out = {"all"}
    kind = item.kind
    if item.expect_abstain:
        out.add("negative")
    elif kind in {"speaker", "protocol_note"} or (kind == "english" and len(item.speakers) == 1):
        out.add("speaker")
    elif kind in {"fact", "decision", "document"} or (kind == "english" and not item.speakers):
        out.add("fact")
    elif kind in {"multi", "aggregate"}:
        out.add(kind)
    if kind in {"absent_speaker", "out_of_scope"}:
        out.add("negative")
    if item.language_slice == "en":
        out.add("english")
    if kind == "followup":
        out.add("followup")
    return out


@dataclass(frozen=True)
class Figures:
    questions: int
    evidence_at_k: float | None
    evidence_n: int
    attribution: float | None
    attribution_n: int
    recall: float | None
    precision: float | None
    aggregate_n: int
    negatives: float | None
    negatives_n: int


def _mean(values: Sequence[bool | float]) -> float | None:
    return round(float(np.mean([float(v) for v in values])), 4) if values else None


def figures(
    items: Sequence[QAItem], metrics: SystemMetrics, split: str | None, name: str
) -> Figures:
    chosen = [
        item
        for item in items
        if (split is None or item.split == split)
        and name in slices_of(item)
        and item.id in metrics.per_question
    ]
    scores = [metrics.per_question[item.id] for item in chosen]
    evidence = [s.evidence_at_k for s in scores if s.evidence_at_k is not None]
    attributed = [s.attributed for s in scores if s.attributed is not None]
    recalls = [s.speaker_recall for s in scores if s.speaker_recall is not None]
    precisions = [s.speaker_precision for s in scores if s.speaker_precision is not None]
    negatives = [s.negative_ok for s in scores if s.negative_ok is not None]
    return Figures(
        questions=len(chosen),
        evidence_at_k=_mean(evidence),
        evidence_n=len(evidence),
        attribution=_mean(attributed),
        attribution_n=len(attributed),
        recall=_mean(recalls),
        precision=_mean(precisions),
        aggregate_n=len(recalls),
        negatives=_mean(negatives),
        negatives_n=len(negatives),
    )


def _cell(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def headline_table(
    items: Sequence[QAItem], metrics: Mapping[str, SystemMetrics], systems: Sequence[str], k: int
) -> str:
    """One table per split: slices as rows, each system's figures as columns."""
    present = [s for s in systems if s in metrics]
    parts = []
    for split in SPLITS:
        if not any(item.split == split for item in items):
            continue
        header = ["slice", "n"]
        for name in present:
            header += [f"{name} ev@{k}", f"{name} attr", f"{name} agg R/P", f"{name} neg"]
        lines = [
            f"### {split}",
            "",
            "| " + " | ".join(header) + " |",
            "|" + " --- |" * len(header),
        ]
        for slice_name in SLICES:
            row: list[str] = []
            count = 0
            for name in present:
                fig = figures(items, metrics[name], split, slice_name)
                count = max(count, fig.questions)
                agg = f"{_cell(fig.recall)}/{_cell(fig.precision)}" if fig.aggregate_n else "—"
                row += [
                    _cell(fig.evidence_at_k),
                    _cell(fig.attribution),
                    agg,
                    _cell(fig.negatives),
                ]
            if count:
                lines.append(f"| {slice_name} | {count} | " + " | ".join(row) + " |")
        parts.append("\n".join(lines))
    return "\n\n".join(parts)


def summary(items: Sequence[QAItem], metrics: SystemMetrics) -> dict[str, dict[str, object]]:
    """{split: {slice: figures}} for results.json and the CI gate."""
    out: dict[str, dict[str, object]] = {}
    for split in (*SPLITS, None):
        key = split or "all"
        out[key] = {name: figures(items, metrics, split, name).__dict__ for name in SLICES}
    return out
