"""The extractive answer: nothing invented, every claim a verbatim, cited quote.

Three shapes of question, three shapes of answer:

- about named speakers ("Was hat Bayern ... gesagt?"): only their own passages count;
  a speaker without one gets a plain "no statement", never someone else's words;
- aggregate ("Welche Länder ...?", "Wer hat ...?"): every speaker with supporting
  evidence, one cited quote each;
- everything else: the best passages, grouped by speaker and session.
"""

from __future__ import annotations

from collections.abc import Sequence

from answer.compose import (
    Group,
    Numbering,
    group_quotes,
    quoted,
    session_phrase,
    speaker_name,
    statements_of,
    write_group,
)
from answer.intent import Intent
from answer.select import Passage, Quote, quote
from gremium.types import Answer, Speaker

MAX_QUOTES = 5  # an ordinary answer quotes at most this many passages
MAX_PER_SPEAKER = 3
MAX_OTHERS = 3  # others' statements shown after a speaker abstention
MAX_AGGREGATE = 24
SPEAKER_RELEVANT = 0.3  # a named speaker's own passage needs less: retrieval already chose it

_TEXTS = {
    "de": {
        "nothing": "Zu dieser Frage enthalten die durchsuchten Unterlagen keine Aussage. "
        "Ich habe keine passende Stelle in Protokollen, Beschlüssen oder Berichten gefunden.",
        "no_statement": "Die durchsuchten Unterlagen enthalten keine Aussage von {who}{where} "
        "zu dieser Frage.",
        "others": "Zum Thema äußerten sich andere Beteiligte:",
        "no_stance": "Eine ausdrückliche Aussage in diesem Sinne ist in den durchsuchten "
        "Unterlagen nicht verzeichnet.",
        "related": "Zum Thema finden sich diese Aussagen:",
        "also_missing": "Von {who} ist dazu keine Aussage verzeichnet.",
        "found": "Belege fanden sich für {count}: {names}.",
        "count_land": "{n} Land|{n} Länder",
        "count_any": "{n} Beteiligten|{n} Beteiligte",
        "and": "und",
        "note": "Protokollnotiz",
        "where_session": " in {session}",
    },
    "en": {
        "nothing": "The records searched contain nothing on this question. "
        "I found no matching passage in protocols, decisions or reports.",
        "no_statement": "The records searched contain no statement by {who}{where} "
        "on this question.",
        "others": "Other participants spoke on the topic:",
        "no_stance": "The records searched contain no explicit statement to this effect.",
        "related": "These statements concern the topic:",
        "also_missing": "No statement by {who} on this is recorded.",
        "found": "Evidence was found for {count}: {names}.",
        "count_land": "{n} state|{n} states",
        "count_any": "{n} participant|{n} participants",
        "and": "and",
        "note": "protocol note",
        "where_session": " in {session}",
    },
}


def extractive_answer(
    question: str, intent: Intent, passages: Sequence[Passage], *, top_k: int
) -> Answer:
    if not intent.terms and not intent.speakers:
        return _abstain(question, intent)
    if intent.aggregate:
        return _aggregate(question, intent, passages)
    if intent.speakers:
        return _about_speakers(question, intent, passages, top_k=top_k)
    return _general(question, intent, passages, top_k=top_k)


def _texts(intent: Intent) -> dict[str, str]:
    return _TEXTS["en" if intent.language == "en" else "de"]


def _abstain(question: str, intent: Intent) -> Answer:
    return Answer(question, _texts(intent)["nothing"], True, language=intent.language)


def _cited(
    question: str,
    intent: Intent,
    text: str,
    abstained: bool,
    groups: Sequence[Group],
    numbering: Numbering,
) -> Answer:
    """The answer with its citations and per-speaker statements, as every path builds it."""
    return Answer(
        question,
        text,
        abstained,
        citations=numbering.citations(),
        statements=statements_of(groups, numbering),
        language=intent.language,
    )


