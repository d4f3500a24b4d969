"""German keyword search: stemming, stop words, exact identifiers, decompounding."""

from __future__ import annotations

from index.bm25 import BM25Index, GermanTokenizer, standalone_words


def test_exact_identifiers_stay_whole() -> None:
    terms = GermanTokenizer().terms("Beschluss B-2025/26-IT, DIN SPEC 66336 über 40.700,00 Euro")
    assert {"b-2025/26-it", "66336", "40.700,00", "beschluss"} <= set(terms)


def test_stop_words_go_and_words_are_stemmed() -> None:
    terms = GermanTokenizer().terms("Die Protokollnotizen der Länder")
    assert "die" not in terms and "der" not in terms
    assert GermanTokenizer().terms("Protokollnotiz") == [terms[0]]


def test_compound_heads_meet_their_words() -> None:
    texts = ["Die Verwaltungscloud-Strategie wird umgesetzt.", "Eine Cloud-Lösung.", "Sonstiges"]
    index = BM25Index.build(texts)
    scores = index.scores("Cloud-Strategie")
    assert scores[0] > 0 and scores[0] == max(scores)
    assert "cloud" in standalone_words(texts)
    assert GermanTokenizer({"cloud"}).head_of("verwaltungscloud") == "cloud"


def test_question_words_do_not_match() -> None:
    index = BM25Index.build(["Bayern hat gesagt, dass es keine Position gibt.", "Delos Cloud"])
    assert index.scores("Was hat Bayern gesagt?")[1] == 0
    assert index.scores("gesagt Position").max() == 0


def test_empty_index_and_unknown_words(tmp_path) -> None:  # type: ignore[no-untyped-def]
    empty = BM25Index.build([])
    assert len(empty.scores("Cloud")) == 0
    index = BM25Index.build(["NOOTS Staatsvertrag"])
    assert index.scores("Quantenkryptografie").max() == 0
    index.save(tmp_path / "bm25")
    assert BM25Index.load(tmp_path / "bm25").scores("NOOTS")[0] > 0
