"""Distinct, realistic questions for load tests: no two requests ask the same thing.

    questions = distinct_questions(5000, seed=1)

Questions combine a speaker (in the forms users write: "Bayern", "Freistaat Bayern",
"NRW", "Bavaria"), a verb, a topic of the corpus and a session phrase in a handful of
sentence templates, shuffled with a fixed seed. Caches keyed by the question text
therefore never hit, as in real traffic.
"""

from __future__ import annotations

import itertools
import random

SPEAKERS = (
    "Bayern",
    "der Freistaat Bayern",
    "Nordrhein-Westfalen",
    "NRW",
    "Berlin",
    "Brandenburg",
    "Hamburg",
    "Hessen",
    "Sachsen",
    "Niedersachsen",
    "Baden-Württemberg",
    "Schleswig-Holstein",
    "Thüringen",
    "das Saarland",
    "Bremen",
    "Rheinland-Pfalz",
    "Sachsen-Anhalt",
    "Mecklenburg-Vorpommern",
    "der Bund",
    "das BSI",
    "die FITKO",
    "das Bundeskanzleramt",
    "der BfDI",
    "der Deutsche Landkreistag",
)
ENGLISH_SPEAKERS = ("Bavaria", "Hamburg", "Berlin", "Hesse", "Saxony", "Lower Saxony", "the BSI")
VERBS = ("gesagt", "vorgeschlagen", "kritisiert", "gefordert", "angemerkt", "zu Protokoll gegeben")
TOPICS = (
    "Delos Cloud",
    "Beschlussfassung",
    "Matrix-Protokoll",
    "Steuerungsgruppe NOOTS",
    "Registermodernisierung",
    "Deutsche Verwaltungscloud-Strategie",
    "digitale Souveränität",
    "Übergangslösung für Microsoft Office",
    "Evaluations- und Testphase",
    "Informationssicherheit",
    "Multi-Cloud-Ansatz",
    "EfA-Finanzierung",
    "eGovernment MONITOR",
    "Open Source",
    "Kooperation mit D21",
    "Wirtschaftsplan der FITKO",
)
SESSIONS = (
    "",
    "in der Sondersitzung",
    "in der 47. Sitzung",
    "im Juni 2024",
    "im Jahr 2025",
    "in der Sitzung in Schwerin",
)
TEMPLATES = (
    "Was hat {speaker} {session} zum Thema {topic} {verb}?",
    "Was sagte {speaker} {session} zum Thema {topic}?",
    "Wie hat sich {speaker} {session} zum Thema {topic} geäußert?",
    "Welche Position vertrat {speaker} {session} zum Thema {topic}?",
)
OTHER_TEMPLATES = (
    "Was wurde {session} zum Thema {topic} beschlossen?",
    "Welche Länder haben {session} zum Thema {topic} etwas {verb}?",
    "Gab es {session} Protokollnotizen zum Thema {topic}?",
)
ENGLISH_TEMPLATE = "What did {speaker} say about {topic}?"


def _tidy(text: str) -> str:
    return " ".join(text.split()).replace(" ?", "?")


def all_questions() -> list[str]:
    """Every combination, in a fixed order (about 21,000 questions)."""
    found: list[str] = []
    for template, speaker, verb, topic, session in itertools.product(
        TEMPLATES, SPEAKERS, VERBS, TOPICS, SESSIONS
    ):
        if "{verb}" not in template and verb != VERBS[0]:
            continue
        found.append(
            _tidy(template.format(speaker=speaker, verb=verb, topic=topic, session=session))
        )
    for template, verb, topic, session in itertools.product(
        OTHER_TEMPLATES, VERBS, TOPICS, SESSIONS
    ):
        if "{verb}" not in template and verb != VERBS[0]:
            continue
        found.append(_tidy(template.format(verb=verb, topic=topic, session=session)))
    for speaker, topic in itertools.product(ENGLISH_SPEAKERS, TOPICS):
        found.append(ENGLISH_TEMPLATE.format(speaker=speaker, topic=topic))
    return list(dict.fromkeys(found))


def distinct_questions(n: int, *, seed: int = 0) -> list[str]:
    """`n` different questions in a shuffled order; ValueError when more are asked for."""
    pool = all_questions()
    if n > len(pool):
        raise ValueError(f"only {len(pool)} distinct questions can be made, not {n}")
    random.Random(seed).shuffle(pool)
    return pool[:n]
