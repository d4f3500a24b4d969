"""Write the answer from the chosen evidence: verbatim quotes, numbered, grouped by speaker
and session, in the question's language.

- named speakers: a section per speaker with their quotes, or a plain line that none
  was found (or that the record lists them as absent); others' statements follow only
  under an explicit "others" line;
- aggregates: the speakers found, then one quote each, session by session;
- everything else: the passages, grouped by speaker and session.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from answer.evidence import Evidence, Scored
from answer.quotes import Quote, quote
from answer.wording import (
    asked_session_phrase,
    code_name,
    decision_name,
    join,
    period_phrase,
    quoted,
    session_name,
    session_phrase,
    speaker_name,
    speaker_subject,
    texts,
)
from gremium.speakers import REGISTRY
from gremium.types import Answer, Citation, Hit, QueryPlan, Session, Speaker, Statement


@dataclass
class Numbering:
    """Citation numbers in order of first use; one number per passage."""

    by_chunk: dict[str, int] = field(default_factory=dict)
    hits: list[Hit] = field(default_factory=list)

    def number(self, hit: Hit) -> int:
        if hit.chunk.id not in self.by_chunk:
            self.by_chunk[hit.chunk.id] = len(self.hits) + 1
            self.hits.append(hit)
        return self.by_chunk[hit.chunk.id]

    def citations(self) -> tuple[Citation, ...]:
        return tuple(Citation(n=i + 1, hit=hit) for i, hit in enumerate(self.hits))


@dataclass
class Group:
    """The quotes of one speaker in one session (speaker None: one decision or text)."""

    speaker: Speaker | None
    session: Session | None
    quotes: list[Quote]


@dataclass
class Writer:
    plan: QueryPlan
    numbering: Numbering = field(default_factory=Numbering)
    groups: list[Group] = field(default_factory=list)
    # what the record states of a speaker without quoting them (an attendance list)
    listed: list[Statement] = field(default_factory=list)

    @property
    def language(self) -> str:
        return self.plan.language

    def paragraphs(self, items: Sequence[Scored], *, stance: bool = False) -> list[str]:
        """Quotes of the passages grouped by (speaker, session), one paragraph per group."""
        groups: dict[tuple[str | None, str | None], Group] = {}
        for item in items:
            chunk = item.hit.chunk
            key = (
                (chunk.speaker.code, chunk.session.id if chunk.session else None)
                if chunk.speaker
                else (None, chunk.id)
            )
            group = groups.setdefault(key, Group(chunk.speaker, chunk.session, []))
            group.quotes.append(quote(self.plan, item.hit, stance=stance))
        out = []
        for group in groups.values():
            group.quotes.sort(key=lambda q: (q.hit.chunk.document_id, q.hit.chunk.position))
            self.groups.append(group)
            out.append(self._write(group))
        return out

    def cite(self, q: Quote) -> str:
        return f"{quoted(q.text)} [{self.numbering.number(q.hit)}]"

    def _write(self, group: Group) -> str:
        sentences = [self._frame(q, i == 0) for i, q in enumerate(group.quotes)]
        return " ".join(sentences)

    def _frame(self, q: Quote, first: bool) -> str:
        chunk = q.hit.chunk
        en = self.language == "en"
        citation = self.cite(q)
        if chunk.speaker is None or chunk.role == "decision":
            return self._unattributed(q, citation)
        who = speaker_subject(chunk.speaker, self.language)
        where = self._where(q.hit)
        if chunk.role == "protocol_note":
            if first:
                return (
                    f"{where}, {who} gave a protocol note (Protokollnotiz): {citation}"
                    if en
                    else f"{where} gab {who} eine Protokollnotiz ab: {citation}"
                )
            return (
                f"In a protocol note (Protokollnotiz), {who} declared: {citation}"
                if en
                else f"In einer Protokollnotiz erklärte {who}: {citation}"
            )
        if first:
            return (
                f"{where}, {who} stated according to the minutes: {citation}"
                if en
                else f"{where} äußerte sich {who} laut Protokoll: {citation}"
            )
        return f"Further: {citation}" if en else f"Außerdem: {citation}"

    def _where(self, hit: Hit) -> str:
        """ "In der Sondersitzung am 27.06.2024 (TOP 01 Delos Cloud)"."""
        chunk = hit.chunk
        phrase = session_phrase(chunk.session, self.language)
        top = chunk.agenda_item.label if chunk.agenda_item else None
        text = f"In {phrase}" if phrase else f"In „{_title(hit)}“"
        return f"{text} ({top})" if top else text

    def _unattributed(self, q: Quote, citation: str) -> str:
        chunk = q.hit.chunk
        en = self.language == "en"
        name = decision_name(chunk, self.language)
        session = session_phrase(chunk.session, self.language)
        top = chunk.agenda_item.label if chunk.agenda_item else None
        context = ", ".join(x.removeprefix("der ") for x in (session, top) if x)
        if name:
            return f"{name} ({context}): {citation}" if context else f"{name}: {citation}"
        page = f"p. {chunk.page_start}" if en else f"S. {chunk.page_start}"
        where = f"{context}, {page}" if context else page
        if en:
            return f"The document „{_title(q.hit)}“ ({where}) says: {citation}"
        return f"In „{_title(q.hit)}“ ({where}) heißt es: {citation}"

    def answer(self, text: str, abstained: bool) -> Answer:
        return Answer(
            self.plan.question,
            text,
            abstained,
            citations=self.numbering.citations(),
            statements=self._statements(),
            language=self.language,
        )

    def _statements(self) -> tuple[Statement, ...]:
        out = []
        for group in self.groups:
            if group.speaker is None:
                continue
            parts = [self.cite(q) for q in group.quotes]
            numbers = tuple(dict.fromkeys(self.numbering.number(q.hit) for q in group.quotes))
            out.append(Statement(group.speaker, group.session, " ".join(parts), numbers))
        return (*out, *self.listed)


def compose(evidence: Evidence) -> Answer:
    answer = _compose(evidence)
    note = _period_note(evidence)
    return replace(answer, answer=f"{note}\n\n{answer.answer}") if note else answer


def _period_note(evidence: Evidence) -> str | None:
    """Where the question's period contradicted the sessions it names, say so: the
    answer is about the session, not about the year the user remembered."""
    if not evidence.period_overruled or not evidence.sessions:
        return None
    plan = evidence.plan
    language = plan.language
    named = " / ".join(session_name(s, language) for s in evidence.sessions)
    period = period_phrase(plan.date_from, plan.date_to, language)
    return texts(language)["period_overruled"].format(session=named, period=period)


def _compose(evidence: Evidence) -> Answer:
    plan = evidence.plan
    writer = Writer(plan)
    words = texts(plan.language)
    if evidence.missing_session and evidence.shape != "general":
        phrase = asked_session_phrase(evidence.missing_session, plan.language)
        return writer.answer(words["no_session"].format(session=phrase), True)
    if evidence.shape == "speakers":
        return _speakers(evidence, writer)
    if evidence.shape == "aggregate":
        return _aggregate(evidence, writer)
    if not evidence.passages:
        notice = None
        if evidence.missing_session:
            # "Was hat der IT-Planungsrat in seiner 45. Sitzung beschlossen?": say why
            phrase = asked_session_phrase(evidence.missing_session, plan.language)
            notice = words["no_session_record"].format(session=phrase)
        return _abstain(evidence, writer, notice)
    paragraphs = writer.paragraphs(evidence.passages)
    if evidence.related:
        paragraphs += [words["see_also"], *writer.paragraphs(evidence.related)]
    return writer.answer("\n\n".join(paragraphs), False)


def _abstain(evidence: Evidence, writer: Writer, notice: str | None = None) -> Answer:
    """No answer: say so; the nearest passages may follow, marked as only related."""
    words = texts(evidence.plan.language)
    if not evidence.related:
        return writer.answer(notice or words["nothing"], True)
    lines = [notice or words["no_answer"], words["related"], *writer.paragraphs(evidence.related)]
    return writer.answer("\n\n".join(lines), True)


def _speakers(evidence: Evidence, writer: Writer) -> Answer:
    plan = evidence.plan
    words = texts(plan.language)
    found = [f for f in evidence.speakers if f.passages]
    sections: list[str] = []
    if plan.over_time and found:
        for finding in found:
            sections.append(_over_time(finding.code, finding.passages, writer))
    elif found:
        multi = len(evidence.speakers) > 1
        for finding in evidence.speakers:
            who = code_name(finding.code, plan.language)
            if finding.passages:
                body = "\n\n".join(writer.paragraphs(finding.passages))
                sections.append(f"{who}:\n{body}" if multi else body)
            elif finding.absent_from is not None:
                sections.append(_absent(finding.code, finding.absent_from, plan))
            else:
                sections.append(words["also_missing"].format(who=who))
    if found:
        for finding in found:
            if finding.further:  # never over time: all the passages are the answer there
                who = code_name(finding.code, plan.language)
                sections += [words["further"].format(who=who), *writer.paragraphs(finding.further)]
        if evidence.related:
            sections += [words["see_also_others"], *writer.paragraphs(evidence.related)]
        return writer.answer("\n\n".join(sections), False)
    # nobody named has a statement on this: say so; others' statements, labelled, may follow
    lines = []
    for finding in evidence.speakers:
        if finding.absent_from is not None:
            lines.append(_absent(finding.code, finding.absent_from, plan))
    silent = [f.code for f in evidence.speakers if f.absent_from is None]
    if silent:
        where = ""
        if plan.session and len(evidence.sessions) == 1:
            phrase = session_phrase(evidence.sessions[0], plan.language)
            where = f" {words['in']} {phrase}"
        who = join([code_name(c, plan.language) for c in silent], plan.language)
        lines.append(words["no_statement"].format(who=who, where=where))
    if evidence.others:
        lines.append(words["others"])
        lines.extend(writer.paragraphs(evidence.others))
    return writer.answer("\n\n".join(lines), True)


def _over_time(code: str, passages: Sequence[Scored], writer: Writer) -> str:
    """A dated sequence of one speaker's quotes, oldest session first."""
    plan = writer.plan
    ordered = sorted(
        passages,
        key=lambda s: (
            s.hit.chunk.session.date if s.hit.chunk.session and s.hit.chunk.session.date else "",
            s.hit.chunk.position,
        ),
    )
    lines = [texts(plan.language)["over_time"].format(who=code_name(code, plan.language))]
    for item in ordered:
        q = quote(plan, item.hit)
        chunk = item.hit.chunk
        where = session_phrase(chunk.session, plan.language) or _title(item.hit)
        top = f", {chunk.agenda_item.label}" if chunk.agenda_item else ""
        lines.append(f"- {where.removeprefix('der ')}{top}: {writer.cite(q)}")
        if chunk.speaker is not None:
            writer.groups.append(Group(chunk.speaker, chunk.session, [q]))
    return "\n".join(lines)


