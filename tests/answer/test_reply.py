"""A reply asked in one question: "Wie reagierte der Bund auf die Kritik von NRW?" asks
for the Bund's words, read after NRW's (whose words were replied to), not for both.

Generated over pairs of Länder and every way of asking for a reply; the corpus test
checks the answer quotes the reply that follows the statement in the record.
"""

from __future__ import annotations

import itertools

import pytest

from answer.plan import REPLY, read_question
from gremium.speakers import REGISTRY

LAENDER = sorted((s for s in REGISTRY.all() if s.kind == "land"), key=lambda s: s.code)
PAIRS = list(itertools.permutations(LAENDER, 2))[::5]  # 48 ordered pairs

REPLIES = [
    "Wie reagierte {a} auf die Kritik von {b}?",
    "Was entgegnete {a} in der Sondersitzung auf den Vorschlag von {b}?",
    "Wie hat {a} auf die Frage von {b} reagiert?",
    "Was antwortete {a} auf die Bitte von {b} zur Finanzierung?",
    "Und was erwiderte {a} auf den Einwand von {b}?",
    "How did {a} respond to the question from {b}?",
    "What did {a} reply to {b} about the funding?",
    "How did {a} react to the criticism by {b}?",
]
NO_REPLY = [
    "Was sagte {a} zur Kritik von {b}?",
    "Wie bewertete {a} den Vorschlag von {b}?",
    "What did {a} say about the proposal from {b}?",
]


@pytest.mark.parametrize("template", REPLIES)
def test_the_replying_speaker_is_asked_about_the_other_is_replied_to(template: str) -> None:
    for a, b in PAIRS:
        question = template.format(a=a.name, b=b.name)
        plan = read_question(question)
        assert plan.speakers == (a.code,), question
        assert plan.reply_to == (b.code,), question
        # whose words were replied to names who, not what
        assert b.name.split()[0] not in plan.topic.split(), (question, plan.topic)


@pytest.mark.parametrize("template", NO_REPLY)
def test_without_a_reply_the_object_stays_what_it_was(template: str) -> None:
    for a, b in PAIRS:
        plan = read_question(template.format(a=a.name, b=b.name))
        assert plan.reply_to == ()


def test_a_reply_without_another_speaker_or_to_no_one_changes_nothing() -> None:
    for land in LAENDER:
        for question in (
            f"Wie reagierte {land.name} auf die Kritik?",
            f"How did {land.name} react?",
            f"Auf die Kritik von {land.name} reagierte wer?",
        ):
            plan = read_question(question)
            assert plan.reply_to == (), question
        aggregate = read_question(f"Welche Länder reagierten auf die Kritik von {land.name}?")
        assert aggregate.aggregate and aggregate.reply_to == () and not aggregate.speakers


def test_a_speaker_after_the_reply_verb_is_its_subject() -> None:
    for a, b in PAIRS:
        plan = read_question(f"Auf die Kritik von {b.name} reagierte {a.name} wie?")
        assert plan.reply_to == (b.code,) and plan.speakers == (a.code,), (a.code, b.code)


def test_responsibility_is_no_reply() -> None:
    for question in (
        "Who is responsible for the project in Bavaria?",
        "Which responsibilities did Hesse take on?",
        "Wer ist für das Projekt verantwortlich?",
    ):
        assert not REPLY.search(question), question
    for question in ("What was the response of Hesse?", "Welche Reaktion kam von Hessen?"):
        assert REPLY.search(question), question
