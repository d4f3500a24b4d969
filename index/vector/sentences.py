"""Sentence vectors: each passage's sentences embedded on their own, beside its vector.

    store = SentenceStore.build([vectors_of_chunk_0, vectors_of_chunk_1, ...])
    store.best(rows, query)   # per row: the cosine of its sentence nearest the query

A passage vector averages everything a speaker said in one turn; a question that
paraphrases one sentence of a long turn sits far from the average but near that
sentence. The answer step reads the nearest sentence's cosine as a feature beside the
passage's own. Stored per generation as `sentences.npy` (all sentence vectors, in row
order) and `sentence_offsets.npy` (row i owns sentences offsets[i]:offsets[i+1]).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

import numpy as np

# A sentence ends at . ! ? ; before whitespace, at a bullet or at a line break; an
# abbreviation or ordinal ("Nr. 3", "47. Sitzung", "z. B.") does not end one because
# the next sentence must start with a capital letter, a digit or a quote.
_BOUNDARY = re.compile(
    r"(?<=[.!?;])(?<!\d\.)(?<!Dr\.)(?<!Nr\.)(?<!Abs\.)(?<!Art\.)\s+(?=[A-ZÄÖÜ\"„(])|\s*[•▪●]\s*|\s*\n\s*"
)
# a line break inside a sentence (a wrapped line) is a space
_WRAPPED = re.compile(r"(?<![.!?;:])[ \t]*\n[ \t]*(?![\n•▪●\-–*\d])")
MIN_SENTENCE = 40  # shorter pieces join the sentence before them
MAX_SENTENCES = 48  # a passage's sentences embedded at most (the rest join the last)


def split_sentences(text: str) -> list[str]:
    """The sentences of a passage, short pieces joined to their neighbour; never empty
    for a text with content."""
    pieces = [p.strip() for p in _BOUNDARY.split(_WRAPPED.sub(" ", text)) if p and p.strip()]
    out: list[str] = []
    for piece in pieces:
        if out and (len(piece) < MIN_SENTENCE or len(out[-1]) < MIN_SENTENCE):
            out[-1] = f"{out[-1]} {piece}"
        else:
            out.append(piece)
    if len(out) > MAX_SENTENCES:
        out = [*out[: MAX_SENTENCES - 1], " ".join(out[MAX_SENTENCES - 1 :])]
    return out or ([text.strip()] if text.strip() else [])


class SentenceStore:
    """The sentence vectors of every row of a generation."""

    def __init__(self, vectors: np.ndarray, offsets: np.ndarray) -> None:
        self.vectors = vectors
        self.offsets = offsets
        self.size = int(len(offsets) - 1)

    @classmethod
    def build(cls, per_row: Sequence[np.ndarray], dim: int) -> SentenceStore:
        counts = np.array([len(v) for v in per_row], dtype=np.int64)
        offsets = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
        parts = [np.asarray(v, dtype=np.float32).reshape(-1, dim) for v in per_row]
        vectors = np.concatenate(parts) if parts else np.zeros((0, dim), dtype=np.float32)
        return cls(np.ascontiguousarray(vectors, dtype=np.float32), offsets)

    def of(self, row: int) -> np.ndarray:
        return self.vectors[self.offsets[row] : self.offsets[row + 1]]

    def best(self, rows: np.ndarray, query: np.ndarray) -> np.ndarray:
        """Per row: the highest cosine of one of its sentences with the query (-1 for a
        row without sentences)."""
        if not len(rows):
            return np.zeros(0, dtype=np.float32)
        starts, ends = self.offsets[rows], self.offsets[rows + 1]
        counts = ends - starts
        out = np.full(len(rows), -np.inf, dtype=np.float32)
        total = int(counts.sum())
        if total:
            # the sentence rows of every asked row, in order, without a Python loop
            first = np.repeat(starts - (np.cumsum(counts) - counts), counts)
            spans = np.arange(total) + first
            cosines = np.asarray(self.vectors[spans] @ query, dtype=np.float32)
            np.maximum.at(out, np.repeat(np.arange(len(rows)), counts), cosines)
        out[counts == 0] = -1.0
        return out

    def save(self, folder: Path) -> None:
        np.save(folder / "sentences.npy", self.vectors, allow_pickle=False)
        np.save(folder / "sentence_offsets.npy", self.offsets, allow_pickle=False)

    @classmethod
    def load(cls, folder: Path) -> SentenceStore:
        vectors = np.load(folder / "sentences.npy", allow_pickle=False)
        offsets = np.load(folder / "sentence_offsets.npy", allow_pickle=False)
        return cls(vectors, offsets)
