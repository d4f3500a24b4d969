"""Original files and page texts in the index: stored with the generation, never dangling."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest

import index.store as store_module
from gremium.errors import InvalidRequest
from gremium.types import Chunk, Document, DocumentSource
from index.files import FileStore
from index.metadata import file_hashes
from index.store import Index
from index.testing import make_protocol

REPO = Path(__file__).resolve().parents[2]


def with_source(
    number: int, text: str, *, file: str | None = None
) -> tuple[tuple[Document, list[Chunk]], DocumentSource]:
    """A protocol whose document id and SHA-256 are those of its (made-up) file bytes."""
    data = f"Protokoll {number}\n{text}\n".encode()
    doc, chunks = make_protocol(number, f"2020-01-{number:02d}", [("BY", "01", "Cloud", text)])
    sha = hashlib.sha256(data).hexdigest()
    doc = replace(doc, id=sha[:16], sha256=sha, file=file or doc.file, pages=2)
    chunks = [
        replace(c, document_id=doc.id, id=Chunk.make_id(doc.id, c.position, c.text)) for c in chunks
    ]
    return (doc, chunks), DocumentSource(data, (f"Seite eins von {number}", text))


def files_on_disk(index: Index) -> set[str]:
    folder = index.path / "files"
    return {p.name for p in folder.iterdir()} if folder.is_dir() else set()


def test_upsert_stores_pages_and_the_original(open_index: Callable[..., Index]) -> None:
    index = open_index()
    item, source = with_source(1, "Bayern verfolgt einen Multi-Cloud-Ansatz.")
    index.upsert([item], sources={item[0].id: source})
    doc = index.document(item[0].id)
    assert doc is not None
    assert index.page(doc.id, 1) == "Seite eins von 1"
    assert index.page(doc.id, 2) == "Bayern verfolgt einen Multi-Cloud-Ansatz."
    assert index.page(doc.id, 3) is None
    assert index.original(doc) == source.data
    assert files_on_disk(index) == {doc.sha256}


def test_pages_survive_other_writes_reindex_and_reopen(
    open_index: Callable[..., Index], tmp_path: Path
) -> None:
    index = open_index()
    first, first_source = with_source(1, "Erster Beitrag zur Cloud.")
    second, second_source = with_source(2, "Zweiter Beitrag zur Cloud.")
    index.upsert([first], sources={first[0].id: first_source})
    index.upsert([second], sources={second[0].id: second_source})  # a write without the first
    index.remove([second[0].id])
    assert index.page(first[0].id, 2) == "Erster Beitrag zur Cloud."
    assert index.page(second[0].id, 2) is None
    reindexed = Index.reindex(index.path, index.embedder, fusion="rrf")
    assert reindexed.page(first[0].id, 2) == "Erster Beitrag zur Cloud."
    reopened = open_index()
    doc = reopened.document(first[0].id)
    assert doc is not None and reopened.original(doc) == first_source.data


def test_a_source_must_be_the_documents_own_file(open_index: Callable[..., Index]) -> None:
    index = open_index()
    item, source = with_source(1, "Bayern verfolgt einen Multi-Cloud-Ansatz.")
    other = DocumentSource(b"other bytes", source.pages)
    with pytest.raises(InvalidRequest, match="not the one it was parsed from"):
        index.upsert([item], sources={item[0].id: other})
    with pytest.raises(InvalidRequest, match="lacks"):
        index.upsert([item], sources={"0000000000000000": source})
    assert index.documents() == [] and files_on_disk(index) == set()


def test_replaced_files_go_once_no_kept_generation_names_them(
    open_index: Callable[..., Index],
) -> None:
    index = open_index()
    old, old_source = with_source(1, "Alte Fassung.", file="protokoll.txt")
    new, new_source = with_source(1, "Neue Fassung.", file="protokoll.txt")
    index.upsert([old], sources={old[0].id: old_source})
    index.upsert([new], sources={new[0].id: new_source})
    # the previous generation is kept for readers that still hold it: so is its file
    assert files_on_disk(index) == {old[0].sha256, new[0].sha256}
    other, other_source = with_source(2, "Ein anderes Protokoll.")
    index.upsert([other], sources={other[0].id: other_source})
    assert files_on_disk(index) == {new[0].sha256, other[0].sha256}
    index.remove([new[0].id])
    index.remove([other[0].id])
    assert files_on_disk(index) == {other[0].sha256}  # named by the previous generation only


def test_files_are_on_disk_before_the_generation_naming_them_is_published(
    open_index: Callable[..., Index], monkeypatch: pytest.MonkeyPatch
) -> None:
    index = open_index()
    real_publish = store_module.publish
    checked: list[set[str]] = []

    def checking_publish(root: Path, tmp: Path) -> str:
        named = file_hashes(tmp / "meta.sqlite")
        assert named <= files_on_disk(index), "a generation would name a missing file"
        checked.append(named)
        return real_publish(root, tmp)

    monkeypatch.setattr(store_module, "publish", checking_publish)
    item, source = with_source(1, "Bayern verfolgt einen Multi-Cloud-Ansatz.")
    index.upsert([item], sources={item[0].id: source})
    assert checked == [{item[0].sha256}]


def test_a_failed_publish_leaves_the_live_generation_with_all_its_files(
    open_index: Callable[..., Index], monkeypatch: pytest.MonkeyPatch
) -> None:
    index = open_index()
    live, live_source = with_source(1, "Veröffentlicht.")
    index.upsert([live], sources={live[0].id: live_source})
    crashed, crashed_source = with_source(2, "Nie veröffentlicht.")

    def crash(root: Path, tmp: Path) -> str:
        raise OSError("disk full")

    monkeypatch.setattr(store_module, "publish", crash)
    with pytest.raises(OSError):
        index.upsert([crashed], sources={crashed[0].id: crashed_source})
    monkeypatch.undo()

    reopened = open_index()
    assert [d.id for d in reopened.documents()] == [live[0].id]
    assert reopened.original(live[0]) == live_source.data
    # the orphan written before the failed publish is collected by the next write
    assert crashed[0].sha256 in files_on_disk(reopened)
    third, third_source = with_source(3, "Danach.")
    reopened.upsert([third], sources={third[0].id: third_source})
    assert crashed[0].sha256 not in files_on_disk(reopened)


def test_half_written_or_damaged_files_are_never_served(tmp_path: Path) -> None:
    files = FileStore(tmp_path)
    sha = files.put(b"%PDF-1.4 original")
    assert files.read(sha) == b"%PDF-1.4 original"
    # a writer killed mid-write leaves only its temporary name, which no digest names
    (tmp_path / "files" / f"{'a' * 64}.123.tmp").write_bytes(b"%PDF-1.4 orig")
    assert files.read("a" * 64) is None and not files.has("a" * 64)
    # a file changed on disk no longer matches its name
    files.path(sha).write_bytes(b"%PDF-1.4 tampered")
    assert files.read(sha) is None
    assert files.put(b"%PDF-1.4 original") == sha and files.read(sha) == b"%PDF-1.4 original"
    assert files.read("../../etc/passwd") is None
    assert files.collect({sha}) == 1
    assert {p.name for p in (tmp_path / "files").iterdir()} == {sha}


WRITER = """
import hashlib, sys
from dataclasses import replace
from pathlib import Path
from gremium.types import Chunk, DocumentSource
from index.embedders.fake import FakeEmbedder
from index.store import Index
from index.testing import make_protocol

