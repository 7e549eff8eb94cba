"""The on-disk screening index cache (clearance/index/cache.py): used when it matches, never stale, never fatal."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_monitor import DPL_2019, DPL_2023, dpl_names

from clearance.app import Clearance
from clearance.index import cache
from clearance.index.nameindex import NameIndex
from clearance.settings import Settings


@pytest.fixture()
def builds(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts index builds (a cache hit builds nothing)."""
    count: list[int] = []
    real = NameIndex._build

    def counting(self: NameIndex, pairs: object) -> None:
        count.append(1)
        real(self, pairs)  # type: ignore[arg-type]

    monkeypatch.setattr(NameIndex, "_build", counting)
    return count


def open_app(db: Path, **overrides: object) -> Clearance:
    return Clearance.open(Settings.load({"db": db, "load_bundled": False, **overrides}, environ={}))


def names_found(app: Clearance, name: str) -> list[str]:
    return [m.entry.name for m in app.screen(name) if m.score >= 0.99]


def test_second_process_reads_the_index_and_a_new_list_version_rebuilds_it(tmp_path: Path, shared: Path,
                                                                              builds: list[int]) -> None:
    db = tmp_path / "c.sqlite"
    only_2023 = sorted(dpl_names(shared / DPL_2023) - dpl_names(shared / DPL_2019))[0]
    app = open_app(db)
    app.import_source("bis_dpl", {"main": shared / DPL_2019}, origin="t", as_of="2019-06-29")
    assert names_found(app, only_2023) == []
    app.close()
    assert len(builds) == 1
    files = list((tmp_path / cache.CACHE_DIR).glob("*.pickle"))
    assert len(files) == 1

    app = open_app(db)  # another process: the same serving versions, so the cached index
    assert names_found(app, only_2023) == []
    assert len(builds) == 1
    # a new DPL version changes the key: rebuilt, the new name is found, the old file is gone
    app.import_source("bis_dpl", {"main": shared / DPL_2023}, origin="t", as_of="2023-11-30")
    assert only_2023 in names_found(app, only_2023)
    app.close()
    assert len(builds) == 2
    now = list((tmp_path / cache.CACHE_DIR).glob("*.pickle"))
    assert len(now) == 1 and now != files


def test_an_unreadable_cache_is_rebuilt_not_an_error(tmp_path: Path, shared: Path, builds: list[int]) -> None:
    db = tmp_path / "c.sqlite"
    app = open_app(db)
    app.import_source("bis_dpl", {"main": shared / DPL_2019}, origin="t", as_of="2019-06-29")
    name = sorted(dpl_names(shared / DPL_2019))[0]
    assert name in names_found(app, name)
    app.close()
    (path,) = (tmp_path / cache.CACHE_DIR).glob("*.pickle")
    path.write_bytes(path.read_bytes()[:1000])  # a crash mid-copy, a full disk
    app = open_app(db)
    assert name in names_found(app, name)
    app.close()
    assert len(builds) == 2


def test_the_cache_can_be_turned_off(tmp_path: Path, shared: Path) -> None:
    db = tmp_path / "c.sqlite"
    app = open_app(db, index_cache=False)
    app.import_source("bis_dpl", {"main": shared / DPL_2019}, origin="t", as_of="2019-06-29")
    name = sorted(dpl_names(shared / DPL_2019))[0]
    assert name in names_found(app, name)
    app.close()
    assert not (tmp_path / cache.CACHE_DIR).exists()


def test_the_key_covers_the_code_and_every_name_table() -> None:
    """A changed table (the company-word counts included) or scorer must never meet an old index."""
    names = {p.name for p in cache.fingerprint_files()}
    assert {"company_words.tsv", "places.yaml", "org_types.yaml", "scorer.py", "candidates.py", "weights.py",
            "phonetic.py", "model.py", "countries.yaml"} <= names
