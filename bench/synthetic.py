"""Synthetic protocols at scale: corpus sentences recombined under varied speakers and sessions.

    for document, chunks in synthetic_corpus(100_000): ...

Text is real German protocol language (so BM25 statistics are realistic); speakers,
sessions and agenda items are drawn at random from the registry and a session calendar.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterator
from pathlib import Path

from gremium.speakers import REGISTRY
from gremium.types import Chunk, Document
from index.testing import make_protocol

REPO = Path(__file__).resolve().parent.parent
CHUNKS_PER_DOCUMENT = 200
TOPICS = (
    "Delos Cloud",
    "Registermodernisierung",
    "NOOTS",
    "Informationssicherheit",
    "Verwaltungscloud-Strategie",
    "EfA-Finanzierung",
    "KI in der Verwaltung",
    "GovData",
    "Postfach- und Kommunikationslösungen",
    "Digitale Souveränität",
    "OZG-Umsetzung",
)


def corpus_sentences(folder: Path | None = None) -> list[str]:
    """Sentences of 40+ characters from the corpus text files, markup stripped."""
    folder = folder or REPO / "corpus"
    sentences: list[str] = []
    for path in sorted(folder.glob("*.txt")):
        text = re.sub(r"<[^>]+>", " ", path.read_text(encoding="utf-8"))
        text = re.sub(r"-\s*\n\s*", "", text)
        text = re.sub(r"\s+", " ", text)
        sentences.extend(
            s.strip() for s in re.split(r"(?<=[.!?])\s+", text) if len(s.strip()) >= 40
        )
    return sentences


def synthetic_corpus(chunks: int, *, seed: int = 0) -> Iterator[tuple[Document, list[Chunk]]]:
    """Documents of up to CHUNKS_PER_DOCUMENT chunks, `chunks` chunks in all."""
    rng = random.Random(seed)
    sentences = corpus_sentences()
    codes = [s.code for s in REGISTRY.all()]
    made = 0
    number = 0
    while made < chunks:
        number += 1
        size = min(CHUNKS_PER_DOCUMENT, chunks - made)
        year, month, day = 2010 + number % 16, 1 + number % 12, 1 + number % 28
        turns = []
        for j in range(size):
            topic = rng.choice(TOPICS)
            text = " ".join(rng.choice(sentences) for _ in range(rng.randint(2, 4)))
            turns.append((rng.choice(codes), f"{1 + j % 20:02d}", topic, text))
        session = "sonder" if number % 7 == 0 else number
        yield make_protocol(
            session,
            f"{year:04d}-{month:02d}-{day:02d}",
            turns,
            file=f"synthetic-{number:05d}.txt",
            salt=str(seed),
        )
        made += size
