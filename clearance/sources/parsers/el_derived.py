"""Third-party parses of the Entity List and related lists (NOT official formats).

nsfreg (github.com/phagehunter/nsfreg, ``data/bis_entity_list.json`` and ``bis_meu.json``):
one JSON document ``{list_id, source_file, extracted, count, entities: [{name, aliases[],
country, address, status, effective_date, federal_register, notes}]}`` parsed by that
project from the eCFR text of 15 CFR 744 Supp. 4 (Entity List) and Supp. 7 (MEU List),
https://www.ecfr.gov/current/title-15/subtitle-B/chapter-VII/subchapter-C/part-744.
Role ``main`` -> list EL, role ``meu`` -> list MEU. Caveats kept on the version
(``ctx.notes``): ``notes`` is the license requirement TRUNCATED to 200 characters,
``federal_register`` holds the FR citations (split into ``Legal.federal_register_notices``).
No publisher id exists: ``entry_id`` is ``el2026-``/``meu2026-`` + a hash of the normalized
name and country (stable across re-imports and reordering); the 3 name+country pairs listed
twice in 2026-07 get a suffix hashed from their address and FR citations.

casslab (github.com/casslab-kaist/restricted-parties-db, ``public/data/restricted_parties.json``):
a JSON array of records ``{id, entity_type, name: {english, native, korean}, aliases[],
countries[] (in Korean), listing_rationale, remarks, source: {list_id, ...}, ingested_at}``
from 8 lists. ``name.native`` becomes a NATIVE name (script detected) marked as third-party;
Korean country names map through ``tables/countries_ko.yaml``; the Korean translation of
the name is kept in ``extra`` (it is not a name the party uses). Records repeated under one
id (56 in the 2026-08-18 file) are merged.

Both files are small single JSON documents: read whole (size-guarded by
:func:`read_bytes_limited`), decoding errors reported with line and column.
"""

from __future__ import annotations

import functools
import json
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

from clearance.errors import ParseError
from clearance.model import Address, Entry, Kind, Legal, Name, NameRole, stable_id
from clearance.sources.base import ParseContext
from clearance.sources.io import read_bytes_limited
from clearance.sources.parsers._common import country_code, iso_date, unique
from clearance.sources.scripts import detect_script

MAX_BYTES = 64 * 1024 * 1024
KO_TABLE = Path(__file__).resolve().parents[1] / "tables" / "countries_ko.yaml"
NATIVE_NOTE = "third-party native-script name (casslab)"
CASSLAB_LISTS = {"us-bis-entity-list": "EL", "us-bis-military-end-user-list": "MEU", "us-ofac-ns-cmic": "CMIC",
                 "jp-meti-end-user-list": "JP_EUL", "us-dod-section-1260h": "DOD_1260H", "us-dhs-uflpa": "UFLPA",
                 "us-dod-section-1286": "DOD_1286", "ca-ised-named-research-organizations": "CA_NRO"}  # fmt: skip
_FR_SPLIT = re.compile(r"\s*\n\s*|[.,;]\s+(?=\d+\s+FR\s)")


def load_json(path: Path) -> Any:
    """One JSON document, size-guarded; every failure is a located ParseError."""
    raw = read_bytes_limited(path, MAX_BYTES)
    if not raw.strip():
        raise ParseError(str(path), None, "file is empty")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise ParseError(str(path), f"line {line}, column {col}", f"byte 0x{raw[exc.start]:02x} is not valid UTF-8") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ParseError(str(path), f"line {exc.lineno}, column {exc.colno}", f"malformed JSON ({exc.msg})") from None


def parse_nsfreg(files: dict[str, Path], ctx: ParseContext) -> Iterator[Entry]:
    for role, code, prefix in (("main", "EL", "el2026"), ("meu", "MEU", "meu2026")):
        if role in files:
            yield from _nsfreg_file(files[role], code, prefix, ctx)


def _nsfreg_file(path: Path, list_code: str, prefix: str, ctx: ParseContext) -> Iterator[Entry]:
    doc = load_json(path)
    if not isinstance(doc, dict) or not isinstance(doc.get("entities"), list):
        raise ParseError(str(path), "top level", "expected an object with an 'entities' array (nsfreg layout)")
    extracted = iso_date(str(doc.get("extracted") or ""), str(path), "extracted")
    if extracted and (ctx.as_of is None or extracted > ctx.as_of):
        ctx.as_of = extracted
    if isinstance(doc.get("count"), int) and doc["count"] != len(doc["entities"]):
        ctx.notes.append(f"{path.name}: header count {doc['count']} but {len(doc['entities'])} entities")
    keys = Counter(_key(e) for e in doc["entities"] if isinstance(e, dict))
    truncated = 0
    for i, e in enumerate(doc["entities"]):
        where = f"entities[{i}]"
        if not isinstance(e, dict) or not isinstance(e.get("name"), str) or not e["name"].strip():
            raise ParseError(str(path), where, "entity without a 'name' string")
        aliases = e.get("aliases") or []
        if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
            raise ParseError(str(path), f"{where}.aliases", "expected a list of strings")
        name, country = " ".join(e["name"].split()), (e.get("country") or "").strip()
        entry_id = f"{prefix}-{stable_id(name, country)}"
        if keys[_key(e)] > 1:  # the same name listed twice under one country: tell them apart by content
            entry_id += "-" + stable_id(e.get("address"), e.get("federal_register"))[:6]
        code = country_code(country, ctx)
        notes = (e.get("notes") or "").strip() or None
        truncated += bool(notes and notes.endswith("..."))
        fr = tuple(c.strip(" .") for c in _FR_SPLIT.split(e.get("federal_register") or "") if c.strip(" ."))
        address = (e.get("address") or "").strip()
        names = [Name(name, NameRole.PRIMARY, detect_script(name))]
        names += [Name(a, NameRole.ALIAS, detect_script(a)) for a in unique(aliases) if a.casefold() != name.casefold()]
        yield Entry(
            source=ctx.source,
            list_code=list_code,
            entry_id=entry_id,
            kind=Kind.UNKNOWN,  # the parse does not say whether a party is a person or an organization
            names=tuple(names),
            addresses=(Address(full=address, country=code),) if address else (),
            countries=unique([code]),
            legal=Legal(
                license_requirement=notes if list_code == "EL" else None,
                federal_register_notices=fr,
                source_list_url="https://www.ecfr.gov/current/title-15/subtitle-B/chapter-VII/subchapter-C/part-744",
            ),
            remarks=notes if list_code != "EL" else None,
            extra=tuple(sorted({"country_heading": country, "derived_from": str(doc.get("source_file") or "")}.items())),
        )
    caveat = f"{path.name}: third-party eCFR parse (nsfreg), not an official BIS file; review policy and effective dates absent"
    if list_code == "EL":
        caveat += f"; license requirement text truncated to 200 characters ({truncated} entries end with '...')"
    ctx.notes.append(caveat)


