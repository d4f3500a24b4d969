import json
from collections import Counter
from pathlib import Path

import pytest

from eval.dataset import DEFAULT_QA, DatasetError, load_qa, parse_lines
from eval.matching import contains
from gremium.speakers import REGISTRY

CORPUS = Path(__file__).resolve().parents[2] / "corpus"


def test_reference_file_is_large_and_varied() -> None:
    items = load_qa(DEFAULT_QA)
    assert len(items) >= 60
    kinds = Counter(item.kind for item in items)
    for kind in (
        "speaker",
        "protocol_note",
        "decision",
        "aggregate",
        "english",
        "absent_speaker",
        "out_of_scope",
        "document",
    ):
        assert kinds[kind] >= 3, kind
    land_topic = [i for i in items if i.expects_attribution and i.session]
    assert len(land_topic) >= 30
    sessions = Counter(i.session for i in land_topic)
    assert sessions["2024-06-27"] >= 10 and sessions["2025-06-26"] >= 10


def test_every_question_has_a_split_and_the_test_split_is_broad() -> None:
    items = load_qa(DEFAULT_QA)
    assert all(item.split in {"dev", "test"} for item in items)
    test = [item for item in items if item.split == "test"]
    assert len(test) >= 120
    assert sum(item.language_slice == "en" for item in test) >= 20
    reasons = Counter(item.negative for item in test if item.kind == "negative")
    assert all(reasons[r] >= 4 for r in ("absent", "topic", "session", "near_miss")), reasons
    assert sum(item.kind == "multi" for item in test) >= 8
    assert all(item.speakers_all for item in test if item.kind == "aggregate")
    conversations = [item for item in items if item.kind == "followup"]
    assert len(conversations) >= 25
    assert sum(item.split == "test" for item in conversations) >= len(conversations) // 2 - 1
    assert all(len(item.messages) >= 3 for item in conversations)


def test_every_evidence_phrase_is_in_the_corpus() -> None:
    texts = {p.name: p.read_text(encoding="utf-8") for p in CORPUS.glob("*.txt")}
    for item in load_qa():
        if item.doc:
            assert item.doc in texts, f"{item.id}: unknown doc {item.doc}"
        for phrase in item.evidence:
            assert any(contains(t, phrase) for t in texts.values()), f"{item.id}: {phrase!r}"
        if item.doc and item.kind != "document":
            # speaker, note and decision evidence comes from the named protocol itself
            assert any(contains(texts[item.doc], p) for p in item.evidence) or not item.evidence


def test_speaker_codes_are_canonical() -> None:
    for item in load_qa():
        for code in (*item.speakers, *item.absent_speakers):
            speaker = REGISTRY.get(code)
            assert speaker is not None and speaker.code == code, f"{item.id}: {code}"


def test_abstention_questions_carry_no_evidence() -> None:
    for item in load_qa():
        if item.kind in {"absent_speaker", "out_of_scope"}:
            assert item.expect_abstain and not item.evidence and not item.speakers


def _line(**fields: object) -> str:
    return json.dumps({"id": "a", "question": "Was?", **fields})


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("{not json", "qa.jsonl:1: not valid JSON"),
        (json.dumps({"question": "Was?"}), "'id' is required"),
        (_line(session="27.06.2024"), "ISO date"),
        (_line(evidence="one string"), "list of non-empty strings"),
        (_line(kind="weather"), "kind 'weather'"),
        (_line(colour="red"), "unknown field"),
        (_line(expect_abstain=True, evidence=["x"]), "cannot list evidence"),
    ],
)
def test_bad_lines_fail_with_a_clear_message(line: str, message: str) -> None:
    with pytest.raises(DatasetError, match=message.replace("(", r"\(").replace(")", r"\)")):
        parse_lines([line], source="qa.jsonl")


def test_duplicate_ids_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "qa.jsonl"
    path.write_text(_line() + "\n\n" + _line() + "\n", encoding="utf-8")
    with pytest.raises(DatasetError, match="already used on line 1"):
        load_qa(path)


def test_empty_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "qa.jsonl"
    path.write_text("\n", encoding="utf-8")
    with pytest.raises(DatasetError, match="no questions"):
        load_qa(path)
