"""Sentence vectors: how passages split into sentences, and the nearest sentence's cosine."""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np

from index.vector.sentences import MAX_SENTENCES, SentenceStore, split_sentences


def test_sentences_split_at_ends_bullets_and_list_lines() -> None:
    text = (
        "• Betont nochmals die Notwendigkeit einer Übergangslösung wegen der Abschaltung. "
        "Nach der Sitzung werde ohnehin ein Schreiben an SAP versendet werden.\n"
        "• Ein zweiter Punkt der Liste, der lang genug ist, um allein zu stehen."
    )
    assert split_sentences(text) == [
        "Betont nochmals die Notwendigkeit einer Übergangslösung wegen der Abschaltung.",
        "Nach der Sitzung werde ohnehin ein Schreiben an SAP versendet werden.",
        "Ein zweiter Punkt der Liste, der lang genug ist, um allein zu stehen.",
    ]


def test_ordinals_abbreviations_and_wrapped_lines_do_not_end_a_sentence() -> None:
    text = (
        "In der 47. Sitzung erläuterte Herr Dr. Krause die Nr. 3 des Beschlusses und\n"
        "verwies auf Abs. 2 der Geschäftsordnung des Gremiums."
    )
    assert split_sentences(text) == [" ".join(text.split())]


def test_short_pieces_join_their_neighbour() -> None:
    assert split_sentences("Zustimmung. Der Vorschlag wird von allen Ländern getragen.") == [
        "Zustimmung. Der Vorschlag wird von allen Ländern getragen."
    ]


def test_generated_texts_keep_every_word_in_order() -> None:
    """Generated: splitting loses no word and adds none, whatever the punctuation."""
    rng = random.Random(7)
    words = ["Bund", "Länder", "Cloud", "sei", "47.", "Nr.", "z.", "B.", "•", "\n", "ab;", "ok?"]
    for _ in range(300):
        text = " ".join(rng.choice(words) for _ in range(rng.randint(1, 60)))
        out = split_sentences(text)
        assert out and len(out) <= MAX_SENTENCES
        expected = [w for w in text.replace("•", " ").split()]
        assert " ".join(out).split() == expected, text


def test_empty_text_has_no_sentences() -> None:
    assert split_sentences("   \n ") == []


def test_best_is_the_nearest_sentence_of_each_row() -> None:
    """Generated: against brute force over rows with 0 to 5 sentences."""
    rng = np.random.default_rng(3)
    for _ in range(50):
        per_row = [rng.normal(size=(int(rng.integers(0, 6)), 8)) for _ in range(12)]
        store = SentenceStore.build(per_row, 8)
        query = rng.normal(size=8).astype(np.float32)
        rows = rng.permutation(12)[: int(rng.integers(1, 12))]
        best = store.best(rows, query)
        for got, row in zip(best, rows, strict=True):
            want = float((per_row[row] @ query).max()) if len(per_row[row]) else -1.0
            assert abs(float(got) - want) < 1e-4


def test_a_store_survives_saving(tmp_path: Path) -> None:
    store = SentenceStore.build([np.eye(4)[:2], np.eye(4)[2:3], np.zeros((0, 4))], 4)
    store.save(tmp_path)
    loaded = SentenceStore.load(tmp_path)
    assert loaded.size == 3
    assert np.array_equal(loaded.of(0), np.eye(4, dtype=np.float32)[:2])
    assert len(loaded.of(2)) == 0


def test_pool_features_hold_the_nearest_sentence_of_each_passage(sample_index) -> None:  # type: ignore[no-untyped-def]
    """Through the index on disk: kept after another write, equal to brute force."""
    from answer.plan import read_question
    from gremium.types import Filters
    from index.testing import make_protocol

    sample_index.upsert([make_protocol(9, "2020-01-01", [("HE", "01", "X", "Ganz anders.")])])
    plan = read_question("Was sagte der Bund zur Delos Cloud als Brücke?")
    (vector,) = sample_index.query_vectors([plan.text])
    pool = sample_index.pool(plan, filters=Filters(), vector=vector)
    assert pool.hits
    for hit in pool.hits:
        sentences = sample_index.embedder.embed_documents(split_sentences(hit.chunk.text))
        want = float((sentences @ vector).max())
        assert abs(hit.scores["sentence"] - want) < 1e-4, hit.chunk.text
