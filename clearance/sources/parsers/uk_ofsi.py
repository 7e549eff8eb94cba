"""UK OFSI Consolidated List of Financial Sanctions Targets ("ConList"), CSV and xlsx layouts.

Format: https://www.gov.uk/government/publications/financial-sanctions-consolidated-list-of-targets
(ConList.csv / ConList.xlsx, "2022 format"). A preamble row ``Last Updated | dd/mm/yyyy``
(-> ``ctx.as_of``), then a header of 36 columns, then ONE ROW PER NAME (and per address
variant): ``Name 1``..``Name 5`` given names, ``Name 6`` surname or full entity name,
``Alias Type`` (Primary name / Primary name variation / AKA / FKA), ``Alias Quality``,
``Name Non-Latin Script``, ``DOB`` (``dd/mm/yyyy`` with ``00`` for unknown parts),
``Regime``, ``Listed On``, ``Group Type`` (Individual / Entity / Ship) and ``Group ID``,
which identifies the designation: rows sharing it form one Entry, id ``uk-<Group ID>``.

Memory: a group's rows are NOT contiguous in OFSI's files (3,818 out-of-order rows in the
2025-04-10 snapshot), so rows are accumulated per Group ID and entries are yielded at
the end, in order of first appearance. That holds the raw rows of the whole list (~19,000
short rows, a few tens of MB): acceptable for a list of this size and simpler than two passes.
"""

from __future__ import annotations

import csv
import re
import zipfile
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path

from clearance.errors import ParseError
from clearance.model import Address, Entry, Identifier, Kind, Legal, Name, NameRole
from clearance.sources.base import ParseContext
from clearance.sources.io import iter_lines
from clearance.sources.parsers._common import country_code, dmy_date, unique
from clearance.sources.scripts import detect_script

REQUIRED = ("Name 6", "Name 1", "Name 2", "Name 3", "Name 4", "Name 5", "Title", "Name Non-Latin Script",
            "Non-Latin Script Language", "DOB", "Town of Birth", "Country of Birth", "Nationality", "Passport Number",
            "Passport Details", "National Identification Number", "National Identification Details", "Position",
            "Address 1", "Address 2", "Address 3", "Address 4", "Address 5", "Address 6", "Post/Zip Code", "Country",
            "Other Information", "Group Type", "Alias Type", "Alias Quality", "Regime", "Listed On",
            "UK Sanctions List Date Designated", "Last Updated", "Group ID")  # fmt: skip
_KINDS = {"individual": Kind.PERSON, "entity": Kind.ORGANIZATION, "ship": Kind.VESSEL}
_ROLES = {"primary name": NameRole.PRIMARY, "primary name variation": NameRole.ALIAS, "aka": NameRole.ALIAS,
          "prime alias": NameRole.ALIAS, "fka": NameRole.FORMER}  # fmt: skip
_ADDRESS = ("Address 1", "Address 2", "Address 3", "Address 4", "Address 5", "Address 6", "Post/Zip Code", "Country")
_NUMBERED = re.compile(r"\(\d+\s*(?:(?:-|to)\s*\(?\d+)?\)")
_UK_REF = re.compile(r"\(UK Sanctions List Ref\):\s*([A-Z]{2,4}\d{3,5})")
# "(UN Ref):QDi.123." -- the UN designation this UK entry implements (the UN list's REFERENCE_NUMBER).
# Not "UN Reference Number: UN Ref KPe.064" inside a ship's note, which names the ship's owner.
_UN_REF = re.compile(r"\(UN Ref\):\s*([A-Z]{2}[ie]\.\d{3})")
UN_REFERENCE = "UN Reference Number"  # the scheme un_xml gives each UN entry's own reference
Row = tuple[int, list[str]]  # (line or row number, cells)


def parse_csv(files: dict[str, Path], ctx: ParseContext) -> Iterator[Entry]:
    path = files["main"]
    reader = csv.reader(iter_lines(path))
    rows = ((reader.line_num, cells) for cells in reader)  # physical line (quoted fields may span lines)
    yield from _parse_rows(rows, str(path), ctx)


