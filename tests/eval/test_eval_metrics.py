"""Metrics over small hand-made results: each figure is checked against a value
worked out by hand for the case."""

from eval.dataset import QAItem
from eval.metrics import attribution, build_qrels, compute_metrics
from eval.runner import AskResult, Passage, QuestionResult

BY = QAItem(
    id="by",
    question="Was hat Bayern gesagt?",
    evidence=("Schließt sich NW an",),
    speakers=("BY",),
    session="2024-06-27",
    answer="NW",
)
NI = QAItem(
    id="ni",
    question="Was sagte Niedersachsen zu Teams?",
    evidence=("Einsatz von Teams",),
    speakers=("NI",),
    session="2024-06-27",
)
AGG = QAItem(
    id="agg",
    question="Welche Länder waren dagegen?",
    evidence=("gegen eine Beschlussfassung",),
    speakers=("NW", "BY", "BE", "BB"),
    session="2024-06-27",
    kind="aggregate",
)
OUT = QAItem(id="out", question="Wetter?", expect_abstain=True, kind="out_of_scope")
ABSENT = QAItem(
    id="sl",
    question="Was sagte das Saarland?",
    expect_abstain=True,
    kind="absent_speaker",
    absent_speakers=("SL",),
)
ITEMS = [BY, NI, AGG, OUT, ABSENT]


def p(cid: str, text: str, speaker: str | None = None, date: str | None = "2024-06-27") -> Passage:
    return Passage(chunk_id=cid, text=text, speaker=speaker, session_date=date)


BY_TURN = p("c-by", "BY: Schließt sich NW an. Die Kurzfristigkeit", "BY")
NI_TURN = p("c-ni", "NI: Vereinbarung zum Einsatz von Teams in der Public Cloud", "NI")
NW_TURN = p("c-nw", "NW: Spricht sich gegen eine Beschlussfassung aus.", "NW")
BB_TURN = p("c-bb", "BB: Spricht sich ebenfalls gegen eine Beschlussfassung aus.", "BB")
BUND = p("c-bund", "Bund: Der Grund für die Sondersitzung", "Bund")
SL_47 = p("c-sl", "SL: Die Form der Zusammenarbeit", "SL", "2025-06-26")


def result(
    item: QAItem,
    ranked: list[Passage],
    ask: AskResult | None = None,
    ms: float = 10.0,
    system: str = "hybrid",
) -> QuestionResult:
    return QuestionResult(
        system=system,
        id=item.id,
        question=item.question,
        kind=item.kind,
        retrieved=ranked,
        ask=ask,
        search_ms=ms,
        ask_ms=ms if ask else None,
    )


def test_ranking_metrics_come_from_pooled_judgements() -> None:
    hybrid = [
        result(BY, [BY_TURN, BUND], AskResult("BY schließt sich NW an [1]", False, (BY_TURN,)), 10),
        result(NI, [BUND, NI_TURN], AskResult("NI ... [1]", False, (NI_TURN,)), 20),
        result(
            AGG,
            [NW_TURN, BB_TURN],
            AskResult("NW, BB", False, (NW_TURN, BB_TURN), ("NW", "BB")),
            30,
        ),
        result(OUT, [BUND], AskResult("Keine Belege.", True), 40),
        result(ABSENT, [SL_47], AskResult("SL sagte [1]", False, (SL_47,)), 50),
    ]
    bm25 = [result(i, [BUND], system="bm25") for i in ITEMS]
    metrics = compute_metrics(
        ITEMS,
        {"hybrid": hybrid, "bm25": bm25},
        pools={"hybrid": "product", "bm25": "product"},
        answering={"hybrid": True, "bm25": False},
        k=5,
    )
    h = metrics["hybrid"]
    assert h.evidence_questions == 3
    assert h.hit_at_k == 1.0
    # RR: 1 (BY), 1/2 (NI), 1 (AGG)
    assert abs(h.mrr - (1 + 0.5 + 1) / 3) < 1e-3
    assert h.attribution == 1.0 and h.attribution_questions == 2
    assert h.speaker_recall == 0.5 and h.aggregate_questions == 1
    assert h.speaker_precision == 1.0
    # abstained once, correctly; the absent-speaker question was answered
    assert h.abstention_precision == 1.0 and h.abstention_recall == 0.5
    assert h.absent_violations == 1
    assert h.containment == 1.0
    assert h.latency_p50_ms == 30.0
    assert "cited absent speaker(s) ['SL']" in h.per_question["sl"].problems
    b = metrics["bm25"]
    assert b.hit_at_k == 0.0 and b.mrr == 0.0 and b.ndcg == 0.0
    assert b.attribution == 0.0  # first hit is Bund's, not BY's / NI's
    assert b.abstention_recall is None  # retrieval-only rows do not answer


def test_qrels_judge_every_returned_passage_once() -> None:
    qrels = build_qrels([BY], [result(BY, [BY_TURN, BUND]), result(BY, [BUND], system="x")])
    assert sorted((q.doc_id, q.relevance) for q in qrels) == [("c-bund", 0), ("c-by", 1)]


def test_attribution_needs_speaker_session_and_evidence() -> None:
    assert attribution(BY, [BY_TURN]) == (True, "")
    ok, reason = attribution(BY, [BUND, BY_TURN])
    assert not ok and "first citation is Bund" in reason
    wrong_session = p("c-by47", BY_TURN.text, "BY", "2025-06-26")
    ok, reason = attribution(BY, [wrong_session])
    assert not ok and "session 2024-06-27" in reason
    ok, reason = attribution(BY, [p("c-other", "BY: etwas anderes", "BY")])
    assert not ok
    assert attribution(BY, []) == (False, "nothing cited")


def test_answer_that_misses_reference_and_abstains_wrongly() -> None:
    run = [result(BY, [BUND], AskResult("Dazu liegt nichts vor.", True))]
    metrics = compute_metrics([BY], {"hybrid": run}, {"hybrid": "product"}, {"hybrid": True})
    score = metrics["hybrid"].per_question["by"]
    assert score.contained is False and score.cited_evidence is False
    assert "abstained although the corpus answers it" in score.problems
    assert metrics["hybrid"].abstention_precision == 0.0
    assert metrics["hybrid"].abstention_recall is None


def test_errors_count_as_misses() -> None:
    failed = QuestionResult(
        system="hybrid", id="by", question=BY.question, kind="speaker", error="RuntimeError: boom"
    )
    metrics = compute_metrics([BY], {"hybrid": [failed]}, {"hybrid": "product"}, {"hybrid": True})
    m = metrics["hybrid"]
    assert m.errors == 1 and m.hit_at_k == 0.0 and m.latency_p50_ms is None


def test_aggregate_that_names_everyone_loses_precision() -> None:
    everyone = tuple(p("c" + c, "x", c) for c in ("NW", "BY", "Bund", "SH"))
    run = [result(AGG, [NW_TURN], AskResult("alle", False, everyone, ("NW", "BY", "Bund", "SH")))]
    metrics = compute_metrics([AGG], {"hybrid": run}, {"hybrid": "product"}, {"hybrid": True})
    score = metrics["hybrid"].per_question["agg"]
    assert score.speaker_recall == 0.5 and score.speaker_precision == 0.5
    assert "speakers not expected: ['Bund', 'SH']" in score.problems
