"""What a question asks for, read with cheap word lists: language, aggregate, stance, topic.

No model is involved; the lists are small and specific to the IT-Planungsrat's records.
English questions are mapped onto German terms through a short glossary, so that
"Which states opposed a decision?" finds "Spricht sich gegen eine Beschlussfassung aus".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from answer.text import stem, terms, tokens, word_set
from gremium.types import QueryPlan
from index.query import names_special_session, session_spans, speaker_spans

Stance = Literal["against", "for", "none"]

_ENGLISH = word_set(
    """
    the a an of to in on at for with about from by what which who whom whose did does do
    is are was were has have had say said says state states country countries position
    how when where why much many any all this that these those there their they it its
    be been being will would should could can between against support supported oppose
    opposed meeting session special decision decided resolution note protocol tell me
    please give show list federal government amount date deadline
    """
)
_GERMAN = word_set(
    """
    der die das den dem des ein eine einer eines einem einen und oder zu zum zur im in
    am an auf aus bei mit nach von vor für über unter gegen hat haben hatte hatten ist
    sind war waren wird werden wurde wurden was wer wie wo wann welche welcher welches
    welchen sich sie er es nicht kein keine auch noch nur sagte gesagt sprach sprachen
    äußerte geäußert land länder sitzung sondersitzung beschluss beschlossen protokollnotiz
    dazu dafür dagegen zur gibt gab
    """
)

# Meta words: they frame a question but carry no topic ("Was hat X dazu gesagt?").
_STOP_DE = word_set(
    """
    aber alle allen aller alles als also am an andere anderen auch auf aus bei beim bis
    bitte da dabei damit dann das dass dem den denen der deren des dessen die dies diese
    diesem diesen dieser dieses doch dort du durch ein eine einem einen einer eines er es
    etwa etwas für gab gegenüber gibt hab habe haben hat hatte hatten hier ich ihr ihre im
    in ins ist ja je jede jeder jedes jetzt kann kein keine keinen können konnte man mehr
    mit muss nach nicht noch nun nur ob oder ohne schon sehr sei seien sein seine sich sie
    sind so soll sollen sollte über um und uns unter viel vom von vor war waren was weil
    welche welchem welchen welcher welches wenn wer werden wie wieder will wir wird wo
    wurde wurden zu zum zur zwischen dazu dafür dagegen darüber davon wann warum wieso
    weshalb wessen wem wen welch hoch gesagt sagen sagte sagten äußern äußerte äußerten
    geäußert meinung position haltung stellung stellungnahme sprach sprachen spricht
    sprechen gesprochen aussage aussagen erklärt erklärte land länder bundesland
    bundesländer sitzung sitzungen it-planungsrat it-planungsrats planungsrat
    planungsrats genau eigentlich denn insgesamt jeweils ebenfalls also laut abgegeben
    abgeben gegeben gemacht getan eingebracht eingereicht vorgebracht vertreten vertrat
    thema themen frage fragen bezug hinblick bezüglich bzgl steht stehen stand enthält
    enthalten lautet lauteten heißt hieß inhalt inhalte wortlaut worum ging geht gehen
    ländern sah sahen sieht sehen berichten berichtete berichteten berichtet kritisiert
    kritisierte kritisierten gefordert forderte forderten fordert wünschte wünschten wünscht
    antwortete antworteten entgegnete bewertet bewertete positioniert positionierte
    positionierten ausgesprochen aussprechen äußert geäußert vertreten reagierte viele vielen
    wieviel wieviele wenige welch bisher derzeit konkret hält hielt halten
    """
)
_STOP_EN = word_set(
    """
    a about above after again all also am an and any are as at be because been before
    being between both but by can could did do does doing during each few for from further
    had has have having he her here hers him his how i if in into is it its itself just me
    more most my no nor not now of off on once only or other our out over own same she
    should so some such than that the their them then there these they this those through
    to too under until up very was we were what when where which while who whom whose why
    will with would you your say said says saying state states country countries position
    tell me please give show list exactly it-planungsrat planning council speak spoke
    statement statements stated express expressed view views submitted submit made gave
    given filed entered recorded did topic regarding concerning report reported
    """
)

# English domain words -> German terms as the records write them.
_GLOSSARY: dict[str, tuple[str, ...]] = {
    "decision": ("beschluss", "beschlussfassung"),
    "decisions": ("beschluss", "beschlussfassung"),
    "resolution": ("beschluss",),
    "decided": ("beschlossen", "beschluss"),
    "adopted": ("beschlossen",),
    "special": ("sondersitzung",),
    "session": (),
    "meeting": (),
    "protocol": ("protokollnotiz",),
    "note": ("protokollnotiz",),
    "notes": ("protokollnotiz",),
    "minutes": ("protokoll",),
    "steering": ("steuerungsgruppe",),
    "group": ("gruppe",),
    "cloud": ("cloud",),
    "strategy": ("strategie",),
    "sovereignty": ("souveränität",),
    "digital": ("digitale",),
    "security": ("sicherheit", "cybersicherheit"),
    "cybersecurity": ("cybersicherheit",),
    "cyber": ("cybersicherheit",),
    "funding": ("finanzierung", "förderung"),
    "financing": ("finanzierung",),
    "support": ("unterstützung",),
    "amount": ("euro", "betrag"),
    "cost": ("kosten",),
    "costs": ("kosten",),
    "budget": ("budget",),
    "euros": ("euro",),
    "study": ("studie", "studienausgabe"),
    "issue": ("ausgabe",),
    "edition": ("studienausgabe",),
    "members": ("mitglieder",),
    "voting": ("stimmberechtigte",),
    "evaluation": ("evaluation",),
    "institute": ("institut",),
    "scientific": ("wissenschaftlichen",),
    "deadline": ("bis",),
    "communication": ("kommunikationsstrategie",),
    "urgency": ("dringlichkeit",),
    "irritation": ("irritation",),
    "rejection": ("ablehnung",),
    "open": ("open",),
    "desk": ("desk",),
    "microsoft": ("microsoft",),
    "cooperation": ("kooperation", "zusammenarbeit"),
    "company": ("unternehmen",),
    "account": ("konto", "unternehmenskonto"),
    "project": ("projekt",),
    "planning": ("projektplanung",),
    "report": ("bericht",),
    "registry": ("register",),
    "modernisation": ("registermodernisierung",),
    "modernization": ("registermodernisierung",),
    "extension": ("verlängerung",),
    "attack": ("angriff", "cyberangriff"),
    "attacks": ("angriff", "cyberangriff"),
    "public": ("öffentlich",),
    "sector": ("sektor",),
    "threat": ("bedrohung", "bedrohungslage"),
    "rights": (),
    "agreement": ("vereinbarung",),
    "teams": ("teams",),
    "using": (),
    "use": ("einsatz", "nutzung"),
    "years": ("jahre",),
    "state": (),
}

_PARTICIPANTS = (
    r"(?:länder|bundesländer|teilnehmer\w*|mitglieder|stellen|gremien|beteiligten|akteure|"
    r"\w*verbände|states|members|participants|bodies|speakers|parties|associations)"
)
_AGGREGATE_RE = re.compile(
    rf"^\s*(?:wer|who)\b(?!\s+(?:ist|war|sind|waren|is|was|are|were)\b)"
    rf"|\b(?:welche[rsmn]?|which|wie\s+viele|how\s+many|alle|all)\s+(?:\w+\s+)?{_PARTICIPANTS}\b",
    re.IGNORECASE,
)
_AGAINST_RE = re.compile(
    r"\b(?:gegen|dagegen|ablehn\w*|lehnt\w*|abgelehnt|widersp\w*|kein\w*\s+beschluss\w*|"
    r"against|oppos\w*|reject\w*|refus\w*)\b",
    re.IGNORECASE,
)
_FOR_RE = re.compile(
    r"\b(?:dafür|befürwort\w*|unterstütz\w*|zustimm\w*|stimmte\w*\s+zu|begrüß\w*|"
    r"in\s+favou?r|support\w*|endors\w*|welcom\w*|approv\w*)\b",
    re.IGNORECASE,
)
_DECISION_RE = re.compile(
    r"\b(?:beschl\w*|beschluss\w*|wie\s+hoch|wie\s+viel\w*|betrag\w*|beträgt|euro|kosten|"
    r"frist\w*|bis\s+wann|wann|datum|termin|summe|budget\w*|decision\w*|decided|resolution\w*|"
    r"how\s+much|amount|deadline|when|date|cost\w*|budget)\b",
    re.IGNORECASE,
)
_FIGURE_RE = re.compile(
    r"\b(?:wie\s+hoch|wie\s+viel\w*|betrag\w*|beträgt|euro|kosten|frist\w*|bis\s+wann|wann|"
    r"datum|summe|how\s+much|amount|deadline|when|date|cost\w*)\b",
    re.IGNORECASE,
)
_NOTE_RE = re.compile(
    r"\b(?:protokollnotiz\w*|protocol\s+notes?|notes?\s+for\s+the\s+record)\b", re.I
)
_LANDER_RE = re.compile(
    r"\b(?:welche[snrm]?|which|alle|all)\s+(?:\w+\s+)?(?:länder|bundesländer|land|states?)\b",
    re.IGNORECASE,
)
# Words that ask what someone said; without one, a named speaker may just be a topic.
_SPEECH_RE = re.compile(
    r"\b(?:sag\w*|gesagt|äußer\w*|geäußert|position\w*|haltung|meinung|stellung\w*|sprach\w*|"
    r"sprich\w*|spricht|protokollnotiz\w*|forder\w*|gefordert|kritisi\w*|bericht\w*|antwort\w*|"
    r"wünsch\w*|betont\w*|schlägt|schlug|vorgeschlagen|nachfrage|fragte|erklärt\w*|dankt\w*|"
    r"begrüß\w*|bewert\w*|reagiert\w*|entgegnet\w*|hält|hielt|wollte|bat|bittet|stand|stellte|"
    r"say\w*|said|state[ds]?|report\w*|opposed?|support\w*|ask\w*|respond\w*|think|view)\b",
    re.IGNORECASE,
)
_WORD_RE = re.compile(r"[A-Za-zÄÖÜäöüß]+")
_STANCE_WORDS = frozenset(
    stem(w)
    for w in word_set(
        """gegen dagegen ablehnen abgelehnt ablehnung lehnte lehnten widersprach
    dafür befürwortet befürworteten unterstützt unterstützten zustimmen begrüßt begrüßten
    against oppose opposed reject rejected support supported favour favor"""
    )
)


def detect_language(question: str) -> str:
    """ "en" when English function words outnumber German ones, else "de" (the default)."""
    words = [w.lower() for w in _WORD_RE.findall(question)]
    if not words:
        return "de"
    english = sum(w in _ENGLISH for w in words)
    german = sum(w in _GERMAN for w in words)
    if any(ch in question for ch in "äöüßÄÖÜ"):
        german += 1
    return "en" if english > german else "de"


def is_aggregate(question: str) -> bool:
    """Does the question ask for every speaker who did something ("Welche Länder ...")?"""
    return bool(_AGGREGATE_RE.search(question))


@dataclass(frozen=True)
class Intent:
    """The answer step's reading of a question."""

    language: str
    aggregate: bool
    speakers: tuple[str, ...]  # canonical codes named in the question
    terms: tuple[str, ...]  # stemmed topic terms, speaker names and meta words removed
    stance: Stance
    decision: bool  # asks about a Beschluss, an amount or a date
    figure: bool  # asks for an amount or a date in particular
    protocol_note: bool
    lander_only: bool  # "Welche Länder ...": Bund and bodies do not count
    special_session: bool
    session: str | None = None  # session id, number or date the question names
    asks_speech: bool = True  # asks what someone said (not only a fact that names them)


