"""Shared fixtures: the hand-checkable fixture DB and the demo DB (built once when missing)."""

from functools import partial
from pathlib import Path

import pytest

from dashboard import store
from tests.fixture_db import build_fixture

ARTIFACTS = Path(__file__).parent / "artifacts"


@pytest.fixture(scope="session")
def fixture_db(tmp_path_factory) -> Path:
    return build_fixture(tmp_path_factory.mktemp("fixture") / "fixture.duckdb")


@pytest.fixture(scope="session")
def demo_db() -> Path:
    """The demo DB the app serves (`make test` builds it first); built here if it is missing."""
    path = store.db_path()
    if not path.exists():
        from dashboard.demo import build

        path.parent.mkdir(parents=True, exist_ok=True)
        build(path, progress=False)
    return path


@pytest.fixture(scope="session")
def fixture_run(fixture_db):
    con = store.connect(fixture_db)
    yield partial(store.run, con)
    con.close()


@pytest.fixture(scope="session")
def demo_run(demo_db):
    con = store.connect(demo_db)
    yield partial(store.run, con)
    con.close()
