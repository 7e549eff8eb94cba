"""trade.gov Consolidated Screening List (CSL): CSV and JSON forms.

Format: https://developer.trade.gov/consolidated-screening-list.html — one record per
list entry of 13 export-screening lists (Commerce EL/DPL/UVL/MEU, State ISN/DTC,
Treasury SDN/SSI/FSE/PLC/CAP/CMIC/NS-MBS). The CSV has the 29 columns in ``COLUMNS``;
multi-valued fields are joined with "; ", an address is "street, city, state, postal,
CC" and an id is "[CC, ]number, type". The JSON form (``{"results": [...]}``) carries
the same fields with lists for the multi-valued ones and objects for addresses/ids.

Decisions (see docs/sources-us.md):
- One Entry per row. Treasury rows keep the publisher's ``entity_number`` (``sdn-21944``);
  the other lists' ``_id`` is a content hash trade.gov regenerates with every release, so
  their id is ``<list>-stable_id(list, name, address countries)``, disambiguated by the
  full addresses/date/notices (then an ordinal) when two rows of one list share it.
- A Treasury entity number repeated within one list with the same name (CAP 15268 on two
  rows in May 2022, differing only in source_list_url) keeps one entry per row: the repeat
  gets ``cap-15268-2`` and a note, so counts equal the file's rows (14,160). The same number
  with a different name is a ParseError naming both lines.
- Dates: start/end must be ISO; dates of birth ISO, ``circa YYYY`` or ``YYYY to YYYY``
  (the verbatim value goes to ``extra``); anything else is a ParseError.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from clearance.errors import ParseError
from clearance.model import Address, Entry, Identifier, Kind, Legal, Name, NameRole, stable_id
from clearance.sources.base import ParseContext
from clearance.sources.countries import to_iso2
from clearance.sources.io import iter_lines, read_bytes_limited
from clearance.sources.parsers._common import header_index
from clearance.sources.parsers.us_fields import check_iso_date, parse_birth_dates, split_fr_citations, split_multi

COLUMNS = ["_id", "source", "entity_number", "type", "programs", "name", "title", "addresses", "federal_register_notice", "start_date", "end_date", "standard_order", "license_requirement", "license_policy", "call_sign", "vessel_type", "gross_tonnage", "gross_registered_tonnage", "vessel_flag", "vessel_owner", "remarks", "source_list_url", "alt_names", "citizenships", "dates_of_birth", "nationalities", "places_of_birth", "source_information_url", "ids"]
EXTRA_FIELDS = ("title", "call_sign", "vessel_type", "gross_tonnage", "gross_registered_tonnage", "vessel_flag",
                "vessel_owner")
KINDS = {"individual": Kind.PERSON, "entity": Kind.ORGANIZATION, "vessel": Kind.VESSEL, "aircraft": Kind.AIRCRAFT}
# Lists without a type column: Commerce/State lists of firms default to organization; DPL and
# ITAR-debarred mix people and firms, so they stay unknown rather than guessed.
DEFAULT_KIND = {"EL": Kind.ORGANIZATION, "MEU": Kind.ORGANIZATION, "UVL": Kind.ORGANIZATION, "ISN": Kind.ORGANIZATION}
LIST_CODES = ("EL", "SDN", "DPL", "UVL", "MEU", "ISN", "DTC", "SSI", "FSE", "PLC", "CAP", "CMIC", "MBS")
_SOURCE_CODE = re.compile(r"\((?:NS-)?(?P<code>[A-Z]{2,4})(?: List)?\)")


def list_code_of(source: str) -> str | None:
    """'Entity List (EL) - Bureau of Industry and Security' → 'EL'; '(NS-MBS List)' → 'MBS'."""
    m = _SOURCE_CODE.search(source)
    return m.group("code") if m and m.group("code") in LIST_CODES else None


def parse_address(text: str) -> Address:
    """'street, city, state, postal, CC' → Address(full, country); empty parts and stray spaces dropped."""
    text = ", ".join(p for p in (" ".join(part.split()) for part in text.split(",")) if p)
    head, _, last = text.rpartition(", ")
    country = to_iso2(last) if head else to_iso2(text)
    return Address(full=text, country=country)


def parse_identifier(text: str) -> Identifier:
    value, _, scheme = text.rpartition(", ")
    if not value:
        return Identifier(scheme="", value=text)
    m = re.fullmatch(r"(?P<cc>[A-Z]{2}), (?P<value>.+)", value)
    if m and to_iso2(m.group("cc")):
        return Identifier(scheme=scheme.strip(), value=m.group("value").strip(), country=m.group("cc"))
    return Identifier(scheme=scheme.strip(), value=value.strip())


#: "Huawei Technologies Co., Ltd. (Huawei).  Affiliated Entity:  Huawei Marine Networks Co., Ltd." (23 EL rows, 2022)
AFFILIATE = re.compile(r"^(?P<parent>.+?)\s+Affiliated Entit(?:y|ies):\s*(?P<affiliate>.+)$")


def row_to_entry(row: Mapping[str, str], source: str, file: str, line: int, entry_id: str, code: str) -> Entry:
    """One CSL record (CSV row or flattened JSON record) → Entry."""
    names = [Name(row["name"].strip(), NameRole.PRIMARY)]
    extra: dict[str, str] = {}
    affiliate = AFFILIATE.match(row["name"].strip())
    if affiliate:  # the row lists an affiliate of a listed parent under the parent's entry: the party is the affiliate
        names = [Name(affiliate.group("affiliate").strip(" ;"), NameRole.PRIMARY)]
        extra["affiliated_with"] = affiliate.group("parent").strip(" .")
        extra["csl_name"] = row["name"].strip()
    for alias in split_multi(row["alt_names"]):
        alias = re.sub(r"^and\s+", "", alias)
        if alias and alias != names[0].value:
            names.append(Name(alias, NameRole.ALIAS))
    addresses = tuple(parse_address(a) for a in split_multi(row["addresses"]))
    countries: list[str] = []
    for c in [*(a.country for a in addresses), *split_multi(row["nationalities"]), *split_multi(row["citizenships"])]:
        iso = to_iso2(c)
        if iso and iso not in countries:
            countries.append(iso)
    dob_raw = row["dates_of_birth"]
    birth_dates = parse_birth_dates(dob_raw, file, line)
    fr_text = row["federal_register_notice"].strip()
    notices = split_fr_citations(fr_text)
    start = check_iso_date(row["start_date"], "start_date", file, line)
    extra.update({k: row[k].strip() for k in EXTRA_FIELDS if row[k].strip()})
    if row.get("_id", "").strip() and row["_id"].strip() != row["entity_number"].strip():
        extra["csl_id"] = row["_id"].strip()
    if row["entity_number"].strip():
        extra["entity_number"] = row["entity_number"].strip()
    if fr_text and ", ".join(notices) != fr_text:
        extra["federal_register_notice"] = fr_text
    if split_multi(dob_raw) != birth_dates:
        extra["dates_of_birth"] = dob_raw.strip()
    for k in ("nationalities", "citizenships"):
        if row[k].strip():
            extra[k] = row[k].strip()
    kind_text = row["type"].strip().lower()
    if kind_text and kind_text not in KINDS:
        raise ParseError(file, line, f"unknown type {row['type']!r} (expected Individual, Entity, Vessel, Aircraft)")
    return Entry(
        source=source,
        list_code=code,
        entry_id=entry_id,
        kind=KINDS.get(kind_text) or DEFAULT_KIND.get(code, Kind.UNKNOWN),
        names=tuple(dict.fromkeys(names)),
        addresses=addresses,
        countries=tuple(countries),
        identifiers=tuple(parse_identifier(i) for i in split_multi(row["ids"])),
        birth_dates=tuple(birth_dates),
        birth_places=tuple(split_multi(row["places_of_birth"])),
        programs=tuple(split_multi(row["programs"])),
        listed_on=start,
        legal=Legal(
            license_requirement=row["license_requirement"].strip() or None,
            license_policy=row["license_policy"].strip() or None,
            federal_register_notices=tuple(notices),
            start_date=start,
            end_date=check_iso_date(row["end_date"], "end_date", file, line),
            standard_order=row["standard_order"].strip().upper() or None,
            source_list_url=row["source_list_url"].strip() or None,
            source_information_url=row["source_information_url"].strip() or None,
        ),
        remarks=row["remarks"].strip() or None,
        extra=tuple(sorted(extra.items())),
    )


def iter_entries(records: Iterable[tuple[int, dict[str, str]]], file: str, ctx: ParseContext) -> Iterator[Entry]:
    """Rows (line, record) → Entries: list codes, ids, duplicate handling (see module doc)."""
    seen: dict[str, tuple[int, str]] = {}  # entry id -> (line, name)
    latest_start = ""
    for line, row in records:
        code = list_code_of(row["source"])
        if code is None:
            raise ParseError(file, line, f"unknown source {row['source']!r}")
        if not row["name"].strip():
            raise ParseError(file, line, "empty name")
        latest_start = max(latest_start, row["start_date"].strip())
        number = row["entity_number"].strip()
        if number:
            entry_id = base = f"{code.lower()}-{number}"
            n = 2
            while entry_id in seen:
                first, name = seen[base]
                if name != row["name"].strip():
                    raise ParseError(file, line, f"{base} repeats line {first} with a different name ({name!r})")
                entry_id, n = f"{base}-{n}", n + 1
            if entry_id != base:
                ctx.notes.append(f"{file}: line {line} repeats {base} of line {seen[base][0]}; kept as {entry_id}")
        else:
            countries = sorted({c for a in split_multi(row["addresses"]) if (c := parse_address(a).country)})
            base = f"{code.lower()}-{stable_id(code, ' '.join(row['name'].split()), ','.join(countries))}"
            entry_id = base
            if base in seen:
                detail = (row["addresses"], row["start_date"], row["federal_register_notice"], row["programs"])
                entry_id = f"{base}-{stable_id(*detail)[:8]}"
                n = 2
                while entry_id in seen:
                    entry_id, n = f"{base}-{n}", n + 1
        seen[entry_id] = (line, row["name"].strip())
        yield row_to_entry(row, ctx.source, file, line, entry_id, code)
    if latest_start:
        ctx.notes.append(f"latest start_date in the file: {latest_start}")


def parse_csv(files: dict[str, Path], ctx: ParseContext) -> Iterator[Entry]:
    path = files["main"]
    yield from iter_entries(_csv_records(path, ctx), str(path), ctx)


def _csv_records(path: Path, ctx: ParseContext) -> Iterator[tuple[int, dict[str, str]]]:
    reader = csv.reader(iter_lines(path))
    header, index = header_index(reader, path, COLUMNS, "CSL CSV")
    line = reader.line_num
    try:
        for values in reader:
            first, line = line + 1, reader.line_num
            if values == header:
                ctx.notes.append(f"{path}: line {first} repeats the header row; skipped")
                continue
            if not any(v.strip() for v in values):
                continue
            if len(values) != len(header):
                raise ParseError(str(path), first, f"row has {len(values)} fields, header has {len(header)} (truncated or misquoted?)")
            yield first, {c: values[i] for c, i in zip(COLUMNS, index, strict=True)}
    except csv.Error as exc:
        raise ParseError(str(path), reader.line_num, f"malformed CSV ({exc})") from None


def parse_json(files: dict[str, Path], ctx: ParseContext) -> Iterator[Entry]:
    """The JSON form. Loaded whole (json has no streaming reader in the stdlib; the file is ~40 MB)."""
    path = files["main"]
    try:
        doc = json.loads(read_bytes_limited(path).decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        where = getattr(exc, "lineno", None)
        raise ParseError(str(path), where, f"not valid JSON ({exc})") from None
    results = doc.get("results") if isinstance(doc, dict) else doc
    if not isinstance(results, list):
        raise ParseError(str(path), None, "expected a JSON object with a 'results' array")
    yield from iter_entries(((i, flatten_record(r, str(path), i)) for i, r in enumerate(results, 1)), str(path), ctx)


def flatten_record(rec: Any, file: str, n: int) -> dict[str, str]:
    """A JSON result → the CSV's string fields (lists joined by '; ', objects by ', ')."""
    if not isinstance(rec, dict):
        raise ParseError(file, f"results[{n - 1}]", "record is not an object")
    out: dict[str, str] = {}
    for col in COLUMNS:
        value = rec.get(col if col != "_id" else "id", rec.get(col))
        if col == "addresses" and isinstance(value, list):
            value = [_join_object(a, ("address", "city", "state", "postal_code", "country")) for a in value]
        elif col == "ids" and isinstance(value, list):
            value = [_join_object(i, ("country", "number", "type")) for i in value]
        if isinstance(value, list):
            value = "; ".join(str(v) for v in value if v not in (None, ""))
        out[col] = "" if value is None else str(value)
    return out


def _join_object(obj: Any, keys: tuple[str, ...]) -> Any:
    return ", ".join(str(obj[k]).strip() for k in keys if obj.get(k)) if isinstance(obj, dict) else obj
