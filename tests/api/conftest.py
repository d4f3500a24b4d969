"""Fixtures for the API tests.

Fast tests run the app in process (`TestClient`) with the fake embedder over the two
small protocols in `tests/api/data`. End-to-end tests (`slow`) start the real server
(`api.app.run`, as `gremium serve` does) on loopback with the real embedder over the
real corpus; each server is started once per session.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from api_helpers import (
    ADMIN_KEY,
    CHROMIUM,
    CHROMIUM_ARGS,
    DATA,
    KEYS,
    LOOPBACK,
    ORIGIN,
    Server,
    real_corpus,
    start_server,
    stop_server,
    wait_ready,
)
from fastapi.testclient import TestClient

from api.app import create_app
from gremium.settings import Settings


@pytest.fixture(scope="session")
def small_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("corpus")
    for path in DATA.glob("*.txt"):
        shutil.copy(path, folder / path.name)
    return folder


@pytest.fixture
def make_client(
    tmp_path_factory: pytest.TempPathFactory, small_corpus: Path
) -> Iterator[Callable[..., TestClient]]:
    """Build an app with the fake embedder over the small corpus; settings may be overridden."""
    opened: list[TestClient] = []

    def build(**overrides: Any) -> TestClient:
        options: dict[str, Any] = {"rate_limit_per_minute": 0, **overrides}
        settings = Settings(
            embedder="fake",
            data_dir=tmp_path_factory.mktemp("data"),
            corpus_dir=small_corpus,
            **options,
        )
        client = TestClient(create_app(settings), raise_server_exceptions=False, client=LOOPBACK)
        client.__enter__()
        opened.append(client)
        assert client.app.state.gremium.wait_ready(60), "the first indexing did not finish"  # type: ignore[attr-defined]
        return client

    yield build
    for client in opened:
        client.__exit__(None, None, None)


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory, small_corpus: Path) -> Iterator[TestClient]:
    """A shared read-mostly app without keys."""
    settings = Settings(
        embedder="fake",
        data_dir=tmp_path_factory.mktemp("data"),
        corpus_dir=small_corpus,
        rate_limit_per_minute=0,
    )
    with TestClient(
        create_app(settings), raise_server_exceptions=False, client=LOOPBACK
    ) as test_client:
        assert test_client.app.state.gremium.wait_ready(60)  # type: ignore[attr-defined]
        yield test_client


@pytest.fixture(scope="session")
def real_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """The real server, with keys, CORS and a rate limit, on an empty data dir.

    It starts in state `indexing` and ingests the corpus itself, as `gremium serve` does.
    """
    folder = tmp_path_factory.mktemp("real")
    server = start_server(
        folder / "data",
        real_corpus(),
        folder / "server.log",
        GREMIUM_API_KEYS=KEYS,
        GREMIUM_ADMIN_KEYS=ADMIN_KEY,
        GREMIUM_CORS_ORIGINS=ORIGIN,
        GREMIUM_RATE_LIMIT_PER_MINUTE="40",
        GREMIUM_MAX_UPLOAD_MB="1",
    )
    server.first_health = httpx.get(server.url + "/health", timeout=5).json()  # type: ignore[attr-defined]
    try:
        wait_ready(server)
        yield server
    finally:
        stop_server(server)


@pytest.fixture(scope="session")
def open_server(real_server: Server, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """The real server without keys, over a copy of the index the keyed server built."""
    folder = tmp_path_factory.mktemp("open")
    shutil.copytree(real_server.data_dir, folder / "data")
    server = start_server(
        folder / "data", real_corpus(), folder / "server.log", GREMIUM_RATE_LIMIT_PER_MINUTE="0"
    )
    try:
        wait_ready(server, timeout=60)
        yield server
    finally:
        stop_server(server)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Headless Chromium (the browser tests carry BROWSER_MARKS, which skip without it)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