def _absent(code: str, session: Session, plan: QueryPlan) -> str:
    phrase = session_phrase(session, plan.language) or ""
    who = code_name(code, plan.language)
    return texts(plan.language)["absent"].format(who=who, session=phrase)


def _attendance(evidence: Evidence, writer: Writer) -> Answer:
    """Who was absent (or present), session by session, as the attendance lists say."""
    plan = evidence.plan
    words = texts(plan.language)
    rolls = [r for r in evidence.rolls if r.codes]
    if not rolls:
        return writer.answer(words["roll_none"], True)
    kind = "absent" if plan.attendance == "absent" else "present"
    lines = []
    for roll in rolls:
        speakers = [REGISTRY.get(c) or Speaker(c, c, "body") for c in roll.codes]
        names = join([speaker_name(s, plan.language) for s in speakers], plan.language)
        phrase = session_phrase(roll.session, plan.language) or ""
        line = words[f"roll_{kind}"].format(session=phrase, names=names)
        numbers: tuple[int, ...] = ()
        if roll.passage is not None:
            number = writer.numbering.number(roll.passage.hit)
            numbers = (number,)
            line = f"{line} [{number}]"
        lines.append(line)
        summary = words["roll_listed"].format(what=words[f"roll_{kind}_word"])
        writer.listed += [Statement(s, roll.session, summary, numbers) for s in speakers]
    return writer.answer("\n\n".join(lines), False)