path, docs = Path(sys.argv[1]), int(sys.argv[2])
index = Index.open(path, FakeEmbedder(), fusion="rrf")
for i in range(docs):
    data = (f"Protokoll {i} " + "Verwaltungscloud " * 20000).encode()  # ~350 kB to write
    sha = hashlib.sha256(data).hexdigest()
    doc, chunks = make_protocol(i + 1, "2020-01-01", [("BY", "01", "Cloud", f"Beitrag {i}")],
                                file="protokoll.txt" if i % 2 else f"doc-{i}.txt")
    doc = replace(doc, id=sha[:16], sha256=sha)
    chunks = [replace(c, document_id=doc.id, id=Chunk.make_id(doc.id, c.position, c.text))
              for c in chunks]
    index.upsert([(doc, chunks)], sources={doc.id: DocumentSource(data, (f"Seite {i}",))})
    print(i, flush=True)
"""


@pytest.mark.slow
@pytest.mark.parametrize("delay", [0.0, 0.03, 0.08])
def test_sigkill_mid_ingest_never_leaves_a_document_without_its_file(
    tmp_path: Path, delay: float
) -> None:
    path = tmp_path / "index"
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(path), "12"],
        stdout=subprocess.PIPE,
        text=True,
        env=env,
        cwd=REPO,
    )
    assert writer.stdout is not None
    for _ in range(3):
        assert writer.stdout.readline(), "the writer died before it was killed"
    time.sleep(delay)
    writer.send_signal(signal.SIGKILL)
    writer.wait(timeout=30)

    from index.embedders.fake import FakeEmbedder

    index = Index.open(path, FakeEmbedder(), fusion="rrf")
    documents = index.documents()
    assert documents
    for doc in documents:
        data = index.original(doc)
        assert data is not None, f"{doc.file} points at a missing file"
        assert hashlib.sha256(data).hexdigest() == doc.sha256
        assert index.page(doc.id, 1) is not None
