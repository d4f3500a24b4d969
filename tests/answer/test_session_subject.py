"""A session called by its subject ("die Delos-Runde", "the Delos meeting", "die Sitzung
zur Delos Cloud") is the session whose indexed agenda alone holds that subject.

Generated: made-up subjects over made-up agendas, every way of calling a session by
its subject, so the rule cannot lean on the corpus's own words.
"""

from __future__ import annotations

import itertools
from dataclasses import replace

import pytest

from answer.plan import read_question, scoped_by_subject, session_subjects
from gremium.types import AgendaItem

# made-up subjects, one per session, and one every session shares
SUBJECTS = {"s1": "Velandra", "s2": "Torixa", "s3": "Quembro", "s4": "Dralun"}
SHARED = "Pentolith"
UNKNOWN = "Ormisade"
AGENDA = [
    (session, AgendaItem(number, title, area))
    for session, subject in SUBJECTS.items()
    for number, title, area in (
        ("00", "Begrüßung", None),
        ("01", f"{subject} Plattform", "Digitale Infrastruktur"),
        ("02", f"Bericht zu {SHARED}", None),
    )
]

# every way of calling a session by its subject
NAMING = [
    "Was sagte Bayern in der {w}-Runde zur Finanzierung?",
    "Was hat Hessen in der {w}-Sitzung zur Finanzierung gesagt?",
    "Wie äußerte sich NRW beim {w}-Treffen zur Finanzierung?",
    "Welche Länder haben in der {w}-Runde die Finanzierung angesprochen?",
    "What did Bavaria say about funding at the {w} meeting?",
    "At the {w} session, who talked about funding?",
    "Was sagte Bayern in der Sitzung zur {w} Plattform über die Finanzierung?",
    "Was sagte Hamburg in der Runde zum {w} über die Finanzierung?",
    "What did Hesse say about funding in the meeting on {w}?",
]


def subjects() -> dict[str, str]:
    return session_subjects([(session, item, ()) for session, item in AGENDA])


def test_a_subject_of_one_session_names_it_and_shared_words_name_none() -> None:
    found = subjects()
    for session, subject in SUBJECTS.items():
        assert found[subject.casefold()] == session
    assert SHARED.casefold() not in found
    # shared words, frame words and numbers name no session
    assert {"plattform", "bericht", "digitale", "infrastruktur", "00", "zu"}.isdisjoint(found)


@pytest.mark.parametrize("template", NAMING)
def test_the_subject_scopes_the_question_to_its_session(template: str) -> None:
    for session, subject in SUBJECTS.items():
        asked = read_question(template.format(w=subject))
        plan = scoped_by_subject(asked, subjects())
        assert plan.session == session, template
        assert plan == replace(asked, session=session)  # only the scope changes


@pytest.mark.parametrize("template", NAMING)
def test_a_shared_or_unknown_subject_names_no_session(template: str) -> None:
    for word in (SHARED, UNKNOWN):
        question = template.format(w=word)
        plan = read_question(question)
        assert scoped_by_subject(plan, subjects()) == plan, question


def test_a_subject_of_two_sessions_at_once_names_none() -> None:
    first, second = SUBJECTS["s1"], SUBJECTS["s2"]
    for template in NAMING:
        plan = read_question(template.format(w=f"{first}-{second}"))
        assert scoped_by_subject(plan, subjects()).session is None, template


def test_a_session_named_otherwise_wins() -> None:
    for template, subject in itertools.product(NAMING, SUBJECTS.values()):
        plan = read_question(template.format(w=subject))
        for session in ("47", "2025-06-26-47", "sonder"):
            named = replace(plan, session=session)
            assert scoped_by_subject(named, subjects()) == named
        dated = replace(plan, date_from="2024-01-01", date_to="2024-12-31")
        assert scoped_by_subject(dated, subjects()) == dated


def test_a_session_noun_without_a_subject_names_none() -> None:
    for question in (
        "Was sagte Bayern in der Runde zur Finanzierung?",
        "Was wurde in der Sitzung zu Protokoll gegeben?",
        "Was sagte der Bund bei der Runde des Kanzlers mit den Ministerpräsidenten?",
        "What did Bavaria say at the meeting?",
    ):
        plan = read_question(question)
        assert scoped_by_subject(plan, subjects()) == plan, question


def test_a_speakers_name_in_an_agenda_is_no_subject() -> None:
    agenda = [("s1", AgendaItem("01", "Bericht Bayern", None), ())]
    assert "bayern" not in session_subjects(agenda)
