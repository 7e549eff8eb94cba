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
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from clearance.errors import InputError

NAME_COLUMNS = ("name", "full_name", "fullname", "party", "entity", "company", "company_name")
ID_COLUMNS = ("id", "ref", "reference", "customer_id", "input_id")
RESULT_FIELDS = ("line", "input_id", "query", "rank", "list", "entry_id", "name", "matched_name", "score", "error")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
MAX_RECORD_LINES = 20
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


def _decoded_lines(raw: BinaryIO) -> Iterator[tuple[int, str, bool]]:
    """(line number, text, decoded cleanly) for each physical line."""
    for n, chunk in enumerate(raw, start=1):
        try:
            yield n, chunk.decode("utf-8"), True
        except UnicodeDecodeError:
            yield n, chunk.decode("utf-8", errors="replace"), False


def _records(lines: Iterator[tuple[int, str, bool]]) -> Iterator[tuple[int, str | None, str | None]]:
    """Group physical lines into CSV records: (first line, text, problem).

    A quoted field may span lines, but at most :data:`MAX_RECORD_LINES`: a quote left open
    longer is a broken line, reported alone, and the lines after it are read again as
    records of their own, so one stray quote cannot swallow the rest of the file.
    """
    replay: deque[tuple[int, str, bool]] = deque()
    while True:
        first = replay.popleft() if replay else next(lines, None)
        if first is None:
            return
        group = [first]
        quotes = first[1].count('"')
        while quotes % 2 and len(group) < MAX_RECORD_LINES:
            more = replay.popleft() if replay else next(lines, None)
            if more is None:
                break
            group.append(more)
            quotes += more[1].count('"')
        if quotes % 2:
            replay.extendleft(reversed(group[1:]))
            yield first[0], None, f"line {first[0]}: unbalanced quote"
        elif not all(clean for _, _, clean in group):
            yield first[0], None, f"line {first[0]}: not valid UTF-8"
        else:
            yield first[0], "".join(text for _, text, _ in group), None


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
    with open(path, "rb") as raw:
        records = _records(_decoded_lines(raw))
        first = next(records, None)
        if first is None or first[1] is None:
            raise InputError("the CSV header line is unreadable", field="file")
        header = next(csv.reader(io.StringIO(first[1].lstrip("\ufeff"))), [])
        name_i = pick(header, name_column, NAME_COLUMNS)
        if name_i is None:
            raise InputError("no name column in the CSV header", field="name_column")
        id_i = pick(header, id_column, ID_COLUMNS)
        kind_i = pick(header, None, ("type", "kind", "schema"))
        country_i = pick(header, None, ("country", "country_code"))
        for line, text, problem in records:
            if text is None:
                yield Row(line, error=problem)
                continue
            if not text.strip():
                continue
            try:
                fields = next(csv.reader(io.StringIO(text)), [])
            except csv.Error as exc:
                yield Row(line, error=f"line {line}: unreadable CSV ({exc})")
                continue
            if len(fields) != len(header):
                yield Row(line, error=f"line {line}: expected {len(header)} fields, got {len(fields)}")
                continue
            got = [None if i is None else (fields[i].strip() or None) for i in (id_i, name_i, kind_i, country_i)]
            yield Row(line, got[0], got[1], got[2], got[3], None if got[1] else f"line {line}: empty name")


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
