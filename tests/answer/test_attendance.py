"""Attendance questions are answered from the session's attendance list: every listed
speaker of the asked class, each cited to the passage of the record that lists them.
Generated sessions with random attendance, a real index on disk (fake embedder: the
answer does not depend on relevance)."""

from __future__ import annotations

import random

import pytest

from gremium.service import Gremium
from gremium.settings import Settings
from gremium.speakers import REGISTRY

LANDS = [s for s in REGISTRY.all() if s.kind == "land"]
SESSIONS = (38, 39, 40, 41, 42)


def _protocol(number: int, absent: list[str]) -> str:
    present = [s for s in LANDS if s.code not in absent]
    rows = "\n".join(f"| {s.name} | StS Dr. Beispiel {i} |" for i, s in enumerate(present))
    names = ", ".join(REGISTRY.get(c).name for c in absent)  # type: ignore[union-attr]
    return (
        f"Ergebnisprotokoll\n# {number}. Sitzung des IT-Planungsrats\n"
        f"Datum: {number - 20:02d}.03.2023, 10:00 – 12:00 Uhr\nOrt: Videokonferenz\n\n"
        f"Teilnehmende:\n| Mitglied | vertreten durch |\n| Bund | StS Dr. Pohl (BMI) |\n{rows}\n"
        f"Entschuldigt: {names}\n\nTagesordnung:\nTOP 1 Begrüßung\nTOP 2 Registermodernisierung\n\n"
        "## TOP 1: Begrüßung\nDie Vorsitzende begrüßt die Mitglieder.\n\n"
        "## TOP 2: Registermodernisierung\nBayern:\n- Der Zeitplan sei ehrgeizig.\n"
    )


@pytest.fixture(scope="module")
def sessions(tmp_path_factory: pytest.TempPathFactory) -> tuple[Gremium, dict[int, list[str]]]:
    rng = random.Random(42)
    folder = tmp_path_factory.mktemp("attendance-records")
    absent = {}
    for number in SESSIONS:
        absent[number] = sorted(
            rng.sample([s.code for s in LANDS if s.code != "BY"], rng.randint(1, 4))
        )
        (folder / f"protokoll-{number}.txt").write_text(_protocol(number, absent[number]), "utf-8")
    settings = Settings(
        data_dir=tmp_path_factory.mktemp("attendance-data"), embedder="fake", llm_url=""
    )
    service = Gremium.open(settings)
    assert service.ingest_paths([folder]).ok
    return service, absent


@pytest.mark.parametrize("number", SESSIONS)
@pytest.mark.parametrize(
    "template",
    [
        "Welche Länder fehlten in der {n}. Sitzung?",
        "Which Länder were absent from the {n}th session?",
    ],
)
def test_the_absent_are_named_from_the_attendance_list(
    sessions, number: int, template: str
) -> None:  # type: ignore[no-untyped-def]
    service, absent = sessions
    answer = service.ask(template.format(n=number))
    assert not answer.abstained
    assert sorted(s.speaker.code for s in answer.statements) == absent[number]
    assert answer.citations and all(
        c.hit.chunk.session is not None and c.hit.chunk.session.number == number
        for c in answer.citations
    )
    for statement in answer.statements:
        assert statement.citations, statement
    for code in absent[number]:
        assert REGISTRY.get(code).name in answer.answer or code in answer.answer  # type: ignore[union-attr]


@pytest.mark.parametrize("number", SESSIONS)
def test_the_present_are_named_from_the_attendance_list(sessions, number: int) -> None:  # type: ignore[no-untyped-def]
    service, absent = sessions
    answer = service.ask(f"Welche Länder waren in der {number}. Sitzung anwesend?")
    named = {s.speaker.code for s in answer.statements}
    assert named == {s.code for s in LANDS} - set(absent[number])


def test_a_session_without_a_list_is_not_answered_from_another(sessions) -> None:  # type: ignore[no-untyped-def]
    service, _ = sessions
    answer = service.ask("Welche Länder fehlten in der 37. Sitzung?")
    assert answer.abstained and not answer.statements
