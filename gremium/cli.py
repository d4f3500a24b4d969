"""The `gremium` command: ingest, ask, search, serve, eval, documents, remove, reindex."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gremium.errors import GremiumError, InvalidRequest
from gremium.logs import setup_logging
from gremium.settings import Settings, get_settings
from gremium.text_input import check_text
from gremium.types import Filters

if TYPE_CHECKING:
    from gremium.service import IngestProgress


def _filters(args: argparse.Namespace) -> Filters:
    speakers = tuple(s for value in (args.speaker or []) for s in value.split(",") if s)
    return Filters(
        speakers=speakers,
        session=args.session,
        date_from=getattr(args, "date_from", None),
        date_to=getattr(args, "date_to", None),
        doc_type=getattr(args, "doc_type", None),
        document_id=getattr(args, "document", None),
    )


def _add_filter_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--speaker", action="append", help="speaker code(s), e.g. BY or BY,NW")
    p.add_argument("--session", help="session number (47), date (2024-06-27) or id")
    p.add_argument("--date-from", dest="date_from", help="ISO date")
    p.add_argument("--date-to", dest="date_to", help="ISO date")
    p.add_argument("--doc-type", dest="doc_type", help="protokoll, beschluss, bericht, ...")
    p.add_argument("--document", help="document id")
    p.add_argument("--json", action="store_true", help="print the API's JSON")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="gremium", description="Questions and answers over the IT-Planungsrat's records."
    )
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("ingest", help="add or update files and folders")
    p.add_argument("paths", nargs="+", type=Path)
    p.add_argument("--collection", default="public")

    p = sub.add_parser("ask", help="answer a question with citations")
    p.add_argument("question")
    p.add_argument("-k", "--top-k", type=int, default=None)
    _add_filter_args(p)

    sub.add_parser("chat", help="a conversation: follow-up questions read in its light")

    p = sub.add_parser("search", help="ranked passages only")
    p.add_argument("query")
    p.add_argument("-k", type=int, default=10)
    p.add_argument("--mode", choices=["hybrid", "bm25", "dense"], default="hybrid")
    _add_filter_args(p)

    p = sub.add_parser("serve", help="start the HTTP API")
    p.add_argument("--host", default=None)
    p.add_argument("--port", type=int, default=None)
    p.add_argument(
        "--workers",
        type=int,
        default=None,
        help="server processes over the same index (default GREMIUM_WORKERS, 1)",
    )

    p = sub.add_parser("eval", help="run the reference Q&A and write a report")
    p.add_argument("rest", nargs=argparse.REMAINDER, help="options of the evaluation")

    sub.add_parser("documents", help="list documents").add_argument("--json", action="store_true")
    sub.add_parser("remove", help="delete a document").add_argument("document_id")
    p = sub.add_parser("move", help="move a document into another collection")
    p.add_argument("document_id")
    p.add_argument("collection")
    sub.add_parser("reindex", help="rebuild the index from corpus/ with the configured embedder")
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["eval"]:
        from eval.cli import main as eval_main

        return int(eval_main(argv[1:]) or 0)
    args = build_parser().parse_args(argv)
    settings = get_settings()
    setup_logging(settings.log_format, settings.log_level)
    try:
        _check_arguments(args)
        return _run(args, settings)
    except GremiumError as exc:
        print(f"error: {exc.message}", file=sys.stderr)
        return 2


def _check_arguments(args: argparse.Namespace) -> None:
    """Refuse text arguments that are not valid in the terminal's encoding.

    Python hands such bytes over as lone surrogates; they would fail deep inside the
    embedder or SQLite. Paths are exempt: a file may have a non-UTF-8 name.
    """
    for name, value in vars(args).items():
        values = value if isinstance(value, list) else [value]
        for item in values:
            if isinstance(item, str):
                check_text(item, f"{name.replace('_', ' ')} argument")


def _run(args: argparse.Namespace, settings: Settings) -> int:
    if args.command == "serve":
        from api.app import run

        given = (("host", args.host), ("port", args.port), ("workers", args.workers))
        overrides = {k: v for k, v in given if v is not None}
        if overrides.get("workers", 1) < 1:
            raise InvalidRequest(f"--workers must be 1 or more, not {args.workers}")
        run(settings.model_copy(update=overrides))
        return 0
    if args.command == "reindex":
        return _reindex(settings)

    from gremium.service import Gremium

    service = Gremium.open(settings)
    if args.command == "ingest":
        with _IngestBar() as bar:
            report = service.ingest_paths(
                args.paths, collection=args.collection, on_progress=bar.update
            )
        for doc in report.added:
            print(f"added    {doc.id}  {doc.file}  ({doc.doc_type})")
        for doc in report.updated:
            print(f"updated  {doc.id}  {doc.file}  ({doc.doc_type})")
        for name in report.unchanged:
            print(f"unchanged {name}")
        for path, error in report.failed:
            print(f"FAILED   {path}: {error.message}", file=sys.stderr)
        print(
            f"{len(report.added)} added, {len(report.updated)} updated, "
            f"{len(report.unchanged)} unchanged, {len(report.failed)} failed; "
            f"{report.chunks} chunks in {report.seconds:.1f}s"
        )
        return 1 if report.failed else 0
    if args.command == "ask":
        from answer.render import answer_to_dict, format_text

        answer = service.ask(args.question, _filters(args), args.top_k)
        if args.json:
            print(json.dumps(answer_to_dict(answer), ensure_ascii=False, indent=2))
        else:
            print(format_text(answer))
        return 0
    if args.command == "chat":
        from gremium.chat import run_chat, with_readline

        with with_readline(settings.data_dir / "chat_history"):
            return run_chat(service)
    if args.command == "search":
        from answer.render import hit_to_dict

        hits = service.search(args.query, args.k, _filters(args), mode=args.mode)
        if args.json:
            payload = {
                "query": args.query,
                "hits": [hit_to_dict(h, i + 1) for i, h in enumerate(hits)],
            }
            print(json.dumps(payload, ensure_ascii=False, indent=2))
            return 0
        for i, hit in enumerate(hits, start=1):
            c = hit.chunk
            who = c.speaker.name if c.speaker else "—"
            where = " ".join(
                x
                for x in (
                    c.session.label if c.session else "",
                    c.agenda_item.label if c.agenda_item else "",
                    f"S. {c.page_start}",
                )
                if x
            )
            print(
                f"[{i}] {hit.score:.3f}  {who} ({c.role}) · {where} · {hit.document.file if hit.document else c.document_id}"
            )
            print("    " + c.text[:300].replace("\n", "\n    "))
        return 0
    if args.command == "documents":
        docs = service.documents()
        if args.json:
            from api.convert import document_dict

            payload = {"count": len(docs), "documents": [document_dict(d) for d in docs]}
            print(json.dumps(payload, ensure_ascii=False, indent=2))
            return 0
        for doc in docs:
            session = doc.session.label if doc.session else ""
            print(f"{doc.id}  {doc.doc_type:<13} {doc.collection:<12} {doc.file}  {session}")
        return 0
    if args.command == "remove":
        doc = service.remove(args.document_id)
        print(f"removed {doc.id} {doc.file}")
        return 0
    if args.command == "move":
        before, after = service.move(args.document_id, args.collection)
        if before.collection == after.collection:
            print(f"unchanged {after.id} {after.file} (already in {after.collection})")
        else:
            print(
                f"moved    {after.file} from {before.collection} ({before.id}) "
                f"to {after.collection} ({after.id})"
            )
        return 0
    raise AssertionError(args.command)


class _IngestBar:
    """A tqdm bar over files with chunks, chunks/s and an ETA; only on a terminal."""

    def __init__(self) -> None:
        self._bar: Any = None

    def __enter__(self) -> _IngestBar:
        return self

    def update(self, progress: IngestProgress) -> None:
        if self._bar is None:
            if not sys.stderr.isatty():
                return
            from tqdm import tqdm

            self._bar = tqdm(total=progress.files_total, unit="file", desc="ingest", leave=False)
        self._bar.n = progress.files_done
        figures = progress.to_dict()
        self._bar.set_postfix(
            chunks=progress.chunks,
            per_s=figures["chunks_per_s"],
            committed=progress.documents_committed,
            refresh=False,
        )
        self._bar.refresh()

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.close()


def _reindex(settings: Settings) -> int:
    """Re-embed every stored passage with the configured embedder; files are not re-read."""
    import time

    from index.embedders import make_embedder
    from index.store import Index

    started = time.perf_counter()
    index = Index.reindex(
        settings.index_dir,
        make_embedder(settings.embedder),
        context_header=settings.embed_context_header,
        fusion=settings.fusion,
    )
    stats = index.stats()
    print(
        f"reindexed {stats.get('documents')} documents, {stats.get('chunks')} chunks "
        f"with {stats.get('embedder')} in {time.perf_counter() - started:.1f}s"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
