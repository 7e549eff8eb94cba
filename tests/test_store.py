"""The versioned list store: all-or-nothing imports, no-op re-imports, shrink guard,
history by date, diffs — on the real list files in ../shared/data."""

from __future__ import annotations

import gzip
import os
import signal
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from clearance.app import Clearance
from clearance.errors import ImportRefused, ParseError
from clearance.sources.base import ParseContext
from clearance.sources.parsers import get_parser
from clearance.sources.registry import get_spec

SDN_HISTORY = ["2021-08-18", "2022-09-02", "2023-06-08", "2024-05-02", "2024-05-03"]
DPL = ["2019-06-29", "2022-09-07", "2023-11-30"]


def _import_dpl(app: Clearance, shared: Path, day: str) -> int:
    res = app.import_source("bis_dpl", {"main": shared / f"bis_dpl/dpl_{day}.txt"}, origin=f"test:{day}", as_of=day)
    return res.version.version_id


def _version_rows(app: Clearance) -> int:
    return int(app.store.conn.execute("SELECT count(*) FROM versions").fetchone()[0])


def test_identical_reimport_is_a_noop(empty_app: Clearance, shared: Path) -> None:
    v1 = _import_dpl(empty_app, shared, "2023-11-30")
    res = empty_app.import_source("bis_dpl", {"main": shared / "bis_dpl/dpl_2023-11-30.txt"}, origin="again")
    assert res.status == "unchanged"
    assert res.version.version_id == v1
    assert _version_rows(empty_app) == 1


def test_version_records_provenance(empty_app: Clearance, shared: Path) -> None:
    vid = _import_dpl(empty_app, shared, "2022-09-07")
    v = empty_app.store.version(vid)
    assert v.source == "bis_dpl" and v.origin == "test:2022-09-07" and v.as_of == "2022-09-07"
    assert len(v.content_hash) == 64 and v.retrieved_at
    assert v.counts == {"DPL": v.entry_count} and v.entry_count > 0


def test_diff_equals_set_difference_of_parsed_entries(empty_app: Clearance, shared: Path) -> None:
    spec = get_spec("bis_dpl")
    parse = get_parser(spec.format)
    parsed = {
        d: {e.entry_id: e.content_hash() for e in parse({"main": shared / f"bis_dpl/dpl_{d}.txt"}, ParseContext(spec))}
        for d in DPL
    }
    ids = [_import_dpl(empty_app, shared, d) for d in DPL]
    for (a, b), (va, vb) in zip(zip(DPL, DPL[1:], strict=False), zip(ids, ids[1:], strict=False), strict=True):
        diff = empty_app.store.diff(va, vb)
        assert {e.entry_id for e in diff.added} == parsed[b].keys() - parsed[a].keys()
        assert {e.entry_id for e in diff.removed} == parsed[a].keys() - parsed[b].keys()
        changed = {k for k in parsed[a].keys() & parsed[b].keys() if parsed[a][k] != parsed[b][k]}
        assert {c.entry_id for c in diff.changed} == changed
        assert all(c.changes for c in diff.changed)


def test_entries_on_a_date_use_the_version_in_force(empty_app: Clearance, shared: Path) -> None:
    ids = [_import_dpl(empty_app, shared, d) for d in DPL]
    counts = [empty_app.store.version(v).entry_count for v in ids]
    assert len(empty_app.store.entries_on("DPL", date(2021, 1, 1))) == counts[0]
    assert len(empty_app.store.entries_on("DPL", date(2023, 1, 1))) == counts[1]
    assert len(empty_app.store.entries_on("DPL", date(2026, 1, 1))) == counts[2]
    assert empty_app.store.entries_on("DPL", date(2018, 1, 1)) == []