def _best_quotes(intent: Intent, passages: Sequence[Passage], limit: int) -> list[Quote]:
    """The strongest relevant passages, quoted; weak tails are dropped."""
    relevant = [p for p in passages if p.relevant]
    if not relevant:
        return []
    floor = 0.6 * relevant[0].score
    quotes: list[Quote] = []
    for passage in relevant:
        if passage.score < floor or len(quotes) >= limit:
            break
        found = quote(intent, passage)
        if found:
            quotes.append(found)
    return quotes


def _general(question: str, intent: Intent, passages: Sequence[Passage], *, top_k: int) -> Answer:
    quotes = _best_quotes(intent, passages, min(top_k, MAX_QUOTES))
    if not quotes:
        return _abstain(question, intent)
    numbering = Numbering()
    groups = group_quotes(quotes)
    text = "\n\n".join(write_group(g, numbering, intent.language) for g in groups)
    return _cited(question, intent, text, False, groups, numbering)


def _about_speakers(
    question: str, intent: Intent, passages: Sequence[Passage], *, top_k: int
) -> Answer:
    texts = _texts(intent)
    per_speaker = max(1, min(MAX_PER_SPEAKER, top_k))
    quotes: list[Quote] = []
    missing: list[str] = []
    for code in intent.speakers:
        own = [
            p
            for p in passages
            if p.speaker is not None
            and p.speaker.code == code
            and p.coverage >= SPEAKER_RELEVANT
            and p.role != "decision"
        ]
        found = [q for q in (quote(intent, p) for p in own[:per_speaker]) if q]
        quotes.extend(found)
        if not found:
            missing.append(code)
    if not quotes and not intent.asks_speech:
        # "Für wie viele Jahre wird die Beteiligung der FITKO verlängert?" names the FITKO
        # but asks for a fact: answer it from any passage
        return _general(question, intent, passages, top_k=top_k)
    numbering = Numbering()
    if quotes:
        groups = group_quotes(quotes)
        paragraphs = [write_group(g, numbering, intent.language) for g in groups]
        if missing:
            paragraphs.append(texts["also_missing"].format(who=_names(missing, intent)))
        return _cited(question, intent, "\n\n".join(paragraphs), False, groups, numbering)
    # nobody named has a statement on this: say so; others' statements, labelled, may follow
    others_passages = [
        p for p in passages if p.speaker is None or p.speaker.code not in intent.speakers
    ]
    others = _best_quotes(intent, others_passages, MAX_OTHERS)
    if not others:
        return _abstain(question, intent)
    who = _names(missing, intent)
    where = ""
    sessions = {p.session.id: p.session for p in passages if p.session is not None}
    if (intent.session or intent.special_session) and len(sessions) == 1:
        session = next(iter(sessions.values()))
        where = texts["where_session"].format(session=session_phrase(session, intent.language))
    paragraphs = [texts["no_statement"].format(who=who, where=where)]
    paragraphs.append(texts["others"])
    groups = group_quotes(others)
    paragraphs.extend(write_group(g, numbering, intent.language) for g in groups)
    return _cited(question, intent, "\n\n".join(paragraphs), True, groups, numbering)


