from pathlib import Path

import pytest

from eval.baseline import CHUNK_OVERLAP, CHUNK_SIZE, NaiveBaseline, split_corpus
from eval.cli import check_thresholds, main
from eval.metrics import SystemMetrics
from index.embedders.fake import FakeEmbedder


def test_baseline_cuts_fixed_chunks_and_finds_text(tmp_path: Path) -> None:
    words = " ".join(f"wort{i}" for i in range(600))
    (tmp_path / "a.txt").write_text(words + " Delos Cloud Bayern Multi-Cloud-Ansatz", "utf-8")
    (tmp_path / "b.txt").write_text("Apfelstrudel Rezept mit Zimt", "utf-8")
    (tmp_path / "README.md").write_text("not part of the corpus", "utf-8")
    chunks = split_corpus(tmp_path)
    assert {c.document for c in chunks} == {"a.txt", "b.txt"}
    assert all(len(c.text) <= CHUNK_SIZE for c in chunks)
    assert CHUNK_OVERLAP < CHUNK_SIZE
    baseline = NaiveBaseline(FakeEmbedder(), chunks)
    top = baseline.search("Apfelstrudel Rezept", 2)
    assert top[0].document == "b.txt" and top[0].speaker is None
    assert len(baseline.search("x", 100)) == len(chunks)


def test_thresholds_decide_the_exit_code() -> None:
    product = SystemMetrics(
        system="hybrid", pool="product", answers=True, hit_at_k=0.9, attribution=0.8
    )
    assert check_thresholds(product, 0.85, 0.75) == 0
    assert check_thresholds(product, 0.95, None) == 1
    assert check_thresholds(product, None, 0.81) == 1
    assert check_thresholds(SystemMetrics("hybrid", "product", True), 0.1, None) == 1


def test_bad_reference_file_exits_with_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    qa = tmp_path / "qa.jsonl"
    qa.write_text('{"id": "q1"}\n', "utf-8")
    assert main(["--qa", str(qa), "--out", str(tmp_path / "out")]) == 2
    assert "'question' is required" in capsys.readouterr().err


def test_full_run_in_process_with_the_fake_embedder(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    source = Path(__file__).resolve().parents[2] / "corpus"
    name = "2024-06-27_itplr-sondersitzung-delos-cloud_protokoll.txt"
    (corpus / name).write_bytes((source / name).read_bytes())
    qa = tmp_path / "qa.jsonl"
    qa.write_text(
        '{"id": "q1", "question": "Was hat Bayern in der Sondersitzung zur Delos Cloud gesagt?",'
        ' "evidence": ["Schließt sich NW an"], "speakers": ["BY"], "session": "2024-06-27"}\n'
        '{"id": "q2", "question": "Wie wird das Wetter morgen?", "expect_abstain": true,'
        ' "kind": "out_of_scope"}\n',
        "utf-8",
    )
    out = tmp_path / "out"
    code = main(
        [
            "--qa",
            str(qa),
            "--out",
            str(out),
            "--corpus",
            str(corpus),
            "--embedder",
            "fake",
            "--min-hit",
            "0.0",
            "--min-attribution",
            "1.01",
        ]
    )
    assert code == 1  # attribution can never reach 1.01
    report = (out / "report.md").read_text("utf-8")
    for row in ("| bm25 |", "| dense |", "| hybrid |", "| naive-baseline |"):
        assert row in report
    assert (out / "results.json").exists()
    assert len((out / "results.jsonl").read_text("utf-8").splitlines()) == 8
