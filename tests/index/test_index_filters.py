"""Filters: applied before ranking, validated with messages naming the bad value."""

from __future__ import annotations

import pytest

from answer.plan import read_question as understand
from gremium.errors import InvalidRequest
from gremium.types import Filters
from index.store import Index
from index.testing import make_protocol, sample_corpus


def _search(index: Index, question: str, k: int = 20, **filters: object):  # type: ignore[no-untyped-def]
    return index.search(understand(question), k=k, filters=Filters(**filters))  # type: ignore[arg-type]


def test_unknown_speaker_names_the_value_and_the_valid_codes(sample_index: Index) -> None:
    with pytest.raises(InvalidRequest) as caught:
        _search(sample_index, "Cloud", speakers=("XX",))
    assert "'XX'" in caught.value.message and "BY" in caught.value.message


def test_speaker_filters_accept_names_and_any_case(sample_index: Index) -> None:
    for value in ("BY", "by", "Bayern", "Freistaat Bayern"):
        hits = _search(sample_index, "Cloud", speakers=(value,))
        assert hits and {h.chunk.speaker.code for h in hits if h.chunk.speaker} == {"BY"}


@pytest.mark.parametrize(
    ("filters", "bad"),
    [
        ({"session": "99"}, "'99'"),
        ({"doc_type": "roman"}, "'roman'"),
        ({"date_from": "27.06.2024"}, "'27.06.2024'"),
        ({"document_id": "nope"}, "'nope'"),
        ({"roles": ("speech",)}, "'speech'"),
    ],
)
def test_unknown_filter_values_are_refused(
    sample_index: Index, filters: dict[str, object], bad: str
) -> None:
    with pytest.raises(InvalidRequest, match=bad):
        _search(sample_index, "Cloud", **filters)


@pytest.mark.parametrize("session", ["47", "2025-06-26", "2025-06-26-47"])
def test_session_by_number_date_or_id(sample_index: Index, session: str) -> None:
    hits = _search(sample_index, "Registermodernisierung", session=session)
    assert hits and {h.chunk.session.id for h in hits if h.chunk.session} == {"2025-06-26-47"}


def test_sondersitzung_filter(sample_index: Index) -> None:
    hits = _search(sample_index, "Cloud", session="sonder")
    assert hits and all(h.chunk.session and h.chunk.session.kind == "Sondersitzung" for h in hits)


def test_document_type_role_and_document_filters(sample_index: Index) -> None:
    doc = sample_index.document_by_file("protokoll-45.txt")
    assert doc is not None
    hits = _search(sample_index, "Bayern", document_id=doc.id)
    assert hits and {h.chunk.document_id for h in hits} == {doc.id}
    hits = _search(sample_index, "Beschluss", roles=("decision",))
    assert hits and {h.chunk.role for h in hits} == {"decision"}
    assert _search(sample_index, "Cloud", doc_type="Bericht") == []
    assert _search(sample_index, "Cloud", doc_type="protokoll")


def test_collections_are_a_boundary_that_never_leaks(open_index) -> None:  # type: ignore[no-untyped-def]
    index = open_index()
    secret = make_protocol(
        48,
        "2025-11-20",
        [
            (
                "BY",
                "02",
                "Delos Cloud",
                "Bayern: vertrauliche Kostenschätzung zur Delos Cloud, geheim.",
            ),
        ],
        file="intern-48.txt",
        collection="intern",
    )
    index.upsert([*sample_corpus(), secret])
    public = Filters(collections=("public",))
    plan = understand("Was hat Bayern in der 48. Sitzung zur vertraulichen Delos Cloud gesagt?")
    hits = index.search(plan, k=50, filters=public)
    assert hits and all(h.chunk.collection == "public" for h in hits)
    assert all("vertrauliche" not in h.chunk.text for h in hits)
    for mode in ("bm25", "dense"):
        assert all(
            h.chunk.collection == "public"
            for h in index.search(plan, k=50, filters=public, mode=mode)
        )
    assert index.search(plan, k=5, filters=Filters())[0].chunk.collection == "intern"
    with pytest.raises(InvalidRequest):  # a hidden document is as unknown as a missing one
        index.search(plan, k=5, filters=Filters(collections=("public",), document_id=secret[0].id))
    with pytest.raises(InvalidRequest, match="'48'"):
        index.search(plan, k=5, filters=Filters(collections=("public",), session="48"))
    assert all(s.id != "2025-11-20-48" for s, _ in index.sessions(["public"]))
    assert dict((s.code, n) for s, n in index.speakers(["public"]))["BY"] == 3
    assert index.search(plan, k=5, filters=Filters(collections=())) == []


def test_chunks_take_their_documents_collection(open_index) -> None:  # type: ignore[no-untyped-def]
    index = open_index()
    doc, chunks = make_protocol(
        1, "2020-01-01", [("BY", "01", "X", "Geheimes")], collection="public"
    )
    from dataclasses import replace

    index.upsert([(replace(doc, collection="intern"), chunks)])
    assert {c.collection for c in index.chunks(doc.id)} == {"intern"}
    assert index.search(understand("Geheimes"), k=5, filters=Filters(collections=("public",))) == []


SESSIONS = [
    ("47. Sitzung", "2025-06-26-47"),
    ("Sondersitzung", "2024-06-27-sonder"),
    ("45. Sitzung", "2024-11-08-45"),
]


@pytest.mark.parametrize("year", range(2019, 2028))
@pytest.mark.parametrize(("named", "session_id"), SESSIONS)
def test_a_session_named_with_any_year_is_that_session(
    sample_index: Index, named: str, session_id: str, year: int
) -> None:
    """A year that contradicts the session named ("die 47. Sitzung 2024", held in 2025)
    loses to it: the pool is the session's, never empty."""
    plan = understand(f"Was wurde in der {named} {year} zur Cloud gesagt?")
    assert plan.session and (plan.date_from or plan.date_to)
    pool = sample_index.pool(plan, filters=Filters())
    assert pool.hits and not pool.session_missing, (named, year)
    assert {h.chunk.session.id for h in pool.hits if h.chunk.session} == {session_id}


@pytest.mark.parametrize("year", [2024, 2025])
def test_a_year_alone_still_restricts_the_period(sample_index: Index, year: int) -> None:
    plan = understand(f"Was wurde im Jahr {year} zur Cloud gesagt?")
    pool = sample_index.pool(plan, filters=Filters())
    assert pool.hits
    assert {h.chunk.session.date[:4] for h in pool.hits if h.chunk.session} == {str(year)}
