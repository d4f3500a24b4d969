"""A named speaker found nowhere on their own is looked for under the agenda items where
the other named speakers were found, and only there, above the fitted floor."""

from __future__ import annotations

import random

import pytest

from answer.evidence import Scored, SpeakerFinding, _beside_the_others
from gremium.types import Hit
from index.testing import make_protocol

SPEAKERS = ("BY", "HH", "NW", "HE")
ITEMS = ("01", "02", "03")


def _protocol(rng: random.Random) -> list[Scored]:
    turns = [
        (code, top, f"Thema {top}", f"Beitrag {i} von {code} zu TOP {top}.")
        for i, (code, top) in enumerate(
            (rng.choice(SPEAKERS), rng.choice(ITEMS)) for _ in range(14)
        )
    ]
    _, chunks = make_protocol(47, "2025-06-26", turns, salt=str(rng.random()))
    return [Scored(Hit(c, 0.0, {}), round(rng.random(), 3)) for c in chunks]


@pytest.mark.parametrize("seed", range(40))
def test_a_missing_speaker_is_answered_only_beside_the_others(seed: int) -> None:
    rng = random.Random(seed)
    passages = _protocol(rng)
    own: dict[str, list[Scored]] = {code: [] for code in SPEAKERS}
    for s in passages:
        own[s.speaker_code or ""].append(s)
    found = rng.choice([code for code in SPEAKERS if own[code]])
    missing = rng.choice([code for code in SPEAKERS if code != found])
    anchor = rng.choice(own[found])
    floor = round(rng.random(), 2)
    findings = [SpeakerFinding(found, (anchor,)), SpeakerFinding(missing)]

    out = _beside_the_others(findings, own, floor, limit=2)

    assert out[0] == findings[0]  # a speaker already answered keeps their passages
    top = anchor.hit.chunk.agenda_item
    eligible = [s for s in own[missing] if s.hit.chunk.agenda_item == top and s.p >= floor]
    rescued = out[1].passages
    assert all(s.speaker_code == missing for s in rescued)
    assert all(s.hit.chunk.agenda_item == top and s.p >= floor for s in rescued)
    assert len(rescued) == min(2, len(eligible))
    if rescued:
        assert rescued[0].p == max(s.p for s in eligible)


def test_nobody_found_means_nobody_is_rescued() -> None:
    passages = _protocol(random.Random(7))
    own = {code: [s for s in passages if s.speaker_code == code] for code in SPEAKERS}
    findings = [SpeakerFinding(code) for code in SPEAKERS]
    assert _beside_the_others(findings, own, 0.0, limit=3) == findings
