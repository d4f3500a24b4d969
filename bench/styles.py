"""Parser accuracy per house style and file format, against hand-written ground truth.

Each fixture in tests/ingest/styles/ is typeset as PDF, DOCX and ODT and parsed; the
table shows the share of turns attributed to the right speaker (or to nobody), people
named right, turns under the right TOP, whether the session was found, the share of
agenda items found and of decisions numbered with their session, and whether
attendance and title/document type are right.

Usage: python -m bench.styles [--formats pdf,docx,odt,html,md,txt]   (each fixture in those of
its formats; writes bench/results/parse_styles.json)
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from ingest.pipeline import parse_bytes
from tests.ingest.style_fixtures import render, style_formats, style_names
from tests.ingest.style_score import score

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "parse_styles.json"
COLUMNS = [
    ("turns", "turns"),
    ("speaker_right", "speaker"),
    ("person_right", "person"),
    ("top_right", "TOP"),
    ("session_found", "session"),
    ("agenda_found", "agenda"),
    ("decisions_numbered", "decisions"),
    ("attendance_right", "attendance"),
    ("title_and_type_right", "title/type"),
    ("furniture_dropped", "furniture"),
]


def _cell(value: object) -> str:
    if value is None:
        return "–"
    if isinstance(value, bool):
        return "yes" if value else "NO"
    if isinstance(value, float):
        return f"{value:.2f}"
    return str(value)


def run(formats: list[str]) -> list[dict[str, object]]:
    rows = []
    for name in style_names():
        for fmt in (f for f in style_formats(name) if f in formats):
            data, filename, expected = render(name, fmt)
            started = time.perf_counter()
            parsed = parse_bytes(data, filename)
            elapsed = time.perf_counter() - started
            result = score(parsed, expected)
            rows.append(
                {
                    "style": name,
                    "format": fmt,
                    **result.row(),
                    "parse_ms": round(elapsed * 1000, 1),
                    "errors": result.errors,
                }
            )
    return rows


def table(rows: list[dict[str, object]]) -> str:
    head = ["style", "format", *(label for _, label in COLUMNS)]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for row in rows:
        cells = [str(row["style"]), str(row["format"])]
        cells += [_cell(row[key]) for key, _ in COLUMNS]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> list[dict[str, object]]:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--formats", default="pdf,docx,odt,html,md,txt")
    args = parser.parse_args(argv)
    rows = run(args.formats.split(","))
    print(table(rows))
    for row in rows:
        for error in row["errors"]:  # type: ignore[attr-defined]
            print(f"  {row['style']}/{row['format']}: {error}")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    result = {"styles": rows, "measured_at": time.strftime("%Y-%m-%dT%H:%M:%S")}
    RESULTS.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    return rows


if __name__ == "__main__":
    main()
