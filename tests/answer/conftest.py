"""Fixtures of the answer tests; the hand-built hits live in answer_fixtures.py."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from answer_fixtures import make_plan, retrieve

from gremium.settings import Settings
from gremium.types import Answer


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path, llm_url="")


@pytest.fixture
def ask(settings: Settings) -> Callable[..., Answer]:
    """ask(question) -> Answer over the hand-built hits."""
    from answer import answer_question

    def _ask(
        question: str, *, k: int | None = None, top_k: int = 8, session: str | None = None
    ) -> Answer:
        plan = make_plan(question, session=session)
        hits = retrieve(question, k or (30 if plan.aggregate else 12))
        return answer_question(plan, hits, top_k=top_k, settings=settings)

    return _ask
