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
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import replace
from functools import lru_cache
from types import MappingProxyType
from typing import TYPE_CHECKING

from answer.text import word_set
from gremium.dates import MONTH_PATTERN, MONTHS, NUMERIC_DATE, WORD_DATE, dates
from gremium.speakers import REGISTRY
from gremium.types import AgendaItem, Attendance, Position, QueryPlan, Stance

if TYPE_CHECKING:
    from index.store import Index

# -- dates and sessions ----------------------------------------------------------------------

_NUMBERED_SESSION = re.compile(
    r"\b(\d{1,3})\s*\.\s*(?:ordentliche[nr]?\s+)?(?:IT-Planungsrats-?)?[Ss]itzung"
    r"|\b[Ss]itzung\s+(?:Nr\.?\s*)?(\d{1,3})\b"
    r"|\b(\d{1,3})(?:st|nd|rd|th)\s+(?:[A-Z][\w-]*\s+){0,3}(?:meeting|session)\b"
    r"|\b(?:meeting|session)\s+(?:no\.?\s*|number\s+)?(\d{1,3})\b",
    re.IGNORECASE,
)
# a special session, with the subject that names it: "die Delos-Sondersitzung", "the
# Microsoft special session" (the subject names the session, it is not what is asked)
_SPECIAL_SESSION = re.compile(
    r"(?<![\w-])(?:\w++-)*+Sondersitzung\w*|"
    r"\b(?:(?-i:[A-Z][\w-]*)\s+)?(?:special|extraordinary)\s+(?:meeting|session)s?\b",
    re.IGNORECASE,
)
# "die Sondersitzung 2024", "the 2025 session", "the 2025 Delos special session", "die
# 2024er Sondersitzung": a year that qualifies a session
_SESSION_YEAR = re.compile(
    r"\b(?:Sondersitzung|Sitzung|session|meeting)\s+(?:im\s+Jahr(?:e)?\s+|von\s+|of\s+)?"
    r"((?:19|20)\d{2})\b|\b((?:19|20)\d{2})(?:er)?\s+(?:[\w-]+\s+){0,2}?"
    r"(?:special\s+|extraordinary\s+)?(?:session|meeting|Sondersitzung|Sitzung)\b",
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
    r"after|until|(?:mention\w*|referr\w*\s+to|recall\w*|cit\w*|erwähn\w*|nannte\w*|genannt|"
    r"verwies\w*\s+auf|bezog\w*\s+sich\s+auf|erinnert\w*\s+an)\s+(?:the|die|der|den|das)?"
    r"(?:\s+[\w'’]+){0,2})\s*$",
    re.IGNORECASE,
)
# "nach der Sondersitzung", "before the special session": a time relative to a session
_TIME_BEFORE = re.compile(
    r"\b(?:nach|vor|seit|bis\s+zu|after|before|since|following|prior\s+to|until)\s+"
    r"(?:der|den|dem|die|the|its|ihrer|seiner)\s+(?:\w+\s+)?$",
    re.IGNORECASE,
)
# what may stand between an article and the session noun: "the June 2024 special session",
# "der 2024er Sondersitzung", "the Delos Cloud special session"
_MODIFIERS_AFTER = re.compile(r"(?:(?<=\s)(?:(?-i:[A-ZÄÖÜ])[\w-]*|\d{4}(?:er)?)\s+)+$")
# a heading before the question proper: "Zur 47. Sitzung:", "Zur 47. Sitzung 2025 –"
_HEADING_BEFORE = re.compile(
    r"\W*(?:zur|zu\s+der|bei\s+der|in\s+der|für\s+die|about\s+the|on\s+the|for\s+the|"
    r"regarding\s+the|re:?\s+the|at\s+the)\s+",
    re.IGNORECASE,
)
_HEADING_AFTER = re.compile(r"\s*(?:\(?\d{4}\)?\s*)?(?:[:–—,]|\s-\s)")
# "in der 47. Sitzung", "during the 47th session": a phrase that only sets the scene
_SCENE_BEFORE = re.compile(
    r"\b(?:in|auf|an|während|bei|at|during|from|of|Beginn|Anfang|Ende|Schluss|Abschluss|"
    r"start|beginning|end|close|opening)\s+(?:der|the|ihrer|its|seiner)\s+$",
    re.IGNORECASE,
)

_DOC_TYPE_HINTS = (
    (re.compile(r"\bPräsentation|\bFolien?\b|\bVortrag|\bslides?\b", re.I), "praesentation"),
    (re.compile(r"\bBericht\b|\bBerichts\b|\breport\b", re.I), "bericht"),
    (re.compile(r"\bBeschl(?:uss|üsse)\w*|\bdecisions?\b|\bresolutions?\b", re.I), "beschluss"),
    (re.compile(r"\bProtokoll(?!notiz|erklärung)\b|\bminutes\b", re.I), "protokoll"),
)

# A marker that changes the subject of a conversation ("Themenwechsel: …", "Andere Frage:",
# "Switching topics: …"): the question starts afresh, and the marker names no topic.
NEW_TOPIC = re.compile(
    r"\b(?:andere\s+frage|neue\s+frage|neues\s+thema|anderes\s+thema|andere[nrs]?\s+punkt|"
    r"them(?:a|en)wechsel|another\s+question|new\s+question|different\s+question|"
    r"(?:new|different|another)\s+(?:topic|subject)|unrelated|switching\s+(?:the\s+)?"
    r"(?:topics?|subjects?)|chang(?:e|ing)\s+(?:the\s+)?(?:topic|subject)|"
    r"on\s+(?:a|another)\s+(?:different\s+)?note)\b"
    # "Ganz was anderes: …", "Etwas anderes – …", "Something else: …": a marker that
    # opens the question
    r"|^\W*(?:ganz\s+)?(?:was|etwas)\s+(?:ganz\s+)?anderes\s*[:,–-]|^\W*something\s+else\s*[:,–-]",
    re.IGNORECASE,
)

