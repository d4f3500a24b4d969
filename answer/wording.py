"""How answers name things, in German (default) or English: speakers, sessions, decisions,
and the fixed sentences of the answer's frame.

The framing is neutral ("äußerte sich", "erklärte in einer Protokollnotiz"); what a
speaker meant is left to the verbatim quote, so no sentence turns indirect speech into
a claim the record does not make. Speaker names are written as the registry (and so
the protocols) spell them.
"""

from __future__ import annotations

from gremium.speakers import REGISTRY
from gremium.types import Chunk, Session, Speaker, german_date

ENGLISH_NAMES = {
    "BW": "Baden-Württemberg", "BY": "Bavaria", "BE": "Berlin", "BB": "Brandenburg",
    "HB": "Bremen", "HH": "Hamburg", "HE": "Hesse", "MV": "Mecklenburg-Western Pomerania",
    "NI": "Lower Saxony", "NW": "North Rhine-Westphalia", "RP": "Rhineland-Palatinate",
    "SL": "Saarland", "SN": "Saxony", "ST": "Saxony-Anhalt", "SH": "Schleswig-Holstein",
    "TH": "Thuringia", "Bund": "the Federation (Bund)",
    "BKAmt": "the Federal Chancellery (Bundeskanzleramt)",
}  # fmt: skip

# German framing names federal bodies with their article: "äußerte sich der Bund".
_GERMAN_SUBJECTS = {
    "Bund": "der Bund", "BKAmt": "das Bundeskanzleramt", "BMDS": "das BMDS", "BMI": "das BMI",
    "BSI": "das BSI", "BfDI": "die BfDI", "FITKO": "die FITKO",
    "DStGB": "der Deutsche Städte- und Gemeindebund", "DLT": "der Deutsche Landkreistag",
    "DST": "der Deutsche Städtetag",
}  # fmt: skip

TEXTS = {
    "de": {
        "nothing": "Zu dieser Frage enthalten die durchsuchten Unterlagen keine Aussage. "
        "Ich habe keine passende Stelle in Protokollen, Beschlüssen oder Berichten gefunden.",
        "no_answer": "Eine Antwort auf genau diese Frage finde ich in den durchsuchten "
        "Unterlagen nicht.",
        "related": "Am nächsten kommen diese Stellen (keine Antwort, nur verwandt):",
        "see_also": "Weitere Stellen zum Thema:",
        "see_also_others": "Andere Beteiligte zum Thema:",
        "further": "Weitere Aussagen von {who} in diesem Rahmen:",
        "period_overruled": "Die {session} fand nicht {period} statt; die Zeitangabe der "
        "Frage bleibt deshalb unberücksichtigt.",
        "no_session": "Die durchsuchten Unterlagen enthalten keine Aufzeichnung {session}; "
        "dazu kann ich niemandem eine Aussage zuordnen.",
        "no_session_record": "Die durchsuchten Unterlagen enthalten keine Aufzeichnung "
        "{session} und keinen Bericht darüber.",
        "no_statement": "Die durchsuchten Unterlagen enthalten keine Aussage von {who}{where} "
        "zu dieser Frage.",
        "absent": "{who} nahm an {session} nicht teil (laut Anwesenheitsliste).",
        "others": "Andere Beteiligte äußerten sich zum Thema:",
        "also_missing": "Von {who} ist dazu keine Aussage verzeichnet.",
        "no_stance": "Eine ausdrückliche Aussage in diesem Sinne ist in den durchsuchten "
        "Unterlagen nicht verzeichnet.",
        "found": "Belege fanden sich für {count}: {names}.",
        "roll_absent": "Laut Anwesenheitsliste fehlten in {session} (entschuldigt oder "
        "abwesend): {names}.",
        "roll_present": "Laut Anwesenheitsliste nahmen an {session} teil: {names}.",
        "roll_none": "Die durchsuchten Unterlagen enthalten keine Anwesenheitsliste, die diese "
        "Frage beantwortet.",
        "roll_listed": "laut Anwesenheitsliste {what}",
        "roll_absent_word": "entschuldigt oder abwesend",
        "roll_present_word": "anwesend",
        "count_land": "{n} Land|{n} Länder",
        "count_any": "{n} Beteiligten|{n} Beteiligte",
        "over_time": "{who} im Verlauf der Sitzungen (älteste zuerst):",
        "and": "und",
        "note": "Protokollnotiz",
        "in": "in",
        "session_of": "der {n}. Sitzung",
        "session_on": "der Sitzung am {date}",
    },
    "en": {
        "nothing": "The records searched contain nothing on this question. "
        "I found no matching passage in protocols, decisions or reports.",
        "no_answer": "I find no answer to exactly this question in the records searched.",
        "related": "The nearest passages (not an answer, only related):",
        "see_also": "Further passages on the topic:",
        "see_also_others": "Others on the topic:",
        "further": "Further statements by {who} in this context:",
        "period_overruled": "The {session} did not take place {period}, so the question's "
        "date is set aside.",
        "no_session": "The records searched hold no record of {session}; "
        "I cannot attribute any statement to anyone there.",
        "no_session_record": "The records searched hold no record of {session} and no "
        "report on it.",
        "no_statement": "The records searched contain no statement by {who}{where} "
        "on this question.",
        "absent": "{who} did not attend {session} (according to the attendance list).",
        "others": "Other participants spoke on the topic:",
        "also_missing": "No statement by {who} on this is recorded.",
        "no_stance": "The records searched contain no explicit statement to this effect.",
        "found": "Evidence was found for {count}: {names}.",
        "roll_absent": "According to the attendance list, absent from {session} (excused or "
        "absent): {names}.",
        "roll_present": "According to the attendance list, present at {session}: {names}.",
        "roll_none": "The records searched hold no attendance list that answers this question.",
        "roll_listed": "{what} according to the attendance list",
        "roll_absent_word": "excused or absent",
        "roll_present_word": "present",
        "count_land": "{n} state|{n} states",
        "count_any": "{n} participant|{n} participants",
        "over_time": "{who} across the sessions (oldest first):",
        "and": "and",
        "note": "protocol note",
        "in": "in",
        "session_of": "the {n}th session",
        "session_on": "the session on {date}",
    },
}


