"""``clearance screen-file``: a whole file on every core, resumable after an interruption.

Why this shape:

- **All cores.** Screening is CPU-bound pure Python, so threads would not help (GIL). Worker
  processes are forked *after* the index is built and inherit it copy-on-write, so the ~3 s
  build happens once and memory is shared. Records go to workers in chunks of
  :data:`CHUNK` and come back in input order (``Pool.imap``), so the output is deterministic.
- **Resumable.** After each chunk the output (and error) files are flushed and a checkpoint
  ``OUTPUT.checkpoint.json`` records how many input records are done and the byte sizes of the
  outputs at that point. A re-run with the same input truncates the outputs to those sizes and
  carries on from the next record; a different input (size or mtime changed) starts afresh.
  The checkpoint is removed when the run completes.
- **Errors per row.** Unreadable or unscreenable rows go to ``OUTPUT.errors.csv`` with their
  line numbers (and are counted in the summary) while the rest screens.

Output format follows the OUTPUT suffix: ``.csv``, ``.jsonl`` or ``.parquet`` (Parquet is
written from a JSON Lines part file when the run completes).
"""

from __future__ import annotations

import csv
import io
import json
import multiprocessing
import os
import time
from collections.abc import Callable, Iterator, Sequence
from itertools import islice
from pathlib import Path
from typing import Any

from clearance.errors import DataError
from clearance.index.batch import RESULT_FIELDS, Columns, RowError, screen_one
from clearance.index.readers import Record, columns_of, detect_format, read_records
from clearance.index.screener import Screener

CHUNK = 1000
_WORKER: dict[str, Any] = {}  # set in the parent just before forking; read-only in workers

Progress = Callable[[int, int], None]  # (records done, results written)


Rendered = tuple[int, str, list[list[str]], dict[str, int]]  # (records, output text, error rows, counts)


def _render(screener: Screener, chunk: list[Record], opts: tuple[Any, ...], out_fmt: str) -> Rendered:
    """Screen a chunk and render it as output text, so workers (not the parent) do the formatting."""
    buf = io.StringIO()
    writer = csv.DictWriter(buf, RESULT_FIELDS) if out_fmt == "csv" else None
    errors: list[list[str]] = []
    counts = {"results": 0, "matched_rows": 0, "clear_rows": 0, "errors": 0}
    for line, rec in chunk:
        for row in screen_one(screener, line, rec, *opts):
            if isinstance(row, RowError):
                counts["errors"] += 1
                errors.append([str(row.line), row.input_id or "", row.message])
                continue
            counts["results" if row.rank else "clear_rows"] += 1
            counts["matched_rows"] += row.rank == 1
            if writer:
                writer.writerow(row.to_dict())
            else:
                buf.write(json.dumps(row.to_dict(), ensure_ascii=False) + "\n")
    return len(chunk), buf.getvalue(), errors, counts


def _work(chunk: list[Record]) -> Rendered:
    return _render(_WORKER["screener"], chunk, _WORKER["opts"], _WORKER["out_fmt"])


def _chunks(records: Iterator[Record]) -> Iterator[list[Record]]:
    while chunk := list(islice(records, CHUNK)):
        yield chunk


def _fingerprint(path: Path) -> dict[str, Any]:
    st = path.stat()
    return {"input": str(path.resolve()), "size": st.st_size, "mtime_ns": st.st_mtime_ns}


def _load_checkpoint(ckpt: Path, fp: dict[str, Any]) -> dict[str, Any] | None:
    try:
        data = json.loads(ckpt.read_text())
    except (OSError, ValueError):
        return None
    return data if all(data.get(k) == v for k, v in fp.items()) else None


def _save_checkpoint(ckpt: Path, data: dict[str, Any]) -> None:
    tmp = ckpt.with_suffix(".tmp")
    tmp.write_text(json.dumps(data))
    os.replace(tmp, ckpt)


def _check_columns(path: Path, fmt: str, encoding: str, columns: Columns) -> None:
    names = columns_of(path, fmt, encoding)
    if names is None:
        return
    for role, col in (("name", columns.name), ("type", columns.type), ("country", columns.country), ("id", columns.id)):
        if col and col not in names:
            raise DataError(
                f"{path}: no {role} column {col!r}; the columns are: {', '.join(names) or '(none)'}"
                + (" (use --name-column)" if role == "name" else ""),
                file=str(path), column=col,
            )


