"""`clearance check` and `clearance rules` end to end, through the real command (a subprocess)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

HUAWEI_ENTRY = "el-b8ec92d0a5f64a2d"
STANDARDS = [
    "--item",
    "EAR99",
    "--kind",
    "technology",
    "--activity",
    "release",
    "--purpose",
    "standards",
    "--country",
    "CN",
]


def run_cli(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "clearance", "--db", str(db), *args], capture_output=True, text=True, timeout=300
    )


@pytest.mark.slow
def test_check_json_shape_and_exit_codes(bundled_db: Path) -> None:
    proc = run_cli(bundled_db, "check", "--entry", HUAWEI_ENTRY, *STANDARDS, "--date", "2019-09-01", "--json")
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert out["status"] == "LICENSE_REQUIRED" and "denial" in out["review_policy"].lower()
    assert {"rule", "citation", "effective_from", "effective_to", "text"} <= out["reasons"][0].keys()
    assert out["entries"][0]["entry_id"] == HUAWEI_ENTRY and out["entries"][0]["list"] == "EL"
    failing = run_cli(
        bundled_db,
        "check",
        "--entry",
        HUAWEI_ENTRY,
        *STANDARDS,
        "--date",
        "2019-09-01",
        "--fail-unless-clear",
        "--json",
    )
    assert failing.returncode == 1
    clear = run_cli(
        bundled_db,
        "check",
        "--entry",
        HUAWEI_ENTRY,
        *STANDARDS,
        "--date",
        "2024-09-01",
        "--fail-unless-clear",
        "--json",
    )
    assert clear.returncode == 0 and json.loads(clear.stdout)["status"] == "NOT_SUBJECT_TO_EAR"


@pytest.mark.slow
def test_check_text_output_explains(bundled_db: Path) -> None:
    proc = run_cli(bundled_db, "check", "--entry", HUAWEI_ENTRY, *STANDARDS, "--date", "2020-07-01")
    assert proc.returncode == 0, proc.stderr
    text = proc.stdout
    assert "NO_LICENSE_REQUIRED" in text and "standards.huawei_2020" in text and "85 FR 36719" in text
    assert "reasons" in text and "assumptions" in text and "list entries relied on" in text


@pytest.mark.slow
@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--item", "5A0022"], "item"),
        (["--date", "1985-01-01"], "date"),
        (["--date", "2300-01-01"], "date"),
        (["--owner", "A=70", "--owner", "B=40"], "owner"),
        (["--owner", "A=lots"], "owner"),
        (["--country", "China"], "country"),
    ],
)
def test_check_bad_input_exits_2(bundled_db: Path, args: list[str], needle: str) -> None:
    base = {"--item": "EAR99", "--kind": "technology", "--activity": "release", "--country": "CN"}
    for i in range(0, len(args), 2):
        base.pop(args[i], None)
    flat = [x for kv in base.items() for x in kv]
    proc = run_cli(bundled_db, "check", "--entry", HUAWEI_ENTRY, *flat, *args, "--json")
    assert proc.returncode == 2, proc.stdout + proc.stderr
    err = json.loads(proc.stdout)["error"]
    assert err["code"] == "invalid_input" and needle in err["message"]


def test_rules_list_and_show(tmp_path: Path) -> None:
    db = tmp_path / "unused.sqlite"
    proc = run_cli(db, "rules", "list", "--date", "2019-06-01", "--json")
    assert proc.returncode == 0, proc.stderr
    ids = {r["id"] for r in json.loads(proc.stdout)}
    assert "huawei_tgl.v0" in ids and "huawei_tgl.v1" not in ids and "affiliates.v1" not in ids
    every = json.loads(run_cli(db, "rules", "list", "--json").stdout)
    assert len(every) > len(ids)
    show = run_cli(db, "rules", "show", "affiliates.stay", "--json")
    rule = json.loads(show.stdout)
    assert rule["effective_from"] == "2025-11-10" and rule["effective_to"] == "2026-11-09"
    assert [v["id"] for v in rule["versions"]] == ["affiliates.v1", "affiliates.stay", "affiliates.v2"]
    text = run_cli(db, "rules", "show", "huawei_tgl.successor")
    assert "unverified" in text.stdout and "RULES.md § 9 item 4" in text.stdout
    missing = run_cli(db, "rules", "show", "no.such.rule")
    assert missing.returncode == 4 and "no rule" in missing.stderr
    bad_date = run_cli(db, "rules", "list", "--date", "1970-01-01")
    assert bad_date.returncode == 2
