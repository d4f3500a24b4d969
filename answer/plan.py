"""Question understanding: one reading of a question, made once, as a `QueryPlan`.

    read_question("Was hat Bayern in der 47. Sitzung zu NOOTS gesagt?")
    -> QueryPlan(speakers=("BY",), session="47", topic="NOOTS", asks_speech=True, ...)

Everything here is general grammar of questions about meetings: question words,
speech and stance verbs, session and date phrases, how speakers are named (through
the speaker registry). No topic of the records is listed here; what a question is
about is whatever words remain (`topic`), and relevance comes from the models.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterator

from answer.text import word_set
from gremium.dates import MONTH_PATTERN, MONTHS, NUMERIC_DATE, WORD_DATE, dates
from gremium.speakers import REGISTRY
from gremium.types import QueryPlan, Stance

# -- dates and sessions ----------------------------------------------------------------------

_NUMBERED_SESSION = re.compile(
    r"\b(\d{1,3})\s*\.\s*(?:ordentliche[nr]?\s+)?(?:IT-Planungsrats-?)?[Ss]itzung"
    r"|\b[Ss]itzung\s+(?:Nr\.?\s*)?(\d{1,3})\b"
    r"|\b(\d{1,3})(?:st|nd|rd|th)\s+(?:IT-Planungsrat\s+)?(?:meeting|session)\b"
    r"|\b(?:meeting|session)\s+(?:no\.?\s*|number\s+)?(\d{1,3})\b",
    re.IGNORECASE,
)
_SPECIAL_SESSION = re.compile(
    r"\bSondersitzung\w*|\b(?:special|extraordinary)\s+(?:meeting|session)s?\b", re.IGNORECASE
)
# "die Sondersitzung 2024", "the 2025 session": a year that qualifies a session
_SESSION_YEAR = re.compile(
    r"\b(?:Sondersitzung|Sitzung|session|meeting)\s+(?:im\s+Jahr(?:e)?\s+|von\s+|of\s+)?"
    r"((?:19|20)\d{2})\b|\b((?:19|20)\d{2})\s+(?:special\s+)?(?:session|meeting)\b",
    re.IGNORECASE,
)
_ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_MONTH_YEAR = re.compile(rf"\b(?:im\s+|in\s+)?({MONTH_PATTERN})\s+(\d{{4}})\b", re.IGNORECASE)
_YEAR = re.compile(
    r"\b(?:im\s+Jahr(?:e)?|in|aus|seit|während|during|in\s+the\s+year)\s+(20\d{2}|19\d{2})\b",
    re.IGNORECASE,
)
# "zur 44. Sitzung", "seit der 45. Sitzung": a session mentioned as a topic, not a scope
_MENTION_BEFORE = re.compile(
    r"\b(?:zur|zum|zu\s+der|seit\s+der|vor\s+der|nach\s+der|bis\s+zur|aus\s+der|since|before|"
    r"after|until)\s+$",
    re.IGNORECASE,
)
# "in der 47. Sitzung", "during the 47th session": a phrase that only sets the scene
_SCENE_BEFORE = re.compile(
    r"\b(?:in|auf|während|bei|at|during|in)\s+(?:der|the|ihrer|its|seiner)\s+$", re.IGNORECASE
)

_DOC_TYPE_HINTS = (
    (re.compile(r"\bPräsentation|\bFolien?\b|\bVortrag|\bslides?\b", re.I), "praesentation"),
    (re.compile(r"\bBericht\b|\bBerichts\b|\breport\b", re.I), "bericht"),
    (re.compile(r"\bBeschl(?:uss|üsse)\w*|\bdecisions?\b|\bresolutions?\b", re.I), "beschluss"),
    (re.compile(r"\bProtokoll(?!notiz|erklärung)\b|\bminutes\b", re.I), "protokoll"),
)

# -- speakers: subjects, not objects -----------------------------------------------------------

# "Bund und Länder", "des Bundes und der Länder": everyone, not the federal delegation
_BUND_PHRASE = re.compile(
    r"^\W*(?:,\s*|\s+und\s+|\s+sowie\s+|\s*/\s*|-)(?:der\s+|den\s+|die\s+)?(?:Länder|Ländern|Kommunen)\b",
    re.IGNORECASE,
)
_BUND_BEFORE = re.compile(
    r"(?:Länder|Ländern|Kommunen)\s*(?:,|und|sowie|/)\s*(?:de[rsn]\s+|dem\s+)?$", re.IGNORECASE
)
_PREPOSITION_BEFORE = re.compile(
    r"\b(?:mit|zum|zur|zu|über|gegenüber|an|bei|gegen|durch|für|von\s+der|with|about|to|"
    r"by|from|against|towards)\s+(?:de[mnrs]\s+|die\s+|das\s+|the\s+)?$",
    re.IGNORECASE,
)
# "bittet ... den Bund": an accusative or dative article marks the object of the sentence
_OBJECT_ARTICLE_BEFORE = re.compile(r"\b(?:den|dem)\s+$", re.IGNORECASE)
# "What about Hamburg?", "Und was ist mit Hessen?": the speaker asked about next
_OPENER = re.compile(
    r"\W*(?:und|and|but|aber)?\s*(?:what|how|was|wie)\s+(?:about|ist\s+mit|steht\s+es\s+mit)\s+"
    r"(?:de[mnrs]\s+|die\s+|das\s+|the\s+)?",
    re.IGNORECASE,
)
# "die Kommunikation des Bundes", "das Budget Bayerns": a genitive attribute of a noun
# names whose thing it is, not who spoke ("die Vertreterin des Bundes" still speaks)
_GENITIVE_ARTICLE_BEFORE = re.compile(r"(?<!Vertreter)(?<!Vertreterin)\s+des\s+$", re.IGNORECASE)
_NOUN_BEFORE = re.compile(r"\b(?:der|die|das|des|dem|den)\s+[A-ZÄÖÜ][\w-]+\s+$")

# -- what kind of answer is asked for ----------------------------------------------------------

# "Welche Länder …", "Which municipal associations …": an aggregate over one class of
# member (gremium.speakers.SpeakerGroup), named the way the council names its members.
_GROUP_NOUNS = (
    ("land", r"(?:länder|ländern|bundesländer|states|länder-?vertreter\w*)"),
    (
        "municipal",
        r"(?:kommunal\w*\s+spitzenverbände|kommunal\w*\s+verbände|spitzenverbände|kommunen|"
        r"municipal\s+(?:\w+\s+)?associations|local\s+(?:government|authority)\s+associations|"
        r"municipalities)",
    ),
    (
        "federal",
        r"(?:bundesbehörden|bundesressorts|bundesministerien|bundesstellen|"
        r"federal\s+(?:bodies|authorities|agencies|ministries|offices|institutions))",
    ),
)
_PARTICIPANTS = (
    r"(?:länder|ländern|bundesländer|teilnehmer\w*|beteiligte\w*|stellen|gremien|akteure|"
    r"vertreter\w*|delegationen|\w*verbände|seiten|states|länder|participants|members|bodies|"
    r"speakers|parties|delegations|associations|governments|"
    + "|".join(nouns for _, nouns in _GROUP_NOUNS)
    + ")"
)
# the words that ask for members: "welche", "which", "wie viele", "alle" ...
_WHICH_WORDS = r"(?:welche[rsmn]?|which|wie\s+viele|how\s+many|alle|all|what)"
_WHICH_PARTICIPANTS = re.compile(
    rf"\b{_WHICH_WORDS}\s+(?:\w+\s+){{0,2}}"
    rf"{_PARTICIPANTS}\b",
    re.IGNORECASE,
)
_COUNT_PARTICIPANTS = re.compile(
    rf"\b(?:wie\s+viele|how\s+many)\s+(?:\w+\s+)?{_PARTICIPANTS}\b", re.I
)
_WHO = re.compile(r"^\W*(?:und\s+|and\s+)?(?:wer|who)\b", re.IGNORECASE)
_GROUP_NOUN_RES = [
    (group, re.compile(rf"\b{nouns}\b", re.IGNORECASE)) for group, nouns in _GROUP_NOUNS
]
_WHICH = re.compile(rf"\b{_WHICH_WORDS}\s", re.IGNORECASE)
GROUP_WORDS = 8  # words after "welche" that may name the classes ("Länder und Kommunen")
# Speech acts: what someone said, asked, proposed, criticised ... (German and English).
_SPEECH = re.compile(
    r"\b(?:sag\w*|gesagt|äußer\w*|geäußert|\w*sprach\w*|\w*sprich\w*|\w*sprech\w*|"
    r"\w*gesprochen|erklär\w*|"
    r"bericht\w*|forder\w*|gefordert|kritisi\w*|betont\w*|beton(?:e|en)|begrüß\w*|"
    r"bemängel\w*|warn\w*|gewarnt|empf(?:ahl|iehlt|ehlen|ohlen)\w*|bat\b|baten|bitte[tn]?|"
    r"gebeten|sicherte\w*|zugesichert|stellte\w*\s+klar|klargestellt|regte\w*|angeregt|"
    r"wies\w*|hingewiesen|verwies\w*|schlug\w*|vorgeschlagen|schlägt|ergänz\w*|mahnt\w*|"
    r"gemahnt|plädier\w*|meint\w*|argumentier\w*|kommentier\w*|antwort\w*|entgegne\w*|"
    r"reagier\w*|gab\w*\s+zu\s+bedenken|fragte\w*|nachgefragt|bewert\w*|positionier\w*|"
    r"begründ\w*|bezweifel\w*|zweifel\w*|stellte\w*\s+vor|vorgestellt|kündigte\w*|"
    r"angekündigt|empfehlung\w*|hinweis\w*|vorschl(?:ag|äge)\w*|anmerk\w*|einwand\w*|"
    r"einwände|bedenken|schilder\w*|informier\w*|erläuter\w*|teilte\w*\s+mit|"
    r"mitgeteilt|machte\w*\s+deutlich|thematisier\w*|lobte\w*|gelobt|dankte\w*|bedankt\w*|"
    r"beklagt\w*|bemerkt\w*|kritik|forderung\w*|wunsch|wünsche|sorge\w*|befürcht\w*|"
    r"räumte\w*|bestätigt\w*|verneint\w*|zugestimmt|appellier\w*|"
    r"describ\w*|explain\w*|announc\w*|present\w*|suggest\w*|doubt\w*|thank\w*|"
    r"prais\w*|complain\w*|insist\w*|point\w*\s+out|want\w*|concern\w*|fear\w*|"
    r"request\w*|urg\w*|call\w*\s+for|assess\w*|judg\w*|"
    r"position\w*|haltung|meinung|stellungnahme|standpunkt|sicht|auffassung|einschätzung|"
    r"aussage\w*|vortrag|wortbeitrag|protokollnotiz\w*|protokollerklärung\w*|"
    r"zu\s+protokoll|hielt|hält|sah|sieht|wollte|wünscht\w*|lehnt\w*|abgelehnt|unterstützt\w*|"
    r"befürwort\w*|widersp\w*|stimmt\w*|zugestimmt|"
    r"say\w*|said|spoke\w*|speak\w*|stat(?:e|ed|es|ing)|mention\w*|report\w*|propos\w*|recommend\w*|warn\w*|"
    r"ask\w*|demand\w*|critici[sz]\w*|stress\w*|emphasi[sz]\w*|promis\w*|clarif\w*|"
    r"object\w*|push\w*\s+back|welcom\w*|comment\w*|argu\w*|express\w*|rais\w*|"
    r"position|stance|view|views|think|thought|opinion|respond\w*|repl\w*|oppos\w*|"
    r"support\w*|reject\w*|endors\w*|note[sd]?\b)",
    re.IGNORECASE,
)
# What participants do in a meeting besides speaking: offer, join, abstain, vote, submit.
_ACT = re.compile(
    r"\b(?:bot\w*\s+an|angeboten|anbieten|bietet|boten|beteiligt\w*|enthielt\w*|enthalten|"
    r"abgestimmt|stimmte\w*|eingebracht|vorgelegt|legte\w*\s+vor|meldete\w*|gemeldet|"
    r"nahm\w*\s+teil|teilgenommen|offer\w*|volunteer\w*|abstain\w*|voted|submitt\w*|"
    r"joined|took\s+part|participat\w*)\b",
    re.IGNORECASE,
)
_AGAINST = re.compile(
    r"\b(?:gegen|dagegen|ablehn\w*|lehnt\w*|lehnen|abgelehnt|widersp\w*|kritisch\w*|"
    r"kein\w*\s+beschluss\w*|nicht\s+zu\w*stimm\w*|against|oppos\w*|reject\w*|refus\w*|"
    r"object\w*|push\w*\s+back)\b",
    re.IGNORECASE,
)
_FOR = re.compile(
    r"\b(?:dafür|befürwort\w*|unterstütz\w*|zustimm\w*|stimmte\w*\s+zu|begrüß\w*|"
    r"in\s+favou?r|support\w*|endors\w*|welcom\w*|approv\w*|backed)\b",
    re.IGNORECASE,
)
_FIGURE = re.compile(
    r"\b(?:wie\s+hoch|wie\s+viel\w*|wie\s+lange|bis\s+wann|ab\s+wann|seit\s+wann|wann|"
    r"welche[rsmn]?\s+(?:betrag|summe|frist|datum|termin|zeitraum|höhe|anzahl)|"
    r"how\s+much|how\s+many|how\s+long|by\s+when|when|"
    r"(?:what|which)\s+(?:amount|date|deadline|sum|year))\b",
    re.IGNORECASE,
)
_DECISION = re.compile(
    r"\b(?:beschl\w*|entschied\w*|entschieden|entscheidung\w*|decid\w*|decision\w*|"
    r"resolution\w*|resolved|adopt\w*)\b",
    re.IGNORECASE,
)
_NOTE = re.compile(
    r"\b(?:protokollnotiz\w*|protokollerklärung\w*|erklärung\w*\s+zu(?:m)?\s+protokoll|"
    r"zu\s+protokoll|protocol\s+notes?|notes?\s+(?:for|to)\s+the\s+record|for\s+the\s+record)\b",
    re.IGNORECASE,
)
_OVER_TIME = re.compile(
    r"\b(?:entwickel\w*|entwicklung|verändert\w*|veränderung|im\s+laufe|über\s+die\s+sitzungen|"
    r"über\s+die\s+zeit|im\s+zeitverlauf|evolv\w*|develop\w*|chang\w*\s+over|over\s+time|"
    r"across\s+(?:the\s+)?(?:sessions|meetings))\b",
    re.IGNORECASE,
)

# -- language ----------------------------------------------------------------------------------

_WORD = re.compile(r"[A-Za-zÄÖÜäöüß]+")
_ENGLISH = word_set(
    """the a an of to in on at for with about from by what which who whom whose did does do
    is are was were has have had say said says how when where why much many any all this that
    these those there their they it its be been being will would should could can between
    against support oppose opposed meeting session special decision decided tell me please
    give show list federal government and or not"""
)
_GERMAN = word_set(
    """der die das den dem des ein eine einer eines einem einen und oder zu zum zur im in am
    an auf aus bei mit nach von vor für über unter gegen hat haben hatte hatten ist sind war
    waren wird werden wurde wurden was wer wie wo wann welche welcher welches welchen sich sie
    er es nicht kein keine auch noch nur sagte gesagt sprach sprachen äußerte land länder
    sitzung beschluss dazu dafür dagegen gibt gab"""
)

# -- frame words: they shape a question but name no topic --------------------------------------

_FRAME = word_set(
    """
    aber alle allen aller alles als also am an andere anderen auch auf aus bei beim bis bitte
    da dabei damit dann das dass dem den denen der deren des dessen die dies diese diesem
    diesen dieser dieses doch dort durch ein eine einem einen einer eines er es etwa etwas
    für gab gibt hab habe haben hat hatte hatten hier ich ihr ihre ihren ihrer im in ins ist
    ja je jede jeder jedes jetzt kann kein keine keinen können konnte man mehr mit muss nach
    nicht noch nun nur ob oder ohne schon sehr sei seien sein seine seiner sich sie sind so
    soll sollen sollte über um und uns unter viel vom von vor war waren was weil welche
    welchem welchen welcher welches wenn wer werden wie wieder will wir wird wo wurde wurden
    zu zum zur zwischen dazu dafür dagegen darüber davon darauf daran damit wann warum wieso
    weshalb wessen wem wen welch hoch denn genau eigentlich nochmal mal kurz insgesamt
    jeweils ebenfalls laut konkret irgendwas irgendetwas sonst überhaupt eigentlich bisher derzeit
    gerade eben sowie bzw viele vielen wieviel wieviele abgegeben abgeben gegeben gemacht
    machen getan eingebracht vorgebracht erfolgt gehabt steht stand stehen geht ging gehen
    lautet lauteten heißt hieß enthält enthalten inhalt wortlaut worum
    land länder ländern bundesland bundesländer sitzung sitzungen it-planungsrat
    it-planungsrats planungsrat planungsrats gremium thema themen frage fragen bezug
    hinblick bezüglich bzgl punkt vertreter vertreterin vertretung seite beteiligte
    beteiligten teilnehmer
    a about above after again all also am an and any are as at be because been before being
    between both but by can could did do does doing during each few for from further had has
    have having he her here him his how i if in into is it its just me more most my no nor
    not now of off on once only or other our out over own same she should so some such than
    that the their them then there these they this those through to too under until up very
    was we were what when where which while who whom whose why will with would you your
    tell please give show list exactly anything something regarding concerning council
    meeting meetings session sessions state states country countries planning it
    """
)
_TOKEN = re.compile(r"[0-9A-Za-zÄÖÜäöüßÀ-ÿ]+(?:[-/.,][0-9A-Za-zÄÖÜäöüßÀ-ÿ]+)*")


def detect_language(question: str) -> str:
    """ "en" when English function words outnumber German ones, else "de" (the default)."""
    words = [w.lower() for w in _WORD.findall(question)]
    english = sum(w in _ENGLISH for w in words)
    german = sum(w in _GERMAN for w in words) + any(ch in question for ch in "äöüßÄÖÜ")
    return "en" if english > german else "de"


def asks_who(question: str) -> bool:
    """Does the question ask who ("Wer …?", "Und wer …?", "Who …?")?"""
    return bool(_WHO.search(question))


def read_question(question: str) -> QueryPlan:
    """The plan for a question asked on its own (follow-ups: `answer.followup`)."""
    text = " ".join(question.split())
    aggregate = is_aggregate(text)
    speakers = () if aggregate else named_speakers(text)
    session, date_from, date_to = session_and_dates(text)
    # the topic is what is left once speakers and the restricting session are cut out: a
    # Land or body names who, not what ("die Grundsteuer in Bayern" is about the tax)
    cuts = session_spans(text) + speaker_spans(text)
    asks_speech = bool(_SPEECH.search(_cut(text, speaker_spans(text))))
    # a stance is a property of what someone said: "Wer unterstützte …?" asks for one,
    # "Wie hoch ist die Unterstützung …?" asks for a figure and keeps the word as its topic
    stated = aggregate or bool(speakers) or asks_speech
    topic = topic_words(_cut(text, cuts), stance_words=not stated)
    stance: Stance = "none"
    if stated and _AGAINST.search(text):
        stance = "against"
    elif stated and _FOR.search(text):
        stance = "for"
    return QueryPlan(
        question=question,
        text=text,
        topic=topic,
        language=detect_language(text),
        speakers=speakers,
        session=session,
        date_from=date_from,
        date_to=date_to,
        doc_type=next((kind for pattern, kind in _DOC_TYPE_HINTS if pattern.search(text)), None),
        aggregate=aggregate,
        speaker_groups=speaker_groups(text) if aggregate else (),
        figure=bool(_FIGURE.search(text)),
        decision=bool(_DECISION.search(text)),
        protocol_note=bool(_NOTE.search(text)),
        stance=stance,
        asks_speech=asks_speech,
        over_time=bool(_OVER_TIME.search(text)) and bool(speakers),
    )


def speaker_groups(text: str) -> tuple[str, ...]:
    """The classes of member an aggregate is restricted to: "Welche Länder und kommunalen
    Spitzenverbände …" -> ("land", "municipal"); none named -> () (everyone counts)."""
    found: list[str] = []
    for which in _WHICH.finditer(text):
        region = " ".join(text[which.end() :].split()[:GROUP_WORDS])
        found += [group for group, nouns in _GROUP_NOUN_RES if nouns.search(region)]
        if found:
            break
    return tuple(dict.fromkeys(found))


