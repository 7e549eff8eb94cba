"""Field grammar shared by the US list formats (CSL, OFAC remarks, BIS DPL).

Federal Register citations ("84 FR 22961", "68 F.R. 38290 6/27/03"), "; "-separated multi-values,
and the date shapes the publishers print ("1973-03-25", "25 Mar 1973", "Sep 1938", "circa 1960",
"1957 to 1959"): read exactly, refused with a located ParseError otherwise (never guessed).
"""

from __future__ import annotations

import re

from clearance.errors import ParseError

_ISO_DATE = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")
_CIRCA = re.compile(r"(?:circa|c\.|approximately)\s+(.+)", re.IGNORECASE)
_DMY = re.compile(r"(?:(?P<day>\d{1,2}) )?(?P<month>[A-Za-z]{3,9})\.? (?P<year>\d{4})")
MONTHS = {m: i for i, m in enumerate(["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], start=1)}
_RANGE = re.compile(r"(.+?)\s+to\s+(.+)")
_FR_CITE = re.compile(r"\d+\s*\.?\s*F\.?\s*R\b\.?\s*\d+")


def split_fr_citations(text: str) -> list[str]:
    """'84 FR 22961, 85 FR 29852' → two notices. Each notice runs from one "<vol> FR <page>" to the
    next, keeping trailing dates/issue numbers ('87 F.R. 9030 2/17/2022'); text without any such
    citation (ISN's 'Vol. 86, No. 71, 04/15/2021') is one notice."""
    text = text.strip()
    starts = [m.start() for m in _FR_CITE.finditer(text)]
    if not starts:
        return [text] if text else []
    if starts[0] != 0:
        starts[0] = 0
    bounds = [*starts, len(text)]
    parts = (text[a:b].strip().rstrip(",;").strip() for a, b in zip(bounds, bounds[1:], strict=False))
    return [re.sub(r"\s+and$", "", p) for p in parts if p]


def split_multi(value: str | None) -> list[str]:
    return [v.strip() for v in (value or "").split(";") if v.strip()]


def parse_date_text(text: str) -> list[str] | None:
    """A publisher's date of birth → ISO (partial) dates, or None if the form is unknown.

    Forms seen on the US lists: ISO (``1973-03-25``, ``1973``), OFAC's ``25 Mar 1973`` /
    ``Mar 1973``, ``circa <any of those>`` and ranges ``1970 to 1972`` / ``01 Jan 1960 to 31 Dec 1962`` /
    ``1960-1962`` (each year when the span is at most 15 years, else its two ends; one month → that month)."""
    text = " ".join(text.split())
    if m := _CIRCA.fullmatch(text):
        text = m.group(1)
    text = re.sub(r"^(\d{4})-(\d{4})$", r"\1 to \2", text)
    if _ISO_DATE.fullmatch(text):
        return [text]
    if m := _DMY.fullmatch(text):
        day, month, year = m.group("day"), MONTHS.get(m.group("month")[:3].lower()), m.group("year")
        if month is None:
            return None
        return [f"{year}-{month:02d}-{int(day):02d}" if day else f"{year}-{month:02d}"]
    if m := _RANGE.fullmatch(text):
        start, end = parse_date_text(m.group(1)), parse_date_text(m.group(2))
        if not start or not end or len(start) != 1 or len(end) != 1 or start[0] > end[0]:
            return None
        if start[0][:7] == end[0][:7]:
            return [start[0][:7]]
        first, last = int(start[0][:4]), int(end[0][:4])
        return [str(y) for y in range(first, last + 1)] if last - first <= 15 else [str(first), str(last)]
    return None


def parse_birth_dates(value: str, file: str, line: int) -> list[str]:
    out: list[str] = []
    for part in split_multi(value):
        dates = parse_date_text(part)
        if dates is None:
            raise ParseError(file, line, f"date of birth {part!r} is not in a known form (ISO, '25 Mar 1973', 'circa 1973')")
        out.extend(dates)
    return out


def check_iso_date(value: str, column: str, file: str, line: int) -> str | None:
    value = value.strip()
    if not value:
        return None
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise ParseError(file, line, f"{column} {value!r} is not an ISO date (YYYY-MM-DD)")
    return value