def _dedupe(names: list[Name]) -> tuple[Name, ...]:
    first: dict[tuple[str, NameRole], Name] = {}
    for n in names:
        first.setdefault((n.value.casefold(), n.role), n)
    return tuple(first.values())


def _key(e: dict[str, Any]) -> tuple[str, str]:
    return " ".join(str(e.get("name") or "").split()).casefold(), str(e.get("country") or "").strip().casefold()


@functools.cache
def korean_countries() -> dict[str, str]:
    table = yaml.safe_load(KO_TABLE.read_text(encoding="utf-8"))
    bad = [k for k, v in table.items() if not re.fullmatch(r"[A-Z]{2}", str(v))]
    if bad:
        raise ValueError(f"{KO_TABLE}: values must be ISO alpha-2 codes; bad rows {bad}")
    return {str(k): str(v) for k, v in table.items()}


def parse_casslab(files: dict[str, Path], ctx: ParseContext) -> Iterator[Entry]:
    path = files["main"]
    doc = load_json(path)
    if not isinstance(doc, list):
        raise ParseError(str(path), "top level", "expected a JSON array of records (casslab layout)")
    merged: dict[str, list[dict[str, Any]]] = {}
    for i, rec in enumerate(doc):
        if not isinstance(rec, dict) or not isinstance(rec.get("name"), dict) or not rec.get("id"):
            raise ParseError(str(path), f"[{i}]", "record without 'id' or 'name' object")
        merged.setdefault(str(rec["id"]), []).append(rec)
    if dups := sum(len(v) - 1 for v in merged.values()):
        ctx.notes.append(f"{path.name}: {dups} records repeat an id already seen; merged into one entry each")
    ko = korean_countries()
    for rid, recs in merged.items():
        src = recs[0].get("source") or {}
        list_code = CASSLAB_LISTS.get(str(src.get("list_id")))
        if list_code is None:
            raise ParseError(str(path), f"record {rid}", f"unknown list_id {src.get('list_id')!r}; known: {sorted(CASSLAB_LISTS)}")
        english = " ".join(str(recs[0]["name"].get("english") or "").split())
        if not english:
            raise ParseError(str(path), f"record {rid}", "record without an English name")
        names = [Name(english, NameRole.PRIMARY, detect_script(english))]
        for r in recs:
            if (native := " ".join(str(r["name"].get("native") or "").split())) and native.casefold() != english.casefold():
                names.append(Name(native, NameRole.NATIVE, detect_script(native), NATIVE_NOTE))
            names += [Name(a, NameRole.ALIAS, detect_script(a)) for a in unique(r.get("aliases") or [])]
        countries: list[str | None] = []
        for c in unique(c for r in recs for value in r.get("countries") or [] for c in str(value).split("/")):
            if (code := ko.get(c)) is None:
                ctx.notes.append(f"{path.name}: record {rid}: Korean country name {c!r} not in countries_ko.yaml")
            countries.append(code)
        extra = {"list_name": str(src.get("list_name") or ""), "authority": str(src.get("authority") or ""),
                 "name_korean": str(recs[0]["name"].get("korean") or ""), "casslab_id": rid,
                 "source_file": str(src.get("source_file") or ""),
                 "source_rows": ",".join(unique(str((r.get("source") or {}).get("source_row", "")) for r in recs))}  # fmt: skip
        ingested = iso_date(str(recs[0].get("ingested_at") or "")[:10], str(path), f"record {rid}.ingested_at")
        if ingested and (ctx.as_of is None or ingested > ctx.as_of):
            ctx.as_of = ingested
        yield Entry(
            source=ctx.source,
            list_code=list_code,
            entry_id=f"casslab-{rid}",
            kind={"person": Kind.PERSON, "individual": Kind.PERSON, "organization": Kind.ORGANIZATION,
                  "entity": Kind.ORGANIZATION}.get(str(recs[0].get("entity_type", "")).casefold(), Kind.UNKNOWN),  # fmt: skip
            names=_dedupe(names),
            countries=unique(countries),
            remarks="; ".join(unique(str(r.get(k) or "") for r in recs for k in ("listing_rationale", "remarks"))) or None,
            extra=tuple(sorted((k, v) for k, v in extra.items() if v)),
        )
    ctx.notes.append(f"{path.name}: third-party compilation (casslab); native-script names are the compiler's, not official")