def read_intent(plan: QueryPlan) -> Intent:
    question = plan.question
    # the plan's default "de" may just be unset: the question itself decides then
    language = plan.language if plan.language == "en" else detect_language(question)
    speakers = plan.speakers  # index.query.understand decides who is asked about
    aggregate = plan.aggregate or is_aggregate(question)
    # the topic is what is left once the restricting session and speaker names are cut
    # out; in an aggregate question a named speaker is the object ("mit dem BSI")
    cuts = session_spans(question)
    if not aggregate:
        cuts += speaker_spans(question)
    topic, cut_from = question, len(question)
    for start, end in sorted(cuts, reverse=True):
        end = min(end, cut_from)  # spans may overlap; never cut twice
        if start < end:
            topic = topic[:start] + " " + topic[end:]
            cut_from = start
    session = plan.session
    stance: Stance = "none"
    if _AGAINST_RE.search(topic):
        stance = "against"
    elif _FOR_RE.search(topic):
        stance = "for"
    return Intent(
        language=language,
        aggregate=aggregate,
        speakers=speakers,
        terms=tuple(dict.fromkeys(_topic_terms(topic))),
        stance=stance,
        decision=bool(_DECISION_RE.search(topic)),
        figure=bool(_FIGURE_RE.search(topic)),
        protocol_note=bool(_NOTE_RE.search(topic)),
        lander_only=aggregate and bool(_LANDER_RE.search(question)),
        special_session=names_special_session(question),
        session=session,
        asks_speech=bool(_SPEECH_RE.search(question)),
    )


def _topic_terms(topic: str) -> list[str]:
    out: list[str] = []
    for token in tokens(topic):
        lowered = token.lower()
        if lowered in _GLOSSARY:
            for german in _GLOSSARY[lowered]:
                out.extend(terms(german))
            continue
        if lowered in _STOP_DE or lowered in _STOP_EN:
            continue
        out.extend(t for t in terms(token, _STOP_DE | _STOP_EN) if t not in _STANCE_WORDS)
    return [t for t in out if len(t) > 1 or t.isdigit()]
