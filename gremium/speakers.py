"""The speaker registry: canonical codes and every way protocols and questions name them.

Protocols write "BY:", "Bayern:", "Freistaat Sachsen:", "Protokollnotiz des Landes
Niedersachsen"; questions say "bayerische Landesregierung", "Bavaria", "NRW". Both
sides resolve through this one registry so that a filter built from a question
matches the speaker stored on a chunk.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from gremium.types import Speaker, SpeakerKind

# The classes of member the council's records and questions speak of: the Länder, the
# federal side (Bund, its ministries and offices), the kommunale Spitzenverbände, and
# other bodies (FITKO, any body a protocol names).
SpeakerGroup = Literal["land", "federal", "municipal", "body"]


@dataclass(frozen=True)
class SpeakerEntry:
    speaker: Speaker
    names: tuple[str, ...]  # matched case-insensitively as whole words
    stems: tuple[
        str, ...
    ] = ()  # adjective stems, matched as word prefixes ("bayerisch" -> "bayerische")
    codes: tuple[str, ...] = ()  # extra upper-case abbreviations, matched case-sensitively
    group: SpeakerGroup = "body"  # the class of member a question may ask for


def _land(
    code: str,
    name: str,
    names: Iterable[str] = (),
    stems: Iterable[str] = (),
    codes: Iterable[str] = (),
) -> SpeakerEntry:
    return _entry(code, name, "land", names, stems, codes)


def _entry(
    code: str,
    name: str,
    kind: SpeakerKind,
    names: Iterable[str] = (),
    stems: Iterable[str] = (),
    codes: Iterable[str] = (),
    group: SpeakerGroup | None = None,
) -> SpeakerEntry:
    return SpeakerEntry(
        Speaker(code, name, kind), (name, *names), tuple(stems), (code, *codes), group or kind
    )


_ENTRIES: tuple[SpeakerEntry, ...] = (
    _land("BW", "Baden-Württemberg", ["Baden-Wuerttemberg"], ["baden-württembergisch"]),
    _land("BY", "Bayern", ["Freistaat Bayern", "Bavaria"], ["bayerisch", "bavarian"]),
    _land("BE", "Berlin", ["Land Berlin"], ["berliner"]),
    _land("BB", "Brandenburg", ["Land Brandenburg"], ["brandenburgisch"]),
    _land("HB", "Bremen", ["Freie Hansestadt Bremen"], ["bremisch"]),
    _land(
        "HH",
        "Hamburg",
        ["Freie und Hansestadt Hamburg", "Hansestadt Hamburg"],
        ["hamburgisch", "hamburger"],
    ),
    _land("HE", "Hessen", ["Hesse", "Land Hessen"], ["hessisch"]),
    _land(
        "MV",
        "Mecklenburg-Vorpommern",
        ["Mecklenburg-Western Pomerania"],
        ["mecklenburg-vorpommersch"],
        ["M-V"],
    ),
    _land(
        "NI", "Niedersachsen", ["Lower Saxony", "Land Niedersachsen"], ["niedersächsisch"], ["NDS"]
    ),
    _land(
        "NW",
        "Nordrhein-Westfalen",
        ["North Rhine-Westphalia", "North Rhine Westphalia"],
        ["nordrhein-westfälisch"],
        ["NRW"],
    ),
    _land("RP", "Rheinland-Pfalz", ["Rhineland-Palatinate"], ["rheinland-pfälzisch"], ["RLP"]),
    _land("SL", "Saarland", [], ["saarländisch"]),
    _land("SN", "Sachsen", ["Freistaat Sachsen", "Saxony"], ["sächsisch", "saxon"]),
    _land("ST", "Sachsen-Anhalt", ["Saxony-Anhalt"], ["sachsen-anhaltisch"], ["LSA"]),
    _land("SH", "Schleswig-Holstein", [], ["schleswig-holsteinisch"]),
    _land("TH", "Thüringen", ["Freistaat Thüringen", "Thuringia"], ["thüringisch", "thuringian"]),
    _entry(
        "Bund",
        "Bund",
        "federal",
        [
            "Bundes",
            "Bundesregierung",
            "Bundesseite",
            "federal government",
            "federal side",
            "Federation",
        ],
        ["bundesregierung"],
    ),
    _entry(
        "BKAmt",
        "Bundeskanzleramt",
        "federal",
        ["Kanzleramt", "Chancellery", "Federal Chancellery"],
        [],
        ["BK-Amt", "BKAMT"],
    ),
    _entry(
        "BMDS",
        "Bundesministerium für Digitales und Staatsmodernisierung",
        "federal",
        ["Digitalministerium des Bundes"],
    ),
    _entry(
        "BMI",
        "Bundesministerium des Innern",
        "federal",
        [
            "Bundesinnenministerium",
            "Bundesministerium des Innern, für Bau und Heimat",
            "Bundesministerium des Innern und für Heimat",
        ],
    ),
    _entry(
        "BSI",
        "Bundesamt für Sicherheit in der Informationstechnik",
        "federal",
        ["Federal Office for Information Security"],
    ),
    _entry(
        "BfDI",
        "Bundesbeauftragte für den Datenschutz und die Informationsfreiheit",
        "federal",
        ["Bundesdatenschutzbeauftragte"],
        [],
        ["BFDI"],
    ),
    _entry("FITKO", "FITKO", "body", ["Föderale IT-Kooperation"]),
    _entry(
        "DStGB",
        "Deutscher Städte- und Gemeindebund",
        "body",
        ["Städte- und Gemeindebund"],
        [],
        ["DSTGB"],
        group="municipal",
    ),
    _entry("DLT", "Deutscher Landkreistag", "body", ["Landkreistag"], group="municipal"),
    _entry("DST", "Deutscher Städtetag", "body", ["Städtetag"], group="municipal"),
)

# Words that only qualify a name in protocol labels: "Freistaat Sachsen", "des Landes Niedersachsen".
_LABEL_PREFIX = re.compile(
    r"^(?:des\s+|der\s+|die\s+|das\s+)?(?:Freistaat(?:es|s)?|Landes|Land|Freie\s+und\s+Hansestadt|"
    r"Freien\s+und\s+Hansestadt|Freie\s+Hansestadt|Freien\s+Hansestadt|Senat|Senats|Senatskanzlei)\s+",
    re.IGNORECASE,
)


def _inflected(name: str) -> list[str]:
    """A name and its base forms: genitives ("Hessens", "des Saarlandes", "Rheinland-Pfalz'",
    "Bundesamtes für …") and adjective endings ("Deutsche Landkreistag" -> "Deutscher …")."""
    words = name.split()
    if not words:
        return []
    if re.fullmatch(r"Deutsche[nms]?", words[0]):
        words[0] = "Deutscher"
    out = [name, " ".join(words)]
    last = re.sub(r"(?<=\w{3})(?:es|s|['’])$", "", words[-1])
    out.append(" ".join([*words[:-1], last]))
    if len(words) > 2 and words[1] in ("für", "des", "der"):
        first = re.sub(r"(?<=\w{4})e?s$", "", words[0])
        out.append(" ".join([first, *words[1:]]))
    return out


def _fold(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().casefold()


class SpeakerRegistry:
    """Resolve speaker labels (protocol side) and find speaker mentions (question side)."""

    def __init__(self, entries: Iterable[SpeakerEntry]) -> None:
        self._entries = tuple(entries)
        self._by_code = {e.speaker.code: e.speaker for e in self._entries}
        self._entry_by_code = {e.speaker.code: e for e in self._entries}
        self._by_name: dict[str, Speaker] = {}
        self._by_code_exact: dict[str, Speaker] = {}
        for entry in self._entries:
            for name in entry.names:
                self._by_name[_fold(name)] = entry.speaker
            for code in entry.codes:
                self._by_code_exact[code] = entry.speaker
        self._mention_re, self._groups = self._compile()
        self._resolved: dict[str, Speaker | None] = {}
        self._titles = self._compile_titles()
        alternatives = "|".join(
            re.escape(t).replace("\\ ", r"\s+") for t in sorted(self._titles, key=len, reverse=True)
        )
        self._title_re = re.compile(
            rf"\b(?:der|die|das|dem|den|des|the)\s+((?:{alternatives})(?:es|s)?)\b", re.IGNORECASE
        )

    def _compile_titles(self) -> dict[str, tuple[str, ...]]:
        """Title -> codes: a name's words before the speaker's own name ("Freistaat")."""
        titles: dict[str, list[str]] = {}
        for entry in self._entries:
            own = _fold(entry.speaker.name)
            for name in entry.names:
                folded = _fold(name)
                if folded != own and folded.endswith(" " + own):
                    title = folded[: -len(own) - 1]
                    # "Freie und Hansestadt" is also "die Hansestadt"
                    for form in {title, title.split()[-1]}:
                        titles.setdefault(form, []).append(entry.speaker.code)
        lands = [e.speaker.code for e in self._entries if e.speaker.kind == "land"]
        for title in ("land", "bundesland"):
            titles[title] = lands
        return {t: tuple(dict.fromkeys(codes)) for t, codes in titles.items()}

    @classmethod
    def default(cls) -> SpeakerRegistry:
        return cls(_ENTRIES)

    def all(self) -> list[Speaker]:
        return [e.speaker for e in self._entries]

    def get(self, code: str) -> Speaker | None:
        """A speaker by canonical code; codes are matched case-insensitively as a courtesy."""
        if code in self._by_code:
            return self._by_code[code]
        folded = code.casefold()
        for known, speaker in self._by_code.items():
            if known.casefold() == folded:
                return speaker
        return None

    def group(self, speaker: Speaker) -> SpeakerGroup:
        """The class of member a speaker belongs to (a body outside the registry: its kind)."""
        entry = self._entry_by_code.get(speaker.code)
        return entry.group if entry else speaker.kind

    def resolve(self, label: str) -> Speaker | None:
        """The speaker a protocol label names ("BY", "Bayern", "Freistaat Bayern"), or None."""
        if label in self._resolved:
            return self._resolved[label]
        found = self._resolve(label)
        if len(self._resolved) < 50_000:  # parsers ask about the same few phrases again and again
            self._resolved[label] = found
        return found

    def _resolve(self, label: str) -> Speaker | None:
        text = re.sub(r"\s+", " ", label).strip().strip(":").strip()
        if not text:
            return None
        if text in self._by_code_exact:
            return self._by_code_exact[text]
        if text in self._by_code:
            return self._by_code[text]
        stripped = _LABEL_PREFIX.sub("", text)
        for candidate in (text, *_inflected(stripped)):
            found = self._by_name.get(_fold(candidate))
            if found:
                return found
        return None

    def resolve_or_body(self, label: str) -> Speaker:
        """Known speakers by code; any other named body kept as written."""
        found = self.resolve(label)
        if found:
            return found
        name = re.sub(r"\s+", " ", label).strip().strip(":").strip()
        return Speaker(code=name, name=name, kind="body")

    def designations(self, text: str) -> list[tuple[tuple[str, ...], int, int]]:
        """Titles that stand for a speaker without naming one ("der Freistaat", "die
        Hansestadt", "das Land"), each with the codes it may stand for and its span.

        The titles come from the registry's own names ("Freistaat Bayern" makes
        "Freistaat" a title of BY); "Land" and "Bundesland" stand for any Land. A title
        followed by a name ("der Freistaat Bayern") is a mention, not a designation.
        """
        named = [(start, end) for _, start, end in self.mentions(text)]
        out: list[tuple[tuple[str, ...], int, int]] = []
        for match in self._title_re.finditer(text):
            start, end = match.span(1)
            if any(a < end and start < b for a, b in named):
                continue
            title = _fold(match.group(1))
            title = re.sub(r"(?<=\w{4})(?:es|s)$", "", title)
            codes = self._titles.get(title)
            if codes:
                out.append((codes, start, end))
        return out

    def mentions(self, text: str) -> list[tuple[Speaker, int, int]]:
        """Every speaker named in free text, with the span of the mention, in order."""
        found: list[tuple[Speaker, int, int]] = []
        for match in self._mention_re.finditer(text):
            group = match.lastgroup
            if group is None:
                continue
            found.append((self._groups[group], match.start(), match.end()))
        return found

    def _compile(self) -> tuple[re.Pattern[str], dict[str, Speaker]]:
        alternatives: list[tuple[int, str, str]] = []
        groups: dict[str, Speaker] = {}
        for i, entry in enumerate(self._entries):
            group = f"s{i}"
            groups[group] = entry.speaker
            parts: list[str] = []
            for name in entry.names:
                # names tolerate a genitive ("Bayerns", "des Saarlandes") and flexible whitespace
                pattern = r"\s+".join(re.escape(w) for w in name.split())
                parts.append(f"(?i:{pattern}(?:es|s)?)")
            for stem in entry.stems:
                parts.append(f"(?i:{re.escape(stem)}\\w*)")
            for code in entry.codes:
                parts.append(re.escape(code))
            longest = max(len(p) for p in (*entry.names, *entry.stems, *entry.codes))
            alternatives.append((longest, group, "|".join(parts)))
        # longer names first so "Sachsen-Anhalt" wins over "Sachsen"
        alternatives.sort(key=lambda item: -item[0])
        body = "|".join(f"(?P<{group}>{parts})" for _, group, parts in alternatives)
        return re.compile(rf"(?<![\w-])(?:{body})(?![\w-])"), groups


REGISTRY = SpeakerRegistry.default()
