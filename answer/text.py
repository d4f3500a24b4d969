"""Sentences and terms: the two text units the answer step works with.

Sentence splitting keeps German abbreviations ("bzw.", "u. a.", "Nr."), ordinal
numbers ("47. Sitzung"), dates ("27.06.2024") and amounts ("40.700,00") intact, and
treats list bullets ("›", "➤", "•") as boundaries, because protocols list points
without full stops.

Terms are lower-cased Snowball stems (PyStemmer "german"); compounds joined by a
hyphen also yield their parts, so "Cloud-Strategie" matches a question about "Cloud".
"""

from __future__ import annotations

import re
from functools import lru_cache

import Stemmer

_STEMMER = Stemmer.Stemmer("german")


# Abbreviations that end in a full stop but do not end a sentence (lower-case, without the dot).
def word_set(words: str) -> frozenset[str]:
    """A set from a whitespace-separated word list (keeps long lists readable)."""
    return frozenset(words.split())


_ABBREVIATIONS = word_set(
    """
    abs abschn abt allg anh anl art az bd bzgl bzw bspw ca co dgl d.h dr etc evtl f ff
    fr gem ggf ggü grds hr hrsg i.d.r i.v.m inkl insb jh kap lfd lt max min mio mrd
    nr o.ä o.g prof rd s sog str tel u.a u.ä usw u.u v.a vgl z.b z.t zb ziff zzgl gmbh ag eg
    """
)
_BULLETS = "›➤•▪◦●■\uf0b7\uf0a7\uf0d8"
_BULLET_RE = re.compile(rf"\s*[{_BULLETS}]\s*")
_SPACE_RE = re.compile(r"\s+")
# A full stop, "!" or "?" (optionally closed by a quote or bracket) followed by space and
# the start of a new sentence (upper-case letter, digit, opening quote).
_BOUNDARY_RE = re.compile(r"([.!?…][\"“”»)\]]?)\s+(?=[A-ZÄÖÜ0-9„\"»(])")
_WORD_BEFORE_RE = re.compile(r"(\S+)$")
_TOKEN_RE = re.compile(r"[0-9A-Za-zÄÖÜäöüßÀ-ÿ]+(?:[-/.,][0-9A-Za-zÄÖÜäöüßÀ-ÿ]+)*")


def clean(text: str) -> str:
    """One line of text: bullets become spaces, whitespace collapses."""
    return _SPACE_RE.sub(" ", _BULLET_RE.sub(" ", text)).strip()


def split_sentences(text: str) -> list[str]:
    """Sentences of a passage, in order, whitespace collapsed, bullets removed."""
    sentences: list[str] = []
    for part in _BULLET_RE.split(text):
        part = _SPACE_RE.sub(" ", part).strip()
        if part:
            sentences.extend(_split_part(part))
    return [s for s in sentences if _has_words(s)]


def _split_part(text: str) -> list[str]:
    out: list[str] = []
    start = 0
    for match in _BOUNDARY_RE.finditer(text):
        end = match.end(1)
        if not _is_sentence_end(text, match.start(1), end):
            continue
        sentence = text[start:end].strip()
        if sentence:
            out.append(sentence)
        start = match.end()
    tail = text[start:].strip()
    if tail:
        out.append(tail)
    return out


def _is_sentence_end(text: str, dot: int, end: int) -> bool:
    if text[dot] != ".":
        return True
    word_match = _WORD_BEFORE_RE.search(text[:dot])
    if not word_match:
        return True
    word = word_match.group(1).lstrip('(„"»').lower()
    if not word:
        return True
    if word in _ABBREVIATIONS or word.rstrip(".") in _ABBREVIATIONS:
        return False
    # "u. a.", "z. B.", "i. d. R.": single letters with a dot, joined across the space
    if len(word) == 1 and word.isalpha():
        return False
    # "47. Sitzung", "1. Die ...", "27.06.": a number before the dot is an ordinal or a date
    if word.replace(".", "").isdigit():
        following = text[end:].lstrip()
        # "... bis zum 31.08.2025. Er bittet" - a full date (with year) may end a sentence
        return bool(re.fullmatch(r"\d{1,2}\.\d{1,2}\.\d{4}", word)) and following[:1].isupper()
    return True


def _has_words(text: str) -> bool:
    return sum(ch.isalpha() for ch in text) >= 3


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    return str(_STEMMER.stemWord(word.lower()))


def tokens(text: str) -> list[str]:
    """Surface tokens: words, numbers, dates and amounts; hyphenated compounds kept whole."""
    return _TOKEN_RE.findall(text)


def terms(text: str, stopwords: frozenset[str] = frozenset()) -> list[str]:
    """Stemmed terms of a text; hyphenated compounds also give their parts."""
    out: list[str] = []
    for token in tokens(text):
        lowered = token.lower().strip(".,")
        if not lowered or lowered in stopwords:
            continue
        if any(ch.isdigit() for ch in lowered):
            out.append(lowered)
            continue
        out.append(stem(lowered))
        if "-" in lowered or "/" in lowered:
            for part in re.split(r"[-/]", lowered):
                if len(part) > 1 and part not in stopwords:
                    out.append(stem(part))
    return out


def ellipsize(sentence: str, limit: int = 320) -> str:
    """A long sentence cut at a word boundary, the omission marked with "…"."""
    if len(sentence) <= limit:
        return sentence
    cut = sentence[:limit].rsplit(" ", 1)[0].rstrip(",;:–- ")
    return f"{cut} …"
