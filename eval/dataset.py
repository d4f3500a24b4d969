"""Reference questions: load and validate `qa.jsonl`.

One JSON object a line, in the format of the public interface::

    {"id": "q1", "question": "...", "evidence": ["short verbatim phrase"],
     "speakers": ["BY"], "session": "2024-06-27", "answer": "...", "expect_abstain": false}

Optional fields of the interface: `kind` (speaker, multi, fact, aggregate, negative,
followup), `split` (dev: tune on it; test: measure on it, never tune), `speakers_all`
(aggregates: every speaker that qualifies, and only those), `forbidden_speaker` (a
negative's speaker who must not be cited), `messages` (a follow-up: the conversation,
OpenAI style, the last user message being the question).

Optional fields this package adds: `doc` (corpus file the evidence comes from), `role`
(expected role of the evidence passage), `language`, `absent_speakers` (codes that
must not be cited: they did not speak), `negative` (why a negative must abstain:
absent, topic, session, near_miss). Older kinds (protocol_note, decision, english,
absent_speaker, out_of_scope, document) are still read.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

DEFAULT_QA = Path(__file__).resolve().parent / "qa.jsonl"

KINDS = ("speaker", "multi", "fact", "aggregate", "negative", "followup")
LEGACY_KINDS = (
    "protocol_note",
    "decision",
    "english",
    "absent_speaker",
    "out_of_scope",
    "document",
)
SPLITS = ("dev", "test")
NEGATIVE_REASONS = ("absent", "topic", "session", "near_miss")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_KNOWN_FIELDS = {
    "id",
    "question",
    "evidence",
    "speakers",
    "session",
    "answer",
    "expect_abstain",
    "kind",
    "doc",
    "role",
    "language",
    "absent_speakers",
    "split",
    "speakers_all",
    "forbidden_speaker",
    "messages",
    "negative",
}


class DatasetError(ValueError):
    """A reference file that cannot be used; the message names file, line and field."""


@dataclass(frozen=True)
class QAItem:
    id: str
    question: str
    evidence: tuple[str, ...] = ()
    speakers: tuple[str, ...] = ()
    session: str | None = None
    answer: str | None = None
    expect_abstain: bool = False
    kind: str = "speaker"
    doc: str | None = None
    role: str | None = None
    language: str = "de"
    absent_speakers: tuple[str, ...] = ()
    split: str | None = None
    speakers_all: tuple[str, ...] = ()
    forbidden_speakers: tuple[str, ...] = ()
    messages: tuple[tuple[str, str], ...] = ()  # (role, content), oldest first
    negative: str | None = None

    @property
    def is_aggregate(self) -> bool:
        return self.kind == "aggregate" or len(self.speakers) > 1

    @property
    def expected_speakers(self) -> tuple[str, ...]:
        """Who an aggregate or multi-speaker answer must name: `speakers_all` if given."""
        return self.speakers_all or self.speakers

    @property
    def must_not_cite(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys((*self.absent_speakers, *self.forbidden_speakers)))

    @property
    def history(self) -> tuple[tuple[str, str], ...]:
        """The conversation before the question (empty for a single question)."""
        return self.messages[:-1] if self.messages else ()

    @property
    def language_slice(self) -> str:
        return "en" if self.language == "en" or self.kind == "english" else "de"

    @property
    def has_evidence(self) -> bool:
        return bool(self.evidence) and not self.expect_abstain

    @property
    def expects_attribution(self) -> bool:
        """A question about one speaker: the first citation must be that speaker's."""
        return len(self.speakers) == 1 and not self.expect_abstain and bool(self.evidence)


def load_qa(path: Path | str = DEFAULT_QA) -> list[QAItem]:
    """Read and validate a reference file; raises DatasetError on the first bad line."""
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise DatasetError(f"cannot read reference questions from {path}: {exc}") from exc
    items = parse_lines(lines, source=str(path))
    if not items:
        raise DatasetError(f"{path} holds no questions; write one JSON object a line")
    return items


