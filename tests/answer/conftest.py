"""Fixtures of the answer tests: the real product over the corpus, asked directly."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from gremium.types import Answer, Filters


@pytest.fixture
def ask(corpus_service) -> Callable[..., Answer]:  # type: ignore[no-untyped-def]
    """ask(question, history=(), **filters) -> Answer from the real product."""

    def _ask(question: str, history: tuple[dict[str, str], ...] = (), **filters: object) -> Answer:
        answer = corpus_service.ask(question, Filters(**filters), history=list(history))  # type: ignore[arg-type]
        assert isinstance(answer, Answer)
        return answer

    return _ask
