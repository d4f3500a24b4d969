"""Optional generative mode: an OpenAI-compatible model writes the answer from cited passages.

The model sees exactly the passages the extractive answer cites, numbered as there, so
the `citations` and `statements` stay valid. Markers it invents ("[9]" with five passages)
are removed; an answer without any valid marker, an HTTP error or a timeout returns the
extractive answer unchanged, with a warning in the log.
"""

from __future__ import annotations

import logging
import re
from dataclasses import replace

import httpx

from answer.wording import session_phrase, speaker_name
from gremium.settings import Settings
from gremium.types import Answer, Citation

log = logging.getLogger(__name__)

_MARKER_RE = re.compile(r"\[(\d+(?:\s*,\s*\d+)*)\]")
MAX_PASSAGE_CHARS = 1500

_SYSTEM = {
    "de": (
        "Du beantwortest Fragen zu Protokollen und Beschlüssen des IT-Planungsrats. "
        "Nutze ausschließlich die nummerierten Passagen. Nenne, welches Land oder welche "
        "Stelle in welcher Sitzung was gesagt hat, zitiere wörtlich mit „…“ und belege jede "
        "Aussage mit der Nummer der Passage in eckigen Klammern, z. B. [1]. Schreibe niemandem "
        "etwas zu, das nicht in seiner eigenen Passage steht. Steht die Antwort nicht in den "
        "Passagen, sage das. Antworte auf Deutsch."
    ),
    "en": (
        "You answer questions about protocols and decisions of Germany's IT-Planungsrat. "
        "Use only the numbered passages. Say which state or body said what in which session, "
        "quote the German text verbatim in „…“ and support every statement with the passage "
        "number in square brackets, e.g. [1]. Never attribute to anyone what is not in their "
        "own passage. If the passages do not hold the answer, say so. Answer in English."
    ),
}


def chat_url(base: str) -> str:
    """The chat completions endpoint for a base URL given with or without /v1."""
    url = base.strip().rstrip("/")
    if url.endswith("/chat/completions"):
        return url
    if url.endswith("/v1"):
        return f"{url}/chat/completions"
    return f"{url}/v1/chat/completions"


def passage_block(citations: tuple[Citation, ...], language: str) -> str:
    """The numbered passages, each headed by speaker, session, TOP and document."""
    blocks: list[str] = []
    for citation in citations:
        chunk = citation.hit.chunk
        head: list[str] = []
        if chunk.speaker:
            head.append(speaker_name(chunk.speaker, language))
        if chunk.role == "protocol_note":
            head.append("Protokollnotiz")
        elif chunk.role == "decision" and chunk.label:
            head.append(chunk.label)
        phrase = session_phrase(chunk.session, language)
        if phrase:
            head.append(phrase.removeprefix("der "))
        if chunk.agenda_item:
            head.append(chunk.agenda_item.label)
        if citation.hit.document:
            head.append(citation.hit.document.title)
        text = " ".join(chunk.text.split())[:MAX_PASSAGE_CHARS]
        blocks.append(f"[{citation.n}] ({'; '.join(head)})\n{text}")
    return "\n\n".join(blocks)


def messages_for(answer: Answer) -> list[dict[str, str]]:
    language = "en" if answer.language == "en" else "de"
    passages = passage_block(answer.citations, language)
    label = "Passages" if language == "en" else "Passagen"
    question = "Question" if language == "en" else "Frage"
    return [
        {"role": "system", "content": _SYSTEM[language]},
        {"role": "user", "content": f"{label}:\n\n{passages}\n\n{question}: {answer.question}"},
    ]


def strip_unknown_markers(text: str, valid: set[int]) -> tuple[str, set[int]]:
    """Drop citation numbers that name no passage; return the text and the numbers kept."""
    kept: set[int] = set()

    def fix(match: re.Match[str]) -> str:
        numbers = [int(n) for n in re.split(r"\s*,\s*", match.group(1))]
        good = [n for n in numbers if n in valid]
        kept.update(good)
        return f"[{', '.join(str(n) for n in good)}]" if good else ""

    cleaned = _MARKER_RE.sub(fix, text)
    cleaned = re.sub(r"[ \t]+([.,;:!?])", r"\1", cleaned)
    cleaned = re.sub(r"[ \t]{2,}", " ", cleaned)
    return cleaned.strip(), kept


def generate(answer: Answer, settings: Settings) -> Answer:
    """The model's answer over the extractive answer's passages, or the extractive answer."""
    try:
        text = _complete(messages_for(answer), settings)
    except (httpx.HTTPError, ValueError, KeyError, IndexError, TypeError) as exc:
        log.warning(
            "LLM answer failed (%s: %s); returning the extractive answer", type(exc).__name__, exc
        )
        return answer
    valid = {c.n for c in answer.citations}
    cleaned, kept = strip_unknown_markers(text, valid)
    if not cleaned or not kept:
        log.warning("LLM answer cited no passage; returning the extractive answer")
        return answer
    return replace(answer, answer=cleaned, mode="llm")


def _complete(messages: list[dict[str, str]], settings: Settings) -> str:
    headers = {"Content-Type": "application/json"}
    if settings.llm_api_key:
        headers["Authorization"] = f"Bearer {settings.llm_api_key}"
    payload = {
        "model": settings.llm_model,
        "messages": messages,
        "temperature": 0.1,
        "stream": False,
    }
    response = httpx.post(
        chat_url(settings.llm_url),
        json=payload,
        headers=headers,
        timeout=settings.llm_timeout_s,
    )
    response.raise_for_status()
    content = response.json()["choices"][0]["message"]["content"]
    if not isinstance(content, str):
        raise TypeError(f"message content is {type(content).__name__}, not text")
    return content
