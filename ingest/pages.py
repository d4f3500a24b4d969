"""Pages as a reader sees them, and where a cited passage lies on one.

`page_text` tidies a loader's raw page for display: markup becomes text, the blank
line that text exports put after every line is undone and runs of spaces shrink, but
words, line breaks and line-end hyphens stay as the source has them. A passage's
clean text (de-hyphenated, bullets normalised) therefore differs from its page in
whitespace, hyphens and punctuation; `locate` finds it anyway by comparing letters
and digits only.
"""

from __future__ import annotations

import bisect
import re

from ingest.clean import html_to_blocks

_HTML = re.compile(r"<(?:p|ul|ol|li|div|br|table|tr|td|input|span|h[1-6])\b", re.IGNORECASE)
_SPACES = re.compile(r"[ \t\u00a0]+")
MIN_RUN = 12  # letters and digits: a shorter common run is not taken as the passage


def page_text(raw: str) -> str:
    """A raw page (a loader's output) as readable text for the page view."""
    lines = _markup_lines(raw) if _HTML.search(raw) else raw.replace("\t", " ").split("\n")
    lines = [_SPACES.sub(" ", line).strip() for line in lines]
    if _double_spaced(lines):
        lines = _undo_double_spacing(lines)
    text = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip("\n")


def _markup_lines(raw: str) -> list[str]:
    """Rows of a table export: plain cells side by side, each markup cell's blocks as lines."""
    lines: list[str] = []
    for row in raw.split("\n"):
        plain: list[str] = []
        for cell in row.split("\t"):
            if not _HTML.search(cell):
                plain.append(cell)
                continue
            if plain:
                lines.append(" ".join(plain))
                plain = []
            lines.extend(html_to_blocks(cell))
        lines.append(" ".join(plain))
    return lines


def _double_spaced(lines: list[str]) -> bool:
    content = [i for i, line in enumerate(lines[:-1]) if line]
    if len(content) < 6:
        return False
    return sum(1 for i in content if not lines[i + 1]) / len(content) > 0.6


def _undo_double_spacing(lines: list[str]) -> list[str]:
    """Drop single blank lines; a longer run of them stays one paragraph break."""
    out: list[str] = []
    blank = 0
    for line in lines:
        if not line:
            blank += 1
            continue
        if blank >= 2 and out:
            out.append("")
        blank = 0
        out.append(line)
    return out


def _fold(text: str) -> tuple[str, list[int], list[int]]:
    """Letters and digits only, case-folded; each one's offset in `text`; word starts.

    Characters whose case folding changes their length ("ß" -> "ss") keep one offset
    per folded character, so positions map back exactly.
    """
    folded: list[str] = []
    offsets: list[int] = []
    word_starts: list[int] = []
    in_word = False
    for i, ch in enumerate(text):
        if ch.isalnum():
            if not in_word:
                word_starts.append(len(folded))
                in_word = True
            for piece in ch.casefold():
                folded.append(piece)
                offsets.append(i)
        elif ch not in "-\u00ad":  # a hyphen (also a line-end one) does not end a word
            in_word = False
    return "".join(folded), offsets, word_starts


def locate(passage: str, text: str) -> list[tuple[int, int]]:
    """Spans of `text` that hold `passage`, in order; empty when it is not there.

    The passage may lie only partly on this page (it starts on the one before or ends
    on the next) and may be interrupted (a repeated table header at a page break).
    The longest piece of it found on the page is taken first, then the same is done
    for what lies before and after it, on both sides, so a short accidental match
    elsewhere on the page cannot pull the highlight away.
    """
    needle, _, starts = _fold(passage)
    hay, offsets, _ = _fold(text)
    if not needle or not hay:
        return []
    found: list[tuple[int, int]] = []  # (hay position, length)
    _pieces(needle, 0, len(needle), hay, 0, len(hay), starts, found)
    if not found and len(needle) < MIN_RUN and needle in hay:
        found.append((hay.index(needle), len(needle)))
    spans = [(offsets[at], offsets[at + length - 1] + 1) for at, length in sorted(found)]
    return _merge(spans, text)


def _pieces(
    needle: str,
    n_lo: int,
    n_hi: int,
    hay: str,
    h_lo: int,
    h_hi: int,
    starts: list[int],
    found: list[tuple[int, int]],
) -> None:
    """Collect the longest piece of needle[n_lo:n_hi] in hay[h_lo:h_hi], then recurse."""
    if n_hi - n_lo < MIN_RUN or h_hi - h_lo < MIN_RUN:
        return
    best_length, best_start, best_at = 0, 0, -1
    candidates = [
        n_lo,
        *starts[bisect.bisect_right(starts, n_lo) : bisect.bisect_left(starts, n_hi)],
    ]
    for start in candidates:
        if n_hi - start <= best_length:
            break  # what is left of the needle cannot beat the best piece
        length = _longest_prefix(needle, start, n_hi, hay, h_lo, h_hi)
        if length > best_length:
            best_length, best_start = length, start
            best_at = hay.find(needle[start : start + length], h_lo, h_hi)
    if best_length < MIN_RUN:
        return
    _pieces(needle, n_lo, best_start, hay, h_lo, best_at, starts, found)
    found.append((best_at, best_length))
    end = best_start + best_length
    _pieces(needle, end, n_hi, hay, best_at + best_length, h_hi, starts, found)


def _longest_prefix(needle: str, start: int, n_hi: int, hay: str, h_lo: int, h_hi: int) -> int:
    """The longest n such that needle[start:start+n] (within n_hi) occurs in hay[h_lo:h_hi]."""
    low, high = 0, min(n_hi - start, h_hi - h_lo)
    while low < high:
        middle = (low + high + 1) // 2
        if hay.find(needle[start : start + middle], h_lo, h_hi) >= 0:
            low = middle
        else:
            high = middle - 1
    return low


def _merge(spans: list[tuple[int, int]], text: str) -> list[tuple[int, int]]:
    """Join spans separated only by spaces and punctuation."""
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and not any(ch.isalnum() for ch in text[merged[-1][1] : start]):
            merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged
