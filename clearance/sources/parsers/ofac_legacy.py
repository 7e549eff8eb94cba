"""OFAC legacy CSV sets: sdn.csv / add.csv / alt.csv / sdn_comments.csv (and cons_* for the non-SDN list).

Layout (OFAC "dat_spec.txt", https://ofac.treasury.gov/sdn-list-data-formats-data-schemas): no
header; ``-0-`` (often ``"-0- "``) means empty; CRLF (older copies LF); a trailing 0x1A byte.

- main file (role ``options.main_role``: ``sdn`` or ``prim``), 12 columns: ent_num, SDN_Name,
  SDN_Type (individual / vessel / aircraft / empty = entity), Program ("A] [B" for several),
  Title, Call_Sign, Vess_type, Tonnage, GRT, Vess_flag, Vess_owner, Remarks;
- ``add`` (6): ent_num, add_num, address, "City/State/Province/Postal Code", country, remarks;
- ``alt`` (5): ent_num, alt_num, alt_type (aka / fka / nka), alt_name, remarks;
- ``comments`` (2): ent_num, continuation of the remarks cut at OFAC's field limit.

Remarks are parsed by :mod:`ofac_remarks` (DOB, POB, nationality, ids, a.k.a., Linked To);
they stay verbatim in ``Entry.remarks``. The "a.k.a." names in Remarks are OFAC's weak
aliases (strong ones are in alt.csv), so they are kept as ``WEAK_ALIAS``. The real files
are ASCII/UTF-8 (checked for every file in shared/data), so decoding is strict UTF-8.
A repeated ent_num with different content (2677 in the 2022-01-31 sdn.csv) is noted with both
line numbers; it is a ParseError naming both lines unless the operator passed --force
(``ctx.force``), which keeps the first and records a note on the version.
"""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

from clearance.errors import ParseError
from clearance.model import Address, Entry, Kind, Name, NameRole
from clearance.sources.base import ParseContext
from clearance.sources.countries import to_iso2
from clearance.sources.io import iter_lines
from clearance.sources.parsers.ofac_remarks import parse_remarks

WIDTHS = {"main": 12, "add": 6, "alt": 5, "comments": 2}
KINDS = {"individual": Kind.PERSON, "vessel": Kind.VESSEL, "aircraft": Kind.AIRCRAFT, "": Kind.ORGANIZATION}
ALT_ROLES = {"aka": NameRole.ALIAS, "fka": NameRole.FORMER, "nka": NameRole.ALIAS}
EXTRA_COLUMNS = {4: "title", 5: "call_sign", 6: "vessel_type", 7: "tonnage", 8: "gross_registered_tonnage",
                 9: "vessel_flag", 10: "vessel_owner"}
# Non-SDN (CONS) program → the specific OFAC non-SDN list (kept in extra["non_sdn_list"]).
CONS_PROGRAMS = (("NS-PLC", "PLC"), ("UKRAINE-EO13662", "SSI"), ("CMIC", "CMIC"), ("561-Related", "CAP"),
                 ("FSE-", "FSE"), ("NS-ISA", "NS-ISA"), ("MBS", "MBS"))


def clean(value: str) -> str:
    value = value.strip()
    return "" if value == "-0-" else value


def read_rows(path: Path, role: str) -> Iterator[tuple[int, list[str]]]:
    """(line, cleaned fields) of one legacy file, checking the column count."""
    reader = csv.reader(iter_lines(path))
    line = 0
    try:
        for values in reader:
            first, line = line + 1, reader.line_num
            if not values or values == [""]:
                continue
            if len(values) != WIDTHS[role]:
                raise ParseError(str(path), first,
                                 f"{len(values)} columns, the OFAC legacy {role} file has {WIDTHS[role]}")
            if not values[0].strip().isdigit():
                raise ParseError(str(path), first, f"ent_num {values[0]!r} is not a number")
            yield first, [clean(v) for v in values]
    except csv.Error as exc:
        raise ParseError(str(path), reader.line_num, f"malformed CSV ({exc})") from None