# Asking how someone replied or reacted points back at what was said before, even with
# no pronoun ("How did North Rhine-Westphalia react?", "Was entgegnete der Bund?").
REPLY = re.compile(
    r"\b(?:reagier\w*|antwort\w*|geantwortet|entgegne\w*|erwider\w*|reaktion\w*|"
    r"react\w*|respon(?:d\w*|ses?)|repl(?:y|ied|ies)|answer(?:ed|s)?)\b",
    re.IGNORECASE,
)
# What a reply answers is the phrase after "auf" / "to" ("reagierte auf die Kritik von
# NRW", "auf die Frage Hamburgs antwortete", "responded to Hamburg's question"): a
# speaker named in it is whose words were replied to, within one clause
_REPLY_OBJECT_BEFORE = re.compile(r"\b(?:auf|to)\s+(?:[^\s,;:?!]+\s+){0,6}$", re.IGNORECASE)


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
    r"\b(?:mit|zum|zur|zu|über|gegenüber|an|bei|beim|gegen|durch|für|von\s+der|zwischen|with|about|"
    r"to|by|from|against|towards|between)\s+(?:de[mnrs]\s+|die\s+|das\s+|the\s+)?$",
    re.IGNORECASE,
)
# "bittet ... den Bund": an accusative or dative article marks the object of the sentence
_OBJECT_ARTICLE_BEFORE = re.compile(r"\b(?:den|dem)\s+$", re.IGNORECASE)
# The nouns of a view: whose view it is names whose words are asked for.
_VIEW_NOUNS = (
    r"Ansicht|Auffassung|Meinung|Sicht|Darstellung|Einschätzung|Angaben|Worten|Aussage|"
    r"Überzeugung|Position|Lesart"
)
# "laut dem Bund", "according to the federal government", "nach Ansicht des Kanzleramts",
# "aus Sicht des Bundes", "in the view of Hesse": whose words the question asks for
_SOURCE_BEFORE = re.compile(
    r"\b(?:laut|gemäß|zufolge|according\s+to|in\s+the\s+(?:view|opinion|words)\s+of|"
    rf"(?:nach|aus)\s+(?:{_VIEW_NOUNS})|"
    r"(?:Ansicht|Auffassung|Meinung|Sicht|Darstellung|Einschätzung|Position|Haltung|"
    r"Standpunkt|Stellungnahme|Protokollnotiz|Forderung|Vorschlag|Kritik|Bitte|Aussage|"
    r"Wortbeitrag|Bericht|Einwand|Antwort|Reaktion))"
    r"\s+(?:von\s+)?(?:de[mnrs]\s+|die\s+|das\s+|the\s+)?$",
    re.IGNORECASE,
)
# "in Hamburg's view", "nach Hamburgs Ansicht", "aus Hamburger Sicht": the name before
# the noun of a view names whose words are asked for
_SOURCE_AFTER = re.compile(
    rf"^(?:[’']s)?\s+(?:view|opinion|words|assessment|perspective|understanding|{_VIEW_NOUNS})\b",
    re.IGNORECASE,
)
# English questions invert subject and auxiliary: in "Who did Lower Saxony want to work
# with?" the speaker is the subject and "who" asks for the object of their words
_INVERTED_AUXILIARY_BEFORE = re.compile(
    r"\b(?:did|does|do|has|have|had|would|will|should|could|can|might|must)\s+(?:the\s+)?$",
    re.IGNORECASE,
)
# "in Sachen ITZ Bund": a name directly after an abbreviation is part of that name
_ABBREVIATION_BEFORE = re.compile(r"(?<![\w-])[A-ZÄÖÜ]{2,}\s+$")
# English word order: a speaker right after a speech verb is its object ("What did the
# conference ask the Federation to examine?"); the subject follows the auxiliary
_ENGLISH_VERB_BEFORE = re.compile(r"\b([a-z]+)\s+(?:the\s+)?$")
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
        r"(?:kommunal\w*\s+spitzenverb(?:ände|and)\w*|kommunal\w*\s+verbände|"
        r"spitzenverb(?:ände|and)\w*|kommunen|"
        r"municipal\s+(?:\w+\s+)?associations|local\s+(?:government|authority)\s+associations|"
        r"municipalities)",
    ),
    (
        "federal",
        r"(?:bundesbehörden|bundesressorts|bundesministerien|bundesstellen|"
        r"(?:stellen|ressorts|behörden|ministerien|teile|vertreter\w*)\s+"
        r"(?:des\s+bundes|der\s+bundesregierung)|"
        r"federal\s+(?:bodies|authorities|agencies|ministries|offices|institutions|departments)|"
        r"(?:parts|bodies|departments|ministries|agencies|offices|representatives)\s+of\s+"
        r"the\s+federal\s+government)",
    ),
)
_PARTICIPANTS = (
    # the classes first: "Stellen des Bundes" is one class, not "Stellen" and a topic
    r"(?:"
    + "|".join(nouns for _, nouns in _GROUP_NOUNS)
    + r"|länder|ländern|bundesländer|teilnehmer\w*|beteiligte\w*|stellen|gremien|akteure|"
    r"vertreter\w*|delegationen|\w*verbände|seiten|redner\w*|sprecher\w*|mitglieder\w*|"
    r"teilnehmende\w*|organisationen|institutionen|states|länder|participants|members|bodies|"
    r"speakers|parties|delegations|associations|governments|organi[sz]ations|institutions)"
)
# the words that ask for members: "welche", "which", "wie viele", "alle" ...
_WHICH_WORDS = r"(?:welche[rsmn]?|which|wie\s+viele|how\s+many|alle|all|what)"
_WHICH_PARTICIPANTS = re.compile(
    rf"\b{_WHICH_WORDS}\s+(?:\w+\s+){{0,2}}"
    rf"{_PARTICIPANTS}\b",
    re.IGNORECASE,
)
# "die anderen Länder", "der andere kommunale Spitzenverband", "the other states": the
# members of a class the question or the conversation has not named yet
_OTHER_MEMBERS = re.compile(
    # subjects only: "die anderen Länder", "der andere Verband", never "den anderen
    # Ländern" or "die Kritik der anderen Länder"
    rf"\b(?:die\s+(?:anderen|übrigen|restlichen)|der\s+(?:andere|übrige)|das\s+andere|"
    rf"the\s+(?:other|remaining))\s+"
    rf"(?:\w+\s+)?{_PARTICIPANTS}\b",
    re.IGNORECASE,
)
# "Und was ist mit den anderen Ländern?": the others after an opener ask about them
_OTHERS_AFTER_OPENER = re.compile(
    rf"\b(?:den|dem)\s+(?:anderen|übrigen|restlichen)\s+(?:\w+\s+)?{_PARTICIPANTS}\b",
    re.IGNORECASE,
)
_BESIDES = re.compile(r"\b(?:außer|ausgenommen|except|besides|apart\s+from)\b", re.IGNORECASE)
_COUNT_PARTICIPANTS = re.compile(
    rf"\b(?:wie\s+viele|how\s+many)\s+(?:\w+\s+)?{_PARTICIPANTS}\b", re.I
)
# "Wer …?" opens the question proper, which may follow a lead-in ("Für meinen Vermerk:
# Wer …?", "Ich suche X. Wer …?", "Zur 47. Sitzung – wer …?") or a fronted phrase ("At the
# 47th session, who …?")
_WHO = re.compile(r"(?:^|[:;.!?]\s|\s[–—-]\s|,\s)\W*(?:und\s+|and\s+)?(?:wer|who)\b", re.IGNORECASE)
_BY_WHOM = re.compile(r"\b(?:von\s+wem|durch\s+wen|by\s+whom|from\s+whom)\b", re.IGNORECASE)
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
    r"reagier\w*|erwider\w*|geantwortet|geschildert|gedankt|gemeint|gefragt|gewünscht|"
    r"geklagt|zum\s+thema\s+(?:gemacht|mach\w*)|aufmerksam\s+(?:zu\s+)?mach\w*|"
    r"machte\w*(?=\s+(?:[^\s,;:?!]+\s+){0,20}aufmerksam\b)|aufmerksam\b|gab\w*\s+zu\s+bedenken|schätzte\w*|eingeschätzt|fragte\w*|nachgefragt|bewert\w*|positionier\w*|"
    r"begründ\w*|bezweifel\w*|zweifel\w*|stellte\w*\s+vor|vorgestellt|kündigte\w*|"
    r"angekündigt|empfehlung\w*|hinweis\w*|vorschl(?:ag|äge)\w*|anmerk\w*|einwand\w*|"
    r"einwände|bedenken|schilder\w*|informier\w*|erläuter\w*|teilte\w*\s+mit|"
    r"mitgeteilt|machte\w*\s+deutlich|thematisier\w*|lobte\w*|gelobt|dankte\w*|bedankt\w*|"
    r"beklagt\w*|bemerkt\w*|kritik|forderung\w*|wunsch|wünsche|sorge\w*|befürcht\w*|"
    r"räumte\w*|bestätigt\w*|verneint\w*|zugestimmt|appellier\w*|erwähn\w*|nannte\w*|genannt|"
    r"eingegangen|stellung|wortmeldung\w*|wort|diskutier\w*|debattier\w*|ins\s+spiel|"
    r"mention\w*|referr\w*|address\w*|discuss\w*|talk\w*|floor|brought\s+up|bring\w*\s+up|"
    r"contribut\w*|beitrag|beiträge|beigetragen|beisteuer\w*|voic\w*|highlight\w*|signal\w*|"
    r"indicat\w*|"
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
    r"position|stance|view|views|think|thought|opinion|respond\w*|repl\w*|react\w*|answer(?:ed|s|ing)?|oppos\w*|"
    r"support\w*|reject\w*|endors\w*|note[sd]?\b|"
    # urging, insisting, stressing, taking up, objecting: how minutes report a demand (a
    # separable verb is matched on its verb, so that cutting it keeps the words between)
    r"verlang\w*|drang\w*|gedrungen|dräng\w*|poch\w*|"
    r"bestand\w*(?=\s+(?:\w+\s+)?(?:auf|darauf)\b)|bestehen(?=\s+(?:\w+\s+)?(?:auf|darauf)\b)|"
    r"unterstrich\w*|unterstreich\w*|hob\w*(?=\s+(?:[^\s,;:?!]+\s+){0,20}hervor\b)|hervor|"
    r"hervorgehoben|hervorheb\w*|griff\w*(?=\s+(?:[^\s,;:?!]+\s+){0,20}auf\b)|aufgegriffen|"
    r"aufgreif\w*|setzt\w*(?=\s+sich\b)|eingesetzt|ins\s+gespräch|vorgebracht|"
    r"brachte\w*(?=\s+(?:[^\s,;:?!]+\s+){0,20}(?:vor|ein|zur\s+sprache)\b)|zur\s+sprache|"
    r"verwahrt\w*|wehrt\w*(?=\s+sich\b)|gewehrt|wandte\w*(?=\s+sich\b)|erinnert\w*|"
    r"rief\w*(?=\s+(?:[^\s,;:?!]+\s+){0,20}auf\b)|aufgerufen|zeigte\w*(?=\s+sich\b)|"
    r"legte\w*(?=\s+(?:[^\s,;:?!]+\s+){0,20}wert\b)|wert(?=\s+(?:\w+\s+)?(?:auf|darauf)\b)|"
    r"(?:besonderen|großen|gesteigerten|viel)\s+wert(?=\s*[?.!,;]|\s*$)|"
    r"geltend|beantragt\w*|bekräftig\w*|pflichtet\w*|beigepflichtet|"
    r"schloss\w*(?=\s+sich\b)|angeschlossen|moniert\w*|rügte\w*|gerügt|beanstandet\w*|"
    r"skizziert\w*|hofft\w*|gehofft|bekundet\w*|"
    r"press\w*(?=\s+for\b)|underlin\w*|underscor\w*|took\s+up|take\s+up|"
    r"push\w*(?=\s+for\b)|advocat\w*|stood\s+up\s+for|point\w*(?=\s+to\b)|flagg\w*|"
    r"caution\w*|agreed\b|agrees?\b|hop(?:e|ed|es|ing)\b|objected)",
    re.IGNORECASE,
)
# Speaking at all, as opposed to saying something in particular: "Wer äußerte sich zu X?",
# "Who took the floor?" ask for everyone who spoke on X, in whatever words.
_GENERIC_SPEECH = re.compile(
    r"\b(?:äußer\w*|geäußert|sprach(?:en)?(?!\s+sich)|gesprochen|spricht|sprechen|"
    r"stellung|wort|wortmeldung\w*|diskutier\w*|debattier\w*|beteiligt\w*|"
    r"spoke|speak\w*|comment\w*|floor|discuss\w*|talk\w*|contribut\w*)\b",
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
# A stance stated with a copula: "Welche Länder waren dagegen?", "Wer war für das
# Schreiben?", "Who was against it?". A German "für"/"gegen" phrase states a stance only
# where it closes the question on a noun ("sind für die Umsetzung zuständig" does not).
_COPULA_STANCE = re.compile(
    r"\b(?:war|waren|ist|sind|seien|wäre|wären|was|were|is|are)\s+(?:\S+\s+){0,5}?"
    r"(?:(?P<pronoun>dafür|dagegen)\s*(?:[,?.!]|$)|"
    r"(?P<preposition>für|gegen)\s+(?!(?:Ende|Anfang|Mitte|Schluss)\b)[^,?.!]*?"
    r"(?<!\S)[A-ZÄÖÜ0-9][\w-]*\s*[?.!]?\s*$|"
    r"(?P<english>in\s+favou?r|against)\b)"
)
_AGAINST_SIDE = frozenset({"dagegen", "gegen", "against"})
_AGAINST = re.compile(
    r"\b(?:gegen(?!\s+(?:Ende|Anfang|Mitte|Schluss)\b)|dagegen|ablehn\w*|lehnt\w*|lehnen|abgelehnt|widersp\w*|kritisch\w*|"
    r"kein\w*\s+beschluss\w*|nicht\s+zu\w*stimm\w*|against|oppos\w*|reject\w*|refus\w*|"
    r"object\w*|push\w*\s+back)\b",
    re.IGNORECASE,
)
_FOR = re.compile(
    # "dafür" announcing a clause ("setzte sich dafür ein, den Weg fortzusetzen") points
    # to what follows; only on its own does it state approval ("Wer war dafür?")
    r"\b(?:dafür(?!\s+(?:\w+\s+){0,2}?\w*\s*,)|befürwort\w*|unterstütz\w*|zustimm\w*|stimmte\w*\s+zu|begrüß\w*|"
    r"in\s+favou?r|support\w*|endors\w*|welcom\w*|approv\w*|backed)\b",
    re.IGNORECASE,
)
# Both sides named as alternatives ("egal ob dafür oder dagegen", "for or against") ask
# for no stance.
_EITHER_SIDE = re.compile(
    r"\b(?:dafür\s+oder\s+dagegen|dagegen\s+oder\s+dafür|für\s+oder\s+gegen|"
    r"gegen\s+oder\s+für|pro\s+oder\s+contra|for\s+or\s+against|against\s+or\s+for|"
    r"in\s+favou?r\s+or\s+against)\b",
    re.IGNORECASE,
)
# Where in the session: its opening or its close ("zu Beginn", "gegen Ende", "to close").
_AT_START = re.compile(
    r"\b(?:zu\s+Beginn|am\s+Anfang|anfangs|eingangs|zum\s+Auftakt|zur\s+Eröffnung|"
    r"at\s+the\s+(?:start|beginning|outset|opening)|to\s+open|opening)\b",
    re.IGNORECASE,
)
_AT_END = re.compile(
    r"\b(?:am\s+Ende|gegen\s+Ende|zum\s+(?:Schluss|Abschluss)|am\s+Schluss|abschließend|"
    r"zuletzt|at\s+the\s+(?:end|close)|in\s+the\s+end|to\s+close|closing|wrap\w*\s+up|"
    r"(?:towards?|near)\s+the\s+(?:end|close)|later\s+(?:on\s+)?in\s+the\s+(?:meeting|session)|"
    r"(?:später|im\s+(?:weiteren|späteren)\s+Verlauf)\s+(?:in\s+)?der\s+Sitzung|"
    r"finally|lastly)\b",
    re.IGNORECASE,
)
# Attendance: who was excused or absent, who took part in the session itself.
_ABSENT = re.compile(
    r"\b(?:fehlte\w*|gefehlt|abwesend\w*|entschuldigt\w*|nicht\s+(?:anwesend|vertreten|dabei|"
    r"teilgenommen)|absent\w*|missing|excused|did\s+not\s+(?:attend|take\s+part)|"
    r"not\s+(?:present|represented|attend\w*))\b",
    re.IGNORECASE,
)
_PRESENT = re.compile(
    r"\b(?:anwesend\w*|teilgenommen|teilnehm\w*|nahm\w*|teil|vertreten|dabei|attend\w*|"
    r"present|took|part|participat\w*|represented)\b",
    re.IGNORECASE,
)
# "ausdrücklich erwähnt", "beim Namen genannt": a particular thing said, however it is asked
_SPECIFIC_ACT = re.compile(
    r"\b(?:erwähn\w*|nannte\w*|genannt|ausdrücklich\w*|explicitly|mention\w*|named?)\b",
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
    zufolge gemäß ansicht darstellung angaben worten according view opinion words
    unrelated question different switching topic topics themenwechsel anderes andere ganz
    beginn anfang ende schluss abschluss eröffnung auftakt start beginning end opening
    closing close wrap wrapped finally lastly outset
    darf darfst dürfen dürft durfte durftest durften dürfte dürften kannst könnt konnten
    könnte könnten mag magst mögen mögt mochte mochten möchte möchtest möchten musst müssen
    müsst musste musstest mussten müsste müssten sollst sollt solltest sollten willst wollen
    wollt wollte wolltest wollten gewollt gekonnt gemusst gedurft hast habt hattest hätte
    hätten bin bist seid wäre wären gewesen werde wirst werdet würde würden geworden
    passieren passiert passierte geschehen geschieht geschah happen happens happened
    must might may shall
    ergriff ergriffen gemeldet meldete meldeten genommen nahm nahmen took take taken spiel
    gebracht brachte brachten namen ausdrücklich explicitly
    land länder ländern bundesland bundesländer sitzung sitzungen runde runden it-planungsrat
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

# German pronominal adverbs: "wo(r)-" + a preposition asks (wofür, worüber, wovor), "da(r)-"
# and "hier-" + a preposition point back (dafür, darüber, hierzu). Either way they name
# no topic; German builds them from its prepositions, so the rule is the morphology.
_PRONOMINAL = re.compile(
    r"(?:wo|da|hier)(?:r(?:an|auf|aus|in|über|um|unter)|bei|durch|für|gegen|hin|her|mit|"
    r"nach|neben|von|vor|zu|zwischen)|weswegen|inwiefern|inwieweit|woraufhin"
)


def detect_language(question: str) -> str:
    """ "en" when English function words outnumber German ones, else "de" (the default)."""
    words = [w.lower() for w in _WORD.findall(question)]
    english = sum(w in _ENGLISH for w in words)
    german = sum(w in _GERMAN for w in words) + any(ch in question for ch in "äöüßÄÖÜ")
    return "en" if english > german else "de"


def asks_who(question: str) -> bool:
    """Does the question ask who ("Wer …?", "Und wer …?", "Who …?", "Für meinen Vermerk:
    Wer …?")? After a lead-in that names speakers ("Landkreistag gegen Bund: Wer hat
    welche Position vertreten?") the question asks about those speakers, not who."""
    found = _WHO.search(question)
    if not found:
        return False
    return found.start() == 0 or not any(REGISTRY.mentions(question[: found.start()]))


def _others_asked(text: str) -> re.Match[str] | None:
    """Where a question asks about "the others" as who spoke ("Und die anderen Länder?",
    "Und was ist mit den anderen Ländern?"); None where it does not, also where they are
    what is talked about ("Was sagte Bayern zu den anderen Ländern?")."""
    found = _OTHER_MEMBERS.search(text)
    opened = _OTHERS_AFTER_OPENER.search(text)
    if opened is not None and _OPENER.fullmatch(text[: opened.start()]):
        found = opened
    before = text[: found.start()] if found else ""
    if found is None or (_PREPOSITION_BEFORE.search(before) and not _OPENER.fullmatch(before)):
        return None
    return found


def other_members(text: str) -> tuple[str, ...] | None:
    """The classes a question asks about as "the others" ("Und die anderen Länder?" ->
    ("land",); "die übrigen Teilnehmer" -> () for everyone), None where it does not."""
    found = _others_asked(text)
    if found is None:
        return None
    return tuple(group for group, nouns in _GROUP_NOUN_RES if nouns.search(found.group()))


def other_phrase(text: str) -> str:
    """The words that ask for "the others" ("der andere kommunale Spitzenverband")."""
    found = _others_asked(text)
    return found.group() if found else ""


def read_question(question: str) -> QueryPlan:
    """The plan for a question asked on its own (follow-ups: `answer.followup`)."""
    text = " ".join(question.split())
    others = other_members(text)
    # "Was sagten außer Bayern die anderen Länder?": Bayern is left out, not asked about;
    # a speaker named otherwise is the subject ("Stimmte Bayern den anderen Ländern zu?")
    besides = [m.end() for m in _BESIDES.finditer(text)]
    left_out = tuple(
        speaker.code
        for speaker, start, _ in REGISTRY.mentions(text)
        if any(0 <= start - end <= 5 for end in besides)
    )
    named = named_speakers(text)
    # "Wie reagierte der Bund auf die Kritik von NRW?" asks for the Bund's words
    replied = replied_to(text)
    if not set(named) - set(replied):
        replied = ()
    named = tuple(code for code in named if code not in replied)
    if others is not None and set(named) - set(left_out):
        others = None
    aggregate = is_aggregate(text) or (others is not None and _acts(text))
    excluded = left_out if aggregate and others is not None else ()
    speakers = () if aggregate else named
    session, date_from, date_to = session_and_dates(text)
    # the topic is what is left once speakers and the restricting session are cut out: a
    # Land or body names who, not what ("die Grundsteuer in Bayern" is about the tax)
    # ("Kooperation mit dem BSI" keeps the BSI: an object is part of what is asked about)
    cuts = session_spans(text) + speaker_spans(text, (*speakers, *replied))
    cuts += [m.span() for m in NEW_TOPIC.finditer(text)]
    # "gegen Ende", "later in the meeting" say where, not what
    cuts += [m.span() for pattern in (_AT_START, _AT_END) for m in pattern.finditer(text)]
    if aggregate:
        # "Welche kommunalen Spitzenverbände …" names who is asked about, not what
        cuts += [m.span() for m in _WHICH_PARTICIPANTS.finditer(text)]
        cuts += [m.span() for m in _OTHER_MEMBERS.finditer(text)]
        cuts += speaker_spans(text, excluded) + [m.span() for m in _BESIDES.finditer(text)]
    # "laut dem Bund", "according to the Chancellery": a speaker named as the source asks
    # for their words as plainly as a speech verb does
    asks_speech = bool(_SPEECH.search(_cut(text, speaker_spans(text)))) or named_as_source(text)
    # a stance is a property of what someone said: "Wer unterstützte …?" asks for one,
    # "Wie hoch ist die Unterstützung …?" asks for a figure and keeps the word as its topic
    stated = aggregate or bool(speakers) or asks_speech
    topic = topic_words(_cut(text, cuts), stance_words=not stated)
    who = [m.span() for m in _WHICH_PARTICIPANTS.finditer(text)]
    attendance = attendance_asked(text, topic_words(_cut(text, cuts + who)))
    if attendance != "none":
        # "Welche Länder fehlten in der 42. Sitzung?": the attendance list, no topic
        aggregate, speakers, topic = (
            bool(_WHICH_PARTICIPANTS.search(text) or asks_who(text)),
            speakers,
            "",
        )
    stance: Stance = "none"
    copula = _COPULA_STANCE.search(text)
    side = next((g for g in copula.groups() if g), "") if copula else ""
    stated = stated and not _EITHER_SIDE.search(text)
    if stated and (_AGAINST.search(text) or side.lower() in _AGAINST_SIDE):
        stance = "against"
    elif stated and (_FOR.search(text) or copula):
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
        speaker_groups=(others or speaker_groups(text)) if aggregate else (),
        excluded=excluded,
        reply_to=replied if speakers else (),
        figure=bool(_FIGURE.search(text)),
        decision=bool(_DECISION.search(text)),
        protocol_note=bool(_NOTE.search(text)),
        stance=stance,
        attendance=attendance,
        position=position_asked(text),
        asks_speech=asks_speech,
        generic_speech=bool(_GENERIC_SPEECH.search(text)) and not _SPECIFIC_ACT.search(text),
        over_time=bool(_OVER_TIME.search(text)) and bool(speakers),
    )


def position_asked(text: str) -> Position:
    """Does the question ask about the opening or the close of a session?"""
    if _AT_START.search(text):
        return "start"
    return "end" if _AT_END.search(text) else "none"


def attendance_asked(text: str, topic: str) -> Attendance:
    """Does the question ask who was absent or present, and nothing else (its topic holds
    no word but attendance words)? "Wer hat angeboten, an Übungen teilzunehmen?" asks
    about exercises, not about the session's attendance."""
    rest = [w for w in topic.split() if not (_ABSENT.fullmatch(w) or _PRESENT.fullmatch(w))]
    if rest:
        return "none"
    if _ABSENT.search(text):
        return "absent"
    return "present" if topic and _PRESENT.search(text) else "none"


def session_places(index: Index, collections: Sequence[str] | None = None) -> dict[str, str]:
    """Where the indexed sessions met, as a question would name the place: its first word
    ("Schwerin", "Videokonferenz") -> session id; a place two sessions share, or one that
    is also a speaker's name ("Berlin"), names no session."""
    found: dict[str, list[str]] = {}
    for session, _ in index.sessions(collections):
        words = _TOKEN.findall(session.place or "")
        if words and len(words[0]) >= 4 and not REGISTRY.mentions(words[0]):
            found.setdefault(words[0], []).append(session.id)
    return {place: ids[0] for place, ids in found.items() if len(ids) == 1}


def scoped_by_place(plan: QueryPlan, places: dict[str, str]) -> QueryPlan:
    """A question naming no session but a place where one met ("in Schwerin", "die
    Schweriner Sitzung", "in der Videokonferenz") is about that session."""
    if plan.session or plan.date_from or plan.date_to or not places:
        return plan
    for place, session in places.items():
        match = re.search(rf"\b{re.escape(place)}(?:er|s)?\b", plan.text, re.IGNORECASE)
        if match:
            topic = " ".join(w for w in plan.topic.split() if not _same_place(w, place))
            return replace(plan, session=session, topic=topic)
    return plan


def _same_place(word: str, place: str) -> bool:
    return re.fullmatch(rf"{re.escape(place)}(?:er|s)?", word, re.IGNORECASE) is not None


# A session called by its subject: "die Delos-Runde", "the Delos meeting", "die Sitzung
# zur Delos Cloud". Which session that is, the indexed agenda says (`session_subjects`).
_SESSION_NOUN = r"(?:Sitzung|Sondersitzung|Runde|Treffen|Besprechung|meeting|session)"
# (a compound starts after a space: "a-b-c-…" is then read once, not from every part)
_SUBJECT_COMPOUND = re.compile(rf"(?<![\w-])((?:[^\W\d_]\w*+-)++){_SESSION_NOUN}\w*", re.IGNORECASE)
_SUBJECT_BEFORE = re.compile(
    r"\bthe\s+((?:[A-Z][\w-]*\s+){1,2})(?:meeting|session)s?\b"  # capitalised: a name
)
_SUBJECT_AFTER = re.compile(
    rf"\b{_SESSION_NOUN}\s+(?:zur|zum|zu|über|on|about|concerning)\s+"
    r"(?:der|die|dem|den|das|the\s+)?\s*([\w-]+(?:\s+[\w-]+)?)",
    re.IGNORECASE,
)
_SUBJECT_MIN_LENGTH = 3


def session_subjects(
    agenda: Sequence[tuple[str, AgendaItem, tuple[str, ...]]],
) -> Mapping[str, str]:
    """The words that name one session's subject: each word of its agenda items' titles
    and areas that no other session's agenda holds ("delos" -> the special session on
    the Delos Cloud), casefolded; frame words and speakers' names name no subject.
    Every question asks for them, and an archive's agenda is thousands of items: they
    are read once per agenda."""
    return _session_subjects(tuple(agenda))


@lru_cache(maxsize=16)
def _session_subjects(
    agenda: tuple[tuple[str, AgendaItem, tuple[str, ...]], ...],
) -> Mapping[str, str]:
    found: dict[str, set[str]] = {}
    for session, item, _ in agenda:
        for word in _subject_words(f"{item.title} {item.area or ''}"):
            found.setdefault(word, set()).add(session)
    return MappingProxyType({word: next(iter(ids)) for word, ids in found.items() if len(ids) == 1})


def _subject_words(text: str) -> list[str]:
    return [
        part.casefold()
        for token in _TOKEN.findall(text)
        for part in token.split("-")
        if len(part) >= _SUBJECT_MIN_LENGTH
        and not part.isdigit()
        and part.casefold() not in _FRAME
        and not REGISTRY.mentions(part)
    ]


def scoped_by_subject(plan: QueryPlan, subjects: Mapping[str, str]) -> QueryPlan:
    """A question naming no session but calling one by its subject ("in der Delos-Runde",
    "at the Delos meeting", "in der Sitzung zur Delos Cloud") is about the session whose
    agenda alone holds that subject; a subject that names several sessions, or none,
    names no session. The subject stays a topic word: on dev, dropping it from the topic
    ("Delos-Runde") lost more answers about named speakers than it won in aggregates."""
    if plan.session or plan.date_from or plan.date_to or not subjects:
        return plan
    for pattern in (_SUBJECT_COMPOUND, _SUBJECT_BEFORE, _SUBJECT_AFTER):
        for subject in (m.group(1) for m in pattern.finditer(plan.text)):
            sessions = {subjects[w] for w in _subject_words(subject) if w in subjects}
            if len(sessions) == 1:
                return replace(plan, session=sessions.pop())
    return plan


def speaker_groups(text: str) -> tuple[str, ...]:
    """The classes of member an aggregate is restricted to: "Welche Länder und kommunalen
    Spitzenverbände …" -> ("land", "municipal"); none named -> () (everyone counts).
    The classes are what the which-word governs: the words right after it, and classes
    coordinated with them; "egal unter welchem TOP – die Kommunen" governs "TOP", and
    in "Welche Länder haben die Kommunen erwähnt?" the Kommunen are the object."""
    german = detect_language(text) == "de"
    for which in _WHICH.finditer(text):
        region = " ".join(text[which.end() :].split()[:GROUP_WORDS])
        matches = sorted(
            (m.start(), m.end(), group)
            for group, nouns in _GROUP_NOUN_RES
            for m in nouns.finditer(region)
        )
        found: list[str] = []
        end = 0
        for start, stop, group in matches:
            if start < end:
                continue  # one phrase matched twice
            gap = region[end:start]
            if found and not _COORDINATED.fullmatch(gap):
                break
            if not found and not _governed(gap, german=german):
                break
            found.append(group)
            end = stop
        if found:
            return tuple(dict.fromkeys(found))
    return ()


# between two classes of one phrase: "Länder und (die) kommunalen …", "states, bodies"
_COORDINATED = re.compile(
    r"\s*(?:,|/|&|und|oder|sowie|bzw\.?|and|or)\s*(?:(?:die|der|den|the)\s+)?", re.IGNORECASE
)
_CLAUSE_MARK = re.compile(r"[,;:?!–—]|\s-\s")
_PARTICIPANT = re.compile(_PARTICIPANTS, re.IGNORECASE)
_GENITIVE_LINKS = frozenset({"der", "des", "of", "of the"})
GOVERNED_WORDS = 3  # words between a which-word and its class: "welche der anderen"


def _governed(gap: str, *, german: bool) -> bool:
    """Can the words between a which-word and a class be part of one phrase? Within a
    clause, a few words, in German no noun (capitalised) of its own, and a noun for
    participants only as the head of the class ("Welche Vertreter der Kommunen", not
    "Welche Teilnehmer haben die Kommunen erwähnt?")."""
    words = gap.split()
    if _CLAUSE_MARK.search(gap) or len(words) > GOVERNED_WORDS:
        return False
    for i, word in enumerate(words):
        if _PARTICIPANT.fullmatch(word):
            return " ".join(words[i + 1 :]).casefold() in _GENITIVE_LINKS
        if german and word[:1].isupper():
            return False
    return True


def _acts(text: str) -> bool:
    """Does the question ask what someone did: said, noted, voted, stood for?"""
    return bool(
        _SPEECH.search(text)
        or _NOTE.search(text)
        or _ACT.search(text)
        or _COPULA_STANCE.search(text)
        or _FOR.search(text)  # "Who backed the idea?": backing it is taking a stance
    )


def is_aggregate(text: str) -> bool:
    """Does the question ask for every speaker who did something?

    "Welche Länder ...", "Wie viele Beteiligte ...", "Wer ..." with a speech or stance verb
    ("Wer sprach sich gegen ... aus?"). "Wer leitet das Projekt?" and "Welche Mitglieder
    sind stimmberechtigt?" ask for a fact, which a decision or report answers.
    """
    acts = _acts(text)
    if _FIGURE.search(text) and not _COUNT_PARTICIPANTS.search(text):
        return False  # "Bis wann sollten alle Länder beitreten?" asks for a date
    if _WHICH_PARTICIPANTS.search(text):
        return acts
    if asks_who(text) or _BY_WHOM.search(text):
        # "Wer hat das BSI erwähnt?": who is asked; a Land or body named is the object.
        # "Who did Lower Saxony want to work with?", "Who, in Hamburg's view, …?": a
        # speaker who is the subject or the source asks for a fact in their words
        if _asked_through_speaker(text):
            return False
        return acts
    return False


def named_speakers(text: str) -> tuple[str, ...]:
    """Who the question asks about. A body named as an object ("Kooperation mit dem BSI",
    "bittet den Bund") is the topic, never the speaker whose statements are asked for."""
    subjects: list[str] = []
    english = detect_language(text) == "en"
    object_end = -1  # where the last mention read as an object ends
    for speaker, start, end in REGISTRY.mentions(text):
        if object_end >= 0 and _COORDINATION.fullmatch(text[object_end:start]):
            object_end = end  # "zwischen BSI und Bayern": coordinated with an object
            continue
        if not _is_subject(speaker.code, text, start, end, english):
            object_end = end
            continue
        object_end = -1
        if speaker.code not in subjects:
            subjects.append(speaker.code)
    return tuple(subjects)


def replied_to(text: str) -> tuple[str, ...]:
    """Whose words the question asks a reply to: the speakers named in the object of a
    reply ("auf die Kritik von NRW", "to Hamburg's question"); () without a reply."""
    if not REPLY.search(text):
        return ()
    found: list[str] = []
    for speaker, start, _ in REGISTRY.mentions(text):
        clause = re.split(r"[,;:?!]", text[:start])[-1]
        phrase = _REPLY_OBJECT_BEFORE.search(text[:start])
        if (
            phrase
            and not REPLY.search(phrase.group())
            and REPLY.search(clause + re.split(r"[,;:?!]", text[start:])[0])
        ):
            found.append(speaker.code)
    return tuple(dict.fromkeys(found))


def named_as_source(text: str) -> bool:
    """Is a speaker named as the source of what is asked ("laut Bund", "according to the
    Chancellery", "nach Ansicht Hessens", "in Hamburg's view")?"""
    return any(_is_source(text, start, end) for _, start, end in REGISTRY.mentions(text))


def _is_source(text: str, start: int, end: int) -> bool:
    return bool(_SOURCE_BEFORE.search(text[:start]) or _SOURCE_AFTER.match(text[end:]))


def _asked_through_speaker(text: str) -> bool:
    """Does a who-question ask through a named speaker: the source of what is asked, or
    the subject an English auxiliary inverts with ("Who did Bavaria criticise?")?"""
    return any(
        _is_source(text, start, end) or _INVERTED_AUXILIARY_BEFORE.search(text[:start])
        for _, start, end in REGISTRY.mentions(text)
    )


_COORDINATION = re.compile(r"\s*(?:,|und|sowie|oder|and|or)\s*", re.IGNORECASE)


def _is_subject(code: str, text: str, start: int, end: int, english: bool) -> bool:
    """Is the mention at text[start:end] someone whose words are asked for?"""
    before = text[:start]
    if code == "Bund" and (_BUND_PHRASE.match(text[end:]) or _BUND_BEFORE.search(before)):
        return False
    if _ABBREVIATION_BEFORE.search(before) and not _ends_with_mention(before):
        return False
    if _is_source(text, start, end):
        return True
    opener = bool(_OPENER.fullmatch(before))  # "What about Hamburg?", "Und mit Hessen?"
    if not opener and (_OBJECT_ARTICLE_BEFORE.search(before) or _PREPOSITION_BEFORE.search(before)):
        return False
    mention = text[start:end]
    genitive = mention.endswith("s") and not mention.endswith("ss")
    if genitive and (_GENITIVE_ARTICLE_BEFORE.search(before) or _NOUN_BEFORE.search(before)):
        return False
    abbreviation = sum(ch.isupper() for ch in mention) >= 2
    if abbreviation and _GENITIVE_ARTICLE_BEFORE.search(before):
        return False  # an abbreviation keeps its form: "das Dialogangebot des BSI"
    verb = _ENGLISH_VERB_BEFORE.search(before) if english else None
    return not (verb and _SPEECH.fullmatch(verb.group(1)))


def _ends_with_mention(text: str) -> bool:
    """Does `text` end in a speaker's name ("BY und NW": two speakers, not one name)?"""
    stripped = text.rstrip()
    return any(end == len(stripped) for _, _, end in REGISTRY.mentions(stripped))


def speaker_spans(text: str, codes: tuple[str, ...] | None = None) -> list[tuple[int, int]]:
    """Where the question names speakers (all of them, or those of `codes`)."""
    return [
        (start, end)
        for speaker, start, end in REGISTRY.mentions(text)
        if codes is None or speaker.code in codes
    ]


def _restricting_sessions(text: str) -> Iterator[re.Match[str]]:
    for numbered in _NUMBERED_SESSION.finditer(text):
        if not _MENTION_BEFORE.search(text[: numbered.start()]) or _heads(text, numbered):
            yield numbered


def _sets_scene(text: str, session: re.Match[str]) -> bool:
    """Does the session phrase set the scene ("in der 47. Sitzung", "Zur 47. Sitzung: …")?"""
    return bool(_SCENE_BEFORE.search(text[: session.start()])) or _heads(text, session)


def _special_scene(text: str, session: re.Match[str]) -> bool:
    """Does a special session set the scene or the time ("in der Sondersitzung", "during the
    June 2024 special session", "nach der Sondersitzung"), rather than being what is asked
    about ("Warum wurde die Sondersitzung einberufen?")?"""
    before = _MODIFIERS_AFTER.sub("", text[: session.start()])
    return bool(_SCENE_BEFORE.search(before) or _TIME_BEFORE.search(before)) or _heads(
        text, session
    )


def _heads(text: str, session: re.Match[str]) -> bool:
    """A session opening the question as its heading ("Zur 47. Sitzung: Wer …?", "On the
    47th session – who …?") sets the scene for all that follows."""
    return bool(_HEADING_BEFORE.fullmatch(text[: session.start()])) and bool(
        _HEADING_AFTER.match(text[session.end() :])
    )


def session_spans(text: str) -> list[tuple[int, int]]:
    """Where the question names a session or date only to restrict the evidence.

    "Was sagte Hessen in der 47. Sitzung?" restricts; in "Wann fand die 36. Sitzung
    statt?" the session is what the question is about, so its words stay in the topic.
    """
    spans = [m.span() for m in _restricting_sessions(text) if _sets_scene(text, m)]
    # "die Sondersitzung" as what is asked about ("Warum wurde die Sondersitzung
    # einberufen?", "die Voraussetzungen für eine Sondersitzung") stays in the topic
    spans += [m.span() for m in _SPECIAL_SESSION.finditer(text) if _special_scene(text, m)]
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
    restricting = list(_restricting_sessions(text))
    # "in der 47. Sitzung" sets the scene; a session named otherwise only if none does
    scene = [m for m in restricting if _sets_scene(text, m)]
    special_scene = any(
        _SCENE_BEFORE.search(text[: m.start()]) for m in _SPECIAL_SESSION.finditer(text)
    )
    candidates = scene or ([] if special_scene else restricting)
    numbered = candidates[0] if candidates else None
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
    elif (qualifying := _qualifying_year(text, numbered)) is not None:
        date_from, date_to = f"{qualifying:04d}-01-01", f"{qualifying:04d}-12-31"
    if session is None and _SPECIAL_SESSION.search(text):
        session = "sonder"
    return session, date_from, date_to


def _qualifying_year(text: str, numbered: re.Match[str] | None) -> int | None:
    """The year the question restricts to: "im Jahr 2024", or the year of the session it
    names ("in der 47. Sitzung 2025"). Where it names several sessions, each with its
    year ("sowohl in der Sondersitzung 2024 als auch in der 47. Sitzung 2025"), a year
    qualifies its own session only."""
    plain = _YEAR.search(text)
    if plain is not None:
        return int(plain.group(1))
    attached = list(_SESSION_YEAR.finditer(text))
    if numbered is not None:
        attached = [
            m for m in attached if m.start() <= numbered.end() and m.end() >= numbered.start()
        ]
    if not attached:
        return None
    return int(next(g for g in attached[0].groups() if g))


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
    # speech acts of more than one word ("setzte sich ... ein", "ins Gespräch"), where
    # they are whole words ("sah" in "Sahara", "Bericht" in "IMK-Bericht" are none)
    text = _cut(
        text,
        [
            m.span()
            for pattern in (_SPEECH, *(() if stance_words else (_FOR,)))
            for m in pattern.finditer(text)
            if _whole_words(text, *m.span())
        ],
    )
    words = []
    for token in _TOKEN.findall(text):
        lowered = token.lower()
        if lowered in _FRAME or _PRONOMINAL.fullmatch(lowered):
            continue
        if _SPEECH.fullmatch(lowered) or _NOTE.fullmatch(lowered):
            continue
        if not stance_words and (_AGAINST.fullmatch(lowered) or _FOR.fullmatch(lowered)):
            continue
        if len(lowered) < 2 and not lowered.isdigit():
            continue
        words.append(token)
    return " ".join(words)


def _whole_words(text: str, start: int, end: int) -> bool:
    """Does text[start:end] begin and end a word ("Bericht" in "IMK-Bericht" does not)?"""
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    return not (before.isalnum() or before == "-" or after.isalnum() or after == "-")


def _cut(text: str, spans: list[tuple[int, int]]) -> str:
    """The text with the given spans blanked out (spans may overlap)."""
    chars = list(text)
    for start, end in spans:
        for i in range(start, min(end, len(chars))):
            chars[i] = " "
    return "".join(chars)


# -- titles without a name ---------------------------------------------------------------------

_EVERY_LAND = frozenset(s.code for s in REGISTRY.all() if s.kind == "land")


def titled_readings(plan: QueryPlan) -> list[tuple[str, QueryPlan]]:
    """The readings of a question that calls a speaker by title alone ("der Freistaat",
    "die Hansestadt"): per member bearing the title, its code and the plan read as if
    the name followed the title. [] when the question names someone, is an aggregate,
    or its title stands for every Land ("das Land" names none). Only who is asked and
    how changes; the text the question is embedded from stays the user's, so every
    reading shares one query vector."""
    if plan.speakers or plan.aggregate:
        return []
    titles = [t for t in REGISTRY.designations(plan.text) if frozenset(t[0]) != _EVERY_LAND]
    if not titles:
        return []
    codes, start, end = titles[0]
    title = {w.casefold() for w in plan.text[start:end].split()}
    own_words = set(plan.topic.split())
    readings: list[tuple[str, QueryPlan]] = []
    for code in codes:
        speaker = REGISTRY.get(code)
        if speaker is None:
            continue
        reading = read_question(f"{plan.text[:end]} {speaker.name}{plan.text[end:]}")
        if code not in reading.speakers:
            continue
        topic = [w for w in reading.topic.split() if w in own_words and w.casefold() not in title]
        readings.append(
            (
                code,
                replace(
                    plan,
                    speakers=reading.speakers,
                    asks_speech=reading.asks_speech,
                    stance=reading.stance,
                    topic=" ".join(topic),
                ),
            )
        )
    return readings
