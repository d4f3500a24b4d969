"""Fixtures for the index tests: embedders (loaded once per session) and built indexes."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from index.embedders import Embedder, make_embedder
from index.store import Index
from index.testing import sample_corpus

_EMBEDDERS: dict[str, Embedder] = {}


def embedder_named(name: str) -> Embedder:
    if name not in _EMBEDDERS:
        _EMBEDDERS[name] = make_embedder(name)
    return _EMBEDDERS[name]


@pytest.fixture
def embedders() -> Callable[[str], Embedder]:
    """Embedders by settings name, each loaded once per test session."""
    return embedder_named


@pytest.fixture
def fake() -> Embedder:
    return embedder_named("fake")


@pytest.fixture
def open_index(tmp_path: Path) -> Callable[..., Index]:
    """Open an index in a fresh folder (or `path`) with the fake embedder by default."""

    def _open(
        path: Path | None = None, embedder: Embedder | None = None, **kwargs: object
    ) -> Index:
        kwargs.setdefault("fusion", "rrf")
        return Index.open(path or tmp_path / "index", embedder or embedder_named("fake"), **kwargs)  # type: ignore[arg-type]

    return _open


@pytest.fixture
def sample_index(open_index: Callable[..., Index]) -> Index:
    index = open_index()
    index.upsert(sample_corpus())
    return index
