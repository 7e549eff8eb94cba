"""Batch screening: the screen_records core, files with bad rows, resumption, the CLI."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest

from clearance.app import Clearance
from clearance.errors import DataError
from clearance.index import batchfile
from clearance.index.batch import Columns, ResultRow, RowError, screen_records
from clearance.index.batchfile import screen_file

pytestmark = pytest.mark.slow


def test_screen_records_core(bundled_app: Clearance) -> None:
    records = [{"name": "HAIGE GUANGZHOU", "ref": "a"}, {"name": "Siemens AG", "ref": "b"}, {"name": "  ", "ref": "c"},
               {"ref": "d"}, {"name": "Bashar al-Assad", "kind": "martian", "ref": "e"}]
    rows = list(screen_records(bundled_app.screener(), records, Columns("name", type="kind", id="ref")))
    first = [r for r in rows if r.line == 1]
    assert first and all(isinstance(r, ResultRow) and r.rank >= 1 for r in first)
    assert "Haige" in first[0].name  # type: ignore[union-attr, operator]
    clear = [r for r in rows if r.line == 2]
    assert len(clear) == 1 and isinstance(clear[0], ResultRow) and clear[0].rank == 0
    errors = {r.line: r for r in rows if isinstance(r, RowError)}
    assert set(errors) == {3, 4, 5}
    assert "empty" in errors[3].message and "'name'" in errors[4].message and "martian" in errors[5].message
    assert errors[3].input_id == "c"


def write_csv(path: Path, rows: list[list[str]], bad_line: bytes | None = None) -> None:
    with path.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows(rows)
    if bad_line:
        with path.open("ab") as f:
            f.write(bad_line)


def test_csv_with_bad_rows(bundled_app: Clearance, tmp_path: Path) -> None:
    src = tmp_path / "in.csv"
    write_csv(src, [["id", "customer"], ["1", "Hikvision"], ["2", ""], ["3", "Apple Inc."], ["4", "x", "extra"]],
              bad_line="5,Soci\xe9t\xe9 G\xe9n\xe9rale\n".encode("latin-1"))
    out = tmp_path / "out.csv"
    summary = screen_file(bundled_app.screener(), src, out, Columns("customer", id="id"), workers=1)
    assert summary["records"] == 5 and summary["errors"] == 3 and summary["matched_rows"] == 1
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert {r["input_id"] for r in rows} == {"1", "3"}
    assert [r["rank"] for r in rows if r["input_id"] == "3"] == ["0"]
    errors = list(csv.reader((tmp_path / "out.csv.errors.csv").open(encoding="utf-8")))[1:]
    assert [e[0] for e in errors] == ["3", "5", "6"]
    assert "utf-8" in errors[2][2] and "fields" in errors[1][2]
    assert not (tmp_path / "out.csv.checkpoint.json").exists()


def test_missing_name_column(bundled_app: Clearance, tmp_path: Path) -> None:
    src = tmp_path / "in.csv"
    write_csv(src, [["id", "company"], ["1", "Hikvision"]])
    with pytest.raises(DataError, match="no name column 'name'; the columns are: id, company"):
        screen_file(bundled_app.screener(), src, tmp_path / "out.csv", workers=1)


def test_jsonl_and_resume(bundled_app: Clearance, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    src = tmp_path / "in.jsonl"
    names = ["Hikvision", "Siemens AG", "SMIC", "HAIGE GUANGZHOU", "Apple Inc.", "Huawei Tech Co Ltd"]
    src.write_text("\n".join(json.dumps({"name": n, "id": i}) for i, n in enumerate(names)) + "\n{not json\n")
    out = tmp_path / "out.jsonl"
    monkeypatch.setattr(batchfile, "CHUNK", 2)
    calls = []

    def interrupt(done: int, _: int) -> None:
        calls.append(done)
        if len(calls) == 2:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        screen_file(bundled_app.screener(), src, out, Columns(id="id"), workers=1, progress=interrupt)
    assert json.loads((tmp_path / "out.jsonl.checkpoint.json").read_text())["records_done"] == 4
    summary = screen_file(bundled_app.screener(), src, out, Columns(id="id"), workers=1)
    assert summary["resumed_from"] == 4 and summary["records"] == 7 and summary["errors"] == 1
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert sorted({r["line"] for r in rows}) == [1, 2, 3, 4, 5, 6]  # each input row once, none lost or repeated
    assert len(rows) == len({(r["line"], r["rank"]) for r in rows})


def test_parquet_in_and_out(bundled_app: Clearance, tmp_path: Path) -> None:
    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    src = tmp_path / "in.parquet"
    pq.write_table(pa.table({"name": ["SMIC", "Siemens AG"], "id": ["a", "b"]}), src)
    out = tmp_path / "out.parquet"
    summary = screen_file(bundled_app.screener(), src, out, Columns(id="id"), workers=2)
    assert summary["records"] == 2 and summary["matched_rows"] == 1
    table = pq.read_table(out).to_pylist()
    assert {r["input_id"] for r in table} == {"a", "b"}


def run_cli(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "clearance", "--db", str(db), *args], capture_output=True, text=True,
                          timeout=300, env={"PATH": "/usr/bin:/bin", "HOME": "/tmp"})


def test_cli_screen_json_and_exit_codes(bundled_db: Path, tmp_path: Path) -> None:
    r = run_cli(bundled_db, "screen", "HAIGE GUANGZHOU", "--json", "--limit", "2")
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    assert doc["query"]["name"] == "HAIGE GUANGZHOU" and doc["query"]["limit"] == 2
    first = doc["results"][0]
    assert {"entry_id", "list", "name", "matched_name", "score", "explanation"} <= set(first)
    assert first["list"] == "EL" and "Haige" in first["name"]
    assert run_cli(bundled_db, "screen", "HAIGE GUANGZHOU", "--fail-on-match").returncode == 1
    clear = run_cli(bundled_db, "screen", "Siemens AG", "--fail-on-match")
    assert clear.returncode == 0 and "no match" in clear.stdout
    bad = run_cli(bundled_db, "screen", "   ")
    assert bad.returncode == 2 and "empty" in bad.stderr
    src = tmp_path / "in.csv"
    write_csv(src, [["name"], ["Hikvision"], ["Siemens AG"]])
    r = run_cli(bundled_db, "screen-file", str(src), "-o", str(tmp_path / "out.csv"), "--json")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["matched_rows"] == 1
    missing = run_cli(bundled_db, "screen-file", str(src), "-o", str(tmp_path / "o2.csv"), "--name-column", "nom")
    assert missing.returncode == 3 and "no name column 'nom'" in missing.stderr


def test_cli_screen_by_party_folds_one_person_on_several_lists(bundled_db: Path) -> None:
    """UK "Nikita Yurievich CHAPLIN" and SDN "CHAPLIN, Nikita Yuryevich" (both born 1982-07-28)."""
    every = json.loads(run_cli(bundled_db, "screen", "Nikita Yurievich CHAPLIN", "--json").stdout)["results"]
    assert {r["list"] for r in every} >= {"UK", "SDN"}
    r = run_cli(bundled_db, "screen", "Nikita Yurievich CHAPLIN", "--json", "--by-party")
    assert r.returncode == 0, r.stderr
    folded = json.loads(r.stdout)["results"]
    # one spelling once normalized (tables/east_slavic.yaml): a tie, and the US list leads
    assert len(folded) == 1 and folded[0]["list"] == "SDN"
    reasons = {(o.get("list"), o.get("entry_id")): o.get("reason") for o in folded[0]["explanation"]["also_in"]}
    assert reasons[("UK", "uk-14468")] == "same birth date 1982-07-28 and name"
    text = run_cli(bundled_db, "screen", "Nikita Yurievich CHAPLIN", "--by-party").stdout
    assert "also UK Nikita Yurievich CHAPLIN (uk-14468" in text
