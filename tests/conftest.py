"""Shared fixtures.

Real data only: ``shared`` points at ../shared/data (the official list files, see its
README); ``bundled_app`` is a Clearance app whose store holds every bundled list,
imported once per test worker into a temporary SQLite file.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from clearance.app import Clearance
from clearance.settings import Settings

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared" / "data"


@pytest.fixture(scope="session")
def shared() -> Path:
    if not SHARED.is_dir():
        pytest.fail(f"reference data not found at {SHARED} (clone next to ../shared)")
    return SHARED


@pytest.fixture(scope="session")
def bundled_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A pristine store file with every bundled list imported (built once per worker; only ever copied)."""
    db = tmp_path_factory.mktemp("bundled") / "clearance.sqlite"
    app = Clearance.open(Settings.load({"db": db}, environ={}))
    app.close()
    return db


@pytest.fixture(scope="session")
def bundled_app(bundled_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Clearance]:
    """App over the bundled lists, shared by a worker's tests. Do not import into it: use ``fresh_app``.

    It works on its own copy, so what its users write (decision logs, API keys, jobs) never leaks
    into ``bundled_db``, the pristine store that ``fresh_app`` copies.
    """
    db = tmp_path_factory.mktemp("shared") / "clearance.sqlite"
    shutil.copy(bundled_db, db)
    app = Clearance.open(Settings.load({"db": db}, environ={}))
    yield app
    app.close()


@pytest.fixture
def fresh_app(bundled_db: Path, tmp_path: Path) -> Iterator[Clearance]:
    """A private copy of the bundled store, free to modify."""
    db = tmp_path / "clearance.sqlite"
    shutil.copy(bundled_db, db)
    app = Clearance.open(Settings.load({"db": db}, environ={}))
    yield app
    app.close()


@pytest.fixture
def empty_app(tmp_path: Path) -> Iterator[Clearance]:
    """An app with an empty store (bundled lists not loaded)."""
    app = Clearance.open(Settings.load({"db": tmp_path / "empty.sqlite", "load_bundled": False}, environ={}))
    yield app
    app.close()
