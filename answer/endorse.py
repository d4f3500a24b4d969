"""Endorsements in the minutes: one member taking up another's statement.

Minutes record agreement by reference: "Schließt sich NW an.", "Unterstützt BY bzgl. der
Kommunikationsstrategie ausdrücklich.", "Unterstützung der Ausführungen aus SH zu einem
kommunalen Lagebild." Whoever endorses a statement made it their own, so an aggregate
("Wer hat die Kommunikationsstrategie des Bundes kritisiert?") lists them beside its
author. What is read here is grammar only: verbs of agreement, the member named after
them and what the agreement is limited to ("bzgl. …", "zu …").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from answer.text import stem, tokens
from gremium.speakers import REGISTRY

# a verb (or noun) of agreement and the few words before the member it names
_AGREEMENT = re.compile(
    r"(?:\b(?:schließ\w*\s+sich|schließe\s+mich|unterstütz(?:t|e|en|te|ten)|"
    r"teil\w*\s+die\s+(?:Auffassung|Ansicht|Position|Einschätzung)|"
    r"agree\w*\s+with|support\w*|endorse\w*|back(?:s|ed)?)\s+(?:[^\s.;•]+\s+){0,3}?"
    # the noun needs what is supported: "Unterstützung der Ausführungen aus SH", not
    # "Unterstützung des Bundes" (help from the Bund)
    r"|\bUnterstützung\s+(?:der|des)\s+(?:Ausführung\w*|Aussage\w*|Position\w*|"
    r"Vorschl\w*|Forderung\w*|Anmerkung\w*|Beitr\w*|Wortbeitr\w*|Hinweis\w*)\s+"
    r"(?:aus|von|des|der)\s+(?:de[mnrs]\s+)?)$",
    re.IGNORECASE,
)
# where an agreement can begin (each alternative of _AGREEMENT starts so), and how far
# from there the member it names may stand
_AGREEMENT_START = re.compile(
    r"\b(?:schließ|unterstütz|teil|agree|support|endorse|back)", re.IGNORECASE
)
AGREEMENT_REACH = 160
# what the agreement is limited to: "bzgl. der Kommunikationsstrategie", "zu einem …"
_LIMITED_TO = re.compile(
    r"^\s*(?:bzgl\.?|bezüglich|hinsichtlich|in\s+Bezug\s+auf|im\s+Hinblick\s+auf|zu[rm]?|"
    r"beim?|regarding|on|about)\s+([^.;:•]{1,80})",
    re.IGNORECASE,
)
MIN_STEM = 5  # the shortest stem that makes two words one (see _one_word)


@dataclass(frozen=True)
class Endorsement:
    """A passage's agreement with another member, and what it is limited to ("" when
    the whole statement is endorsed)."""

    target: str  # the endorsed member's code
    limited_to: str


def endorsements(text: str, author: str | None) -> list[Endorsement]:
    """The members a passage endorses, each with what the endorsement is limited to.
    Names are looked for only within reach of a word of agreement: most passages hold
    none, and reading a whole passage for names is the costly part."""
    found: list[Endorsement] = []
    seen: set[int] = set()
    for cue in _AGREEMENT_START.finditer(text):
        window = text[cue.start() : cue.start() + AGREEMENT_REACH]
        for speaker, start, end in REGISTRY.mentions(window):
            at = cue.start() + start
            if at in seen or speaker.code == author or not _AGREEMENT.search(window[:start]):
                continue
            seen.add(at)
            limited = _LIMITED_TO.match(text[cue.start() + end :])
            found.append(Endorsement(speaker.code, limited.group(1).strip() if limited else ""))
    return found


def on_topic(endorsement: Endorsement, topic: str) -> bool:
    """Does the endorsement cover the topic: unlimited, or limited to words sharing a
    stem with the topic's ("Kommunikationsstrategie" and "Kommunikation")?"""
    if not endorsement.limited_to:
        return True
    return shares_stem(endorsement.limited_to, topic)


def shares_stem(first: str, second: str) -> bool:
    """Do two texts share a content word (`_one_word`)?"""
    left = {stem(w) for w in tokens(first) if len(w) >= MIN_STEM}
    right = {stem(w) for w in tokens(second) if len(w) >= MIN_STEM}
    return any(_one_word(a, b) for a in left for b in right)


def _one_word(a: str, b: str) -> bool:
    """One stem begins the other and is at least half of it: "kommun" ~ "kommunal" and
    "kommunikation" ~ "kommunikationsstrategi", but not "kommun" ~ "kommunikation"."""
    short, long = sorted((a, b), key=len)
    return len(short) >= MIN_STEM and long.startswith(short) and 2 * len(short) >= len(long)
