"""Batch screening jobs, persisted in the store's SQLite file so they survive a restart.

Tables ``screening_jobs`` (one row per job: status, counts, options) and
``screening_results`` (one row per input row and result, keyed by job, line and
rank). Rows are screened by the shared batch core (:func:`clearance.index.batch.screen_one`).
One worker thread takes the oldest unfinished job, reads its uploaded file,
screens rows in chunks and commits each chunk's results together with the job's
``done_rows`` cursor in one transaction. After a crash or restart the worker finds the
job still ``running`` and resumes after the last committed chunk; a chunk cut short is
simply screened again (results are keyed, so nothing is duplicated or lost).
"""

from __future__ import annotations

import json
import logging
import secrets
import sqlite3
import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from clearance.api.batch_io import Row, read_rows
from clearance.app import Clearance
from clearance.errors import ClearanceError, NotFoundError
from clearance.settings import Settings

log = logging.getLogger("clearance.api.jobs")
CHUNK = 250

SCHEMA = """
CREATE TABLE IF NOT EXISTS screening_jobs (
    job_id      TEXT PRIMARY KEY,
    status      TEXT NOT NULL,
    format      TEXT NOT NULL,
    filename    TEXT NOT NULL,
    input_path  TEXT NOT NULL,
    options     TEXT NOT NULL,
    owner       TEXT,
    total_rows  INTEGER NOT NULL,
    done_rows   INTEGER NOT NULL DEFAULT 0,
    error_rows  INTEGER NOT NULL DEFAULT 0,
    match_rows  INTEGER NOT NULL DEFAULT 0,
    created_at  TEXT NOT NULL,
    started_at  TEXT,
    finished_at TEXT,
    error       TEXT
);
CREATE TABLE IF NOT EXISTS screening_results (
    job_id TEXT NOT NULL,
    line   INTEGER NOT NULL,
    rank   INTEGER NOT NULL,
    data   TEXT NOT NULL,
    PRIMARY KEY (job_id, line, rank)
) WITHOUT ROWID;
"""
COLUMNS = ("job_id", "status", "format", "filename", "options", "owner", "total_rows", "done_rows", "error_rows",
           "match_rows", "created_at", "started_at", "finished_at", "error")


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class JobManager:
    """Create, inspect and run batch jobs; one worker thread per server process."""

    def __init__(self, clearance: Clearance, conn: sqlite3.Connection, jobs_dir: Path | None, settings: Settings):
        self.clearance = clearance
        self.conn = conn
        self.conn.executescript(SCHEMA)
        self.jobs_dir = jobs_dir
        self.settings = settings
        self._lock = threading.RLock()
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._lock_file: Any = None

    # -- records ---------------------------------------------------------------------

    def new_id(self) -> str:
        return secrets.token_hex(8)

    def input_path(self, job_id: str, fmt: str) -> Path:
        import tempfile

        base = self.jobs_dir or Path(tempfile.gettempdir()) / "clearance-jobs"
        base.mkdir(parents=True, exist_ok=True)
        return base / f"{job_id}.{fmt}"

    def create(self, job_id: str, fmt: str, filename: str, path: Path, options: dict[str, Any], owner: str | None,
               total_rows: int) -> dict[str, Any]:
        with self._lock:
            self.conn.execute(
                "INSERT INTO screening_jobs(job_id, status, format, filename, input_path, options, owner, total_rows, "
                "created_at) VALUES (?, 'queued', ?, ?, ?, ?, ?, ?, ?)",
                (job_id, fmt, filename, str(path), json.dumps(options), owner, total_rows, _now()),
            )
        self._wake.set()
        return self.get(job_id)

    def get(self, job_id: str) -> dict[str, Any]:
        with self._lock:
            row = self.conn.execute(f"SELECT {', '.join(COLUMNS)} FROM screening_jobs WHERE job_id = ?",
                                    (job_id,)).fetchone()
        if row is None:
            raise NotFoundError(f"no screening job {job_id!r}", job_id=job_id)
        job = dict(zip(COLUMNS, row, strict=True))
        job["options"] = json.loads(job["options"])
        total = max(job["total_rows"], job["done_rows"])
        job["total_rows"] = total
        job["progress"] = 1.0 if job["status"] == "done" else round(job["done_rows"] / total, 4) if total else 0.0
        return job

    def recent(self, limit: int = 100) -> list[dict[str, Any]]:
        with self._lock:
            ids = [r[0] for r in self.conn.execute(
                "SELECT job_id FROM screening_jobs ORDER BY created_at DESC, job_id LIMIT ?", (limit,))]
        return [self.get(i) for i in ids]

    def results(self, job_id: str, offset: int = 0, limit: int | None = None) -> list[dict[str, Any]]:
        sql = "SELECT data FROM screening_results WHERE job_id = ? ORDER BY line, rank LIMIT ? OFFSET ?"
        with self._lock:
            rows = self.conn.execute(sql, (job_id, -1 if limit is None else limit, offset)).fetchall()
        return [json.loads(r[0]) for r in rows]

    def iter_results(self, job_id: str, page: int = 5000) -> Any:
        """All results of a job in input order, read page by page (keyset, so exports stay cheap)."""
        line, rank = -1, -1
        while True:
            with self._lock:
                rows = self.conn.execute(
                    "SELECT line, rank, data FROM screening_results WHERE job_id = ? AND (line > ? OR "
                    "(line = ? AND rank > ?)) ORDER BY line, rank LIMIT ?", (job_id, line, line, rank, page)).fetchall()
            if not rows:
                return
            for r in rows:
                yield json.loads(r[2])
            line, rank = rows[-1][0], rows[-1][1]

    # -- worker ------------------------------------------------------------------------

    def start(self) -> None:
        if self._thread is None:
            self._stop.clear()
            self._thread = threading.Thread(target=self._loop, name="clearance-jobs", daemon=True)
            self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout=30)
            self._thread = None
        if self._lock_file is not None:
            self._lock_file.close()
            self._lock_file = None

    def _next_job(self) -> str | None:
        with self._lock:
            row = self.conn.execute("SELECT job_id FROM screening_jobs WHERE status IN ('running', 'queued') "
                                    "ORDER BY status = 'queued', created_at, job_id LIMIT 1").fetchone()
        return row[0] if row else None

    def _hold_lock(self) -> bool:
        """One batch worker per store, across server processes: whoever holds ``jobs/worker.lock``."""
        if self._lock_file is not None:
            return True
        if self.jobs_dir is None:
            return True
        import fcntl

        self.jobs_dir.mkdir(parents=True, exist_ok=True)
        handle = open(self.jobs_dir / "worker.lock", "a+b")  # noqa: SIM115 - held for the process's life
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.close()
            return False
        self._lock_file = handle
        return True

    def _loop(self) -> None:
        while not self._stop.is_set():
            if not self._hold_lock():
                self._stop.wait(timeout=2.0)
                continue
            job_id = self._next_job()
            if job_id is None:
                self._wake.wait(timeout=1.0)
                self._wake.clear()
                continue
            try:
                self.run(job_id)
            except Exception as exc:  # noqa: BLE001 - a job fails, the worker lives on
                log.exception("job %s failed", job_id)
                message = exc.message if isinstance(exc, ClearanceError) else f"internal error ({type(exc).__name__})"
                with self._lock:
                    self.conn.execute("UPDATE screening_jobs SET status = 'failed', error = ?, finished_at = ? "
                                      "WHERE job_id = ?", (message, _now(), job_id))

    def run(self, job_id: str) -> None:
        """Screen a job from its last committed row to the end (or until stopped)."""
        job = self.get(job_id)
        with self._lock:
            self.conn.execute("UPDATE screening_jobs SET status = 'running', started_at = COALESCE(started_at, ?) "
                              "WHERE job_id = ?", (_now(), job_id))
            path = Path(self.conn.execute("SELECT input_path FROM screening_jobs WHERE job_id = ?",
                                          (job_id,)).fetchone()[0])
        opts = job["options"]
        done = job["done_rows"]
        rows = read_rows(path, job["format"], opts.get("name_column"), opts.get("id_column"))
        chunk: list[Row] = []
        for n, row in enumerate(rows):
            if n < done:
                continue
            chunk.append(row)
            if len(chunk) >= CHUNK:
                if self._stop.is_set():
                    return
                self._commit(job_id, chunk, opts)
                chunk = []
        self._commit(job_id, chunk, opts)
        with self._lock:
            self.conn.execute("UPDATE screening_jobs SET status = 'done', finished_at = ?, total_rows = done_rows "
                              "WHERE job_id = ?", (_now(), job_id))

    def _commit(self, job_id: str, chunk: list[Row], opts: dict[str, Any]) -> None:
        """Screen a chunk with the shared batch core and commit its results with the job's cursor."""
        from clearance.index.batch import Columns, RowError, screen_one

        screener = self.clearance.screener()
        columns = Columns(name="name", type="type", country="country", id="id")
        records: list[tuple[int, int, dict[str, Any]]] = []
        errors = matched = 0
        for row in chunk:
            base = {"line": row.line, "input_id": row.input_id, "query": row.name}
            if row.error or not row.name:
                errors += 1
                records.append((row.line, 0, {**base, "rank": 0, "error": row.error or f"line {row.line}: empty name"}))
                continue
            record = {"name": row.name, "type": row.kind, "country": row.country, "id": row.input_id}
            out = screen_one(screener, row.line, record, columns, opts.get("threshold"), opts.get("limit"),
                             opts.get("lists"))
            if any(isinstance(r, RowError) for r in out):
                errors += 1
                message = next(r.message for r in out if isinstance(r, RowError))
                text = message if message.startswith("line ") else f"line {row.line}: {message}"
                records.append((row.line, 0, {**base, "rank": 0, "error": text}))
                continue
            matched += any(r.rank > 0 for r in out)  # type: ignore[union-attr]
            for r in out:
                records.append((row.line, r.rank, {**base, **r.to_dict(), "input_id": row.input_id}))  # type: ignore[union-attr]
        with self._lock:
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                self.conn.executemany("INSERT OR REPLACE INTO screening_results(job_id, line, rank, data) "
                                      "VALUES (?, ?, ?, ?)", [(job_id, ln, rk, json.dumps(d)) for ln, rk, d in records])
                self.conn.execute("UPDATE screening_jobs SET done_rows = done_rows + ?, error_rows = error_rows + ?, "
                                  "match_rows = match_rows + ? WHERE job_id = ?", (len(chunk), errors, matched, job_id))
                self.conn.execute("COMMIT")
            except BaseException:
                self.conn.execute("ROLLBACK")
                raise
