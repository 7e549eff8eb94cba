"""Batch screening core: records in, result rows (or per-row errors) out.

This is the function every batch front end calls -- ``clearance screen-file`` (through
:mod:`clearance.index.batchfile`, which adds files, all cores, progress and resumption) and
the HTTP batch-job endpoint::

    screen_records(
        screener: Screener,
        records: Iterable[Mapping[str, Any] | tuple[int, Mapping[str, Any] | ReadError]],
        columns: Columns = Columns(),           # which keys hold name / type / country / id
        *, threshold: float | None = None,      # None: the screener's settings
        limit: int | None = None,
        lists: Sequence[str] | None = None,     # restrict to these list codes
    ) -> Iterator[ResultRow | RowError]

Records are plain mappings (line numbers are then 1, 2, ...) or ``(line, mapping)`` pairs as
produced by :func:`clearance.index.readers.read_records`. For every input record it yields
one :class:`ResultRow` per result, ranked from 1; a record with no result yields one row
with ``rank = 0`` and empty result fields, so every input row is accounted for in the output;
a record that cannot be screened (unreadable line, empty or over-long name, unknown type)
yields one :class:`RowError` naming its line. It never raises for a bad record.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from clearance.errors import ClearanceError, InputError
from clearance.index.readers import ReadError
from clearance.index.types import Query
from clearance.model import Kind

if TYPE_CHECKING:
    from clearance.index.screener import Screener

KIND_WORDS = {
    "person": Kind.PERSON, "individual": Kind.PERSON, "people": Kind.PERSON,
    "company": Kind.ORGANIZATION, "organization": Kind.ORGANIZATION, "organisation": Kind.ORGANIZATION,
    "entity": Kind.ORGANIZATION, "business": Kind.ORGANIZATION,
    "vessel": Kind.VESSEL, "aircraft": Kind.AIRCRAFT, "any": None, "": None,
}
RESULT_FIELDS = ("line", "input_id", "query", "rank", "list", "entry_id", "name", "matched_name", "score")


@dataclass(frozen=True)
class Columns:
    name: str = "name"
    type: str | None = None
    country: str | None = None
    id: str | None = None


@dataclass(frozen=True)
class ResultRow:
    line: int
    input_id: str | None
    query: str
    rank: int  # 1 = best; 0 = no result at or above the threshold
    list: str | None = None
    entry_id: str | None = None
    name: str | None = None
    matched_name: str | None = None
    score: float | None = None

    def to_dict(self) -> dict[str, Any]:
        # not dataclasses.asdict: it deep-copies every field, a hot spot at 100,000 rows
        return {f: getattr(self, f) for f in RESULT_FIELDS}


@dataclass(frozen=True)
class RowError:
    line: int
    input_id: str | None
    message: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def parse_kind(value: object) -> Kind | None:
    """``person`` / ``company`` / ``vessel`` / ``aircraft`` / ``any`` (and common synonyms)."""
    text = str(value or "").strip().casefold()
    if text not in KIND_WORDS:
        raise InputError(f"unknown type {value!r}; use person, company, vessel, aircraft or any")
    return KIND_WORDS[text]


def _text(record: Mapping[str, Any], key: str | None) -> str | None:
    if not key:
        return None
    value = record.get(key)
    return None if value is None else str(value).strip() or None


def screen_one(screener: Screener, line: int, record: Mapping[str, Any] | ReadError, columns: Columns,
               threshold: float | None, limit: int | None, lists: Sequence[str] | None) -> list[ResultRow | RowError]:
    """Screen one record; see the module docstring for what comes out."""
    if isinstance(record, ReadError):
        return [RowError(line, None, record.message)]
    input_id = _text(record, columns.id)
    if columns.name not in record:
        return [RowError(line, input_id, f"no {columns.name!r} field")]
    name = record.get(columns.name)
    name = "" if name is None else str(name)
    try:
        country = _text(record, columns.country)
        query = Query(
            name=name,
            kind=parse_kind(record.get(columns.type)) if columns.type else None,
            countries=(country.upper(),) if country else (),
            lists=tuple(lists) if lists else None,
            threshold=threshold,
            limit=limit,
        )
        matches = screener.screen(query, explain=False)
    except ClearanceError as exc:
        return [RowError(line, input_id, exc.message)]
    if not matches:
        return [ResultRow(line, input_id, name, 0)]
    return [
        ResultRow(line, input_id, name, rank, m.entry.list_code, m.entry.entry_id, m.entry.name, m.matched_name, round(m.score, 4))
        for rank, m in enumerate(matches, start=1)
    ]


def screen_records(
    screener: Screener,
    records: Iterable[Mapping[str, Any] | tuple[int, Mapping[str, Any] | ReadError]],
    columns: Columns = Columns(),
    *,
    threshold: float | None = None,
    limit: int | None = None,
    lists: Sequence[str] | None = None,
) -> Iterator[ResultRow | RowError]:
    """Screen records one by one (single process); see the module docstring."""
    for position, item in enumerate(records, start=1):
        line, record = item if isinstance(item, tuple) else (position, item)
        yield from screen_one(screener, line, record, columns, threshold, limit, lists)
