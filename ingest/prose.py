"""Speakers in prose: which sentence opens a speaker's turn and which goes on with it.

Minutes written as prose introduce a speaker in a sentence ("Herr Staatssekretär
Dr. Krause (Sachsen) führte aus, dass …", "Die Vertreterin Thüringens ergänzte, …",
"Für das BSI erklärte Herr Abteilungsleiter Ohm, …", "Dem schloss sich Brandenburg
an.") and then report them in indirect speech ("… sei …", "… habe …") until another
speaker or the protocol's own voice ("Der IT-Planungsrat …", "Die Vorsitzende …")
takes over. This module reads one sentence and says which of these it is; it uses
general grammar (speech verbs, Konjunktiv, word order, titles), never topic words.
A speaker comes only from a Land or body the sentence itself names, or from a person
the record tied to one earlier; anything else is no speaker.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from gremium.speakers import REGISTRY
from gremium.types import Speaker
from ingest.labels import PERSON, PersonMap, clean_person, is_chair, is_person

CueKind = Literal["speaker", "unknown", "voice", "pronoun", "reported", "neutral"]


@dataclass(frozen=True)
class Cue:
    """What a sentence does to the turn: open one (speaker/unknown/voice) or go on."""

    kind: CueKind
    speaker: Speaker | None = None
    person: str | None = None


def _weak(stem: str) -> set[str]:
    """Finite 3rd-person forms of a weak verb: erklärt, erklären, erklärte, erklärten."""
    if stem.endswith(("er", "el")) and not stem.endswith(("ier", "führ")):
        return {stem + "t", stem + "n", stem + "te", stem + "ten"}
    e = "e" if stem.endswith(("t", "d")) or re.search(r"[^aeiouäöülr]n$", stem) else ""
    return {stem + e + "t", stem + "en", stem + e + "te", stem + e + "ten"}


def _words(text: str) -> list[str]:
    return text.split()


_WEAK_STEMS = _words(
    "erklär führ bericht beton ergänz reg merk stell kritisier begrüß frag informier erläuter "
    "mach teil sag kündig plädier forder bekräftig signalisier verdeutlich äußer bemängel "
    "unterstütz dank stimm bestätig sicher referier präsentier erinner mahn warn zeig "
    "befürwort lehn monier bezweifel wünsch schilder skizzier resümier bilanzier appellier "
    "erkundig beantrag beklag problematisier thematisier votier erwähn erwart hoff leg "
    "befürcht begründ entgegn antwort verwahr beanstand hinterfrag konstatier betracht "
    "bewert ermunter ermutig lob"
)
_STRONG = _words(
    "weist weisen wies wiesen bittet bitten bat baten spricht sprechen sprach sprachen "
    "schließt schließen schloss schlossen unterstreicht unterstreichen unterstrich unterstrichen "
    "verweist verweisen verwies verwiesen hebt heben hob hoben gibt geben gab gaben "
    "schlägt schlagen schlug schlugen trägt tragen trug trugen hält halten hielt hielten "
    "sieht sehen sah sahen wendet wenden wandte wandten widerspricht widersprechen widersprach "
    "widersprachen empfiehlt empfehlen empfahl empfahlen bietet bieten bot boten bringt "
    "bringen brachte brachten wirbt werben warb warben lädt laden lud luden nennt nennen "
    "nannte nannten bezieht beziehen bezog bezogen tritt treten trat traten vertritt vertreten "
    "vertrat vertraten rät raten riet rieten beschreibt beschreiben beschrieb beschrieben "
    "enthält enthalten enthielt enthielten geht gehen ging gingen"
)
SPEECH_VERBS = frozenset({f for stem in _WEAK_STEMS for f in _weak(stem)} | set(_STRONG))

# Konjunktiv forms that mark indirect speech ("sei", "habe", "werde", "könne", "müsse" …).
_KONJUNKTIV = frozenset(
    _words(
        "sei seien seiest habe hätte hätten werde würde würden könne könnte könnten müsse "
        "müsste müssten solle wolle dürfe dürfte dürften möge gebe gäbe gäben bestehe bestünde "
        "bestünden liege läge lägen stehe stünde stünden gehe ginge komme käme kämen bleibe "
        "bliebe brauche bräuchte bräuchten trage sehe halte plane erwarte begrüße unterstütze "
        "lehne teile benötige fehle erfolge zeige reiche verfüge arbeite prüfe biete spreche "
        "folge entstehe entspreche diene gelte handle laufe verlaufe führe setze stelle lasse "
        "wisse kenne wünsche strebe beabsichtige empfehle sorge befürchte befürworte hoffe "
        "rechne verfolge betrage beliefe bedürfe erscheine ergebe gehöre trete vertrete"
    )
)

_ARTICLE = r"(?:[Dd](?:er|ie|as|es|em|en))"
_REPRESENTATIVE = re.compile(
    rf"^{_ARTICLE}\s+(?:(?P<adj>[a-zäöü][\w-]*e[rn]?)\s+)?(?:(?:stellvertretende[rn]?)\s+)?"
    r"(?:Vertreter(?:in|innen)?(?:\s+und\s+Vertreter(?:in|innen)?)?|Vertretung|Delegation|"
    r"Delegierte[rn]?|Chief\s+Information\s+Officer|CIO|Beauftragte[rn]?|Bevollmächtigte[rn]?|"
    r"Staatssekretär(?:in)?|(?:Staats)?[Mm]inister(?:in)?|Senator(?:in)?|Präsident(?:in)?|"
    r"Amtschef(?:in)?|Leiter(?:in)?)\b\s*(?P<rest>.*)$"
)
_ON_BEHALF = re.compile(r"^(?:Für|Seitens|Von\s+Seiten)\s+(?P<rest>.+)$")
_VIEW_OF = re.compile(
    r"^(?:Nach\s+(?:Auffassung|Ansicht|Einschätzung|Meinung|Auskunft|Angaben|Darstellung|"
    r"Aussage|Mitteilung|Überzeugung|Worten)|Aus\s+(?:Sicht|Perspektive)|Laut)\s+(?P<rest>.+)$"
)
_PAREN_LEAD = re.compile(r"^(?P<x>[^()]{2,80}?)\s*\((?P<y>[^()]{2,60})\)\s*(?P<after>.*)$")
_APPOSITION = re.compile(rf"^(?P<person>{PERSON}),\s+(?P<app>[^,]{{3,140}}),\s+(?P<verb>\w+)\b")
_VOICE_START = re.compile(
    r"^(?:(?:Der|Die)\s+(?:IT-Planungsrat|Vorsitzende[r]?|Vorsitz|Geschäftsstelle|Sitzungsleitung)\b|"
    r"Im\s+Ergebnis\b|"
    r"Nach\s+(?:kurzer\s+|eingehender\s+|ausführlicher\s+|weiterer\s+)?"
    r"(?:Aussprache|Diskussion|Beratung|Erörterung)\b)"
)
_AS_CHAIR = re.compile(r"\b(?:als|in\s+(?:seiner|ihrer)\s+Funktion\s+als)\s+Vorsitzende[r]?\b")
# focus particles before a subject: "Auch Rheinland-Pfalz sprach sich … aus"
_PARTICLE = re.compile(r"^(?:Auch|Ebenso|Ebenfalls|Zudem|Insbesondere|Gerade|Selbst|Sogar|Nur)\s+")
# a person with the body they speak for: "Frau Kühn vom Deutschen Städte- und Gemeindebund"
_PERSON_OF = re.compile(
    rf"^(?P<p>{PERSON})\s+(?:vom|von\s+der|von\s+dem|von|aus\s+dem|aus|der|des)\s+(?P<who>.+)$"
)
_VOICE_INVERTED = re.compile(r"^[^,;:]{0,60}\b(?:der|die)\s+(?:IT-Planungsrat|Vorsitzende[r]?)\b")
_PRONOUN = re.compile(r"^(?:(?:Er|Sie)\s+[a-zäöü]|(?:\w+\s+){1,2}(?:er|sie)\s+(?!\w+\s*,))")
_LIST_NUMBER = re.compile(r"^(?:\d{1,2}[.)]|[a-z]\)|[•›\-–])\s+")

# -- sentences ---------------------------------------------------------------------------

_ABBREVIATIONS = frozenset(
    _words(
        "Dr Prof Nr Abs Art bzw ca Mio Mrd ggf vgl usw inkl bspw evtl insb sog St Std gem "
        "lt Dipl Ing Hr Fr zzgl max min Tel Bd Kap Ziff lfd Buchst S u a z B d h i V m o g "
        "Jh Jan Feb Mär Apr Jun Jul Aug Sep Sept Okt Nov Dez gez StS StR MdB MdL"
    )
)
_BOUNDARY = re.compile(r"[.!?][\"“”»’)]?\s+(?=[„\"(]?[A-ZÄÖÜ0-9])")


def sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence; abbreviations and ordinals ("4. Juni") do not end one."""
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _BOUNDARY.finditer(text):
        before = text[start : m.start()]
        word = re.search(r"(\S+)$", before)
        token = word[1] if word else ""
        bare = token.strip('„"(')
        if bare in _ABBREVIATIONS or re.fullmatch(r"\d{1,3}|[A-Za-zÄÖÜ]", bare):
            continue
        spans.append((start, m.end()))
        start = m.end()
    if start < len(text):
        spans.append((start, len(text)))
    return [(a, b) for a, b in spans if text[a:b].strip()]


