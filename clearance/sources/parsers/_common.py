"""Small helpers shared by the format parsers.

Country names go through the shared data-driven table (:func:`clearance.sources.countries.to_iso2`);
names it cannot resolve are reported once each in ``ctx.notes`` (never guessed). Dates are
checked against the ISO shapes the formats document and refused otherwise: a list that
changes its date format must fail loudly, not import wrong birth dates.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from functools import lru_cache

from clearance.errors import ParseError
from clearance.sources.base import ParseContext

# xs:date allows a timezone suffix ("2015-04-14-04:00", "2015-04-14Z"): accepted and dropped.
_ISO_PARTIAL = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:Z|[+-]\d{2}:\d{2})?)?)?$")
_DMY = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")


def unique(values: Iterable[str | None]) -> tuple[str, ...]:
    """Non-empty stripped values, first occurrence kept, order preserved."""
    seen: dict[str, None] = {}
    for v in values:
        if v is not None and (v := " ".join(v.split())):
            seen.setdefault(v, None)
    return tuple(seen)


def country_code(name: str | None, ctx: ParseContext) -> str | None:
    """ISO alpha-2 for a publisher's country name; unresolved names are noted once."""
    from clearance.sources.countries import to_iso2

    text = " ".join((name or "").split()).strip(" .;,")
    if not text:
        return None
    code = to_iso2(text)
    if code is None:
        note = f"country name not resolved to an ISO code: {text!r}"
        if note not in ctx.notes:
            ctx.notes.append(note)
    return code


def iso_date(value: str | None, file: str, where: str) -> str | None:
    """Validate an ISO (possibly partial) date ``YYYY[-MM[-DD]]``; ParseError otherwise."""
    text = (value or "").strip()
    if not text:
        return None
    m = _ISO_PARTIAL.match(text)
    if m is None or not _is_real(m.group(1), m.group(2), m.group(3)):
        raise ParseError(file, where, f"unexpected date format {text!r} (expected YYYY-MM-DD, YYYY-MM or YYYY)")
    return "-".join(p for p in m.groups() if p)


def dmy_date(value: str | None, file: str, where: str) -> str | None:
    """``dd/mm/yyyy`` with ``00`` for unknown parts (OFSI) -> partial ISO; also ``yyyy``, ``mm/yyyy``."""
    text = (value or "").strip()
    if not text:
        return None
    result = _dmy(text)
    if result.startswith("!"):
        raise ParseError(file, where, result[1:])
    return result or None


@lru_cache(maxsize=8192)
def _dmy(text: str) -> str:
    """The ISO form, "" for an all-zero date, or "!problem"."""
    if m := _DMY.match(text):
        d, mo, y = m.group(1), m.group(2), m.group(3)
    elif re.fullmatch(r"\d{4}", text):
        d, mo, y = "0", "0", text
    elif m2 := re.fullmatch(r"(\d{1,2})/(\d{4})", text):
        d, mo, y = "0", m2.group(1), m2.group(2)
    else:
        return f"!unexpected date format {text!r} (expected dd/mm/yyyy, mm/yyyy or yyyy)"
    if int(y) == 0:
        return ""
    month = f"{int(mo):02d}" if int(mo) else None
    day = f"{int(d):02d}" if int(d) and month else None
    if not _is_real(y, month, day):
        return f"!impossible date {text!r}"
    return "-".join(p for p in (y, month, day) if p)


def _is_real(y: str, m: str | None, d: str | None) -> bool:
    try:
        date(int(y), int(m or 1), int(d or 1))
    except ValueError:
        return False
    return 1800 <= int(y) <= 2100


__all__ = ["country_code", "dmy_date", "iso_date", "unique"]


def header_index(reader: Iterator[list[str]], path: object, columns: Sequence[str], what: str) -> tuple[list[str], list[int]]:
    """Read a CSV header row; (header, position of each expected column) or a ParseError naming what lacks."""
    header = next(reader, None)
    if header is None:
        raise ParseError(str(path), None, "file is empty")
    header = [h.strip() for h in header]
    missing = [c for c in columns if c not in header]
    if missing:
        raise ParseError(str(path), 1, f"not a {what}: header lacks column(s) {', '.join(missing)}")
    return header, [header.index(c) for c in columns]