def is_aggregate(text: str) -> bool:
    """Does the question ask for every speaker who did something?

    "Welche Länder ...", "Wie viele Beteiligte ...", "Wer ..." with a speech or stance verb
    ("Wer sprach sich gegen ... aus?"). "Wer leitet das Projekt?" and "Welche Mitglieder
    sind stimmberechtigt?" ask for a fact, which a decision or report answers.
    """
    acts = bool(_SPEECH.search(text) or _NOTE.search(text) or _ACT.search(text))
    if _FIGURE.search(text) and not _COUNT_PARTICIPANTS.search(text):
        return False  # "Bis wann sollten alle Länder beitreten?" asks for a date
    if _WHICH_PARTICIPANTS.search(text):
        return acts
    if _WHO.search(text) and not named_speakers(text):
        return acts
    return False


def named_speakers(text: str) -> tuple[str, ...]:
    """Who the question asks about. A body named as an object ("Kooperation mit dem BSI",
    "bittet den Bund") is the topic, never the speaker whose statements are asked for."""
    subjects: list[str] = []
    for speaker, start, end in REGISTRY.mentions(text):
        before = text[:start]
        if speaker.code == "Bund" and (
            _BUND_PHRASE.match(text[end:]) or _BUND_BEFORE.search(before)
        ):
            continue
        opener = bool(_OPENER.fullmatch(before))  # "What about Hamburg?", "Und mit Hessen?"
        if not opener and (
            _OBJECT_ARTICLE_BEFORE.search(before) or _PREPOSITION_BEFORE.search(before)
        ):
            continue
        mention = text[start:end]
        genitive = mention.endswith("s") and not mention.endswith("ss")
        if genitive and (_GENITIVE_ARTICLE_BEFORE.search(before) or _NOUN_BEFORE.search(before)):
            continue
        if speaker.code not in subjects:
            subjects.append(speaker.code)
    return tuple(subjects)


