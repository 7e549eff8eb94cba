"""The normalized entity model every source parses into.

One :class:`Entry` is one record on one restricted-party list. Parsers for the
publishers' formats (trade.gov CSL, OFAC legacy CSV, UN XML, UK OFSI, BIS DPL,
derived Entity List parses, FollowTheMoney) all yield Entries; the store keeps them
as canonical JSON; the screening index and the license engine read them.

Design notes
- Frozen, slotted dataclasses: tens of thousands are held in memory at once.
- Dates are ISO strings, possibly partial (``1973``, ``1973-03``, ``1973-03-25``),
  because the lists publish partial birth dates and we must not invent precision.
- ``entry_id`` is stable across re-imports: parsers derive it from the publisher's
  own identifier when one exists (OFAC ent_num, UN reference number, OFSI Group ID)
  and otherwise from the list code and the normalized primary name.
- The list-specific legal fields (license requirement, policy, Federal Register
  citations) are kept verbatim in :class:`Legal`; the rules engine interprets them.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Kind(StrEnum):
    PERSON = "person"
    ORGANIZATION = "organization"
    VESSEL = "vessel"
    AIRCRAFT = "aircraft"
    UNKNOWN = "unknown"


class NameRole(StrEnum):
    PRIMARY = "primary"
    ALIAS = "alias"  # a.k.a. (strong)
    WEAK_ALIAS = "weak_alias"  # OFAC "weak a.k.a.", UN "low quality" alias
    FORMER = "former"  # f.k.a.
    NATIVE = "native"  # the name in its own script (e.g. Han, Cyrillic)


@dataclass(frozen=True, slots=True)
class Name:
    value: str
    role: NameRole = NameRole.PRIMARY
    script: str | None = None  # ISO 15924 code when known: Latn, Hans, Cyrl, Arab ...
    note: str | None = None  # e.g. "from casslab native-script field (third-party)"


@dataclass(frozen=True, slots=True)
class Address:
    full: str | None = None
    street: str | None = None
    city: str | None = None
    region: str | None = None
    postal_code: str | None = None
    country: str | None = None  # ISO 3166-1 alpha-2 when resolvable


@dataclass(frozen=True, slots=True)
class Identifier:
    scheme: str  # "Passport", "Tax ID No.", "IMO", "Registration ID", ...
    value: str
    country: str | None = None
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Legal:
    """List-specific legal fields, verbatim from the publisher."""

    license_requirement: str | None = None
    license_policy: str | None = None
    federal_register_notices: tuple[str, ...] = ()
    start_date: str | None = None
    end_date: str | None = None
    standard_order: str | None = None
    source_list_url: str | None = None
    source_information_url: str | None = None

    def is_empty(self) -> bool:
        return self == Legal()


@dataclass(frozen=True, slots=True)
class Entry:
    source: str  # source id from clearance/sources/specs (e.g. "csl", "ofac_sdn")
    list_code: str  # short list code: EL, SDN, DPL, UVL, MEU, ISN, DTC, SSI, FSE, PLC, CAP, CMIC, MBS, UN, UK ...
    entry_id: str  # stable across re-imports, unique within (source)
    kind: Kind
    names: tuple[Name, ...]
    addresses: tuple[Address, ...] = ()
    countries: tuple[str, ...] = ()  # ISO alpha-2: nationality, citizenship, address countries
    identifiers: tuple[Identifier, ...] = ()
    birth_dates: tuple[str, ...] = ()
    birth_places: tuple[str, ...] = ()
    programs: tuple[str, ...] = ()
    listed_on: str | None = None
    legal: Legal = field(default_factory=Legal)
    remarks: str | None = None
    extra: tuple[tuple[str, str], ...] = ()  # other publisher fields kept verbatim (title, call sign ...)

    @property
    def name(self) -> str:
        """The primary name (the first PRIMARY name, else the first name)."""
        for n in self.names:
            if n.role is NameRole.PRIMARY:
                return n.value
        return self.names[0].value if self.names else ""

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready dict. Hand-written: ``dataclasses.asdict`` is 10x slower on the import hot path."""
        return {
            "source": self.source,
            "list_code": self.list_code,
            "entry_id": self.entry_id,
            "kind": self.kind.value,
            "names": [{"value": n.value, "role": n.role.value, "script": n.script, "note": n.note} for n in self.names],
            "addresses": [_slots_dict(a) for a in self.addresses],
            "countries": list(self.countries),
            "identifiers": [_slots_dict(i) for i in self.identifiers],
            "birth_dates": list(self.birth_dates),
            "birth_places": list(self.birth_places),
            "programs": list(self.programs),
            "listed_on": self.listed_on,
            "legal": {**_slots_dict(self.legal), "federal_register_notices": list(self.legal.federal_register_notices)},
            "remarks": self.remarks,
            "extra": dict(self.extra),
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Entry:
        legal = d.get("legal") or {}
        return cls(
            source=d["source"],
            list_code=d["list_code"],
            entry_id=d["entry_id"],
            kind=Kind(d.get("kind", "unknown")),
            names=tuple(
                Name(n["value"], NameRole(n.get("role", "primary")), n.get("script"), n.get("note"))
                for n in d.get("names", ())
            ),
            addresses=tuple(Address(**a) for a in d.get("addresses", ())),
            countries=tuple(d.get("countries", ())),
            identifiers=tuple(Identifier(**i) for i in d.get("identifiers", ())),
            birth_dates=tuple(d.get("birth_dates", ())),
            birth_places=tuple(d.get("birth_places", ())),
            programs=tuple(d.get("programs", ())),
            listed_on=d.get("listed_on"),
            legal=Legal(
                **{**legal, "federal_register_notices": tuple(legal.get("federal_register_notices", ()))}
            ),
            remarks=d.get("remarks"),
            extra=tuple(sorted((d.get("extra") or {}).items())),
        )

    def to_json(self) -> str:
        """Canonical JSON (sorted keys, no whitespace): the stored form and the hash input."""
        return json.dumps(self.to_dict(), sort_keys=True, separators=(",", ":"), ensure_ascii=False)

    def content_hash(self) -> str:
        return hashlib.sha1(self.to_json().encode("utf-8")).hexdigest()


def stable_id(*parts: str | None) -> str:
    """A short stable id from identifying parts (used when a publisher gives no id)."""
    text = "\x1f".join((p or "").strip().casefold() for p in parts)
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]


def _slots_dict(obj: Any) -> dict[str, Any]:
    return {k: getattr(obj, k) for k in obj.__slots__}