def _aggregate(evidence: Evidence, writer: Writer) -> Answer:
    plan = evidence.plan
    words = texts(plan.language)
    if plan.attendance != "none":
        return _attendance(evidence, writer)
    if not evidence.members:
        if evidence.passages and plan.stance == "none":
            # "Wer übernimmt die Projektleitung?" is answered by a decision, not by speakers
            return writer.answer("\n\n".join(writer.paragraphs(evidence.passages)), False)
        return _abstain(evidence, writer, words["no_stance"] if plan.stance != "none" else None)
    lines: list[str] = []
    if evidence.passages:
        lines += writer.paragraphs(evidence.passages)
        lines.append("")
    speakers: list[Speaker] = []
    for item in evidence.members:
        speaker = item.hit.chunk.speaker
        if speaker is not None and speaker not in speakers:
            speakers.append(speaker)
    key = "count_land" if all(s.kind == "land" for s in speakers) else "count_any"
    singular, plural = words[key].split("|")
    count = (singular if len(speakers) == 1 else plural).format(n=len(speakers))
    names = join([speaker_name(s, plan.language) for s in speakers], plan.language)
    lines.append(words["found"].format(count=count, names=names))
    current: str | None = "\0"
    for item in evidence.members:
        chunk = item.hit.chunk
        session_id = chunk.session.id if chunk.session else None
        if session_id != current:
            current = session_id
            phrase = session_phrase(chunk.session, plan.language)
            lines += ["", f"In {phrase}:" if phrase else f"In „{_title(item.hit)}“:"]
        q = quote(plan, item.hit, stance=True)
        assert chunk.speaker is not None
        detail = [chunk.agenda_item.label] if chunk.agenda_item else []
        if chunk.role == "protocol_note":
            detail.append(words["note"])
        suffix = f" ({', '.join(detail)})" if detail else ""
        lines.append(f"- {speaker_name(chunk.speaker, plan.language)}{suffix}: {writer.cite(q)}")
        writer.groups.append(Group(chunk.speaker, chunk.session, [q]))
    if evidence.related:
        lines += ["", words["see_also"], "", "\n\n".join(writer.paragraphs(evidence.related))]
    return writer.answer("\n".join(lines), False)


def _title(hit: Hit) -> str:
    return hit.document.title if hit.document else hit.chunk.document_id
