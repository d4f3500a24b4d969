"""A named speaker who is found also gets their next most probable passages in scope as
further statements of theirs: only theirs, only above the fitted floor, never beyond the
per-speaker limit, and never for a speaker who was not found."""

from __future__ import annotations

import random

import pytest

from answer.evidence import Scored, SpeakerFinding, _further
from gremium.types import Hit
from index.testing import make_protocol

SPEAKERS = ("BY", "HH", "NW", "HE")


def _own(rng: random.Random) -> dict[str, list[Scored]]:
    turns = [(rng.choice(SPEAKERS), "01", "Thema", f"Beitrag {i} zu TOP 01.") for i in range(16)]
    _, chunks = make_protocol(47, "2025-06-26", turns, salt=str(rng.random()))
    own: dict[str, list[Scored]] = {code: [] for code in SPEAKERS}
    for chunk in chunks:
        scored = Scored(Hit(chunk, 0.0, {}), round(rng.random(), 3))
        own[scored.speaker_code or ""].append(scored)
    for passages in own.values():
        passages.sort(key=lambda s: -s.p)  # most probable first, as the answer step has them
    return own


@pytest.mark.parametrize("seed", range(40))
def test_further_statements_are_the_speakers_own_next_passages(seed: int) -> None:
    rng = random.Random(seed)
    own = _own(rng)
    found, silent = rng.sample([code for code in SPEAKERS if own[code]], 2)
    first = own[found][: rng.randint(1, 2)]
    findings = [SpeakerFinding(found, tuple(first)), SpeakerFinding(silent)]
    floor, limit = round(rng.random(), 2), rng.randint(1, 3)

    out = _further(findings, own, floor, limit)

    assert out[1] == findings[1]  # a speaker not found is not quoted at all
    further = out[0].further
    assert out[0].passages == findings[0].passages
    assert all(s.speaker_code == found and s.p >= floor for s in further)
    assert not {s.hit.chunk.id for s in further} & {s.hit.chunk.id for s in first}
    rest = [s for s in own[found] if s not in first and s.p >= floor]
    assert len(further) == max(0, min(limit - len(first), len(rest)))
    assert [s.p for s in further] == sorted((s.p for s in further), reverse=True)
