"""`gremium ingest FOLDER`: bad files are reported, the rest go in; re-runs skip or replace."""

from __future__ import annotations

import shutil
from pathlib import Path

from gremium import errors
from gremium.service import Gremium
from gremium.settings import Settings
from gremium.types import Filters
from tests.conftest import CORPUS, SONDERSITZUNG


def _service(tmp_path: Path) -> Gremium:
    return Gremium.open(Settings(data_dir=tmp_path / "data", embedder="fake", llm_url=""))


def test_folder_with_bad_files_ingests_the_rest_and_reports_them(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    shutil.copytree(CORPUS, folder)
    (folder / "kaputt.pdf").write_bytes(b"%PDF-1.7\n1 0 obj <<\ngarbage\x00\xff")
    (folder / "leer.txt").write_bytes(b"")
    service = _service(tmp_path)

    report = service.ingest_paths([folder])

    failed = {Path(path).name: type(error) for path, error in report.failed}
    assert failed == {"kaputt.pdf": errors.CorruptFile, "leer.txt": errors.EmptyDocument}
    assert len(report.added) == 5  # every corpus document, README.md excluded
    assert {d.file for d in service.documents()} == {p.name for p in CORPUS.glob("*.txt")}
    hits = service.search("Delos Cloud", k=3, filters=Filters(speakers=("BY",)))
    assert hits and all(h.chunk.speaker and h.chunk.speaker.code == "BY" for h in hits)


def test_unchanged_files_are_skipped_and_changed_files_replace_their_chunks(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    target = folder / SONDERSITZUNG.name
    shutil.copy(SONDERSITZUNG, target)
    service = _service(tmp_path)
    first = service.ingest_paths([folder])
    old_id = first.added[0].id

    again = service.ingest_paths([folder])
    assert again.unchanged == [target.name] and not again.added and not again.updated

    target.write_text(
        SONDERSITZUNG.read_text(encoding="utf-8").replace(
            "Schließt sich NW an.", "Schließt sich Berlin an."
        ),
        encoding="utf-8",
    )
    changed = service.ingest_paths([folder])
    assert [d.file for d in changed.updated] == [target.name]
    docs = service.documents()
    assert len(docs) == 1 and docs[0].id != old_id
    texts = [h.chunk.text for h in service.search("Schließt sich an", k=20)]
    assert any("Schließt sich Berlin an." in t for t in texts)
    assert not any("Schließt sich NW an." in t for t in texts)
