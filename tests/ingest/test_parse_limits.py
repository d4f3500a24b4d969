"""Limits on what one file may hold, and parsing in a worker process killed past a deadline."""

from __future__ import annotations

import os
import time

import pytest

from bench.hostile import many_pages_pdf, one_line_text, shared_stream_pdf
from gremium import errors
from ingest import worker
from ingest.limits import ParseLimits
from ingest.pipeline import parse_bytes
from ingest.worker import parse_isolated
from tests.conftest import SONDERSITZUNG

# The file: 2000 pages drawing one 5 MB content stream, 330 KB on disk.
BOMB = shared_stream_pdf(2000, 5)


def test_too_many_pages_is_refused_before_any_page_is_read() -> None:
    started = time.perf_counter()
    with pytest.raises(errors.TooManyPages, match="2000 pages") as caught:
        parse_bytes(BOMB, "bomb.pdf", limits=ParseLimits(max_pages=1000))
    assert time.perf_counter() - started < 5
    assert caught.value.status == 413 and caught.value.code == "too_many_pages"
    assert "GREMIUM_MAX_PAGES" in caught.value.message


def test_text_is_counted_while_it_is_extracted() -> None:
    limits = ParseLimits(max_pages=5000, max_chars=200_000)
    with pytest.raises(errors.TooMuchText, match="more than 200000") as caught:
        parse_bytes(shared_stream_pdf(50, 0.5), "dicht.pdf", limits=limits)
    assert caught.value.code == "too_much_text"


def test_a_long_one_line_text_is_refused_by_its_characters() -> None:
    with pytest.raises(errors.TooMuchText, match="GREMIUM_MAX_DOCUMENT_CHARS"):
        parse_bytes(one_line_text(5), "zeile.txt", limits=ParseLimits(max_chars=3_000_000))


def test_too_many_passages_is_refused_after_chunking() -> None:
    with pytest.raises(errors.TooManyChunks, match="passages") as caught:
        parse_bytes(SONDERSITZUNG.read_bytes(), "s.txt", limits=ParseLimits(max_chunks=5))
    assert caught.value.code == "too_many_chunks"


def test_an_honest_long_document_within_the_limits_is_read() -> None:
    parsed = parse_bytes(many_pages_pdf(300), "lang.pdf", limits=ParseLimits(max_pages=300))
    assert parsed.document.pages == 300 and parsed.chunks


def test_the_worker_gives_what_parsing_here_gives() -> None:
    data = SONDERSITZUNG.read_bytes()
    here = parse_bytes(data, "s.txt", collection="intern")
    there = parse_isolated(data, "s.txt", collection="intern", timeout=60)
    assert there.document == here.document
    assert [c.id for c in there.chunks] == [c.id for c in here.chunks]


def test_typed_errors_come_back_from_the_worker() -> None:
    with pytest.raises(errors.TooManyChunks):
        parse_isolated(SONDERSITZUNG.read_bytes(), "s.txt", limits=ParseLimits(max_chunks=3))
    with pytest.raises(errors.EmptyDocument):
        parse_isolated(b"  \n", "leer.txt")


def test_a_parse_past_the_deadline_is_killed_and_the_next_one_works() -> None:
    unlimited = ParseLimits(max_pages=10_000, max_chars=10**9)
    started = time.perf_counter()
    with pytest.raises(errors.ParseTimeout, match="GREMIUM_PARSE_TIMEOUT_S") as caught:
        parse_isolated(BOMB, "bomb.pdf", limits=unlimited, timeout=1.0)
    assert time.perf_counter() - started < 3
    assert caught.value.status == 422 and caught.value.code == "parse_timeout"
    assert worker._WORKER._process is None  # killed, not left running
    parsed = parse_isolated(SONDERSITZUNG.read_bytes(), "s.txt", timeout=60)
    assert parsed.chunks


def test_a_worker_that_dies_is_replaced() -> None:
    parse_isolated(SONDERSITZUNG.read_bytes(), "s.txt", timeout=60)
    process = worker._WORKER._process
    assert process is not None
    os.kill(process.pid, 9)
    process.wait()
    assert parse_isolated(SONDERSITZUNG.read_bytes(), "s.txt", timeout=60).chunks
    assert worker._WORKER._process is not None and worker._WORKER._process.pid != process.pid


def test_no_timeout_parses_in_this_process() -> None:
    assert parse_isolated(SONDERSITZUNG.read_bytes(), "s.txt", timeout=0).chunks
