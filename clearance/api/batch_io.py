"""Reading batch uploads row by row, and writing results safely.

Readers stream CSV or JSON Lines and yield one :class:`Row` per record. A record that
cannot be read (bad UTF-8, a NUL byte, the wrong number of fields, invalid JSON, no
name) becomes a row with an ``error`` naming its line, and reading carries on: one
broken line among a million costs one error row, not the job.

Exports neutralize spreadsheet formulas: a cell beginning with ``=``, ``+``, ``-``,
``@``, tab or carriage return is prefixed with ``'`` (OWASP "CSV injection").
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from clearance.errors import InputError

NAME_COLUMNS = ("name", "full_name", "fullname", "party", "entity", "company", "company_name")
ID_COLUMNS = ("id", "ref", "reference", "customer_id", "input_id")
RESULT_FIELDS = ("line", "input_id", "query", "rank", "list", "entry_id", "name", "matched_name", "score", "error")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
csv.field_size_limit(1 << 20)


@dataclass(frozen=True)
class Row:
    line: int
    input_id: str | None = None
    name: str | None = None
    kind: str | None = None
    country: str | None = None
    error: str | None = None


def pick(header: list[str], wanted: str | None, candidates: tuple[str, ...]) -> int | None:
    lowered = [h.strip().lower() for h in header]
    if wanted:
        if wanted.strip().lower() not in lowered:
            raise InputError(f"column {wanted!r} not in the header ({', '.join(header[:20])})", field="name_column")
        return lowered.index(wanted.strip().lower())
    for c in candidates:
        if c in lowered:
            return lowered.index(c)
    return None


def _decoded_lines(raw: BinaryIO, bad: set[int]) -> Iterator[str]:
    for n, chunk in enumerate(raw, start=1):
        try:
            yield chunk.decode("utf-8")
        except UnicodeDecodeError:
            bad.add(n)
            yield chunk.decode("utf-8", errors="replace")


def check_header(path: Path, fmt: str, name_column: str | None) -> None:
    """Fail at upload, not later, when a CSV has no usable name column."""
    if fmt != "csv":
        return
    with open(path, "rb") as raw:
        first = raw.readline().decode("utf-8-sig", errors="replace")
    header = next(csv.reader([first]), [])
    if pick(header, name_column, NAME_COLUMNS) is None:
        raise InputError(f"no name column in the CSV header ({', '.join(header[:20]) or 'empty'}); "
                         f"name one with name_column", field="name_column")


def read_csv(path: Path, name_column: str | None = None, id_column: str | None = None) -> Iterator[Row]:
    bad: set[int] = set()
    with open(path, "rb") as raw:
        reader = csv.reader(_decoded_lines(raw, bad))
        try:
            header = next(reader)
        except (StopIteration, csv.Error):
            return
        if header and header[0].startswith("\ufeff"):
            header[0] = header[0][1:]
        name_i = pick(header, name_column, NAME_COLUMNS)
        if name_i is None:
            raise InputError("no name column in the CSV header", field="name_column")
        id_i = pick(header, id_column, ID_COLUMNS)
        kind_i = pick(header, None, ("type", "kind", "schema"))
        country_i = pick(header, None, ("country", "country_code"))
        last = reader.line_num
        while True:
            start = last + 1
            try:
                fields = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                last = reader.line_num
                yield Row(start, error=f"line {start}: unreadable CSV ({exc})")
                continue
            last = reader.line_num
            if not fields:
                continue
            if any(n in bad for n in range(start, last + 1)):
                yield Row(start, error=f"line {start}: not valid UTF-8")
            elif len(fields) != len(header):
                yield Row(start, error=f"line {start}: expected {len(header)} fields, got {len(fields)}")
            else:
                got = [None if i is None else (fields[i].strip() or None) for i in (id_i, name_i, kind_i, country_i)]
                yield Row(start, got[0], got[1], got[2], got[3], None if got[1] else f"line {start}: empty name")


def read_jsonl(path: Path, name_column: str | None = None, id_column: str | None = None) -> Iterator[Row]:
    name_key, id_key = name_column or "name", id_column or "id"
    with open(path, "rb") as raw:
        for n, chunk in enumerate(raw, start=1):
            if not chunk.strip():
                continue
            try:
                obj = json.loads(chunk)
            except (UnicodeDecodeError, ValueError):
                yield Row(n, error=f"line {n}: not a valid JSON object")
                continue
            if not isinstance(obj, dict):
                yield Row(n, error=f"line {n}: not a JSON object")
                continue
            name = obj.get(name_key)
            ident = obj.get(id_key)
            if not isinstance(name, str) or not name.strip():
                yield Row(n, None if ident is None else str(ident), error=f"line {n}: no {name_key!r} string")
                continue
            yield Row(n, None if ident is None else str(ident), name.strip(),
                      str(obj.get("type") or obj.get("kind") or "") or None, str(obj.get("country") or "") or None)


def read_rows(path: Path, fmt: str, name_column: str | None = None, id_column: str | None = None) -> Iterator[Row]:
    reader = read_csv if fmt == "csv" else read_jsonl
    return reader(path, name_column, id_column)


def neutralize(value: Any) -> str:
    """A CSV cell that no spreadsheet will evaluate as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def csv_chunks(records: Iterable[dict[str, Any]]) -> Iterator[str]:
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(RESULT_FIELDS)
    for n, rec in enumerate(records, start=1):
        writer.writerow([neutralize(rec.get(f)) for f in RESULT_FIELDS])
        if n % 500 == 0:
            yield buf.getvalue()
            buf.seek(0)
            buf.truncate()
    yield buf.getvalue()


def jsonl_chunks(records: Iterable[dict[str, Any]]) -> Iterator[str]:
    lines: list[str] = []
    for rec in records:
        lines.append(json.dumps({f: rec.get(f) for f in RESULT_FIELDS}, ensure_ascii=False))
        if len(lines) >= 500:
            yield "\n".join(lines) + "\n"
            lines = []
    if lines:
        yield "\n".join(lines) + "\n"
