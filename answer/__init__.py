"""The answer step: hits -> Answer with numbered citations and per-speaker statements.

    answer = answer_question(plan, hits, top_k=8, settings=settings)
    answer_to_dict(answer)    # the POST /ask JSON (answer.render)
    format_text(answer)       # the CLI's readable form

Extractive by default: the answer quotes the records verbatim and invents nothing.
With `GREMIUM_LLM_URL` set, an OpenAI-compatible model may rewrite it from the same
numbered passages (answer.llm); any failure falls back to the extractive answer.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import replace

from answer.extractive import extractive_answer
from answer.intent import detect_language, is_aggregate, read_intent
from answer.select import analyse, restrict
from gremium.settings import Settings
from gremium.types import Answer, Hit, QueryPlan

__all__ = ["answer_question", "detect_language", "is_aggregate"]


def answer_question(
    plan: QueryPlan, hits: Sequence[Hit], *, top_k: int, settings: Settings
) -> Answer:
    """Answer a planned question from retrieved hits; abstain when they hold no evidence."""
    started = time.perf_counter()
    intent = read_intent(plan)
    passages = restrict(analyse(intent, hits), intent)
    answer = extractive_answer(plan.question, intent, passages, top_k=max(1, top_k))
    timings = {"extract": _ms(started)}
    if settings.llm_url and not answer.abstained and answer.citations:
        from answer.llm import generate

        llm_started = time.perf_counter()
        answer = generate(answer, settings)
        timings["llm"] = _ms(llm_started)
    return replace(answer, timings_ms={**answer.timings_ms, **timings})


def _ms(since: float) -> float:
    return round((time.perf_counter() - since) * 1000, 2)