def parse_lines(lines: Iterable[str], source: str = "<qa>") -> list[QAItem]:
    items: list[QAItem] = []
    seen: dict[str, int] = {}
    for number, line in enumerate(lines, start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        where = f"{source}:{number}"
        try:
            raw = json.loads(line)
        except json.JSONDecodeError as exc:
            raise DatasetError(
                f"{where}: not valid JSON ({exc.msg} at column {exc.colno})"
            ) from exc
        item = parse_item(raw, where)
        if item.id in seen:
            raise DatasetError(f"{where}: id {item.id!r} already used on line {seen[item.id]}")
        seen[item.id] = number
        items.append(item)
    return items


def parse_item(raw: object, where: str = "<qa>") -> QAItem:
    if not isinstance(raw, dict):
        raise DatasetError(f"{where}: expected a JSON object, got {type(raw).__name__}")
    unknown = sorted(set(raw) - _KNOWN_FIELDS)
    if unknown:
        raise DatasetError(f"{where}: unknown field(s) {unknown}; known: {sorted(_KNOWN_FIELDS)}")
    qid = _string(raw, "id", where, required=True)
    question = _string(raw, "question", where, required=True)
    assert qid is not None and question is not None
    session = _string(raw, "session", where)
    if session and not _ISO_DATE.match(session):
        raise DatasetError(f"{where}: session {session!r} must be an ISO date like 2024-06-27")
    kind = _string(raw, "kind", where) or "speaker"
    if kind not in KINDS + LEGACY_KINDS:
        raise DatasetError(f"{where}: kind {kind!r} is not one of {list(KINDS)}")
    split = _string(raw, "split", where)
    if split is not None and split not in SPLITS:
        raise DatasetError(f"{where}: split {split!r} is not one of {list(SPLITS)}")
    negative = _string(raw, "negative", where)
    if negative is not None and negative not in NEGATIVE_REASONS:
        raise DatasetError(f"{where}: negative {negative!r} is not one of {list(NEGATIVE_REASONS)}")
    forbidden = raw.get("forbidden_speaker")
    if isinstance(forbidden, str):
        raw = {**raw, "forbidden_speaker": [forbidden]}
    messages = _messages(raw, str(question), where)
    expect_abstain = raw.get("expect_abstain", False)
    if not isinstance(expect_abstain, bool):
        raise DatasetError(f"{where}: expect_abstain must be true or false")
    item = QAItem(
        id=qid,
        question=question,
        evidence=_strings(raw, "evidence", where),
        speakers=_strings(raw, "speakers", where),
        session=session,
        answer=_string(raw, "answer", where),
        expect_abstain=expect_abstain,
        kind=kind,
        doc=_string(raw, "doc", where),
        role=_string(raw, "role", where),
        language=_string(raw, "language", where) or "de",
        absent_speakers=_strings(raw, "absent_speakers", where),
        split=split,
        speakers_all=_strings(raw, "speakers_all", where),
        forbidden_speakers=_strings(raw, "forbidden_speaker", where),
        messages=messages,
        negative=negative,
    )
    if item.expect_abstain and (item.evidence or item.speakers):
        raise DatasetError(
            f"{where}: a question expected to abstain cannot list evidence or speakers"
        )
    return item


def _messages(raw: dict[str, object], question: str, where: str) -> tuple[tuple[str, str], ...]:
    value = raw.get("messages")
    if value is None:
        return ()
    if not isinstance(value, list) or not value:
        raise DatasetError(f"{where}: field 'messages' must be a non-empty list")
    out: list[tuple[str, str]] = []
    for message in value:
        if (
            not isinstance(message, dict)
            or message.get("role") not in {"user", "assistant"}
            or not isinstance(message.get("content"), str)
        ):
            raise DatasetError(
                f"{where}: each message needs role 'user' or 'assistant' and a string content"
            )
        out.append((message["role"], message["content"]))
    if out[-1] != ("user", question):
        raise DatasetError(f"{where}: the last message must be the user's question itself")
    return tuple(out)


def _string(raw: dict[str, object], key: str, where: str, required: bool = False) -> str | None:
    value = raw.get(key)
    if value is None:
        if required:
            raise DatasetError(f"{where}: field {key!r} is required")
        return None
    if not isinstance(value, str) or (required and not value.strip()):
        raise DatasetError(f"{where}: field {key!r} must be a non-empty string, got {value!r}")
    return value


def _strings(raw: dict[str, object], key: str, where: str) -> tuple[str, ...]:
    value = raw.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise DatasetError(f"{where}: field {key!r} must be a list of non-empty strings")
    return tuple(value)