def parse_xlsx(files: dict[str, Path], ctx: ParseContext) -> Iterator[Entry]:
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    path = files["main"]
    if not path.is_file() or path.stat().st_size == 0:
        raise ParseError(str(path), None, "file is empty" if path.is_file() else "file not found")
    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError) as exc:
        raise ParseError(str(path), None, f"not a readable xlsx workbook ({exc.__class__.__name__}: {exc})") from None
    try:
        ws = wb.worksheets[0]
        rows = ((n, [_cell(v) for v in values]) for n, values in enumerate(ws.iter_rows(values_only=True), start=1))
        yield from _parse_rows(rows, f"{path} [sheet {ws.title}]", ctx)
    finally:
        wb.close()


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime | date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _parse_rows(rows: Iterable[Row], file: str, ctx: ParseContext) -> Iterator[Entry]:
    it = iter(rows)
    first = next(it, None)
    if first is None:
        raise ParseError(file, None, "file is empty")
    n, cells = first
    if cells and cells[0].strip().casefold() == "last updated":
        ctx.as_of = dmy_date(cells[1] if len(cells) > 1 else "", file, f"line {n} (Last Updated)")
        first = next(it, None)
        if first is None:
            raise ParseError(file, f"line {n + 1}", "header row missing after the 'Last Updated' line")
        n, cells = first
    header = [c.strip() for c in cells]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise ParseError(file, f"line {n}", f"not an OFSI ConList header: missing column(s) {missing}")
    col = {name: header.index(name) for name in REQUIRED}
    groups: dict[str, list[tuple[int, dict[str, str]]]] = {}
    for n, cells in it:
        if not any(c.strip() for c in cells):
            continue
        if len(cells) < len(header):
            raise ParseError(file, f"line {n}", f"row has {len(cells)} fields, the header has {len(header)}")
        row = {name: cells[i].strip() for name, i in col.items()}
        if not row["Group ID"]:
            raise ParseError(file, f"line {n}", "empty Group ID")
        groups.setdefault(row["Group ID"], []).append((n, row))
    for gid, grp in groups.items():
        yield _entry(gid, grp, file, ctx)