def test_shrink_beyond_limit_is_refused_and_previous_keeps_serving(empty_app: Clearance, shared: Path) -> None:
    big = empty_app.import_source("ofac_sdn", {"sdn": shared / "ofac/sdn_history/sdn_2024-05-03.csv"}, origin="t")
    small = {"sdn": shared / "ofac/legacy_csv_sets/2019-01-04/sdn.csv"}
    with pytest.raises(ImportRefused, match=r"fewer than the serving version"):
        empty_app.import_source("ofac_sdn", small, origin="t2")
    assert empty_app.store.current_version("ofac_sdn").version_id == big.version.version_id  # type: ignore[union-attr]
    assert _version_rows(empty_app) == 1
    forced = empty_app.import_source("ofac_sdn", small, origin="t3", force=True)
    assert forced.version.forced and any("--force" in n for n in forced.version.notes)
    assert empty_app.store.current_version("ofac_sdn").version_id == forced.version.version_id  # type: ignore[union-attr]


def test_truncated_file_is_refused_with_location_and_nothing_changes(empty_app: Clearance, shared: Path, tmp_path: Path) -> None:
    good = _import_dpl(empty_app, shared, "2022-09-07")
    raw = gzip.compress((shared / "bis_dpl/dpl_2023-11-30.txt").read_bytes())
    bad = tmp_path / "dpl.txt.gz"
    bad.write_bytes(raw[: len(raw) // 2])
    with pytest.raises(ParseError) as info:
        empty_app.import_source("bis_dpl", {"main": bad}, origin="bad")
    assert str(bad) in str(info.value) and "truncated" in str(info.value)
    assert empty_app.store.current_version("bis_dpl").version_id == good  # type: ignore[union-attr]
    assert _version_rows(empty_app) == 1
    orphans = empty_app.store.conn.execute(
        "SELECT count(*) FROM members WHERE version_id NOT IN (SELECT version_id FROM versions)"
    ).fetchone()[0]
    assert orphans == 0


def test_empty_file_is_refused(empty_app: Clearance, tmp_path: Path) -> None:
    empty = tmp_path / "dpl.txt"
    empty.write_bytes(b"")
    with pytest.raises(ParseError, match="file is empty"):
        empty_app.import_source("bis_dpl", {"main": empty}, origin="empty")
    assert empty_app.store.current_version("bis_dpl") is None


CRASH_SCRIPT = """
import os, signal, sys
from pathlib import Path
from clearance.app import Clearance
from clearance.settings import Settings
app = Clearance.open(Settings.load({"db": sys.argv[1], "load_bundled": False}, environ={}))
def progress(n):
    if n >= 5000:
        os.kill(os.getpid(), signal.SIGKILL)
app.import_source("ofac_sdn", {"sdn": Path(sys.argv[2])}, origin="crash", progress=progress)
"""


def test_a_crash_mid_import_leaves_the_previous_version_serving(tmp_path: Path, shared: Path) -> None:
    from clearance.settings import Settings

    db = tmp_path / "c.sqlite"
    app = Clearance.open(Settings.load({"db": db, "load_bundled": False}, environ={}))
    first = app.import_source("ofac_sdn", {"sdn": shared / "ofac/sdn_history/sdn_2023-06-08.csv"}, origin="first")
    app.close()
    proc = subprocess.run(
        [sys.executable, "-c", CRASH_SCRIPT, str(db), str(shared / "ofac/sdn_history/sdn_2024-05-03.csv")],
        capture_output=True, timeout=120,
    )
    assert proc.returncode == -signal.SIGKILL, proc.stderr.decode()
    app = Clearance.open(Settings.load({"db": db, "load_bundled": False}, environ={}))
    try:
        cur = app.store.current_version("ofac_sdn")
        assert cur is not None and cur.version_id == first.version.version_id
        assert [v.version_id for v in app.store.versions("ofac_sdn")] == [first.version.version_id]
        assert sum(1 for _ in app.store.entries(cur.version_id)) == first.version.entry_count
    finally:
        app.close()
    assert os.path.exists(db)
