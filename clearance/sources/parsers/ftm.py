"""FollowTheMoney (FtM) entity JSON lines: import (``parse``) and export (``write_ftm``).

Format: one JSON object per line, ``{"id", "schema", "properties": {prop: [values]}}``, the
data model of OpenSanctions and Aleph. Schemas and properties:
https://followthemoney.tech/explorer/ (source: github.com/opensanctions/followthemoney,
``followthemoney/schema/*.yaml``). Dates are ISO prefixes, countries lowercase alpha-2.

Import: entities of schema Person, Organization, Company, PublicBody, LegalEntity, Vessel and
Airplane become Entries (entry_id = the FtM id). ``Address``, ``Identification``/``Passport``
and ``Sanction`` entities that point at them (``addressEntity``, ``holder``, ``entity``) are
resolved: the file is read twice (first the small linked entities, then the main ones), so
memory holds only those. Other schemas (Family, Occupancy, Position, ...) are counted in
``ctx.notes`` and skipped, as are properties unknown to this mapping.

Export: one main entity per Entry (Person / Organization / Vessel / Airplane, LegalEntity for
an unknown kind) plus one Sanction entity carrying program, listingDate, authority and
sourceUrl; ids ``clearance-<source>-<entry_id>``. NATIVE names are exported as ``alias``
(FtM has no native-name property), so they come back as aliases with their script.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, TextIO

from clearance.errors import ParseError
from clearance.model import Address, Entry, Identifier, Kind, Legal, Name, NameRole
from clearance.sources.base import ParseContext
from clearance.sources.io import iter_lines
from clearance.sources.parsers._common import iso_date, unique
from clearance.sources.registry import LIST_CODES
from clearance.sources.scripts import detect_script

KINDS = {"Person": Kind.PERSON, "Organization": Kind.ORGANIZATION, "Company": Kind.ORGANIZATION,
         "PublicBody": Kind.ORGANIZATION, "LegalEntity": Kind.UNKNOWN, "Vessel": Kind.VESSEL, "Airplane": Kind.AIRCRAFT}  # fmt: skip
SCHEMAS = {Kind.PERSON: "Person", Kind.ORGANIZATION: "Organization", Kind.VESSEL: "Vessel",
           Kind.AIRCRAFT: "Airplane", Kind.UNKNOWN: "LegalEntity"}  # fmt: skip
_NAME_ROLES = {"name": NameRole.ALIAS, "alias": NameRole.ALIAS, "weakAlias": NameRole.WEAK_ALIAS,
               "previousName": NameRole.FORMER}  # fmt: skip
_COUNTRY_PROPS = ("country", "nationality", "citizenship", "jurisdiction", "mainCountry", "flag")
_ID_PROPS = ("idNumber", "registrationNumber", "taxNumber", "passportNumber", "imoNumber", "mmsi", "callSign",
             "innCode", "ogrnCode", "leiCode", "icaoCode", "serialNumber", "swiftBic")  # fmt: skip
_LINKED = ("Address", "Identification", "Passport", "Sanction")
_SAFE_ID = re.compile(r"[^0-9A-Za-z.-]+")
_DATE = re.compile(r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?(T[\d:.]+Z?)?$")  # FtM date: ISO prefix
_ISO2 = re.compile(r"^[A-Z]{2}$")
# followthemoney.types max_length of the property types used on export (name 384, address 250, identifier 64)
_MAX_LENGTH = {"alias": 384, "weakAlias": 384, "previousName": 384, "address": 250, "birthPlace": 1024,
               "passportNumber": 64, "imoNumber": 64, "idNumber": 64, "registrationNumber": 64}  # fmt: skip


def _read(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    for n, line in enumerate(iter_lines(path), start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ParseError(str(path), f"line {n}, column {exc.colno}", f"malformed JSON ({exc.msg})") from None
        if not isinstance(data, dict) or not isinstance(data.get("id"), str) or not isinstance(data.get("schema"), str):
            raise ParseError(str(path), f"line {n}", "not an FtM entity (needs string 'id' and 'schema')")
        if not isinstance(data.get("properties", {}), dict):
            raise ParseError(str(path), f"line {n}", "'properties' must be an object")
        yield n, data


def _first(data: dict[str, Any], prop: str) -> str | None:
    values = _props(data, prop)
    return values[0] if values else None


def _props(data: dict[str, Any], prop: str) -> list[str]:
    values = data.get("properties", {}).get(prop) or []
    return [str(v) for v in (values if isinstance(values, list) else [values]) if v not in (None, "")]


def parse(files: dict[str, Path], ctx: ParseContext) -> Iterator[Entry]:
    path, file = files["main"], str(files["main"])
    linked: dict[str, dict[str, list[dict[str, Any]]]] = {s: {} for s in ("Address", "Identification", "Sanction")}
    for _, data in _read(path):  # pass 1: the linked entities, keyed by the entity they describe
        schema = data["schema"]
        if schema == "Address":
            linked["Address"].setdefault(data["id"], []).append(data)
        elif schema in ("Identification", "Passport"):
            for holder in _props(data, "holder"):
                linked["Identification"].setdefault(holder, []).append(data)
        elif schema == "Sanction":
            for target in _props(data, "entity"):
                linked["Sanction"].setdefault(target, []).append(data)
    skipped: Counter[str] = Counter()
    invalid: dict[str, list[str]] = {}
    for n, data in _read(path):  # pass 2: the parties
        if data["schema"] not in KINDS:
            if data["schema"] not in _LINKED:
                skipped[data["schema"]] += 1
            continue
        if entry := _entry(data, linked, ctx, invalid, n):
            yield entry
        if seen := str(data.get("last_change") or data.get("last_seen") or "")[:10]:
            ctx.as_of = max(ctx.as_of or "", iso_date(seen, file, f"line {n} (last_change)") or "") or None
    for prop, bad in invalid.items():
        ctx.notes.append(f"FtM: {len(bad)} invalid {prop} value(s) dropped (FtM cleaning rules), e.g. {bad[:5]}")
    if skipped:
        ctx.notes.append("FtM entities of other schemas skipped: " + ", ".join(f"{s} {c}" for s, c in skipped.most_common()))


def _entry(data: dict[str, Any], linked: dict[str, dict[str, list[dict[str, Any]]]], ctx: ParseContext,
           invalid: dict[str, list[str]], n: int) -> Entry | None:  # fmt: skip
    names: list[Name] = []
    for prop, role in _NAME_ROLES.items():
        for value in unique(_props(data, prop)):
            names.append(Name(value, NameRole.PRIMARY if not names else role, detect_script(value)))
    if not names:
        ctx.notes.append(f"line {n}: {data['schema']} {data['id']} has no name; skipped")
        return None
    sanctions = linked["Sanction"].get(data["id"], [])
    addresses = [Address(full=a) for a in unique(_props(data, "address"))]
    for ref in _props(data, "addressEntity"):
        for a in linked["Address"].get(ref, []):
            f = {p: _first(a, p) for p in ("full", "street", "city", "region", "state", "postalCode", "country")}
            addresses.append(Address(f["full"], f["street"], f["city"], f["region"] or f["state"], f["postalCode"],
                                     f["country"].upper() if f["country"] else None))  # fmt: skip
    identifiers = [Identifier(p, v) for p in _ID_PROPS for v in unique(_props(data, p))]
    for doc in linked["Identification"].get(data["id"], []):
        for number in _props(doc, "number"):
            country = _first(doc, "country")
            identifiers.append(Identifier(_first(doc, "type") or doc["schema"], number, country.upper() if country else None))
    countries = [c.upper() for p in _COUNTRY_PROPS for c in _props(data, p)] + [a.country for a in addresses]
    for c in countries:
        if c and not _ISO2.match(c):
            invalid.setdefault("country", []).append(c)

    def dates(entity: dict[str, Any], prop: str) -> list[str]:
        out = []
        for value in _props(entity, prop):
            if _DATE.match(value):
                out.append(value[:10])
            else:
                invalid.setdefault(prop, []).append(value)
        return out

    listed = sorted(d for s in sanctions for d in dates(s, "listingDate") + dates(s, "startDate"))
    first_sanction = sanctions[0] if sanctions else {}
    legal = Legal(
        start_date=next(iter(dates(first_sanction, "startDate")), None),
        end_date=next(iter(dates(first_sanction, "endDate")), None),
        source_list_url=_first(first_sanction, "sourceUrl") or _first(data, "sourceUrl"),
    )
    extra = {"ftm_schema": data["schema"], "topics": ";".join(_props(data, "topics")),
             "gender": ";".join(_props(data, "gender")), "position": "; ".join(unique(_props(data, "position"))),
             "authority": "; ".join(unique(a for s in sanctions for a in _props(s, "authority"))),
             "datasets": ";".join(str(d) for d in data.get("datasets") or [])}  # fmt: skip
    return Entry(
        source=ctx.source,
        list_code=ctx.option("list_code", "FTM"),
        entry_id=data["id"],
        kind=KINDS[data["schema"]],
        names=tuple(dict.fromkeys(names)),
        addresses=tuple(dict.fromkeys(addresses)),
        countries=unique(c for c in countries if c and _ISO2.match(c)),
        identifiers=tuple(dict.fromkeys(identifiers)),
        birth_dates=unique(dates(data, "birthDate")),
        birth_places=unique(_props(data, "birthPlace")),
        programs=unique(p for s in [data, *sanctions] for p in _props(s, "program")),
        listed_on=listed[0] if listed else None,
        legal=legal,
        remarks="\n".join(unique(_props(data, "notes"))) or None,
        extra=tuple(sorted((k, v) for k, v in extra.items() if v)),
    )


def ftm_id(entry: Entry) -> str:
    return "clearance-" + _SAFE_ID.sub("-", f"{entry.source}-{entry.entry_id}").strip("-.")


def to_ftm(entry: Entry) -> list[dict[str, Any]]:
    """The FtM entities (party + Sanction) describing one Entry."""
    schema = SCHEMAS[entry.kind]
    props: dict[str, list[str]] = {"name": [entry.name]}
    by_role = {NameRole.ALIAS: "alias", NameRole.NATIVE: "alias", NameRole.WEAK_ALIAS: "weakAlias", NameRole.FORMER: "previousName"}
    for n in entry.names:
        if n.value != entry.name and n.role in by_role:
            props.setdefault(by_role[n.role], []).append(n.value)
    props["country"] = [c.lower() for c in entry.countries]
    props["address"] = [a.full for a in entry.addresses if a.full]
    if schema == "Person":
        props["birthDate"] = list(entry.birth_dates)
        props["birthPlace"] = list(entry.birth_places)
    for ident in entry.identifiers:
        scheme = ident.scheme.casefold()
        if "passport" in scheme and schema == "Person":
            props.setdefault("passportNumber", []).append(ident.value)
        elif "imo" in scheme and schema in ("Vessel", "Organization"):
            props.setdefault("imoNumber", []).append(ident.value)
        else:
            props.setdefault("registrationNumber" if schema in ("Vessel", "Airplane") else "idNumber", []).append(ident.value)
    notes = [entry.remarks] if entry.remarks else []
    for prop, limit in _MAX_LENGTH.items():  # FtM would cut longer values: keep them whole in notes instead
        notes += [f"{prop}: {v}" for v in props.get(prop, []) if len(v) > limit]
        props[prop] = [v for v in props.get(prop, []) if len(v) <= limit]
    props["notes"] = notes
    props["topics"] = ["sanction"]
    party_id = ftm_id(entry)
    party = {"id": party_id, "schema": schema, "properties": {k: list(unique(v)) for k, v in props.items() if v}}
    sanction: dict[str, list[str]] = {
        "entity": [party_id], "authority": [LIST_CODES.get(entry.list_code, entry.list_code)],
        "program": list(entry.programs), "listingDate": [entry.listed_on] if entry.listed_on else [],
        "sourceUrl": [u for u in (entry.legal.source_list_url,) if u], "recordId": [entry.entry_id],
        "startDate": [d for d in (entry.legal.start_date,) if d], "endDate": [d for d in (entry.legal.end_date,) if d],
        "provisions": [p for p in (entry.legal.license_requirement,) if p],
    }  # fmt: skip
    return [party, {"id": party_id + "-sanction", "schema": "Sanction", "properties": {k: v for k, v in sanction.items() if v}}]


def write_ftm(entries: Iterable[Entry], fp: TextIO) -> int:
    """Write ``entries`` as FtM JSON lines; returns the number of FtM entities written."""
    count = 0
    for entry in entries:
        for entity in to_ftm(entry):
            fp.write(json.dumps(entity, ensure_ascii=False, sort_keys=True) + "\n")
            count += 1
    return count
