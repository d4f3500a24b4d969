"""The facade's reads of where citations lead, and the upgrade of an index without them."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from gremium.errors import NotFound
from gremium.service import Gremium
from gremium.settings import Settings
from ingest.pipeline import parse_file
from tests.conftest import SONDERSITZUNG


def _service(tmp_path: Path) -> Gremium:
    return Gremium.open(Settings(data_dir=tmp_path / "data", embedder="fake", llm_url=""))


def test_an_index_without_originals_gets_them_from_the_next_ingest(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(SONDERSITZUNG, folder / SONDERSITZUNG.name)
    service = _service(tmp_path)
    parsed = parse_file(folder / SONDERSITZUNG.name)
    service.index.upsert([(parsed.document, parsed.chunks)])  # as indexes built before did
    doc_id = parsed.document.id
    with pytest.raises(NotFound, match="ingest the file again"):
        service.page(doc_id, 1)
    with pytest.raises(NotFound, match="ingest the file again"):
        service.original(doc_id)

    report = service.ingest_paths([folder])  # the same bytes: not skipped, originals missing
    assert [d.id for d in report.updated] == [doc_id]
    assert service.original(doc_id)[1] == SONDERSITZUNG.read_bytes()
    assert "Sondersitzung" in service.page(doc_id, 1).text

    again = service.ingest_paths([folder])  # now complete: skipped as unchanged
    assert again.unchanged == [SONDERSITZUNG.name] and not again.updated
