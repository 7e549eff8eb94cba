"""Batch screening jobs over HTTP: upload, progress, results, bad rows, limits, restart."""

from __future__ import annotations

import csv
import io
import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from api_support import KIM_JONG_UN, make_client

from clearance.api.batch_io import neutralize, read_rows


@pytest.fixture
def api(tmp_path: Path) -> Iterator[tuple[Any, dict[str, str]]]:
    client, _, reader = make_client(tmp_path / "c.sqlite", threshold=0.5)
    yield client, reader
    client.__exit__(None, None, None)


def wait_done(client: Any, headers: dict[str, str], job_id: str, timeout: float = 60) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job: dict[str, Any] = client.get(f"/screenings/{job_id}", headers=headers).json()
        if job["status"] in ("done", "failed"):
            return job
        time.sleep(0.05)
    raise AssertionError(f"job {job_id} not done in {timeout}s")


def csv_body(n: int, broken_at: int | None = None) -> bytes:
    out = io.StringIO()
    out.write("id,name,country\n")
    for i in range(n):
        if i == broken_at:
            out.write(f'{i},"unterminated,CN,extra,fields\n')
            out.write(f"{i}b,too,many,fields,here\n")
        else:
            out.write(f"{i},{'Kim Jong Un' if i % 50 == 0 else f'Customer {i} Trading'},KP\n")
    return out.getvalue().encode()


def test_csv_job_with_a_broken_line_loses_nothing(api: Any) -> None:
    client, reader = api
    resp = client.post("/screenings", content=csv_body(600, broken_at=300), headers={**reader, "content-type": "text/csv"})
    assert resp.status_code == 202, resp.text
    job = wait_done(client, reader, resp.json()["job_id"])
    assert job["status"] == "done" and job["progress"] == 1.0
    rows = list(csv.DictReader(io.StringIO(client.get(job["links"]["csv"], headers=reader).text)))
    lines = {int(r["line"]) for r in rows}
    errors = [r for r in rows if r["error"]]
    assert errors and all(r["error"].startswith("line ") for r in errors)
    assert len(lines) == job["done_rows"]  # every input record is accounted for, once
    matched = [r for r in rows if r["entry_id"] == KIM_JONG_UN]
    assert len(matched) >= 11  # rows 0, 50, ... 550 name Kim Jong Un
    assert job["match_rows"] >= 11 and job["error_rows"] == len({r["line"] for r in errors})


def test_jsonl_multipart_and_paged_rows(api: Any) -> None:
    client, reader = api
    body = b'{"id": "a", "name": "Kim Jong Un"}\nnot json\n{"id": "c", "name": "=HYPERLINK(1)"}\n'
    resp = client.post("/screenings", files={"file": ("rows.jsonl", body, "application/x-ndjson")}, headers=reader)
    assert resp.status_code == 202, resp.text
    job = wait_done(client, reader, resp.json()["job_id"])
    assert job["format"] == "jsonl" and job["filename"] == "rows.jsonl" and job["error_rows"] == 1
    page = client.get(f"/screenings/{job['job_id']}/rows?limit=2", headers=reader).json()
    assert len(page["rows"]) == 2 and page["rows"][0]["input_id"] == "a"
    lines = client.get(job["links"]["jsonl"], headers=reader).text.splitlines()
    assert [json.loads(line)["line"] for line in lines][:1] == [1]
    exported = client.get(job["links"]["csv"], headers=reader).text
    assert "'=HYPERLINK(1)" in exported and ",=HYPERLINK" not in exported


def test_csv_export_neutralizes_formulas_from_the_upload(api: Any) -> None:
    # The injection comes from user input: names and ids in the uploaded CSV are echoed into the export.
    client, reader = api
    upload = ('id,name,country\n'
              '=1+2,"=HYPERLINK(""http://example.invalid"",""click"")",CN\n'
              '@ref,+Kim Jong Un,KP\n'
              'r3,-Huawei Technologies,CN\n')
    resp = client.post("/screenings", files={"file": ("customers.csv", upload.encode(), "text/csv")}, headers=reader)
    assert resp.status_code == 202, resp.text
    job = wait_done(client, reader, resp.json()["job_id"])
    assert job["status"] == "done" and job["error_rows"] == 0
    exported = client.get(job["links"]["csv"], headers=reader).text
    cells = [cell for row in csv.reader(io.StringIO(exported)) for cell in row]
    assert "'=HYPERLINK(\"http://example.invalid\",\"click\")" in cells and "'=1+2" in cells
    assert "'@ref" in cells and "'+Kim Jong Un" in cells and "'-Huawei Technologies" in cells
    assert not [c for c in cells if c.startswith(("=", "+", "-", "@"))]


