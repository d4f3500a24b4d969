"""End to end over the real corpus: parse, index, retrieve, answer (the issue's "Done when").

Runs once the parser (ingest.pipeline), the index (index.store) and the service facade
are importable; the corpus is ingested once per session with the deterministic fake
embedder, so retrieval is lexical-heavy and the answer step must carry relevance itself.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from answer.render import answer_to_dict, format_text
from gremium.settings import Settings
from gremium.types import Answer

CORPUS = Path(__file__).resolve().parents[2] / "corpus"


@pytest.fixture(scope="session")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    from gremium.service import Gremium

    corpus = CORPUS
    data = tmp_path_factory.mktemp("gremium-data")
    service = Gremium.open(Settings(data_dir=data, corpus_dir=corpus, embedder="fake", llm_url=""))
    report = service.ingest_paths([corpus])
    assert report.ok, report.failed
    yield service


def ask(service: object, question: str) -> Answer:
    answer = service.ask(question)  # type: ignore[attr-defined]
    assert isinstance(answer, Answer)
    body = answer_to_dict(answer)
    numbers = [c["n"] for c in body["citations"]]
    assert numbers == list(range(1, len(numbers) + 1))
    assert {int(n) for n in re.findall(r"\[(\d+)\]", body["answer"])} <= set(numbers)
    for statement in body["statements"]:
        assert set(statement["citations"]) <= set(numbers)
    format_text(answer)
    return answer


def cited_text(answer: Answer) -> str:
    return " ".join(" ".join(c.hit.chunk.text.split()) for c in answer.citations)


def cited_speakers(answer: Answer) -> set[str]:
    return {c.hit.chunk.speaker.code for c in answer.citations if c.hit.chunk.speaker}


def test_speaker_question(service: object) -> None:
    answer = ask(service, "Was hat Bayern in der Sondersitzung zur Delos Cloud gesagt?")
    assert not answer.abstained
    assert cited_speakers(answer) == {"BY"}
    assert "Ablehnung des Beschlussvorschlags" in cited_text(answer)
    assert "Sondersitzung am 27.06.2024" in answer.answer


def test_protocol_note(service: object) -> None:
    answer = ask(service, "Was steht in der Protokollnotiz Bayerns zur Delos Cloud?")
    assert not answer.abstained
    assert answer.citations[0].hit.chunk.role == "protocol_note"
    assert "Multi-Cloud-Ansatz" in answer.answer


def test_decision_figure(service: object) -> None:
    answer = ask(
        service, "Wie hoch ist die Unterstützung pro Studienausgabe des eGovernment MONITOR?"
    )
    assert not answer.abstained
    assert "40.700,00 Euro" in answer.answer
    assert "B-2025/30-IT" in answer.answer


def test_aggregate_question(service: object) -> None:
    answer = ask(service, "Welche Länder sprachen sich gegen eine Beschlussfassung aus?")
    assert not answer.abstained
    found = cited_speakers(answer)
    # NW, BY and BB say so in so many words; BE ("heute keinen Beschluss zu fassen") when
    # retrieval returns its passage
    assert {"NW", "BY", "BB"} <= found <= {"NW", "BY", "BB", "BE"}
    assert len(answer.statements) == len(found)


def test_protocol_note_aggregate(service: object) -> None:
    answer = ask(service, "Welche Protokollnotizen gibt es in der 47. Sitzung und von wem?")
    assert not answer.abstained
    assert {"BE", "HH", "FITKO", "HE"} <= cited_speakers(answer)


def test_english_question(service: object) -> None:
    answer = ask(service, "What did Bavaria say about the Delos Cloud in the special session?")
    assert not answer.abstained
    assert answer.language == "en"
    assert "special session on 27.06.2024" in answer.answer
    assert cited_speakers(answer) == {"BY"}


@pytest.mark.parametrize(
    ("question", "absent"),
    [
        ("Was hat das Saarland in der Sondersitzung zur Delos Cloud gesagt?", "SL"),
        ("Was sagte Nordrhein-Westfalen in der 47. Sitzung zur Zusammenarbeit mit dem BSI?", "NW"),
        ("What did Thuringia say about cybersecurity in the 47th session?", "TH"),
    ],
)
def test_land_that_did_not_speak(service: object, question: str, absent: str) -> None:
    answer = ask(service, question)
    assert answer.abstained
    assert absent not in cited_speakers(answer)
    assert all(s.speaker is None or s.speaker.code != absent for s in answer.statements)


@pytest.mark.parametrize(
    "question",
    [
        "Wie wird das Wetter morgen in Berlin?",
        "Gib mir ein Rezept für Apfelstrudel.",
        "What is the capital of Australia?",
        "Wie viele Einwohner hat Bayern?",
        "Was hat Hamburg zum Thema Fußball gesagt?",
    ],
)
def test_out_of_scope(service: object, question: str) -> None:
    answer = ask(service, question)
    assert answer.abstained
    assert answer.citations == ()


def test_answer_step_is_fast(service: object) -> None:
    answer = ask(service, "Welche Länder sprachen sich gegen eine Beschlussfassung aus?")
    assert answer.timings_ms["extract"] < 100
