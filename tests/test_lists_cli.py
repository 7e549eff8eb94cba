"""`clearance lists ...` end to end, through the real command (a subprocess), and the
download path against a local HTTP server that serves the shared list files."""

from __future__ import annotations

import gzip
import json
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from clearance.errors import DownloadError
from clearance.sources.download import download


def run_cli(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "clearance", "--db", str(db), *args], capture_output=True, text=True, timeout=300
    )


@pytest.fixture
def db_copy(bundled_db: Path, tmp_path: Path) -> Path:
    db = tmp_path / "cli.sqlite"
    shutil.copy(bundled_db, db)
    return db


def test_lists_json_reports_every_bundled_source_with_file_counts(db_copy: Path) -> None:
    proc = run_cli(db_copy, "lists", "--json")
    assert proc.returncode == 0, proc.stderr
    rows = {r["source"]: r for r in json.loads(proc.stdout)["sources"]}
    csl = rows["csl"]
    assert csl["entry_count"] == 14160 and csl["counts"]["EL"] == 2001 and csl["counts"]["SDN"] == 10026
    assert csl["as_of"] == "2022-05-06" and csl["stale"] is True
    assert rows["ofac_sdn"]["entry_count"] == 14965  # sdn_2024-05-03.csv: 14,965 distinct ent_num
    assert rows["ofac_cons"]["entry_count"] == 442  # cons_prim.csv: 442 rows
    assert rows["un"]["entry_count"] == 730 + 273
    assert rows["uk_ofsi"]["entry_count"] == 4686  # distinct Group IDs
    assert rows["el_nsfreg"]["counts"] == {"EL": 3409, "MEU": 70}
    for sid in ("csl", "ofac_sdn", "ofac_cons", "un", "uk_ofsi", "bis_dpl", "el_nsfreg"):
        assert rows[sid]["loaded"], sid
    assert not rows["ftm"]["loaded"]


