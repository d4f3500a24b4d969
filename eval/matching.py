"""Evidence matching: is a reference phrase inside a passage?

Reference phrases are copied from the raw corpus, passages come out of the parser.
Between the two sit line breaks, hyphenation at line ends ("Bun-\\ndeskanzlers"),
HTML bullets and quotes. Both sides are folded the same way before comparing:

- `fold`: case-folded, line-break hyphenation removed, whitespace collapsed. This
  is the documented contract of the reference Q&A format.
- `compact`: `fold` with every character that is not a letter or digit dropped.
  It makes the match independent of choices the parser may make either way (keep
  the hyphen of "Bund-\\nLänder", turn "›" into "-", straighten „quotes“), and a
  phrase of several words cannot match by accident.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# "-" at a line end, with any blanks and blank lines around the break: "Bun- \n\n deskanzlers"
_LINE_HYPHEN = re.compile(r"(?<=\w)-[ \t\xa0]*(?:\r?\n[ \t\xa0]*)+(?=\w)")
_SPACE = re.compile(r"\s+")
_NOT_WORD = re.compile(r"[\W_]+")


def fold(text: str) -> str:
    """Case-folded text without line-break hyphenation and with single spaces."""
    text = _LINE_HYPHEN.sub("", text)
    return _SPACE.sub(" ", text).strip().casefold()


def compact(text: str) -> str:
    """Letters and digits of the folded text only."""
    return _NOT_WORD.sub("", fold(text))


def contains(passage: str, phrase: str) -> bool:
    """True when the folded phrase occurs in the folded passage."""
    return bool(matching_phrases(passage, [phrase]))


def matching_phrases(passage: str, phrases: Iterable[str]) -> list[str]:
    """The phrases found in the passage, in the given order."""
    folded = fold(passage)
    tight = _NOT_WORD.sub("", folded)
    found = []
    for phrase in phrases:
        needle = fold(phrase)
        if not needle:
            continue
        if needle in folded or (_NOT_WORD.sub("", needle) and _NOT_WORD.sub("", needle) in tight):
            found.append(phrase)
    return found


def contains_any(passage: str, phrases: Iterable[str]) -> bool:
    return bool(matching_phrases(passage, phrases))
