"""Quotes: which sentences of a cited passage answer the question, verbatim.

The best-fitting sentence is the one holding most of the topic's words (or, when the
question asks for a stance or a figure, a sentence that states one); a second one
follows when it fits nearly as well. A passage relevant through its context alone
(its TOP, its speaker, or an English question whose words it does not share) is
quoted from its opening, where protocols state the point.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from answer.evidence import stance_cue
from answer.relevance import FIGURE
from answer.text import clean, ellipsize, split_sentences, terms
from gremium.speakers import REGISTRY
from gremium.types import Chunk, Hit, QueryPlan

MAX_SENTENCES = 2
_LEADING_LABEL = re.compile(r"^\s*([A-Za-zÄÖÜäöüß][\w .\-()]{0,60}?)\s*:\s+")


@dataclass(frozen=True)
class Quote:
    hit: Hit
    sentences: tuple[str, ...]
    indices: tuple[int, ...]

    @property
    def text(self) -> str:
        """The sentences as one quote; an omission between them is marked with "…"."""
        out = self.sentences[0]
        for k in range(1, len(self.sentences)):
            adjacent = self.indices[k] == self.indices[k - 1] + 1
            out += (" " if adjacent else " … ") + self.sentences[k]
        return out


def quote(plan: QueryPlan, hit: Hit, *, stance: bool = False) -> Quote:
    """The sentences of a passage that answer the plan (never empty for a non-empty text)."""
    sentences = passage_sentences(hit.chunk)
    if not sentences:
        return Quote(hit, (ellipsize(clean(hit.chunk.text)),), (0,))
    topic = set(terms(plan.topic))
    scored: list[tuple[float, int]] = []
    for i, sentence in enumerate(sentences):
        found = set(terms(sentence))
        fit = len(topic & found) / len(topic) if topic else 0.0
        if stance and plan.stance != "none" and stance_cue(plan, sentence):
            fit += 0.5
        if plan.figure and FIGURE.search(sentence):
            fit += 0.4
        scored.append((fit, i))
    scored.sort(key=lambda item: (-item[0], item[1]))
    best_fit, best = scored[0]
    if best_fit < 0.1:
        chosen = [0]
        if len(sentences) > 1 and len(sentences[0]) < 80:
            chosen.append(1)
    else:
        chosen = [best]
        for fit, i in scored[1:MAX_SENTENCES]:
            if fit >= 0.3 and fit >= 0.6 * best_fit:
                chosen.append(i)
    chosen.sort()
    return Quote(hit, tuple(ellipsize(sentences[i]) for i in chosen), tuple(chosen))


@lru_cache(maxsize=4096)
def passage_sentences(chunk: Chunk) -> tuple[str, ...]:
    """The passage's sentences without markup or a repeated speaker or note heading."""
    text = re.sub(r"<[^>]+>", " ", chunk.text)
    stripped = clean(text)
    label = chunk.label
    if label and stripped.startswith(label):
        text = stripped[len(label) :]
    else:
        match = _LEADING_LABEL.match(text)
        if match and chunk.speaker is not None:
            named = REGISTRY.resolve(match.group(1))
            if named is not None and named.code == chunk.speaker.code:
                text = text[match.end() :]
    return tuple(split_sentences(text))
