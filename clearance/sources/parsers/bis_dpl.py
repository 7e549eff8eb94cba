"""BIS Denied Persons List, ``dpl.txt``.

Format (BIS, https://www.bis.gov/licensing/guidance-on-end-user-and-end-use-controls-and-us-persons/denied-persons-list
"Download the DPL as a tab-delimited text file"): tab-separated, every field double-quoted, a
header row ``Name Street_Address City State Country Postal_Code Effective_Date Expiration_Date
Standard_Order Last_Update Action FR_Citation``; dates MM/DD/YYYY except Last_Update (YYYY-MM-DD).

One denial order can cover a person at several addresses: BIS then writes one line per address,
repeating the name and order dates (about 120 of 665 lines in Nov 2023). Those lines are
adjacent; lines with the same name and Effective_Date are merged into one Entry with several
addresses — the same grouping trade.gov's CSL uses (462 DPL rows in May 2022). So the entry
count is lower than the line count (dpl_2023-11-30.txt: 665 lines → 547 entries). Within a group
the Federal Register citations are united, the latest Expiration_Date is kept (the longer denial;
a disagreement is noted) and Action/Last_Update come from the most recently updated line.
``entry_id`` is ``dpl-`` + stable_id(name): it survives re-imports, address changes and TDO renewals
(which move Effective_Date: 36 of 396 names between Sep 2022 and Nov 2023). When one name has
several orders (I. ASH, HAYDEE HERRERA: 2002 and 2003), the later groups in file order add the
effective date to the hash.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path

from clearance.errors import ParseError
from clearance.model import Address, Entry, Kind, Legal, Name, NameRole, stable_id
from clearance.sources.base import ParseContext
from clearance.sources.countries import to_iso2
from clearance.sources.io import iter_lines
from clearance.sources.parsers._common import header_index
from clearance.sources.parsers.us_fields import split_fr_citations

COLUMNS = ("Name", "Street_Address", "City", "State", "Country", "Postal_Code", "Effective_Date", "Expiration_Date",
           "Standard_Order", "Last_Update", "Action", "FR_Citation")

Row = dict[str, str]


def us_date(value: str, column: str, file: str, line: int) -> str | None:
    """'06/19/2003' → '2003-06-19'; empty → None; anything else is a ParseError (never guessed)."""
    value = value.strip()
    if not value:
        return None
    m = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", value)
    try:
        if m is None:
            raise ValueError
        return date(int(m.group(3)), int(m.group(1)), int(m.group(2))).isoformat()
    except ValueError:
        raise ParseError(file, line, f"{column} {value!r} is not a MM/DD/YYYY date") from None


def read_rows(path: Path) -> Iterator[tuple[int, Row]]:
    reader = csv.reader(iter_lines(path), delimiter="\t")
    header, index = header_index(reader, path, COLUMNS, "BIS dpl.txt")
    line = reader.line_num
    try:
        for values in reader:
            first, line = line + 1, reader.line_num
            if not any(v.strip() for v in values):
                continue
            if len(values) != len(header):
                raise ParseError(str(path), first, f"{len(values)} fields, the header has {len(header)}")
            yield first, {c: values[i].strip() for c, i in zip(COLUMNS, index, strict=True)}
    except csv.Error as exc:
        raise ParseError(str(path), reader.line_num, f"malformed line ({exc})") from None


def parse(files: dict[str, Path], ctx: ParseContext) -> Iterator[Entry]:
    path = files["main"]
    file = str(path)
    group: list[tuple[int, Row]] = []
    seen: dict[str, int] = {}
    ids: set[str] = set()
    lines = entries = 0
    for line, row in read_rows(path):
        if not row["Name"]:
            raise ParseError(file, line, "empty Name")
        for col in ("Effective_Date", "Expiration_Date"):
            us_date(row[col], col, file, line)
        if row["Last_Update"] and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", row["Last_Update"]):
            raise ParseError(file, line, f"Last_Update {row['Last_Update']!r} is not a YYYY-MM-DD date")
        lines += 1
        if group and key_of(group[0][1]) == key_of(row):
            group.append((line, row))
            continue
        if group:
            entries += 1
            yield build_entry(group, ctx, file, ids)
        if key_of(row) in seen:
            raise ParseError(file, line, f"{row['Name']!r} effective {row['Effective_Date']} repeats line "
                                         f"{seen[key_of(row)]} but not on adjacent lines (duplicate id)")
        seen[key_of(row)] = line
        group = [(line, row)]
    if group:
        entries += 1
        yield build_entry(group, ctx, file, ids)
    ctx.notes.append(f"{lines} DPL lines merged into {entries} entries (one per name and effective date)")


def key_of(row: Row) -> str:
    return stable_id("DPL", " ".join(row["Name"].split()), row["Effective_Date"])


def build_entry(group: list[tuple[int, Row]], ctx: ParseContext, file: str, ids: set[str]) -> Entry:
    first_line, first = group[0]
    name = " ".join(first["Name"].split())
    entry_id = f"dpl-{stable_id('DPL', name)}"
    if entry_id in ids:
        entry_id = f"dpl-{stable_id('DPL', name, first['Effective_Date'])}"
    ids.add(entry_id)
    latest = max(group, key=lambda lr: lr[1]["Last_Update"])[1]
    addresses: list[Address] = []
    notices: dict[str, str] = {}
    expirations: set[str] = set()
    for line, row in group:
        parts = [row[c] for c in ("Street_Address", "City", "State", "Postal_Code", "Country") if row[c]]
        if parts:
            addresses.append(Address(full=", ".join(parts), street=row["Street_Address"] or None,
                                     city=row["City"] or None, region=row["State"] or None,
                                     postal_code=row["Postal_Code"] or None, country=to_iso2(row["Country"])))
        for notice in split_fr_citations(row["FR_Citation"]):
            notices.setdefault(re.sub(r"[\s.,]", "", notice), notice)
        if exp := us_date(row["Expiration_Date"], "Expiration_Date", file, line):
            expirations.add(exp)
    if len(expirations) > 1:
        ctx.notes.append(f"{file}:{first_line}: {first['Name']!r} has expiration dates {sorted(expirations)} on "
                         f"its {len(group)} lines; kept the latest")
    start = us_date(first["Effective_Date"], "Effective_Date", file, first_line)
    countries = dict.fromkeys(a.country for a in addresses if a.country)
    extra = {"last_update": latest["Last_Update"], "lines": str(len(group))}
    return Entry(
        source=ctx.source,
        list_code="DPL",
        entry_id=entry_id,
        kind=Kind.UNKNOWN,  # the DPL mixes people and firms and does not say which
        names=(Name(name, NameRole.PRIMARY),),
        addresses=tuple(dict.fromkeys(addresses)),
        countries=tuple(countries),
        listed_on=start,
        legal=Legal(
            federal_register_notices=tuple(notices.values()),
            start_date=start,
            end_date=max(expirations) if expirations else None,
            standard_order=first["Standard_Order"].upper() or None,
        ),
        remarks=latest["Action"] or None,
        extra=tuple(sorted((k, v) for k, v in extra.items() if v)),
    )