def screen_file(
    screener: Screener,
    input_path: Path,
    output_path: Path,
    columns: Columns = Columns(),
    *,
    input_format: str | None = None,
    encoding: str = "utf-8",
    threshold: float | None = None,
    limit: int | None = None,
    lists: Sequence[str] | None = None,
    workers: int | None = None,
    progress: Progress | None = None,
) -> dict[str, Any]:
    """Screen ``input_path`` into ``output_path``; return a summary (counts, seconds, errors file)."""
    fmt = input_format or detect_format(input_path)
    _check_columns(input_path, fmt, encoding, columns)
    out_fmt = detect_format(output_path)
    part = output_path.with_name(output_path.name + ".part.jsonl") if out_fmt == "parquet" else output_path
    errors_path = output_path.with_name(output_path.name + ".errors.csv")
    ckpt_path = output_path.with_name(output_path.name + ".checkpoint.json")
    fp = _fingerprint(input_path)
    state = _load_checkpoint(ckpt_path, fp) if part.exists() else None
    done = state["records_done"] if state else 0
    counts = state["counts"] if state else {"results": 0, "matched_rows": 0, "clear_rows": 0, "errors": 0}
    out = part.open("r+b" if state else "wb")
    err = errors_path.open("r+b" if state else "wb")
    if state:
        out.truncate(state["output_bytes"])
        err.truncate(state["errors_bytes"])
        out.seek(0, io.SEEK_END)
        err.seek(0, io.SEEK_END)
    out_text = io.TextIOWrapper(out, encoding="utf-8", newline="")
    err_text = io.TextIOWrapper(err, encoding="utf-8", newline="")
    writer = csv.DictWriter(out_text, RESULT_FIELDS) if out_fmt == "csv" else None
    err_writer = csv.writer(err_text)
    if not state:
        if writer:
            writer.writeheader()
        err_writer.writerow(["line", "input_id", "message"])
    records = islice(read_records(input_path, fmt, encoding), done, None)
    opts = (columns, threshold, limit, tuple(lists) if lists else None)
    workers = max(1, workers or os.cpu_count() or 1)
    started = time.perf_counter()
    pool = None
    fmt_out = "csv" if out_fmt == "csv" else "jsonl"
    if workers > 1:
        screener.candidates.warm()  # the workers inherit the compiled candidate loop
        _WORKER.update(screener=screener, opts=opts, out_fmt=fmt_out)
        pool = multiprocessing.get_context("fork").Pool(workers)
        results: Iterator[Rendered] = pool.imap(_work, _chunks(records))
    else:
        results = (_render(screener, chunk, opts, fmt_out) for chunk in _chunks(records))
    try:
        for n, text, errors, delta in results:
            done += n
            out_text.write(text)
            err_writer.writerows(errors)
            for key, value in delta.items():
                counts[key] += value
            out_text.flush()
            err_text.flush()
            _save_checkpoint(ckpt_path, {**fp, "records_done": done, "output_bytes": out.tell(),
                                         "errors_bytes": err.tell(), "counts": counts})
            if progress:
                progress(done, counts["results"])
    finally:
        if pool is not None:
            pool.terminate()
            _WORKER.clear()
        out_text.close()
        err_text.close()
    if out_fmt == "parquet":
        _jsonl_to_parquet(part, output_path)
        part.unlink()
    ckpt_path.unlink(missing_ok=True)
    seconds = time.perf_counter() - started
    return {"records": done, "resumed_from": state["records_done"] if state else 0, **counts,
            "seconds": round(seconds, 3), "output": str(output_path), "errors_file": str(errors_path)}


def _jsonl_to_parquet(part: Path, output: Path) -> None:
    from clearance.index.readers import _pyarrow

    pq = _pyarrow()
    import pyarrow as pa

    rows = [json.loads(line) for line in part.read_text(encoding="utf-8").splitlines() if line]
    table = pa.Table.from_pylist(rows) if rows else pa.table({f: pa.array([], pa.string()) for f in RESULT_FIELDS})
    pq.write_table(table, output)
