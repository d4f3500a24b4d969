"""Endorsements in the minutes: who took up whose statement, and on what.

Generated over every member's name and code and each way minutes record agreement;
the corpus test checks an aggregate lists an endorser only where the endorsement
covers the question's topic.
"""

from __future__ import annotations

import itertools

import pytest

from answer.endorse import Endorsement, endorsements, on_topic, shares_stem
from gremium.speakers import REGISTRY

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
