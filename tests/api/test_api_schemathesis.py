"""Schemathesis over /openapi.json: generated requests to every operation, no 5xx.

Runs in process against an app with the fake embedder, so generated uploads and
deletes cannot disturb the other tests' indexes.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
from api_helpers import DATA, LOOPBACK
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from api.app import create_app
from gremium.settings import Settings

# Not created until the lifespan runs, so collecting this module leaves nothing behind.
_WORKDIR = Path(tempfile.gettempdir()) / f"gremium-schemathesis-{os.getpid()}"
# a run that was killed leaves its folder behind; one with our pid is dead and may hold
# an index of an older schema
shutil.rmtree(_WORKDIR, ignore_errors=True)
APP = create_app(
    Settings(
        embedder="fake",
        data_dir=_WORKDIR / "data",
        corpus_dir=DATA,
        rate_limit_per_minute=0,
        max_upload_mb=1,
    )
)
schema = schemathesis.openapi.from_asgi("/openapi.json", APP)

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module", autouse=True)
def running_app() -> Iterator[None]:
    """Runs the lifespan (index opened, corpus ingested) around the generated calls."""
    with TestClient(APP, client=LOOPBACK):
        assert APP.state.gremium.wait_ready(60)
        yield
    shutil.rmtree(_WORKDIR, ignore_errors=True)


@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_no_server_errors(case: schemathesis.Case) -> None:
    case.call_and_validate(checks=[not_a_server_error])