def speaker_spans(text: str, codes: tuple[str, ...] | None = None) -> list[tuple[int, int]]:
    """Where the question names speakers (all of them, or those of `codes`)."""
    return [
        (start, end)
        for speaker, start, end in REGISTRY.mentions(text)
        if codes is None or speaker.code in codes
    ]


def _restricting_sessions(text: str) -> Iterator[re.Match[str]]:
    for numbered in _NUMBERED_SESSION.finditer(text):
        if not _MENTION_BEFORE.search(text[: numbered.start()]):
            yield numbered


def session_spans(text: str) -> list[tuple[int, int]]:
    """Where the question names a session or date only to restrict the evidence.

    "Was sagte Hessen in der 47. Sitzung?" restricts; in "Wann fand die 36. Sitzung
    statt?" the session is what the question is about, so its words stay in the topic.
    """
    spans = [
        m.span() for m in _restricting_sessions(text) if _SCENE_BEFORE.search(text[: m.start()])
    ]
    spans += [m.span() for m in _SPECIAL_SESSION.finditer(text)]
    if spans or exact_date(text):
        spans += [m.span() for p in (NUMERIC_DATE, _ISO_DATE, WORD_DATE) for m in p.finditer(text)]
    spans += [m.span() for m in _MONTH_YEAR.finditer(text)]
    spans += [m.span() for m in _YEAR.finditer(text)]
    spans += [m.span(g) for m in _SESSION_YEAR.finditer(text) for g in (1, 2) if m.group(g)]
    return spans