def test_neutralize_formulas() -> None:
    assert [neutralize(v) for v in ("=1+1", "+1", "-2", "@SUM(A1)", "\tx", "ok", 0.5, None)] == [
        "'=1+1", "'+1", "'-2", "'@SUM(A1)", "'\tx", "ok", "0.5", ""]


def test_upload_limits_and_bad_files(tmp_path: Path) -> None:
    client, _, reader = make_client(tmp_path / "c.sqlite", max_upload_bytes=4096, max_batch_rows=50)
    try:
        def stream() -> Iterator[bytes]:
            yield b"id,name\n"
            for _ in range(100):
                yield b"1,abcdefghijklmnopqrstuvwxyz\n" * 10

        big = client.post("/screenings", content=stream(), headers={**reader, "content-type": "text/csv"})
        assert big.status_code == 413 and big.json()["error"]["code"] == "payload_too_large"
        declared = client.post("/screenings", content=b"x" * 5000, headers={**reader, "content-type": "text/csv"})
        assert declared.status_code == 413
        many = client.post("/screenings", content=b"name\n" + b"a\n" * 60, headers={**reader, "content-type": "text/csv"})
        assert many.status_code == 422 and "too many rows" in many.json()["error"]["message"]
        nocol = client.post("/screenings", content=b"foo,bar\n1,2\n", headers={**reader, "content-type": "text/csv"})
        assert nocol.status_code == 422 and nocol.json()["error"]["field"] == "name_column"
        empty = client.post("/screenings", content=b"", headers={**reader, "content-type": "text/csv"})
        assert empty.status_code == 422
        assert client.get("/screenings/nope", headers=reader).status_code == 404
        assert client.get("/healthz").status_code == 200
        assert not list((tmp_path / "jobs").glob("*.upload"))  # refused uploads leave no files
    finally:
        client.__exit__(None, None, None)


def test_job_survives_restart_and_resumes(tmp_path: Path) -> None:
    db = tmp_path / "c.sqlite"
    client, _, reader = make_client(db, start_worker=False, threshold=0.5)
    try:
        job_id = client.post("/screenings", content=csv_body(1000), headers={**reader, "content-type": "text/csv"}
                             ).json()["job_id"]
        jobs = client.app.state.ctx.jobs
        job = jobs.get(job_id)
        path = Path(jobs.conn.execute("SELECT input_path FROM screening_jobs WHERE job_id = ?", (job_id,)).fetchone()[0])
        rows = list(read_rows(path, "csv"))
        jobs.conn.execute("UPDATE screening_jobs SET status = 'running' WHERE job_id = ?", (job_id,))
        jobs._commit(job_id, rows[:250], job["options"])  # one chunk committed, then the process "dies"
        jobs._commit(job_id, rows[250:300], job["options"])
        jobs.conn.execute("UPDATE screening_jobs SET done_rows = 250 WHERE job_id = ?", (job_id,))  # 2nd chunk lost
    finally:
        client.__exit__(None, None, None)
    client, admin, _ = make_client(db, threshold=0.5)  # a new process: the admin sees every job
    try:
        job = wait_done(client, admin, job_id)
        assert job["status"] == "done" and job["done_rows"] == 1000
        rows_out = list(csv.DictReader(io.StringIO(client.get(job["links"]["csv"], headers=admin).text)))
        keys = [(r["line"], r["rank"]) for r in rows_out]
        assert len(keys) == len(set(keys))  # nothing duplicated
        assert {int(r["line"]) for r in rows_out} == {r.line for r in rows}  # nothing lost
    finally:
        client.__exit__(None, None, None)


def test_readers_see_only_their_own_jobs(tmp_path: Path) -> None:
    client, admin, reader = make_client(tmp_path / "c.sqlite")
    try:
        other = {"Authorization": "ApiKey " + client.post("/keys", json={"role": "reader"}, headers=admin).json()["key"]}
        job_id = client.post("/screenings", content=b"name\nKim Jong Un\n", headers={**reader, "content-type": "text/csv"}
                             ).json()["job_id"]
        for path in (f"/screenings/{job_id}", f"/screenings/{job_id}/rows", f"/screenings/{job_id}/results"):
            assert client.get(path, headers=other).status_code == 404
            assert client.get(path, headers=reader).status_code == 200
            assert client.get(path, headers=admin).status_code == 200
        assert client.get("/screenings", headers=other).json()["jobs"] == []
        assert [j["job_id"] for j in client.get("/screenings", headers=reader).json()["jobs"]] == [job_id]
    finally:
        client.__exit__(None, None, None)
