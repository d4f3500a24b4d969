"""Check reference questions against the parsed corpus, without any model.

    python -m eval.check --qa eval/qa.jsonl --corpus corpus

For every question: each evidence phrase must occur in some parsed passage; for a
question about named speakers, a phrase must occur in a passage attributed to one
of them (and in the named session); a negative carries no evidence. Prints one line
per problem and, with `--show`, where each phrase was found (speaker, role, session).
Exit code 1 when a problem was found.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from eval.dataset import DEFAULT_QA, DatasetError, QAItem, load_qa
from eval.matching import contains


def parsed_passages(corpus: Path) -> list[tuple[str, str | None, str, str | None, str]]:
    """(file, speaker code, role, session date, text) of every chunk in the corpus."""
    from gremium.errors import IngestError
    from gremium.service import collect_files
    from ingest.pipeline import parse_file

    out: list[tuple[str, str | None, str, str | None, str]] = []
    for path in collect_files([corpus]):
        try:
            parsed = parse_file(path)
        except IngestError as exc:
            print(f"skipping {path}: {exc.message}", file=sys.stderr)
            continue
        for chunk in parsed.chunks:
            out.append(
                (
                    path.name,
                    chunk.speaker.code if chunk.speaker else None,
                    chunk.role,
                    chunk.session.date if chunk.session else None,
                    chunk.text,
                )
            )
    return out


def check_item(item: QAItem, passages: Sequence[tuple], show: bool = False) -> list[str]:
    problems: list[str] = []
    if item.expect_abstain:
        if item.evidence:
            problems.append("a negative carries evidence")
        return problems
    if not item.evidence and item.kind not in {"aggregate"}:
        problems.append("no evidence phrase")
    for phrase in item.evidence:
        where = [p for p in passages if contains(p[4], phrase)]
        if show:
            found = "; ".join(f"{p[0][:24]}|{p[1] or '-'}|{p[2]}|{p[3] or '-'}" for p in where)
            print(f"  {item.id}: {phrase[:60]!r} -> {found or 'NOT FOUND'}")
        if not where:
            problems.append(f"evidence not in any passage: {phrase!r}")
    if item.kind in {"speaker", "multi", "followup"} and item.speakers and item.evidence:
        for code in item.speakers:
            own = [
                p
                for p in passages
                if p[1] == code
                and (item.session is None or p[3] == item.session)
                and any(contains(p[4], phrase) for phrase in item.evidence)
            ]
            if not own:
                problems.append(f"no evidence phrase in a passage of {code} ({item.session})")
    return problems


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m eval.check", description=__doc__)
    parser.add_argument("--qa", type=Path, default=DEFAULT_QA)
    parser.add_argument("--corpus", type=Path, default=Path("corpus"))
    parser.add_argument("--show", action="store_true", help="print where each phrase occurs")
    args = parser.parse_args(argv)
    try:
        items = load_qa(args.qa)
    except DatasetError as exc:
        print(exc, file=sys.stderr)
        return 1
    passages = parsed_passages(args.corpus)
    bad = 0
    for item in items:
        for problem in check_item(item, passages, show=args.show):
            bad += 1
            print(f"{item.id}: {problem}")
    print(f"{len(items)} questions, {bad} problems", file=sys.stderr)
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