def _aggregate(question: str, intent: Intent, passages: Sequence[Passage]) -> Answer:
    texts = _texts(intent)
    stance_required = intent.stance != "none"
    topical = _topical_agenda_items(passages)
    best: dict[tuple[str, str | None], Quote] = {}
    for passage in passages:
        speaker = passage.speaker
        if speaker is None or passage.role == "decision":
            continue
        in_topic = passage.coverage > 0 and _agenda_key(passage) in topical
        if not (passage.relevant or in_topic):
            continue
        if intent.lander_only and speaker.kind != "land":
            continue
        if intent.protocol_note and passage.role != "protocol_note":
            continue
        found = quote(intent, passage, stance_required=stance_required)
        if found is None:
            continue
        key = (speaker.code, passage.session.id if passage.session else None)
        if key not in best or found.score > best[key].score:
            best[key] = found
    if not best:
        if stance_required:
            return _no_stance_found(question, intent, passages)
        # "Wer übernimmt die Projektleitung?" is answered by a decision, not by speakers
        return _general(question, intent, passages, top_k=MAX_QUOTES)
    chosen = sorted(best.values(), key=_reading_order)[:MAX_AGGREGATE]
    numbering = Numbering()
    lead: list[str] = []
    top = passages[0] if passages else None
    if top is not None and top.speaker is None and top.relevant:
        # a decision or report that answers the question directly comes first
        found = quote(intent, top)
        if found:
            lead = [write_group(group_quotes([found])[0], numbering, intent.language), ""]
    speakers: list[Speaker] = []
    for item in chosen:
        if item.passage.speaker and item.passage.speaker not in speakers:
            speakers.append(item.passage.speaker)
    count_key = "count_land" if all(s.kind == "land" for s in speakers) else "count_any"
    singular, plural = texts[count_key].split("|")
    count = (singular if len(speakers) == 1 else plural).format(n=len(speakers))
    names = _join([speaker_name(s, intent.language) for s in speakers], texts["and"])
    lines = [*lead, texts["found"].format(count=count, names=names)]
    groups: list[Group] = []
    current: str | None = "\0"
    for item in chosen:
        passage = item.passage
        session = passage.session
        session_id = session.id if session else None
        if session_id != current:
            current = session_id
            phrase = session_phrase(session, intent.language)
            lines.append("")
            lines.append(f"In {phrase}:" if phrase else "—")
        n = numbering.number(passage)
        assert passage.speaker is not None
        detail = [passage.hit.chunk.agenda_item.label] if passage.hit.chunk.agenda_item else []
        if passage.role == "protocol_note":
            detail.append(texts["note"])
        suffix = f" ({', '.join(detail)})" if detail else ""
        who = speaker_name(passage.speaker, intent.language)
        lines.append(f"- {who}{suffix}: {quoted(item.text)} [{n}]")
        groups.append(Group(passage.speaker, session, [item]))
    return _cited(question, intent, "\n".join(lines), False, groups, numbering)


def _no_stance_found(question: str, intent: Intent, passages: Sequence[Passage]) -> Answer:
    """Nobody took the asked-for position explicitly: say so; related statements follow."""
    texts = _texts(intent)
    related = _best_quotes(intent, [p for p in passages if p.speaker is not None], MAX_OTHERS)
    if not related:
        return _abstain(question, intent)
    numbering = Numbering()
    groups = group_quotes(related)
    paragraphs = [texts["no_stance"], texts["related"]]
    paragraphs.extend(write_group(g, numbering, intent.language) for g in groups)
    return _cited(question, intent, "\n\n".join(paragraphs), True, groups, numbering)


def _agenda_key(passage: Passage) -> tuple[str, str] | None:
    item = passage.hit.chunk.agenda_item
    return (passage.hit.chunk.document_id, item.number) if item else None


def _topical_agenda_items(passages: Sequence[Passage]) -> set[tuple[str, str] | None]:
    """Agenda items where at least two speakers' passages are relevant: the question's topic."""
    counts: dict[tuple[str, str], int] = {}
    for passage in passages:
        key = _agenda_key(passage)
        if key is not None and passage.speaker is not None and passage.relevant:
            counts[key] = counts.get(key, 0) + 1
    return {key for key, n in counts.items() if n >= 2}


def _reading_order(item: Quote) -> tuple[str, str, int]:
    chunk = item.passage.hit.chunk
    date = chunk.session.date if chunk.session and chunk.session.date else "9999"
    return (date, chunk.document_id, chunk.position)


def _names(codes: Sequence[str], intent: Intent) -> str:
    from gremium.speakers import REGISTRY

    names = []
    for code in codes:
        speaker = REGISTRY.get(code)
        names.append(speaker_name(speaker, intent.language) if speaker else code)
    return _join(names, _texts(intent)["and"])


def _join(items: Sequence[str], conjunction: str) -> str:
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {conjunction} {items[-1]}"
