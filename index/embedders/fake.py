"""A deterministic embedder for fast tests: hashed word and trigram features.

Texts sharing words get similar vectors, so retrieval tests can assert rankings
without loading a model. Not for production use.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence

import numpy as np

from index.embedders.base import normalise

_WORD = re.compile(r"\w+")


class FakeEmbedder:
    """Feature hashing of lower-cased words and their character trigrams."""

    def __init__(self, dim: int = 256) -> None:
        self.dim = dim
        self.model_id = f"fake-hash-{dim}"

    def _vector(self, text: str) -> np.ndarray:
        vector = np.zeros(self.dim, dtype=np.float32)
        for word in _WORD.findall(text.lower()):
            features = [word] + [word[i : i + 3] for i in range(max(len(word) - 2, 0))]
            for j, feature in enumerate(features):
                digest = hashlib.blake2b(feature.encode("utf-8"), digest_size=8).digest()
                slot = int.from_bytes(digest[:4], "little") % self.dim
                sign = 1.0 if digest[4] & 1 else -1.0
                vector[slot] += sign * (2.0 if j == 0 else 0.5)
        if not vector.any():
            vector[0] = 1.0
        return vector

    def embed_documents(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return normalise(np.stack([self._vector(t) for t in texts]))

    def embed_query(self, text: str) -> np.ndarray:
        return normalise(self._vector(text))