# -- speakers ----------------------------------------------------------------------------


def resolve_phrase(text: str) -> Speaker | None:
    """A speaker named by a whole noun phrase: "das BSI", "des Landes Berlin", "Thüringens"."""
    text = re.sub(r"\s+", " ", text).strip(" ,.;:")
    text = re.sub(rf"^(?:{_ARTICLE}|vom|von|im|beim)\s+", "", text)
    if not text or len(text.split()) > 8:
        return None
    return REGISTRY.resolve(text)


def _leading_speaker(text: str) -> tuple[Speaker | None, int]:
    """The speaker named by the first one to six words of text, and how many words it took."""
    words = text.split()
    for n in range(min(6, len(words)), 0, -1):
        found = resolve_phrase(" ".join(words[:n]))
        if found:
            return found, n
    return None, 0


def _single_mention(text: str) -> Speaker | None:
    found = {s.code: s for s, _, _ in REGISTRY.mentions(text)}
    return next(iter(found.values())) if len(found) == 1 else None


def _person_speaker(person: str, persons: PersonMap) -> Cue:
    speaker = persons.lookup(person)
    return Cue("speaker" if speaker else "unknown", speaker, clean_person(person))


def _first_verb(words: list[str], limit: int = 14) -> int | None:
    for i, word in enumerate(words[:limit]):
        if word.strip(",;:") in SPEECH_VERBS:
            return i
        if word.endswith((",", ";", ":")) and i > 0 and not is_person(" ".join(words[: i + 1])):
            return None  # a clause ended before any speech verb
    return None