def parse(files: dict[str, Path], ctx: ParseContext) -> Iterator[Entry]:
    list_code = str(ctx.option("list_code", "SDN"))
    main_role = str(ctx.option("main_role", "sdn"))
    if main_role not in files:
        raise ParseError(ctx.source, None, f"no {main_role} file given")
    main = files[main_role]
    addresses: dict[str, list[Address]] = defaultdict(list)
    aliases: dict[str, list[Name]] = defaultdict(list)
    comments: dict[str, str] = defaultdict(str)
    if "add" in files:
        for _, (ent, _num, street, city, country, _rem) in read_rows(files["add"], "add"):
            parts = [p for p in (street, city, country) if p]
            if parts:
                addresses[ent].append(Address(full=", ".join(parts), street=street or None, city=city or None,
                                              country=to_iso2(country)))
    if "alt" in files:
        for line, (ent, _num, alt_type, name, _rem) in read_rows(files["alt"], "alt"):
            role = ALT_ROLES.get(alt_type.lower())
            if role is None:
                raise ParseError(str(files["alt"]), line, f"alt_type {alt_type!r} is not aka, fka or nka")
            if name:
                aliases[ent].append(Name(name, role))
    if "comments" in files:
        for _, (ent, text) in read_rows(files["comments"], "comments"):
            comments[ent] += text
    seen: dict[str, tuple[int, list[str]]] = {}
    undated = 0
    for line, row in read_rows(main, "main"):
        ent = row[0]
        if ent in seen:
            first, previous = seen[ent]
            if previous == row:
                ctx.notes.append(f"{main}: line {line} repeats line {first} (ent_num {ent}); skipped")
                continue
            msg = f"ent_num {ent} repeats line {first} with different content ({previous[1]!r} / {row[1]!r})"
            if not ctx.force:
                raise ParseError(str(main), line, msg + "; use --force to keep the first")
            ctx.notes.append(f"{main}:{line}: {msg}; kept the first (--force)")
            continue
        seen[ent] = (line, row)
        kind = KINDS.get(row[2].lower())
        if kind is None:
            raise ParseError(str(main), line, f"SDN_Type {row[2]!r} is not individual, vessel, aircraft or -0-")
        if not row[1]:
            raise ParseError(str(main), line, "empty name")
        remarks_text = (row[11] + comments.pop(ent, "")).strip()
        facts = parse_remarks(remarks_text)
        undated += len(facts.unparsed_dates)
        programs = tuple(p.strip() for p in re.split(r"\]\s*\[", row[3].strip("[] ")) if p.strip())
        extra = {name: row[i] for i, name in EXTRA_COLUMNS.items() if row[i]}
        extra.update(facts.extra)
        if list_code == "CONS":
            extra["non_sdn_list"] = non_sdn_list(programs, remarks_text)
        names = [Name(row[1], NameRole.PRIMARY), *aliases.pop(ent, []), *facts.names]
        entry_addresses = tuple(addresses.pop(ent, []))
        countries = dict.fromkeys([*(a.country for a in entry_addresses if a.country), *facts.countries])
        yield Entry(
            source=ctx.source,
            list_code=list_code,
            entry_id=f"{list_code.lower()}-{ent}",
            kind=kind,
            names=tuple(dict.fromkeys(names)),
            addresses=entry_addresses,
            countries=tuple(countries),
            identifiers=facts.identifiers,
            birth_dates=facts.birth_dates,
            birth_places=facts.birth_places,
            programs=programs,
            remarks=remarks_text or None,
            extra=tuple(sorted(extra.items())),
        )
    for label, orphans in (("add", addresses), ("alt", aliases), ("comments", comments)):
        if orphans:
            ctx.notes.append(f"{label}: {len(orphans)} ent_num(s) not in {main.name} ignored: "
                             f"{', '.join(sorted(orphans, key=int)[:20])}")
    if undated:
        ctx.notes.append(f"{undated} date(s) of birth in remarks not in a known form; kept in remarks only")


def non_sdn_list(programs: tuple[str, ...], remarks: str) -> str:
    """Best-effort: which OFAC non-SDN list a CONS entry comes from.

    A bare RUSSIA-EO14024 program is CAPTA when the remarks name Directive 2, else NS-MBS."""
    found: list[str] = []
    for program in programs:
        for prefix, code in CONS_PROGRAMS:
            if program.startswith(prefix) and code not in found:
                found.append(code)
    if not found and "RUSSIA-EO14024" in programs:
        found.append("CAP" if "Directive 2)" in remarks else "MBS")
    return ",".join(found) or "unknown"