def texts(language: str) -> dict[str, str]:
    return TEXTS["en" if language == "en" else "de"]


def speaker_name(speaker: Speaker, language: str) -> str:
    """ "Bayern (BY)" / "Bavaria (BY)"; federal bodies and others as written."""
    if language == "en" and speaker.code in ENGLISH_NAMES:
        name = ENGLISH_NAMES[speaker.code]
        return name if speaker.kind != "land" else f"{name} ({speaker.code})"
    if speaker.kind == "land":
        return f"{speaker.name} ({speaker.code})"
    return speaker.name


def code_name(code: str, language: str) -> str:
    speaker = REGISTRY.get(code)
    return speaker_name(speaker, language) if speaker else code


def speaker_subject(speaker: Speaker, language: str) -> str:
    """The speaker as the subject of a framing sentence."""
    if language != "en" and speaker.code in _GERMAN_SUBJECTS:
        return _GERMAN_SUBJECTS[speaker.code]
    return speaker_name(speaker, language)


def session_phrase(session: Session | None, language: str) -> str | None:
    """ "der Sondersitzung am 27.06.2024" / "the special session on 27.06.2024"."""
    if session is None:
        return None
    return f"{'the' if language == 'en' else 'der'} {session_name(session, language)}"


def session_name(session: Session, language: str) -> str:
    """ "Sondersitzung am 27.06.2024" / "special session on 27.06.2024" (no article)."""
    if language != "en":
        return session.label
    label = session.label  # German dates read fine in English text
    date = label.split(" am ", 1)[1] if " am " in label else None
    if session.kind == "Sondersitzung":
        stem = "special session"
    elif session.number is not None:
        stem = f"{ordinal(session.number)} session"
    else:
        stem = "session"
    return f"{stem} on {date}" if date else stem


def asked_session_phrase(spec: str, language: str) -> str:
    """A session the question names but the records lack: "der 41. Sitzung"."""
    words = texts(language)
    if spec.isdigit():
        if language == "en":
            return f"the {ordinal(int(spec))} session"
        return words["session_of"].format(n=spec)
    if spec.startswith("sonder"):
        return "the special session" if language == "en" else "der Sondersitzung"
    return words["session_on"].format(date=german_date(spec))


def ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def quoted(text: str) -> str:
    return f"„{text.rstrip()}“"


def decision_name(chunk: Chunk, language: str) -> str | None:
    """ "Beschluss B-2025/30-IT" / "Decision B-2025/30-IT" for a decision passage."""
    if chunk.role != "decision":
        return None
    number = chunk.decision
    if number:
        return f"Decision {number}" if language == "en" else f"Beschluss {number}"
    label = chunk.label
    if label and "beschluss" in label.lower():
        return label.replace("Beschluss", "Decision", 1) if language == "en" else label
    return "Decision" if language == "en" else "Beschluss"


def join(items: list[str], language: str) -> str:
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {texts(language)['and']} {items[-1]}"


def period_phrase(date_from: str | None, date_to: str | None, language: str) -> str:
    """ "2024" / "in 2024", or "zwischen 01.03.2024 und 31.03.2024" / "between … and …"."""
    low, high = date_from or "", date_to or ""
    if low[:4] and low[:4] == high[:4] and low[4:] == "-01-01" and high[4:] == "-12-31":
        return low[:4] if language != "en" else f"in {low[:4]}"
    start, end = german_date(low), german_date(high)
    if language == "en":
        if low and high:
            return f"between {start} and {end}"
        return f"after {start}" if low else f"before {end}"
    if low and high:
        return f"zwischen dem {start} und dem {end}"
    return f"nach dem {start}" if low else f"vor dem {end}"
