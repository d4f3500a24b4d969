"""Endorsements in the minutes: who took up whose statement, and on what.

Generated over every member's name and code and each way minutes record agreement;
the corpus test checks an aggregate lists an endorser only where the endorsement
covers the question's topic.
"""

from __future__ import annotations

import itertools
import random

import pytest

from answer.endorse import Endorsement, endorsements, on_topic, shares_stem
from answer.evidence import Member, Scored, _endorsing, _topic_key
from gremium.speakers import REGISTRY
from gremium.types import Hit, QueryPlan
from index.testing import make_protocol

MEMBERS = sorted(REGISTRY.all(), key=lambda s: s.code)
AGREEING = [
    "• Schließt sich {x} an.",
    "• Unterstützt {x} ausdrücklich.",
    "• Unterstützung der Ausführungen aus {x}.",
    "• Unterstützung des Vorschlags von {x}.",
    "• Teilt die Auffassung von {x}.",
    "• Supports {x}.",
]
LIMITS = [
    (" bzgl. der Kommunikationsstrategie", "Kommunikation des Bundes", "Beschlussfassung"),
    (" zu einem kommunalen Lagebild", "Lage der Kommunen", "Kommunikation"),
    (" hinsichtlich der Finanzierung", "Finanzierungsfragen", "Lagebild"),
]
NOT_AGREEING = [
    "• Bittet {x} um Prüfung.",
    "• Wünscht sich Unterstützung des Bundes durch {x}.",
    "• Kritisiert {x} deutlich.",
    "• Dankt {x} für die Vorlage.",
]


def names(member) -> list[str]:  # type: ignore[no-untyped-def]
    return [member.code, member.name]


@pytest.mark.parametrize("template", AGREEING)
def test_an_agreement_names_the_member_endorsed(template: str) -> None:
    for member, author in itertools.product(MEMBERS, ("HE", None)):
        if member.code == author:
            continue
        for name in names(member):
            found = endorsements(template.format(x=name) + " Weitere Ausführungen.", author)
            assert [e.target for e in found] == [member.code], (template, name)
            assert found[0].limited_to == ""


@pytest.mark.parametrize(("limit", "on", "off"), LIMITS)
def test_what_an_endorsement_is_limited_to_decides_its_topics(
    limit: str, on: str, off: str
) -> None:
    for member in MEMBERS:
        text = f"• Unterstützt {member.name}{limit} ausdrücklich. • Sonst nichts."
        (found,) = endorsements(text, None)
        assert found.target == member.code and found.limited_to
        assert on_topic(found, on) and not on_topic(found, off), (text, found.limited_to)
    assert on_topic(Endorsement("BY", ""), "irgendein Thema")


@pytest.mark.parametrize("template", NOT_AGREEING)
def test_other_verbs_and_help_from_a_member_are_no_endorsement(template: str) -> None:
    for member in MEMBERS:
        assert endorsements(template.format(x=member.name), None) == [], template


def test_nobody_endorses_themselves() -> None:
    for member in MEMBERS:
        assert endorsements(f"• Schließt sich {member.name} an.", member.code) == []


@pytest.mark.parametrize(
    ("first", "second", "same"),
    [
        ("Kommunen", "kommunalen", True),
        ("Kommunikation", "Kommunikationsstrategie", True),
        ("Kommunen", "Kommunikation", False),
        ("Lagebild", "Lagebildes", True),
        ("Finanzierung", "Lagebild", False),
        ("Netz", "Netzwerk", False),  # too short to tell
    ],
)
def test_words_share_a_stem_when_one_begins_the_other(first: str, second: str, same: bool) -> None:
    assert shares_stem(first, second) is same
    assert shares_stem(second, first) is same


# -- who an endorsement adds to an aggregate (generated protocols) ----------------------------

CODES = ("BY", "HH", "NW", "HE", "SH", "BE")
TOPS = ("01", "02", "03")
ON, OFF = "der Finanzierung", "der Kommunikation"


def _protocol(rng: random.Random) -> list[Scored]:
    turns = []
    for i in range(16):
        code, top = rng.choice(CODES), rng.choice(TOPS)
        target = rng.choice([c for c in CODES if c != code])
        name = REGISTRY.get(target).name  # type: ignore[union-attr]
        text = rng.choice(
            [
                f"Beitrag {i} zur Finanzierung.",
                f"Schließt sich {name} an.",
                f"Unterstützt {name} bzgl. {ON}.",
                f"Unterstützt {name} bzgl. {OFF}.",
            ]
        )
        turns.append((code, top, f"Thema {top}", text))
    _, chunks = make_protocol(47, "2025-06-26", turns, salt=str(rng.random()))
    return [Scored(Hit(c, 0.0, {}), round(rng.random(), 3)) for c in chunks]


@pytest.mark.parametrize("seed", range(60))
def test_an_endorsement_adds_only_whom_it_ties_to_a_qualifying_statement(seed: int) -> None:
    rng = random.Random(seed)
    passages = _protocol(rng)
    by_code: dict[str, list[Scored]] = {}
    for s in passages:
        by_code.setdefault(s.speaker_code or "", []).append(s)
    members = [
        Member(
            max(own, key=lambda s: s.p),
            0.0,
            True,
            tuple((e, s) for s in own for e in endorsements(s.hit.chunk.text, code)),
        )
        for code, own in by_code.items()
    ]
    qualifying = {m.best.speaker_code or "": m.best for m in members if rng.random() < 0.5}
    plan = QueryPlan(question="Wer sprach zur Finanzierung?", text="", topic="Finanzierung")

    added = _endorsing(members, qualifying, plan)

    assert not set(added) & set(qualifying)
    best = {m.best.speaker_code: m.best for m in members}
    for code, quoted in added.items():
        by_endorser = quoted.speaker_code == code and any(
            e.target in qualifying
            and on_topic(e, plan.topic)
            and _topic_key(qualifying[e.target]) == _topic_key(quoted)
            for e in endorsements(quoted.hit.chunk.text, code)
        )
        endorsed_on_topic = quoted is best[code] and any(
            e.target == code
            and e.limited_to
            and on_topic(e, plan.topic)
            and _topic_key(s) == _topic_key(quoted)
            for q in qualifying
            for e, s in next(m for m in members if m.best.speaker_code == q).endorsed
        )
        assert by_endorser or endorsed_on_topic, (code, quoted.hit.chunk.text)