def _subject_after_verb(rest: str, persons: PersonMap) -> Cue | None:
    """Word order with the subject after the verb: "Dem schloss sich Brandenburg an."."""
    rest = re.sub(r"^(?:sich|auch|ebenfalls|zudem|daher|deshalb|nochmals)\s+", "", rest)
    rest = re.sub(r"^(?:sich|auch|ebenfalls)\s+", "", rest)
    if _VOICE_START.match(rest[:1].upper() + rest[1:]):
        return Cue("voice")
    if m := _REPRESENTATIVE.match(rest):
        return _representative(m)
    if (m := _PAREN_LEAD.match(rest)) and (cue := _parenthesised(m, persons)):
        return cue
    speaker, _ = _leading_speaker(rest)
    if speaker:
        return Cue("speaker", speaker)
    m = re.match(rf"(?P<p>{PERSON})\b", rest)
    if m and is_person(m["p"]) and not is_chair(m["p"]):
        return _person_speaker(m["p"], persons)
    return None


def _representative(m: re.Match[str]) -> Cue:
    """ "Die Vertreterin Thüringens", "Der Vertreter des Landes Berlin, Herr X,"."""
    if m["adj"] and (speaker := _single_mention(m["adj"])):
        return Cue("speaker", speaker, _apposition_person(m["rest"]))
    phrase = re.split(r"[,;:]", m["rest"], maxsplit=1)[0]
    words = phrase.split()
    verb = next((i for i, w in enumerate(words) if w in SPEECH_VERBS), len(words))
    speaker, _ = _leading_speaker(" ".join(words[:verb]))
    if speaker:
        return Cue("speaker", speaker, _apposition_person(m["rest"]))
    return Cue("unknown")


