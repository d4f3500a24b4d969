"""The extractive answer over real corpus passages (hand-built hits, see conftest.py)."""

from __future__ import annotations

import re

import pytest
from answer_fixtures import CHUNKS, make_plan, retrieve

from answer import answer_question
from gremium.settings import Settings
from gremium.types import Answer, QueryPlan


def check_consistent(answer: Answer) -> None:
    """Every [n] exists, citations are numbered 1..k, statements cite only known numbers."""
    numbers = [c.n for c in answer.citations]
    assert numbers == list(range(1, len(numbers) + 1))
    used = {int(n) for n in re.findall(r"\[(\d+)\]", answer.answer)}
    assert used <= set(numbers)
    assert used == set(numbers), "every citation is used in the answer"
    for statement in answer.statements:
        assert set(statement.citations) <= set(numbers)
        for n in statement.citations:
            hit = answer.citations[n - 1].hit
            assert hit.chunk.speaker == statement.speaker
            assert f"[{n}]" in statement.summary


def quotes_of(answer: Answer) -> list[str]:
    return re.findall(r"„(.+?)“", answer.answer)


def assert_verbatim(answer: Answer) -> None:
    """Each quoted piece appears word for word in a cited passage."""
    texts = [" ".join(c.hit.chunk.text.split()) for c in answer.citations]
    for quote in quotes_of(answer):
        for piece in quote.split(" … "):
            piece = piece.rstrip(" …")
            assert any(piece in t for t in texts), piece


def cited_speakers(answer: Answer) -> set[str]:
    return {c.hit.chunk.speaker.code for c in answer.citations if c.hit.chunk.speaker}


def test_speaker_question_quotes_that_speaker_with_session_and_top(ask) -> None:
    answer = ask("Was hat Bayern zur Delos Cloud gesagt?")
    check_consistent(answer)
    assert_verbatim(answer)
    assert not answer.abstained
    assert cited_speakers(answer) == {"BY"}
    assert "Sondersitzung am 27.06.2024" in answer.answer
    assert "TOP 01 Delos Cloud" in answer.answer
    assert "Ablehnung des Beschlussvorschlags" in answer.answer
    assert [s.speaker.code for s in answer.statements if s.speaker] == ["BY"]
    assert answer.statements[0].session is not None
    assert answer.statements[0].session.id == "2024-06-27-sonder"


def test_protocol_note_is_quoted_and_named_as_one(ask) -> None:
    answer = ask("Was steht in der Protokollnotiz von Bayern?")
    check_consistent(answer)
    assert_verbatim(answer)
    assert not answer.abstained
    assert answer.citations[0].hit.chunk.role == "protocol_note"
    assert "Protokollnotiz" in answer.answer
    assert "Multi-Cloud-Ansatz" in answer.answer


def test_decision_figure_quotes_the_decision_with_its_number(ask) -> None:
    answer = ask("Wie hoch ist die Unterstützung pro Studienausgabe für den eGovernment MONITOR?")
    check_consistent(answer)
    assert_verbatim(answer)
    assert not answer.abstained
    assert answer.citations[0].hit.chunk.role == "decision"
    assert "B-2025/30-IT" in answer.answer
    assert "40.700,00 Euro" in answer.answer


def test_decision_date_is_quoted(ask) -> None:
    answer = ask("Bis wann soll die Beauftragung eines wissenschaftlichen Instituts erfolgen?")
    check_consistent(answer)
    assert "31.08.2025" in answer.answer
    assert "B-2025/27-IT" in answer.answer


def test_aggregate_names_every_speaker_with_evidence(ask) -> None:
    answer = ask("Welche Länder sprachen sich gegen eine Beschlussfassung aus?")
    check_consistent(answer)
    assert_verbatim(answer)
    assert not answer.abstained
    assert cited_speakers(answer) == {"NW", "BY", "BE", "BB"}
    # one cited quote each, and each named in the text
    assert len(answer.statements) == 4
    for name in ("Nordrhein-Westfalen", "Bayern", "Berlin", "Brandenburg"):
        assert name in answer.answer
    # the Bund argued for a decision, Sachsen-Anhalt welcomed the letter: neither is listed
    assert "Bund" not in cited_speakers(answer) and "ST" not in cited_speakers(answer)


def test_aggregate_protocol_notes_lists_all_note_givers(ask) -> None:
    answer = ask("Wer hat eine Protokollnotiz abgegeben?")
    check_consistent(answer)
    assert not answer.abstained
    assert cited_speakers(answer) == {"BY", "BE", "HH", "FITKO", "HE"}
    assert all(c.hit.chunk.role == "protocol_note" for c in answer.citations)


def test_english_question_gets_english_framing_around_german_quotes(ask) -> None:
    answer = ask("What did Bavaria say about the Delos Cloud?")
    check_consistent(answer)
    assert_verbatim(answer)
    assert answer.language == "en"
    assert not answer.abstained
    assert "special session on 27.06.2024" in answer.answer
    assert "Bavaria (BY)" in answer.answer
    assert "Ablehnung des Beschlussvorschlags" in answer.answer  # quote stays German


def test_english_aggregate_question(ask) -> None:
    answer = ask("Which states opposed a decision in the special session?")
    check_consistent(answer)
    assert answer.language == "en"
    assert cited_speakers(answer) == {"NW", "BY", "BE", "BB"}
    assert answer.answer.startswith("Evidence was found for 4 states")


