"""Follow-up questions: what a question leaves open is taken from the conversation.

    "Was sagte Niedersachsen in der Sondersitzung zu Microsoft Teams?"
    "Und wie sah Berlin das?"  -> Berlin, the Sondersitzung, Microsoft Teams

The earlier user turns are read again (each in the light of those before it), never the
assistant's: an answer in the history is no evidence, and what the previous answer
cited is found by judging the previous question afresh over the same index and the
same filters (so a key's collection limits hold for the context too).

- no topic of its own ("Und Berlin?", "Was sagte Hessen dazu?"), or a pronoun
  ("darauf", "dazu", "deren", "they", "that"): the previous topic is added;
- no speaker, but a pronoun or an ellipsis ("Und in der 47. Sitzung?"): the previous
  speakers;
- no session: the previous question's session, else the one session the previous
  answer quoted from (a reply: "Und was hielt der Bund dagegen?");
- asking how someone replied or reacted points back like a pronoun ("How did NRW
  react?"); where the last answer quoted nothing, what the one before it quoted is
  the context;
- "die anderen Länder", "the other states": every member of the class but the
  speakers the conversation has named;
- a question complete in itself (its own topic, no pronoun) starts afresh.

How the follow-up was read is said in `interpreted_as`, so a user can see and correct it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace

from answer.plan import (
    NEW_TOPIC,
    REPLY,
    asks_who,
    other_members,
    other_phrase,
    read_question,
)
from answer.wording import code_name, ordinal, speaker_subject
from gremium.speakers import REGISTRY
from gremium.types import QueryPlan, german_date

# Personal pronouns stand for a speaker ("Was sagten sie dazu?", "Did they ..."); "it" is
# the pronoun, not the abbreviation "IT".
_PERSONAL_WORDS = r"sie|er|ihr|ihre[mnrs]?|they|them|their|he|she|his|her|(?-i:it|It|its)"
_PERSONAL = re.compile(rf"\b(?:{_PERSONAL_WORDS})\b", re.IGNORECASE)
# Pronouns and deictic words that point back into the conversation (general grammar):
# the personal pronouns, and words that stand for a topic or object ("dazu", "darüber").
# "dem" and "das" point back only as pronouns ("Wie sah Berlin das?", "Stimmte Bayern dem
# zu?"), not as articles before a noun ("hinter dem ZenDiS").
_ANAPHORA = re.compile(
    r"\b(?:dazu|darauf|darin|daran|dafür|dagegen|davon|damit|darüber|dabei|deren|dessen|"
    r"diese[mnrs]?|dies|jene[mnrs]?|es|derselbe\w*|"
    r"(?:dem|das)\b(?!\s+(?:\w+(?:e|en|em|er|es)\s+)?(?-i:[A-ZÄÖÜ]))|"
    rf"{_PERSONAL_WORDS}|that|this|those|these|there|the\s+same)\b",
    re.IGNORECASE,
)
# "dafür", "dazu" announcing the clause that follows point forward, not back ("Wer hat
# sich dafür ausgesprochen, die Zusammenarbeit zu vereinfachen?", "Was sagte Hessen
# dazu, ob …?")
_CATAPHORA = re.compile(
    r"\b(?:dafür|dazu|darauf|darüber|dagegen|daran|damit|davon)\b(?=[^,?.!]{0,40},\s*"
    r"(?:dass|ob|wie|wann|warum|weshalb|inwiefern|[^,?.!]*\b(?:zu\s+\w+|\w+zu\w+en)\s*[?.!]?\s*$))",
    re.IGNORECASE,
)
# "anything", "etwas": the follow-up asks about no topic in particular
_ANY_TOPIC = re.compile(
    r"\b(?:anything|something|etwas|irgendetwas|irgendwas|sonst\s+noch)\b", re.IGNORECASE
)
_ELLIPSIS = re.compile(
    r"^\W*(?:und|aber|auch|and|but|also|what\s+about|how\s+about|und\s+was\s+ist\s+mit)\b",
    re.IGNORECASE,
)
MAX_TURNS_READ = 6  # earlier user turns that may shape the reading
LOOK_BACK = 2  # answers looked back over when the last one quoted nothing

# What an answer to a plan would quote, per passage: (session id, agenda item number,
# speaker code, "document id|position"); the speaker may be None, the session never is.
Quoted = tuple[str, str | None, str | None, str | None]
Judge = Callable[[QueryPlan], Sequence[Quoted]]


def read_followup(question: str, history: Sequence[Mapping[str, str]], cited: Judge) -> QueryPlan:
    """The plan of `question` in the light of the user turns of `history`.

    `cited(plan)` gives what an answer to a plan would quote (`Quoted`: session, agenda
    item, speaker, place in the document).
    """
    asked = [
        turn.get("content", "").strip()
        for turn in history
        if turn.get("role") == "user" and turn.get("content", "").strip()
    ][-MAX_TURNS_READ:]
    plans: list[QueryPlan] = []
    for text in asked:
        plans.append(_in_light_of(read_question(text), plans, cited))
    return _in_light_of(read_question(question), plans, cited)


def in_reply(plan: QueryPlan, cited: Judge) -> QueryPlan:
    """A reply asked in one question ("Wie reagierte der Bund auf die Kritik von NRW?")
    is read like a follow-up to what the speakers replied to said: the asked speakers'
    words under the agenda items quoted from them, those right after theirs first."""
    if not plan.reply_to or plan.context_items:
        return plan
    replied = replace(plan, speakers=plan.reply_to, reply_to=(), asks_speech=True)
    quoted = [q for q in dict.fromkeys(cited(replied)) if q[2] in plan.reply_to]
    items = tuple(
        dict.fromkeys(f"{session}|{item}" for session, item, *_ in quoted if item is not None)
    )
    if not items:
        return plan
    changes: dict[str, object] = {
        "context_items": items,
        "context_after": tuple(where for *_, where in quoted if where),
    }
    sessions = {session for session, *_ in quoted}
    if not (plan.session or plan.date_from or plan.date_to) and len(sessions) == 1:
        changes["session"] = sessions.pop()
    return replace(plan, **changes)  # type: ignore[arg-type]


def _last_quoted(plans: Sequence[QueryPlan], cited: Judge) -> list[Quoted]:
    """What the last answer quoted; where it quoted nothing (the speaker said nothing on
    it), what the answer before it quoted: the conversation is still there."""
    for plan in list(reversed(plans))[:LOOK_BACK]:
        quoted = list(dict.fromkeys(cited(plan)))
        if quoted:
            return quoted
    return []


def _in_light_of(current: QueryPlan, plans: Sequence[QueryPlan], cited: Judge) -> QueryPlan:
    if not plans or NEW_TOPIC.search(current.question):
        return current
    previous = plans[-1]
    text = current.question
    pointing = bool(_ANAPHORA.search(_CATAPHORA.sub("", text))) or bool(_ELLIPSIS.search(text))
    own_words = [w for w in current.topic.split() if not _ANAPHORA.fullmatch(w)]
    # a reply with an object of its own ("reagierte auf den Vorschlag zur Delos Cloud")
    # says what it replied to
    pointing = pointing or (bool(REPLY.search(text)) and len(own_words) < 3)
    complete = len(own_words) >= 3 and not pointing
    if complete:
        return current
    changes: dict[str, object] = {}
    titles = REGISTRY.designations(text)  # "der Freistaat" points back as well
    others = None if current.speakers else other_members(text)
    quoted = _last_quoted(plans, cited) if pointing or titles or others is not None else []
    designated = None if others is not None else _designated(current, previous, titles, quoted)
    if others is not None:
        # "der andere kommunale Spitzenverband" names who, not what
        phrase = {w.casefold() for w in other_phrase(text).split()}
        own_words = [w for w in own_words if w.casefold() not in phrase]
        changes["topic"] = " ".join(own_words)
    if designated:
        # "der Freistaat" stands for the Freistaat the conversation is about; the title
        # names who, not what
        changes["speakers"] = (designated,)
        changes["asks_speech"] = True
        title_words = {w.casefold() for _, a, b in titles for w in text[a:b].split()}
        own_words = [w for w in own_words if w.casefold() not in title_words]
        changes["topic"] = " ".join(own_words)
    anything = not own_words and bool(_ANY_TOPIC.search(text))
    if previous.topic and not anything and (pointing or len(own_words) <= 1):
        merged = " ".join(dict.fromkeys([*own_words, *previous.topic.split()]))
        changes["topic"] = merged
        changes["text"] = f"{current.text} {previous.topic}".strip()
    if others is not None:
        # "Und die anderen Länder?": every member of the class but those the
        # conversation has named (the previous question's, else its answer's speakers)
        before = previous.speakers or tuple(code for _, _, code, _ in quoted if code)
        changes["aggregate"] = True
        changes["speaker_groups"] = others
        changes["excluded"] = tuple(dict.fromkeys((*current.excluded, *before)))
        changes["asks_speech"] = current.asks_speech or previous.asks_speech
    elif (
        not designated
        and not current.speakers
        and not current.aggregate
        and not asks_who(text)  # "Und wer übernimmt die Leitung?" asks who, it names nobody
        and previous.speakers
        and _points_at_a_speaker(current, own_words)
    ):
        changes["speakers"] = previous.speakers
        changes["asks_speech"] = current.asks_speech or previous.asks_speech
    if current.speakers and not current.asks_speech and previous.asks_speech:
        changes["asks_speech"] = True  # "Und Berlin?" asks what Berlin said
    if not current.session and not (current.date_from or current.date_to):
        sessions = list(dict.fromkeys(session for session, *_ in quoted))
        if previous.session:
            changes["session"] = previous.session
        elif previous.date_from or previous.date_to:
            changes["date_from"], changes["date_to"] = previous.date_from, previous.date_to
        elif len(sessions) == 1:
            changes["session"] = sessions[0]
    if (current.speakers or designated) and pointing and not current.session:
        # "Und wie sah Berlin das?": what Berlin said under the agenda items just quoted
        # an area without a TOP number ("Übergreifendes") is an item too
        items = tuple(
            dict.fromkeys(f"{session}|{item}" for session, item, *_ in quoted if item is not None)
        )
        if items:
            changes["context_items"] = items
            changes["context_after"] = tuple(where for *_, where in quoted if where)
    if not changes:
        return current
    if "language" not in changes and _short(current) and previous.language != current.language:
        changes["language"] = previous.language  # "Und Berlin?" keeps the conversation's
    plan = replace(current, **changes)  # type: ignore[arg-type]
    return replace(plan, interpreted_as=reading_of(plan))


def _designated(
    current: QueryPlan,
    previous: QueryPlan,
    titles: Sequence[tuple[tuple[str, ...], int, int]],
    quoted: Sequence[Quoted],
) -> str | None:
    """The speaker a title without a name stands for ("Was begrüßt der Freistaat darin?"):
    the first of the previous question's speakers, else of the previous answer's quoted
    speakers, that bears the title; None when the question names a speaker or none fits."""
    if current.speakers or current.aggregate:
        return None
    if not titles:
        return None
    codes = set(titles[0][0])
    earlier = [*previous.speakers, *(code for _, _, code, _ in quoted if code)]
    return next((code for code in earlier if code in codes), None)


def _points_at_a_speaker(current: QueryPlan, own_words: Sequence[str]) -> bool:
    """Does a follow-up naming nobody still ask about the previous speakers? A personal
    pronoun ("Was sagten sie dazu?"), an ellipsis with no words of its own ("Und in der
    47. Sitzung?"), or someone's words asked for ("Was wurde dazu gesagt?") do; a
    question about a thing ("Wie ging die Abstimmung darüber aus?") does not."""
    text = current.question
    if _PERSONAL.search(text):
        return True
    if current.asks_speech and _ANAPHORA.search(text):
        return True
    return bool(_ELLIPSIS.search(text)) and not own_words


def _short(plan: QueryPlan) -> bool:
    return len(plan.question.split()) <= 3


def reading_of(plan: QueryPlan) -> str:
    """The follow-up as a question complete in itself, in the question's language."""
    en = plan.language == "en"
    where = _where(plan)
    topic = plan.topic
    about = (f" about “{topic}”" if en else f" zu „{topic}“") if topic else ""
    if plan.speakers and (plan.asks_speech or not plan.figure):
        joiner = " and " if en else " und "
        names = joiner.join(_subject(c, plan.language) for c in plan.speakers)
        return f"What did {names} say{where}{about}?" if en else f"Was sagte {names}{where}{about}?"
    if plan.aggregate:
        but = ""
        if plan.excluded:
            names = ", ".join(code_name(c, plan.language) for c in plan.excluded)
            but = (
                f" (apart from those already named: {names})"
                if en
                else f" (außer den bereits Genannten: {names})"
            )
        return f"Who spoke{where}{about}{but}?" if en else f"Wer äußerte sich{where}{about}{but}?"
    base = plan.question.rstrip(" ?")
    return f"{base}{where}{about}?"


def _subject(code: str, language: str) -> str:
    speaker = REGISTRY.get(code)
    return speaker_subject(speaker, language) if speaker else code


def _where(plan: QueryPlan) -> str:
    en = plan.language == "en"
    spec = plan.session
    if spec:
        if spec.startswith("sonder") or spec.endswith("-sonder"):
            return " in the special session" if en else " in der Sondersitzung"
        if spec.isdigit():
            return f" in the {ordinal(int(spec))} session" if en else f" in der {spec}. Sitzung"
        match = re.match(r"\d{4}-\d{2}-\d{2}", spec)
        if match:
            date = german_date(match.group())
            return f" in the session on {date}" if en else f" in der Sitzung am {date}"
    return ""
