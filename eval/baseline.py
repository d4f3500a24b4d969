"""The naive baseline a user might build instead of Gremium.

Raw text of each corpus file (text as written; PDF pages through pypdf, Word through
python-docx, as a tutorial's document loaders read them), cut into fixed-size character chunks
(`RecursiveCharacterTextSplitter`, 1000 characters, 200 overlap), embedded with the
same embedder as the product, in a flat inner-product FAISS index. No cleaning, no
protocol structure, no speakers, no sessions: what it returns can be judged for
evidence but never attributed.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from eval.runner import AskResult, Passage

CHUNK_SIZE = 1000
CHUNK_OVERLAP = 200
SUFFIXES = {".txt", ".md", ".html", ".htm", ".text", ".markdown", ".pdf", ".docx", ".odt"}


class NaiveBaseline:
    name = "naive-baseline"
    pool = "naive-baseline"
    answers = False

    def __init__(self, embedder: Any, chunks: Sequence[Passage]) -> None:
        import faiss

        self.embedder = embedder
        self.chunks = list(chunks)
        vectors = _unit_rows(embedder.embed_documents([c.text for c in self.chunks]))
        self.index = faiss.IndexFlatIP(vectors.shape[1])
        if len(self.chunks):
            self.index.add(vectors)

    @classmethod
    def from_corpus(cls, corpus: Path, embedder: Any) -> NaiveBaseline:
        return cls(embedder, split_corpus(corpus))

    def search(self, question: str, k: int) -> list[Passage]:
        if not self.chunks:
            return []
        query = _unit_rows(np.asarray(self.embedder.embed_query(question)).reshape(1, -1))
        scores, positions = self.index.search(query, min(k, len(self.chunks)))
        return [
            Passage(
                chunk_id=self.chunks[int(pos)].chunk_id,
                text=self.chunks[int(pos)].text,
                document=self.chunks[int(pos)].document,
                score=round(float(score), 6),
            )
            for score, pos in zip(scores[0], positions[0], strict=True)
            if pos >= 0
        ]

    def ask(self, question: str, history: Sequence[tuple[str, str]] = ()) -> AskResult:
        raise NotImplementedError("the naive baseline only retrieves; it does not answer")


def split_corpus(corpus: Path) -> list[Passage]:
    """Fixed-size character chunks of every file below `corpus`."""
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    splitter = RecursiveCharacterTextSplitter(chunk_size=CHUNK_SIZE, chunk_overlap=CHUNK_OVERLAP)
    files = sorted(
        p
        for p in (corpus.rglob("*") if corpus.is_dir() else [corpus])
        if p.is_file() and p.suffix.lower() in SUFFIXES and p.name.lower() != "readme.md"
    )
    chunks: list[Passage] = []
    for path in files:
        text = raw_text(path)
        for number, piece in enumerate(splitter.split_text(text)):
            chunks.append(Passage(chunk_id=f"{path.name}#{number}", text=piece, document=path.name))
    return chunks


def _unit_rows(vectors: np.ndarray) -> np.ndarray:
    array = np.ascontiguousarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(array, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return np.ascontiguousarray(array / norms, dtype=np.float32)


def raw_text(path: Path) -> str:
    """A file's text the way a tutorial's loaders give it: no cleaning, no structure."""
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        from pypdf import PdfReader

        return "\n".join(page.extract_text() or "" for page in PdfReader(path).pages)
    if suffix == ".docx":
        import docx
        from docx.oxml.ns import qn

        # paragraphs and table cells in the order of the body, as docx2txt reads them
        body = docx.Document(str(path)).element.body
        return "\n".join(
            "".join(t.text or "" for t in p.iter(qn("w:t"))) for p in body.iter(qn("w:p"))
        )
    if suffix == ".odt":
        from ingest.loaders import load_bytes

        return "\n".join(load_bytes(path.read_bytes(), path.name).pages)
    return path.read_text(encoding="utf-8", errors="replace")