def test_land_that_did_not_speak_abstains_without_misattribution(ask) -> None:
    answer = ask("Was hat das Saarland in der Sondersitzung zur Delos Cloud gesagt?")
    check_consistent(answer)
    assert answer.abstained
    assert answer.answer.startswith(
        "Die durchsuchten Unterlagen enthalten keine Aussage von Saarland"
    )
    assert "SL" not in cited_speakers(answer)
    assert all(s.speaker is None or s.speaker.code != "SL" for s in answer.statements)
    # others' statements may follow, labelled as others'
    assert "andere Beteiligte" in answer.answer
    assert "äußerte sich Saarland" not in answer.answer


def test_land_that_spoke_elsewhere_is_not_quoted_for_another_session(ask) -> None:
    # Saarland spoke in the 47th session (on cybersecurity), not in the Sondersitzung
    hits = retrieve("Was hat das Saarland in der Sondersitzung zur Delos Cloud gesagt?", 12)
    assert any(h.chunk.speaker and h.chunk.speaker.code == "SL" for h in hits)
    answer = ask("Was hat das Saarland in der Sondersitzung zur Delos Cloud gesagt?")
    assert all(
        c.hit.chunk.session and c.hit.chunk.session.kind == "Sondersitzung"
        for c in answer.citations
    )


@pytest.mark.parametrize(
    "question",
    ["Wie wird das Wetter morgen in Berlin?", "Rezept für Apfelkuchen", "How do I bake bread?"],
)
def test_out_of_scope_question_abstains_and_cites_nothing(ask, question: str) -> None:
    answer = ask(question)
    assert answer.abstained
    assert answer.citations == ()
    assert answer.statements == ()
    assert "keine" in answer.answer or "nothing" in answer.answer


def test_unknown_session_abstains(ask) -> None:
    answer = ask("Was hat Bayern in der 48. Sitzung gesagt?")
    assert answer.abstained and answer.citations == ()


def test_stance_nobody_took_is_not_invented(ask) -> None:
    answer = ask("Welche Länder sprachen sich gegen Open Desk aus?")
    assert answer.abstained
    assert "eine ausdrückliche aussage in diesem sinne ist" in answer.answer.lower()
    assert "nicht verzeichnet" in answer.answer


def test_no_hits_abstains(settings: Settings) -> None:
    plan = make_plan("Was hat Bayern zur Delos Cloud gesagt?")
    answer = answer_question(plan, [], top_k=8, settings=settings)
    assert answer.abstained and answer.citations == ()


def test_empty_topic_without_speaker_abstains(settings: Settings) -> None:
    plan = QueryPlan(question="Was?", text="Was?")
    answer = answer_question(plan, retrieve("Delos"), top_k=8, settings=settings)
    assert answer.abstained


def test_speaker_question_without_topic_quotes_all_their_sessions(ask) -> None:
    answer = ask("Was hat Bayern gesagt?")
    check_consistent(answer)
    assert cited_speakers(answer) == {"BY"}
    sessions = {s.session.id for s in answer.statements if s.session}
    assert sessions == {"2024-06-27-sonder", "2025-06-26-47"}


def test_top_k_limits_an_ordinary_answer(ask) -> None:
    answer = ask("Was wurde zur Delos Cloud gesagt?", top_k=2)
    check_consistent(answer)
    assert 1 <= len(answer.citations) <= 2


def test_hit_order_does_not_decide_attribution(settings: Settings) -> None:
    # the named speaker's passage at the end of a long list is still found
    question = "Was hat Brandenburg zur Delos Cloud gesagt?"
    hits = list(reversed(retrieve(question, 30)))
    answer = answer_question(make_plan(question), hits, top_k=8, settings=settings)
    assert not answer.abstained
    assert cited_speakers(answer) == {"BB"}
    assert "Spricht sich ebenfalls gegen eine Beschlussfassung aus." in answer.answer


def test_duplicate_hits_are_cited_once(settings: Settings) -> None:
    question = "Was hat Brandenburg zur Delos Cloud gesagt?"
    hits = retrieve(question, 12)
    answer = answer_question(make_plan(question), hits + hits, top_k=8, settings=settings)
    ids = [c.hit.chunk.id for c in answer.citations]
    assert len(ids) == len(set(ids))


def test_timings_are_reported(ask) -> None:
    answer = ask("Was hat Bayern zur Delos Cloud gesagt?")
    assert answer.mode == "extractive"
    assert answer.timings_ms["extract"] >= 0


def test_fixture_texts_are_real_corpus_text() -> None:
    from pathlib import Path

    corpus = Path(__file__).resolve().parents[2] / "corpus"

    def flat(text: str) -> str:
        text = re.sub(r"<[^>]+>|[›➤]", " ", text)
        return re.sub(r"(\w)- (\w)", r"\1\2", " ".join(text.split()))

    raw = {p.name: flat(p.read_text(encoding="utf-8")) for p in corpus.glob("*.txt")}
    for chunk, document in CHUNKS.values():
        for sentence in re.split(r"(?<=\.) ", flat(chunk.text))[:3]:
            assert sentence[:60] in raw[document.file], sentence