def _entry(gid: str, rows: list[tuple[int, dict[str, str]]], file: str, ctx: ParseContext) -> Entry:
    first_line, head = rows[0]
    kind = _KINDS.get(head["Group Type"].casefold())
    if kind is None:
        raise ParseError(file, f"line {first_line}", f"unknown Group Type {head['Group Type']!r} (Group ID {gid})")
    names: list[Name] = []
    for n, r in sorted(rows, key=lambda nr: nr[1]["Alias Type"].casefold() != "primary name"):
        role = _ROLES.get(r["Alias Type"].casefold())
        if role is None:
            raise ParseError(file, f"line {n}", f"unknown Alias Type {r['Alias Type']!r} (Group ID {gid})")
        if role is NameRole.ALIAS and r["Alias Quality"].casefold().startswith("low"):
            role = NameRole.WEAK_ALIAS
        if role is NameRole.PRIMARY and names:
            role = NameRole.ALIAS  # a second, different primary spelling
        value = " ".join(" ".join(r[f"Name {i}"] for i in (1, 2, 3, 4, 5, 6)).split())
        if value:
            names.append(Name(value, role if names else NameRole.PRIMARY, detect_script(value)))
        if native := " ".join(r["Name Non-Latin Script"].split()):
            names.append(Name(native, NameRole.NATIVE, detect_script(native), r["Non-Latin Script Language"] or None))
    if not names:
        raise ParseError(file, f"line {first_line}", f"Group ID {gid} has no name")
    countries: list[str | None] = []
    addresses = []
    identifiers: list[Identifier] = []
    for text in unique(r["Nationality"] for _, r in rows):
        countries.extend(_countries(text, ctx))
    for parts in dict.fromkeys(tuple(r[c] for c in _ADDRESS) for _, r in rows):
        if any(parts):
            r = dict(zip(_ADDRESS, parts, strict=True))
            code = (_countries(r["Country"], ctx) or [None])[0]
            countries.append(code)
            addresses.append(Address(", ".join(p for p in parts if p), None, r["Address 6"] or None, None,
                                     r["Post/Zip Code"] or None, code))  # fmt: skip
    for _, r in rows:
        identifiers += [Identifier(UN_REFERENCE, ref) for ref in _UN_REF.findall(r["Other Information"])]
        identifiers += _identifiers("Passport", r["Passport Number"], r["Passport Details"])
        identifiers += _identifiers("National Identification Number", r["National Identification Number"],
                                    r["National Identification Details"])  # fmt: skip
    def col(name: str) -> list[str]:
        return [r[name] for _, r in rows]

    listed = sorted(d for n, r in rows if (d := dmy_date(r["Listed On"], file, f"line {n} (Listed On)")))
    designated = sorted(
        d for n, r in rows if (d := dmy_date(r["UK Sanctions List Date Designated"], file, f"line {n} (Date Designated)"))
    )
    updated = sorted(d for n, r in rows if (d := dmy_date(r["Last Updated"], file, f"line {n} (Last Updated)")))
    ref = _UK_REF.search(head["Other Information"])
    extra = {"group_type": head["Group Type"], "title": "; ".join(unique(col("Title"))),
             "position": "; ".join(unique(col("Position"))), "uk_sanctions_list_ref": ref.group(1) if ref else "",
             "date_designated": designated[0] if designated else "", "last_updated": updated[-1] if updated else ""}  # fmt: skip
    return Entry(
        source=ctx.source,
        list_code=ctx.option("list_code", "UK"),
        entry_id=f"uk-{gid}",
        kind=kind,
        names=_dedupe(names),
        addresses=tuple(dict.fromkeys(addresses)),
        countries=unique(countries),
        identifiers=tuple(dict.fromkeys(identifiers)),
        birth_dates=unique(dmy_date(r["DOB"], file, f"line {n} (DOB)") for n, r in rows),
        birth_places=unique(", ".join(p for p in (r["Town of Birth"], r["Country of Birth"]) if p) for _, r in rows),
        programs=unique(col("Regime")),
        listed_on=listed[0] if listed else None,
        legal=Legal(source_list_url="https://www.gov.uk/government/publications/financial-sanctions-consolidated-list-of-targets"),
        remarks="\n".join(unique(col("Other Information"))) or None,
        extra=tuple(sorted((k, v) for k, v in extra.items() if v)),
    )


def _dedupe(names: list[Name]) -> tuple[Name, ...]:
    """One Name per spelling (rows repeat a name once per address or DOB variant)."""
    seen: dict[str, Name] = {}
    for name in names:
        seen.setdefault(name.value.casefold(), name)
    return tuple(seen.values())


def _split_numbered(text: str) -> list[str]:
    """``(1) Russia (2) Israel`` -> ['Russia', 'Israel']; plain text -> [text]."""
    return [p for piece in _NUMBERED.split(text) if (p := piece.strip(" .;,-\u00a0"))]


def _countries(text: str, ctx: ParseContext) -> list[str | None]:
    out: list[str | None] = []
    for piece in _split_numbered(text):
        bare = re.sub(r"\s*\([^)]*\)\s*$", "", piece)  # "Iraq (previous address)"
        parts = [to_iso2(p) for p in re.split(r"[,.]\s*", piece) if p.strip()]
        if code := to_iso2(piece) or to_iso2(bare):
            out.append(code)
        elif len(parts) > 1 and all(parts):  # "Estonia, Russia", "Germany. Russia"
            out.extend(parts)
        else:
            out.append(country_code(piece, ctx))  # notes it as unresolved
    return out


@lru_cache(maxsize=4096)
def to_iso2(text: str) -> str | None:
    from clearance.sources.countries import to_iso2 as lookup

    return lookup(text)


def _identifiers(scheme: str, numbers: str, details: str) -> list[Identifier]:
    nums = [n for n in _split_numbered(numbers) if n != "-"]
    notes = _split_numbered(details)
    if len(notes) != len(nums):
        notes = [details] * len(nums)
    return [Identifier(scheme, num, None, note or None) for num, note in zip(nums, notes, strict=True)]
