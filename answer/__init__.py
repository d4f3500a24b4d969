"""The answer step: question -> plan -> evidence -> text, with numbered citations.

    plan = plan_question(index, "Was hat Bayern zur Delos Cloud gesagt?")
    answer = answer_question(index, plan, Filters(), settings=settings)
    answer_to_dict(answer)    # the POST /ask JSON (answer.render)
    format_text(answer)       # the CLI's readable form

Extractive by default: the answer quotes the records verbatim and invents nothing.
With `GREMIUM_LLM_URL` set, an OpenAI-compatible model may rewrite it from the same
numbered passages (answer.llm); any failure falls back to the extractive answer.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from answer.compose import compose
from answer.evidence import candidates, judge, weigh
from answer.followup import Quoted, in_reply, read_followup, reading_of
from answer.plan import (
    read_question,
    scoped_by_place,
    scoped_by_subject,
    session_places,
    session_subjects,
    titled_readings,
)
from answer.relevance import load_model
from gremium.settings import Settings
from gremium.types import Answer, Filters, Hit, QueryPlan

if TYPE_CHECKING:
    from index.store import Index

__all__ = ["answer_question", "plan_question", "speaker_statements"]

MAX_STATEMENTS = 24


def plan_question(
    index: Index,
    question: str,
    history: Sequence[Mapping[str, str]] = (),
    filters: Filters | None = None,
) -> QueryPlan:
    """The one reading of a question, in the light of the conversation before it."""
    collections = filters.collections if filters else None
    places = session_places(index, collections)
    subjects = session_subjects(index.agenda(collections))
    scope = filters or Filters()

    def scoped(plan: QueryPlan) -> QueryPlan:
        return by_title(index, scoped_by_subject(scoped_by_place(plan, places), subjects), scope)

    def cited(plan: QueryPlan) -> list[Quoted]:
        evidence = judge(candidates(index, plan, scope), load_model(index.embedder.model_id))
        return [
            (
                c.session.id,
                c.agenda_item.number if c.agenda_item else None,
                c.speaker.code if c.speaker else None,
                f"{c.document_id}|{c.position}",
            )
            for c in (s.hit.chunk for s in evidence.answering() or evidence.cited())
            if c.session is not None
        ]

    plan = read_followup(question, history, cited) if history else read_question(question)
    return in_reply(scoped(plan), cited)


def by_title(index: Index, plan: QueryPlan, filters: Filters) -> QueryPlan:
    """A speaker called by title alone ("Was sagte die Hansestadt zur MPK?") is the member
    bearing the title whose own passages in scope come nearest the question, by the
    fitted relevance; the plan is unchanged where none of them spoke in scope."""
    readings = titled_readings(plan)
    if not readings:
        return plan
    model = load_model(index.embedder.model_id)
    best: tuple[float, QueryPlan] | None = None
    for code, reading in readings:
        own = [s.p for s in weigh(candidates(index, reading, filters), model).own.get(code, [])]
        if own and (best is None or max(own) > best[0]):
            best = (max(own), reading)
    if best is None:
        return plan
    chosen = best[1]
    return replace(chosen, interpreted_as=reading_of(chosen))


def answer_question(
    index: Index, plan: QueryPlan, filters: Filters, *, settings: Settings, limit: int = 5
) -> Answer:
    """Answer a planned question from the index; abstain when it holds no evidence."""
    started = time.perf_counter()
    model = load_model(index.embedder.model_id)
    cands = candidates(index, plan, filters)
    found = time.perf_counter()
    evidence = judge(cands, model, limit=limit)
    answer = compose(evidence)
    timings = {"retrieval": _ms(started, found), "answer": _ms(found)}
    if settings.llm_url and not answer.abstained and answer.citations:
        from answer.llm import generate

        llm_started = time.perf_counter()
        answer = generate(answer, settings)
        timings["llm"] = _ms(llm_started)
    return replace(answer, interpreted_as=plan.interpreted_as, timings_ms=timings)


def speaker_statements(index: Index, plan: QueryPlan, code: str, filters: Filters) -> list[Hit]:
    """A speaker's statements relevant to the plan's topic, across sessions, best first:
    the same fitted relevance that answers "Was sagte X zu ...?"."""
    plan = replace(plan, speakers=(code,), asks_speech=True, over_time=True, aggregate=False)
    evidence = judge(candidates(index, plan, filters), load_model(index.embedder.model_id))
    return [item.hit for finding in evidence.speakers for item in finding.passages][:MAX_STATEMENTS]


def _ms(since: float, until: float | None = None) -> float:
    return round(((until or time.perf_counter()) - since) * 1000, 2)
