"""The public JSON of INTERFACE.md and the CLI text, rendered from core types."""

from __future__ import annotations

import json

from answer.render import answer_to_dict, format_text, hit_to_dict

CITATION_KEYS = {
    "n",
    "chunk_id",
    "text",
    "speaker",
    "role",
    "session",
    "agenda_item",
    "document",
    "page",
    "score",
}


def test_ask_response_has_the_contract_fields(ask) -> None:
    body = answer_to_dict(ask("Was hat Bayern zur Delos Cloud gesagt?"))
    assert {"question", "answer", "abstained", "citations", "statements"} <= body.keys()
    assert body["question"] == "Was hat Bayern zur Delos Cloud gesagt?"
    assert body["abstained"] is False
    assert body["language"] == "de" and body["mode"] == "extractive"
    json.dumps(body)  # serialisable as is

    citation = body["citations"][0]
    assert citation.keys() >= CITATION_KEYS
    assert citation["n"] == 1
    assert citation["speaker"] == {"code": "BY", "name": "Bayern", "kind": "land"}
    assert citation["role"] in {"statement", "protocol_note", "decision", "text"}
    assert citation["session"] == {
        "id": "2024-06-27-sonder",
        "number": None,
        "kind": "Sondersitzung",
        "date": "2024-06-27",
        "place": "Videokonferenz",
    }
    assert citation["agenda_item"] == {"number": "01", "title": "Delos Cloud"}
    assert set(citation["document"]) == {"id", "title", "file", "doc_type"}
    assert citation["document"]["doc_type"] == "protokoll"
    assert isinstance(citation["page"], int)
    assert isinstance(citation["score"], float)

    statement = body["statements"][0]
    assert set(statement) == {"speaker", "session", "summary", "citations"}
    assert statement["speaker"]["code"] == "BY"
    assert statement["session"] == {"id": "2024-06-27-sonder", "date": "2024-06-27"}
    assert statement["citations"][0] == 1
    assert all(f"[{n}]" in statement["summary"] for n in statement["citations"])


def test_decision_citation_has_null_speaker(ask) -> None:
    body = answer_to_dict(ask("Wie hoch ist die Unterstützung pro Studienausgabe?"))
    citation = body["citations"][0]
    assert citation["speaker"] is None
    assert citation["role"] == "decision"
    assert citation["label"] == "Beschluss B-2025/30-IT"
    assert citation["decision"] == "B-2025/30-IT"


def test_abstention_renders_empty_lists(ask) -> None:
    body = answer_to_dict(ask("Rezept für Apfelkuchen"))
    assert body["abstained"] is True
    assert body["citations"] == [] and body["statements"] == []


def test_hit_to_dict_is_the_citation_shape_without_n(corpus_service) -> None:
    hit = corpus_service.search("Delos Cloud Bayern", k=1)[0]
    body = hit_to_dict(hit)
    assert CITATION_KEYS - {"n"} <= body.keys()
    assert "n" not in body
    assert {"bm25", "dense", "fused"} <= body["scores"].keys()
    assert hit_to_dict(hit, 3)["n"] == 3


def test_format_text_lists_citations_with_provenance(ask) -> None:
    answer = ask("Was hat Bayern zur Delos Cloud gesagt?")
    text = format_text(answer)
    assert text.startswith(answer.answer)
    lines = text.splitlines()
    assert "Quellen:" in lines
    first = next(line for line in lines if line.startswith("[1] "))
    for part in ("Bayern (BY)", "Sondersitzung am 27.06.2024", "TOP 01 Delos Cloud", "S. "):
        assert part in first
    assert "Protokoll" in first


def test_format_text_of_an_abstention_says_so_before_any_source(ask) -> None:
    answer = ask("How do I bake bread?")
    assert answer.abstained
    text = format_text(answer)
    assert text.startswith("I find no answer") or text.startswith("The records searched")
    if answer.citations:  # related passages only, introduced as such
        assert "not an answer, only related" in text
