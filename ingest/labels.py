"""How records name people and label speakers: titles, names, "Dr. X (Bayern)".

Protocols put a person beside a Land ("Hamburg (Herr Lind):", "Dr. Kellner (Bayern):",
"Herr Staatssekretär Dr. Krause (Sachsen) führte aus"), name the chair ("Vorsitzender
Dr. Oltmanns:") or head a passage with the protocol's own word ("Ergebnis:",
"Termine:"). This module reads those forms; it knows grammar and titles, no topics.
"""

from __future__ import annotations

import re
from typing import Any

from gremium.speakers import REGISTRY
from gremium.types import Speaker

# Titles and offices that stand before a name ("Staatssekretärin Dr. Möller", "StS Vogel").
TITLE = (
    r"(?:Herrn?|Frau|Dr\.|Prof\.|StS(?:'?in)?|StR|StM|Staatssekretär(?:in)?|Staatsr(?:at|ätin)|"
    r"Staatsminister(?:in)?|Minister(?:in)?|Senator(?:in)?|Präsident(?:in)?|Vizepräsident(?:in)?|"
    r"Abteilungsleiter(?:in)?|AL|MD|MDg|MDgt|MinDir|MinDirig|MinR|Ministerialdirektor(?:in)?|"
    r"Ministerialdirigent(?:in)?|Ministerialr(?:at|ätin)|Referatsleiter(?:in)?|RL|Beigeordnete[rn]?|"
    r"(?:Ober)?[Bb]ürgermeister(?:in)?|Landr(?:at|ätin)|Direktor(?:in)?|Geschäftsführer(?:in)?|"
    r"Vorsitzende[rn]?|[Ss]tellvertretende[rn]?|CIO|Leiter(?:in)?|Beauftragte[rn]?|Staatsrat)"
)
NAME = r"(?:[A-ZÄÖÜ][\w’'-]*\w)"
# A person as records write one: optional honorific and titles, then one to three names.
PERSON = rf"(?:{TITLE}\s+)*(?:(?:von|van|de)\s+)?{NAME}(?:\s+(?:(?:von|van|de)\s+)?{NAME}){{0,2}}"
_PERSON_WITH_TITLE = re.compile(
    rf"^(?:{TITLE}\s+)+(?:(?:von|van|de)\s+)?{NAME}(?:\s+{NAME}){{0,2}}$"
)
_BARE_NAME = re.compile(rf"^{NAME}(?:\s+{NAME}){{0,2}}$")
_CHAIR = re.compile(r"^(?:Die\s+|Der\s+)?(?:Vorsitzende[r]?|Vorsitz|Sitzungsleitung)\b")
_HONORIFIC = re.compile(
    r"^(?:Herrn?|Frau)\s+(?=(?:Dr\.|Prof\.|[A-ZÄÖÜ]\w*(?:in|är|at|or|er|ent)\b\s+\S))"
)

# Heads of passages that the protocol writes in its own voice.
VOICE_LABELS = re.compile(
    r"^(?:Ergebnis(?:se)?|Fazit|Votum|Festlegung(?:en)?|Vereinbarung(?:en)?|Verabredung|"
    r"Aufgabe|Auftrag|Aufträge|Termine?|Bericht|Berichterstattung|Sachstand|Sachverhalt|"
    r"Zusammenfassung|Beschlussvorschlag|Beschlussempfehlung|Abstimmung|Abstimmungsergebnis|"
    r"Hinweis der Geschäftsstelle|Anmerkung der Geschäftsstelle|Zuruf|Protokollführung)$"
)


# "Vertreterin Thüringen", "Vertreter des Landes Bremen": a Land's representative as a label
_REPRESENTATIVE_LABEL = re.compile(
    r"^(?:(?:Der|Die)\s+)?(?:Vertreter(?:in|innen)?|Vertretung)\s+"
    r"(?:(?:des|der|von|aus|für)\s+)?(?P<who>\S.{0,50})$"
)


def is_person(text: str, *, bare: bool = False) -> bool:
    """A person's name with a title ("StS Vogel"), or with `bare` also a plain name.

    A plain name has no word in capitals ("AG Cloud Computing" names a working group)
    and is no chair ("Vorsitz").
    """
    text = text.strip()
    if REGISTRY.resolve(text):
        return False
    if _PERSON_WITH_TITLE.match(text):
        return True
    return (
        bare
        and bool(_BARE_NAME.match(text))
        and not any(len(w) > 1 and w.isupper() for w in text.split())
        and not is_chair(text)
    )


def is_chair(text: str) -> bool:
    return bool(_CHAIR.match(text.strip()))


def clean_person(text: str) -> str:
    """The person as the record names them, without a leading "Herr"/"Frau" before a title."""
    text = re.sub(r"\s+", " ", text).strip(" ,")
    return _HONORIFIC.sub("", text)


def surname(person: str) -> str:
    """The last name of a person phrase ("Staatssekretär Dr. Thomas Krause" -> "Krause")."""
    words = [w for w in re.findall(NAME, person) if not re.fullmatch(TITLE, w)]
    return words[-1] if words else ""


def read_label(label: str) -> dict[str, Any] | None:
    """A label that is no plain speaker name: "Hamburg (Herr Lind)", "Dr. X (Bayern)", the chair,
    a person alone, or the protocol's own heading ("Ergebnis"). None for anything else."""
    label = re.sub(r"\s+", " ", label).strip()
    if m := re.fullmatch(r"(?P<a>[^()]{1,50}?)\s*\((?P<b>[^()]{1,50})\)", label):
        a, b = m["a"].strip(), m["b"].strip()
        if REGISTRY.resolve(a):
            if is_person(b, bare=True):
                return {"label": a, "person": clean_person(b)}
            if not REGISTRY.resolve(b):  # "SN (Vorsitz)", "BB (AG Cloud Computing)": in a role
                return {"label": a}
        if REGISTRY.resolve(b) and not is_chair(a) and is_person(a, bare=True):
            return {"label": b, "person": clean_person(a)}
        return None
    if (m := _REPRESENTATIVE_LABEL.match(label)) and REGISTRY.resolve(m["who"]):
        return {"label": m["who"]}
    if VOICE_LABELS.match(label):
        return {"label": label, "voice": True}
    parts = re.split(r"\s*(?:,|/|\bund\b|\bsowie\b)\s*", label)
    if len(parts) > 1 and all(REGISTRY.resolve(p) for p in parts if p):
        return {"label": label, "voice": True}  # "BW und HE:": a joint word, no single speaker
    if is_chair(label) and len(label.split()) <= 5:
        return {"label": label, "voice": True}
    if is_person(label):
        return {"label": label, "person": clean_person(label), "person_only": True}
    return None


class PersonMap:
    """Surnames the record ties to one speaker (attendance lists, earlier introductions).

    A later "Herr Dr. Krause ergänzte" is then Sachsen's because the record said so
    before; a surname tied to two speakers is dropped, never guessed between.
    """

    def __init__(self) -> None:
        self._by_name: dict[str, Speaker | None] = {}

    def add(self, person: str, speaker: Speaker) -> None:
        name = surname(person)
        if not name:
            return
        known = self._by_name.get(name, speaker)
        self._by_name[name] = speaker if known == speaker else None

    def lookup(self, person: str) -> Speaker | None:
        return self._by_name.get(surname(person))
