"""Guarantees that need an index of their own: stability under unrelated documents, and
aggregates that do not depend on a top-k window. Real model, real index on disk."""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import pytest

from gremium.service import Gremium
from gremium.settings import Settings
from gremium.speakers import REGISTRY

STYLES = Path(__file__).resolve().parents[1] / "ingest" / "styles"


def _session_questions(service: Gremium) -> list[str]:
    """Questions scoped to a session of the corpus: every speaker of it, several topics."""
    # a session named unambiguously: by number or date ("die Sondersitzung" could mean
    # another one, and the added records hold one; so could a place: "in Schwerin" names
    # both the 47th session and an added record's)
    from answer.plan import read_question
    from eval.dataset import load_qa

    questions = [
        item.question
        for item in load_qa()
        if item.session
        and not item.messages
        and read_question(item.question).session not in (None, "sonder")
    ]
    rng = random.Random(7)
    for session, _ in service.sessions():
        day = ".".join(reversed((session.date or "").split("-")))
        phrase = (
            f"in der Sondersitzung am {day}"
            if session.kind == "Sondersitzung"
            else f"in der {session.number}. Sitzung"
        )
        speakers = {
            c.speaker.code
            for d in service.documents()
            for c in service.index.chunks(d.id)
            if c.speaker and c.session and c.session.id == session.id
        }
        for code in sorted(speakers):
            speaker = REGISTRY.get(code)
            name = speaker.name if speaker else code
            topic = rng.choice(
                ["die Cloud", "die Finanzierung", "die Zusammenarbeit", "den Beschluss"]
            )
            questions.append(f"Was sagte {name} {phrase} über {topic}?")
    return questions


def test_unrelated_documents_do_not_change_answers_about_another_session(
    corpus_service: Gremium, tmp_path: Path
) -> None:
    questions = _session_questions(corpus_service)
    assert len(questions) >= 60
    before = {q: [c.hit.chunk.id for c in corpus_service.ask(q).citations] for q in questions}

    copy = tmp_path / "data"
    shutil.copytree(corpus_service.settings.data_dir, copy)
    grown = Gremium.open(corpus_service.settings.model_copy(update={"data_dir": copy}))
    report = grown.ingest_paths(sorted(STYLES.glob("*.txt")))
    assert report.ok and len(report.added) >= 10, report.failed
    assert len(grown.documents()) > len(corpus_service.documents())

    changed = [
        q for q in questions if [c.hit.chunk.id for c in grown.ask(q).citations] != before[q]
    ]
    assert not changed, changed[:5]


LANDER = [
    "BW",
    "BY",
    "BE",
    "BB",
    "HB",
    "HH",
    "HE",
    "MV",
    "NI",
    "NW",
    "RP",
    "SL",
    "SN",
    "ST",
    "SH",
    "TH",
]


def _protocol(topic: str, against: set[str], rng: random.Random) -> str:
    lines = [
        "Protokoll der 60. Sitzung des IT-Planungsrats",
        "Datum: 12.03.2027",
        "Ort: Berlin",
        "",
        f"TOP 1 – {topic}",
    ]
    for code in rng.sample(LANDER, len(LANDER)):
        name = REGISTRY.get(code).name  # type: ignore[union-attr]
        if code in against:
            lines.append(
                f"{name}: {name} lehnt den Beschlussvorschlag zu {topic} ab und hält ihn "
                "für nicht zustimmungsfähig."
            )
        else:
            lines.append(f"{name}: {name} berichtet über den Stand der eigenen Vorhaben.")
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="module")
def aggregate_index(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[Gremium, dict[str, set[str]]]:
    rng = random.Random(3)
    folder = tmp_path_factory.mktemp("aggregate-corpus")
    expected: dict[str, set[str]] = {}
    for i, topic in enumerate(["die Registermodernisierung", "das Onlinezugangsgesetz"]):
        against = set(rng.sample(LANDER, 11 + i))
        expected[topic] = against
        (folder / f"protokoll-{i}.txt").write_text(_protocol(topic, against, rng), encoding="utf-8")
    service = Gremium.open(
        Settings(data_dir=tmp_path_factory.mktemp("aggregate-data"), corpus_dir=folder, llm_url="")
    )
    assert service.ingest_paths([folder]).ok
    return service, expected


@pytest.mark.parametrize("top_k", [1, 8])
def test_aggregates_name_every_speaker_whatever_the_window(aggregate_index, top_k: int) -> None:  # type: ignore[no-untyped-def]
    service, expected = aggregate_index
    for topic, against in expected.items():
        answer = service.ask(
            f"Welche Länder lehnten den Beschlussvorschlag zu {topic} ab?", top_k=top_k
        )
        named = {s.speaker.code for s in answer.statements if s.speaker}
        assert named == against, (topic, sorted(named ^ against))