def test_corrupt_import_exits_non_zero_and_previous_version_stays(db_copy: Path, shared: Path, tmp_path: Path) -> None:
    before = {r["source"]: r for r in json.loads(run_cli(db_copy, "lists", "--json").stdout)["sources"]}
    raw = (shared / "csl/csl_consolidated_2022-05.csv.gz").read_bytes()
    bad = tmp_path / "consolidated.csv.gz"
    bad.write_bytes(raw[: len(raw) // 3])
    proc = run_cli(db_copy, "lists", "update", "csl", "--file", str(bad))
    assert proc.returncode == 3
    assert str(bad) in proc.stderr and "truncated" in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1
    after = {r["source"]: r for r in json.loads(run_cli(db_copy, "lists", "--json").stdout)["sources"]}
    assert after["csl"]["version_id"] == before["csl"]["version_id"]
    assert after["csl"]["entry_count"] == 14160


def test_history_and_diff_commands(db_copy: Path, shared: Path) -> None:
    proc = run_cli(db_copy, "lists", "update", "bis_dpl", "--file", str(shared / "bis_dpl/dpl_2019-06-29.txt"),
                   "--as-of", "2019-06-29", "--force")
    assert proc.returncode == 0, proc.stderr
    hist = json.loads(run_cli(db_copy, "lists", "history", "bis_dpl", "--json").stdout)["versions"]
    assert [v["as_of"] for v in hist] == ["2023-11-30", "2019-06-29"] and hist[-1]["current"]
    diff = json.loads(run_cli(db_copy, "lists", "diff", "bis_dpl", "--json").stdout)
    assert diff["old"]["as_of"] == "2023-11-30" and diff["new"]["as_of"] == "2019-06-29"
    assert diff["summary"]["removed"] > 0 and diff["summary"]["added"] > 0


def test_unknown_source_is_exit_4(db_copy: Path) -> None:
    proc = run_cli(db_copy, "lists", "history", "nope")
    assert proc.returncode == 4 and "unknown source 'nope'" in proc.stderr


class _FlakyHandler(SimpleHTTPRequestHandler):
    failures: dict[str, int] = {}

    def do_GET(self) -> None:  # noqa: N802
        left = self.failures.get(self.path, 0)
        if left:
            self.failures[self.path] = left - 1
            self.send_error(503, "try later")
            return
        super().do_GET()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def http_server(shared: Path) -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_FlakyHandler, directory=str(shared)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_download_streams_and_records_checksum(http_server: str, shared: Path, tmp_path: Path) -> None:
    import hashlib

    got = download(f"{http_server}/bis_dpl/dpl_2023-11-30.txt", tmp_path)
    data = (shared / "bis_dpl/dpl_2023-11-30.txt").read_bytes()
    assert got.size == len(data) and got.sha256 == hashlib.sha256(data).hexdigest()
    assert got.path.read_bytes() == data


def test_download_retries_transient_errors(http_server: str, tmp_path: Path) -> None:
    _FlakyHandler.failures["/bis_dpl/dpl_2022-09-07.txt"] = 2
    got = download(f"{http_server}/bis_dpl/dpl_2022-09-07.txt", tmp_path, retries=3, backoff=0.01)
    assert got.size > 0
    _FlakyHandler.failures["/bis_dpl/dpl_2022-09-07.txt"] = 5
    with pytest.raises(DownloadError, match="failed after 3 attempts"):
        download(f"{http_server}/bis_dpl/dpl_2022-09-07.txt", tmp_path, retries=2, backoff=0.01)
    with pytest.raises(DownloadError, match="HTTP 404"):
        download(f"{http_server}/nope.txt", tmp_path, retries=0)
    assert not list(tmp_path.glob("*.part"))


def test_lists_update_downloads_from_url_and_imports(db_copy: Path, http_server: str) -> None:
    proc = run_cli(db_copy, "lists", "update", "un", "--url", f"{http_server}/un/un_consolidated_2025-11-20.xml.xz", "--json")
    assert proc.returncode == 0, proc.stderr
    res = json.loads(proc.stdout)["results"][0]
    assert res["status"] == "imported" and res["version"]["as_of"].startswith("2025-11-20")
    assert "sha256" in res["version"]["origin"] and http_server in res["version"]["origin"]
    # the same bytes again: a no-op
    again = json.loads(run_cli(db_copy, "lists", "update", "un", "--url",
                               f"{http_server}/un/un_consolidated_2025-11-20.xml.xz", "--json").stdout)
    assert again["results"][0]["status"] == "unchanged"


def test_multi_file_source_by_role(db_copy: Path, shared: Path) -> None:
    d = shared / "ofac/legacy_csv_sets/2022-01-31"
    proc = run_cli(db_copy, "lists", "update", "ofac_sdn", "--file", f"sdn={d / 'sdn.csv'}", "--file",
                   f"add={d / 'add.csv'}", "--file", f"alt={d / 'alt.csv'}", "--force", "--json")
    assert proc.returncode == 0, proc.stderr
    v = json.loads(proc.stdout)["results"][0]["version"]
    assert v["forced"] and v["entry_count"] == 9043  # 9,044 rows, one ent_num duplicated (kept the first)


def test_gzip_is_detected_by_content_not_name(db_copy: Path, shared: Path, tmp_path: Path) -> None:
    renamed = tmp_path / "dpl.bin"
    renamed.write_bytes(gzip.compress((shared / "bis_dpl/dpl_2022-09-07.txt").read_bytes()))
    proc = run_cli(db_copy, "lists", "update", "bis_dpl", "--file", str(renamed), "--json")
    assert proc.returncode == 0, proc.stderr


def test_readme_first_screen_shows_the_entity_list_entry_with_its_legal_fields(db_copy: Path) -> None:
    """The README's first command: Huawei's Entity List entry with requirement, policy and FR citations."""
    proc = run_cli(db_copy, "screen", "Huawei Technologies Co., Ltd.")
    assert proc.returncode == 0, proc.stderr
    out = " ".join(proc.stdout.split())
    assert "EL Huawei Technologies Co., Ltd. (Huawei)" in out
    assert "license requirement: For all items subject to the EAR" in out and "standards organization" in out
    assert "review policy: Presumption of denial" in out
    assert "Federal Register: 84 FR 22963, 84 FR 43495, 85 FR 29853, 85 FR 36720, 85 FR 51603" in out
    doc = json.loads(run_cli(db_copy, "screen", "Huawei Technologies Co., Ltd.", "--json").stdout)
    el = next(r for r in doc["results"] if r["entry_id"] == "el-b8ec92d0a5f64a2d")
    assert el["legal"]["license_policy"] == "Presumption of denial" and el["list"] == "EL"
    assert isinstance(doc["decision_id"], int)


def test_export_ftm_round_trips_through_the_ftm_importer(db_copy: Path, tmp_path: Path) -> None:
    out = tmp_path / "un.ftm.json"
    proc = run_cli(db_copy, "lists", "export", "--source", "un", "--format", "ftm", "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    proc = run_cli(db_copy, "lists", "update", "ftm", "--file", str(out), "--json")
    assert proc.returncode == 0, proc.stderr
    version = json.loads(proc.stdout)["results"][0]["version"]
    assert version["entry_count"] == 730 + 273  # every UN entry came back
