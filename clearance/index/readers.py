"""Reading screening input files (CSV, JSON Lines, Parquet) record by record, errors per line.

Why streaming and per-line errors: a nightly customer file has millions of rows, and one row
with a bad byte must cost one error line, not the run. Each record comes out as
``(line, mapping)`` or ``(line, ReadError)``; line numbers are the file's physical line numbers
(1 = the CSV header or the first JSON line; Parquet rows are numbered from 1).

A wrong encoding is detected per line (the file is read as bytes and each line decoded
strictly), so a Latin-1 row in a UTF-8 file is reported with its line number and the rest
screens. A missing name column is a file-level :class:`~clearance.errors.DataError` naming the
columns that do exist. Parquet needs pyarrow (``pip install 'clearance[parquet]'``).
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from clearance.errors import DataError, InputError

csv.field_size_limit(1 << 20)
FORMATS = ("csv", "jsonl", "parquet")


@dataclass(frozen=True)
class ReadError:
    message: str


Record = tuple[int, dict[str, Any] | ReadError]


def detect_format(path: Path) -> str:
    suffixes = [s.lower() for s in path.suffixes]
    for fmt, exts in (("csv", {".csv", ".tsv"}), ("jsonl", {".jsonl", ".ndjson", ".json"}), ("parquet", {".parquet", ".pq"})):
        if any(s in exts for s in suffixes):
            return fmt
    raise InputError(f"{path}: cannot tell the format from the file name; use .csv, .jsonl or .parquet", file=str(path))


def read_records(path: Path, fmt: str | None = None, encoding: str = "utf-8") -> Iterator[Record]:
    """Records of ``path`` with their line numbers; unreadable ones as :class:`ReadError`."""
    fmt = fmt or detect_format(path)
    if not path.is_file():
        raise DataError(f"{path}: no such file", file=str(path))
    if fmt == "csv":
        return _read_csv(path, encoding)
    if fmt == "jsonl":
        return _read_jsonl(path, encoding)
    if fmt == "parquet":
        return _read_parquet(path)
    raise InputError(f"unknown input format {fmt!r}; use one of {', '.join(FORMATS)}")


def count_records(path: Path, fmt: str | None = None) -> int | None:
    """A cheap estimate of the number of records (for the progress bar)."""
    fmt = fmt or detect_format(path)
    if fmt == "parquet":
        pq = _pyarrow()
        return int(pq.ParquetFile(path).metadata.num_rows)
    with path.open("rb") as f:
        n = sum(chunk.count(b"\n") for chunk in iter(lambda: f.read(1 << 20), b""))
    return max(0, n - (1 if fmt == "csv" else 0))


def _decoded_lines(path: Path, encoding: str, bad: dict[int, str], state: list[int]) -> Iterator[str]:
    with path.open("rb") as f:
        for number, raw in enumerate(f, start=1):
            state[0] = number
            try:
                text = raw.decode("utf-8-sig" if number == 1 and encoding == "utf-8" else encoding)
            except UnicodeDecodeError as exc:
                bad[number] = f"not valid {encoding} (byte {exc.start + 1}: {raw[exc.start:exc.start + 1]!r}); try --encoding latin-1"
                continue
            if "\x00" in text:
                bad[number] = "contains a NUL byte"
                continue
            yield text


def _read_csv(path: Path, encoding: str) -> Iterator[Record]:
    bad: dict[int, str] = {}
    state = [0]
    lines = _decoded_lines(path, encoding, bad, state)
    dialect = csv.excel_tab if path.suffix.lower() == ".tsv" else csv.excel
    reader = csv.reader(lines, dialect)
    header: list[str] | None = None
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            yield state[0], ReadError(f"malformed CSV: {exc}")
            continue
        for line in sorted(bad):
            yield line, ReadError(bad.pop(line))
        if header is None:
            header = [h.strip() for h in row]
            continue
        if not any(c.strip() for c in row):
            continue
        if len(row) != len(header):
            yield state[0], ReadError(f"has {len(row)} fields, the header has {len(header)}")
            continue
        yield state[0], dict(zip(header, row, strict=True))
    for line in sorted(bad):
        yield line, ReadError(bad[line])
    if header is None:
        raise DataError(f"{path}: the file is empty (no header line)", file=str(path))


def _read_jsonl(path: Path, encoding: str) -> Iterator[Record]:
    bad: dict[int, str] = {}
    state = [0]
    for text in _decoded_lines(path, encoding, bad, state):
        for line in sorted(bad):
            yield line, ReadError(bad.pop(line))
        if not text.strip():
            continue
        try:
            obj = json.loads(text)
        except json.JSONDecodeError as exc:
            yield state[0], ReadError(f"invalid JSON: {exc.msg} (column {exc.colno})")
            continue
        if not isinstance(obj, dict):
            yield state[0], ReadError(f"a JSON object is expected, got {type(obj).__name__}")
            continue
        yield state[0], obj
    for line in sorted(bad):
        yield line, ReadError(bad[line])


def _pyarrow() -> Any:
    try:
        import pyarrow.parquet as pq
    except ImportError:
        raise InputError("Parquet needs pyarrow: pip install 'clearance[parquet]'") from None
    return pq


def _read_parquet(path: Path) -> Iterator[Record]:
    pq = _pyarrow()
    try:
        pf = pq.ParquetFile(path)
    except Exception as exc:  # pyarrow raises its own ArrowInvalid / OSError types
        raise DataError(f"{path}: not a readable Parquet file: {exc}", file=str(path)) from None
    line = 0
    for batch in pf.iter_batches(batch_size=10_000):
        for rec in batch.to_pylist():
            line += 1
            yield line, rec


def columns_of(path: Path, fmt: str, encoding: str = "utf-8") -> list[str] | None:
    """The column names of a CSV or Parquet file (None for JSON Lines, whose keys vary by line)."""
    if fmt == "parquet":
        return list(_pyarrow().ParquetFile(path).schema_arrow.names)
    if fmt == "csv":
        with path.open("rb") as f:
            first = f.readline().decode(encoding, errors="replace").lstrip("\ufeff")
        dialect = csv.excel_tab if path.suffix.lower() == ".tsv" else csv.excel
        return [h.strip() for h in next(csv.reader([first], dialect), [])]
    return None