def _apposition_person(rest: str) -> str | None:
    m = re.search(rf",\s+(?P<p>{PERSON}),", rest)
    return clean_person(m["p"]) if m and is_person(m["p"]) else None


def _parenthesised(m: re.Match[str], persons: PersonMap) -> Cue | None:
    """ "Herr Staatssekretär Dr. Krause (Sachsen) führte aus", "Schleswig-Holstein (Herr X) …"."""
    x, y, after = m["x"].strip(), m["y"].strip(), m["after"]
    if after and not re.match(r"^(?:[:,]|[a-zäöü])", after):
        return None
    if (speaker := resolve_phrase(y)) and is_person(x, bare=True) and not is_chair(x):
        return Cue("speaker", speaker, clean_person(x))
    if (speaker := resolve_phrase(x)) and is_person(y, bare=True):
        return Cue("speaker", speaker, clean_person(y))
    return None


def read_sentence(sentence: str, persons: PersonMap) -> Cue:
    """What one sentence does: open a speaker's turn, hand over to the protocol, or go on."""
    s = _LIST_NUMBER.sub("", sentence.strip()).lstrip('„"')
    if not s:
        return Cue("neutral")
    if is_chair(s) or _VOICE_START.match(s) or _AS_CHAIR.search(re.split(r"[,;]", s)[0]):
        return Cue("voice")
    if (m := _PAREN_LEAD.match(s)) and (cue := _parenthesised(m, persons)):
        return cue
    if m := _ON_BEHALF.match(s):
        words = m["rest"].split()
        verb = _first_verb(words, 8)
        if verb:
            speaker = resolve_phrase(" ".join(words[:verb]))
            if speaker:
                after = " ".join(words[verb + 1 :])
                p = re.match(rf"(?P<p>{PERSON})\b", after)
                person = clean_person(p["p"]) if p and is_person(p["p"]) else None
                return Cue("speaker", speaker, person)
    if m := _VIEW_OF.match(s):
        speaker, _ = _leading_speaker(re.split(r"[,;]", m["rest"])[0])
        if speaker:
            return Cue("speaker", speaker)
    if m := _REPRESENTATIVE.match(s):
        return _representative(m)
    if (m := _APPOSITION.match(s)) and m["verb"] in SPEECH_VERBS and is_person(m["person"]):
        speaker = _single_mention(m["app"])
        if speaker:
            return Cue("speaker", speaker, clean_person(m["person"]))
        return _person_speaker(m["person"], persons)
    words = s.split()
    verb = _first_verb(words)
    if verb is not None:
        subject = _PARTICLE.sub("", " ".join(words[:verb]))
        if subject in ("Er", "Sie"):
            return Cue("pronoun")
        if speaker := resolve_phrase(subject):
            return Cue("speaker", speaker)
        if (m := _PERSON_OF.match(subject)) and is_person(m["p"]):
            speaker = resolve_phrase(m["who"])
            if speaker:
                return Cue("speaker", speaker, clean_person(m["p"]))
        if is_person(subject) and not is_chair(subject):
            return _person_speaker(subject, persons)
        if len(REGISTRY.mentions(subject)) >= 2 and re.search(r"\b(?:und|sowie)\b", subject):
            return Cue("unknown")  # a joint statement names no single speaker
        if len(words[:verb]) <= 4 and (
            cue := _subject_after_verb(" ".join(words[verb + 1 :]), persons)
        ):
            return cue
    if _VOICE_INVERTED.match(s):
        return Cue("voice")
    if _PRONOUN.match(s):
        return Cue("pronoun")
    if any(w.strip(",.;:") in _KONJUNKTIV for w in words):
        return Cue("reported")
    return Cue("neutral")


__all__ = ["SPEECH_VERBS", "Cue", "read_sentence", "resolve_phrase", "sentences"]