def session_and_dates(text: str) -> tuple[str | None, str | None, str | None]:
    """(session, date_from, date_to) the question restricts to."""
    session: str | None = None
    date_from: str | None = None
    date_to: str | None = None
    numbered = next(_restricting_sessions(text), None)
    if numbered is not None:
        session = next(g for g in numbered.groups() if g)
    exact = exact_date(text)
    if exact:
        date_from = date_to = exact
        if session is None:
            session = exact
    elif (month := _MONTH_YEAR.search(text)) is not None:
        year, number = int(month.group(2)), MONTHS[month.group(1).casefold()]
        last = calendar.monthrange(year, number)[1]
        date_from, date_to = f"{year:04d}-{number:02d}-01", f"{year:04d}-{number:02d}-{last:02d}"
    elif (year_match := _YEAR.search(text) or _SESSION_YEAR.search(text)) is not None:
        year = int(next(g for g in year_match.groups() if g))
        date_from, date_to = f"{year:04d}-01-01", f"{year:04d}-12-31"
    if session is None and _SPECIAL_SESSION.search(text):
        session = "sonder"
    return session, date_from, date_to


def exact_date(text: str) -> str | None:
    """The first full date in the text as ISO, from "27.06.2024", "27. Juni 2024" or ISO."""
    found = dates(text)
    if found:
        return found[0][1]
    match = _ISO_DATE.search(text)
    return match.group(0) if match else None


def topic_words(text: str, *, stance_words: bool = False) -> str:
    """The words of a text that can name a topic: frame words and speech verbs removed,
    and stance words unless they are the topic (`stance_words`: no one's stance is asked)."""
    words = []
    for token in _TOKEN.findall(text):
        lowered = token.lower()
        if lowered in _FRAME or _SPEECH.fullmatch(lowered) or _NOTE.fullmatch(lowered):
            continue
        if not stance_words and (_AGAINST.fullmatch(lowered) or _FOR.fullmatch(lowered)):
            continue
        if len(lowered) < 2 and not lowered.isdigit():
            continue
        words.append(token)
    return " ".join(words)


def _cut(text: str, spans: list[tuple[int, int]]) -> str:
    """The text with the given spans blanked out (spans may overlap)."""
    chars = list(text)
    for start, end in spans:
        for i in range(start, min(end, len(chars))):
            chars[i] = " "
    return "".join(chars)
