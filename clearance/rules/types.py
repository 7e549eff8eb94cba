"""The license-determination contract: what a check asks and what it answers.

A :class:`CheckRequest` describes one proposed transaction (party, ownership facts, item,
activity, purpose, destination, date). A :class:`Determination` is the answer: one
:class:`Status`, the ordered :class:`Reason` chain (each naming its rule id, citation and
effective dates), the list entries relied on, the review policy, and the assumptions the
answer rests on. The statuses follow the pipeline of RULES.md § 5.2 step 7; OUT_OF_SCOPE
regimes (OFAC, ITAR) are folded into PROHIBITED / REQUIRES_ANALYSIS as the issue asks.

Validation happens here, once, so the engine never sees a malformed request: an unknown
ECCN format, a date before 1990 or more than two years ahead, a percentage outside
0..100 or direct owners adding up to more than 100 % raise :class:`InputError` naming
the field.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from typing import Any

from clearance.errors import InputError

ECCN_RE = re.compile(r"^[0-9][A-E][0-9]{3}(\.[a-z0-9]{1,4})*$|^0Y521$")
EARLIEST_DATE = date(1990, 1, 1)
MAX_YEARS_AHEAD = 2


class Status(StrEnum):
    PROHIBITED = "PROHIBITED"
    LICENSE_REQUIRED = "LICENSE_REQUIRED"
    REQUIRES_ANALYSIS = "REQUIRES_ANALYSIS"
    REQUIRES_CLASSIFICATION = "REQUIRES_CLASSIFICATION"
    NOT_SUBJECT_TO_EAR = "NOT_SUBJECT_TO_EAR"
    NO_LICENSE_REQUIRED = "NO_LICENSE_REQUIRED"

    @property
    def rank(self) -> int:
        """Higher wins when findings are combined (most restrictive first)."""
        return len(Status) - list(Status).index(self)

    @property
    def is_clear(self) -> bool:
        return self in (Status.NO_LICENSE_REQUIRED, Status.NOT_SUBJECT_TO_EAR)


class ItemKind(StrEnum):
    COMMODITY = "commodity"
    SOFTWARE = "software"
    TECHNOLOGY = "technology"


class Activity(StrEnum):
    EXPORT = "export"
    REEXPORT = "reexport"
    TRANSFER = "transfer"
    RELEASE = "release"


class Purpose(StrEnum):
    STANDARDS = "standards"  # a standards-related activity (RULES.md § 3)
    NETWORK_SUPPORT = "network-support"  # TGL (c)(1), RULES.md § 2.2
    HANDSET_SUPPORT = "handset-support"  # TGL (c)(2)
    VULNERABILITY_DISCLOSURE = "vulnerability-disclosure"  # TGL (c)(3) and its 2020 successor


@dataclass(frozen=True)
class Owner:
    """An owner of the party (or of another owner): a name, or ``#entry_id``, and a share.

    ``percent`` None means unknown. ``owners`` are this owner's own owners (for chains).
    """

    name: str
    percent: float | None
    owners: tuple[Owner, ...] = ()

    @property
    def entry_id(self) -> str | None:
        return self.name[1:] if self.name.startswith("#") else None


def today() -> date:
    return datetime.now(UTC).date()


def normalize_item(item: str) -> str:
    """``EAR99``, ``unknown`` or a well-formed ECCN (``5A002``, ``5D002.c.1``); else InputError."""
    raw = item.strip()
    if raw.upper() == "EAR99":
        return "EAR99"
    if raw.lower() in ("unknown", "?", ""):
        return "unknown"
    eccn = raw[:5].upper() + raw[5:].lower()
    if not ECCN_RE.match(eccn):
        raise InputError(
            f"item: {item!r} is not EAR99, 'unknown' or an ECCN such as 5A002 or 5D002.c.1", field="item", value=item
        )
    return eccn


def check_date(on: date, field_name: str = "date") -> date:
    latest = today() + timedelta(days=366 * MAX_YEARS_AHEAD)
    if on < EARLIEST_DATE or on > latest:
        raise InputError(
            f"{field_name}: {on.isoformat()} is outside {EARLIEST_DATE.isoformat()} .. {latest.isoformat()}",
            field=field_name,
            value=on.isoformat(),
        )
    return on


def check_owners(owners: tuple[Owner, ...], path: str = "owner") -> None:
    total = 0.0
    for o in owners:
        if not o.name.strip() or o.name.strip() == "#":
            raise InputError(f"{path}: an owner has an empty name", field=path)
        if o.percent is not None:
            if not 0 <= o.percent <= 100:
                raise InputError(f"{path}: {o.name}={o.percent} is outside 0..100 %", field=path, value=o.percent)
            total += o.percent
        check_owners(o.owners, f"{path} {o.name!r}")
    if total > 100.0 + 1e-9:
        raise InputError(f"{path}: direct owners add up to {total:g} %, more than 100 %", field=path, value=total)


@dataclass(frozen=True)
class CheckRequest:
    """One proposed transaction. Use :meth:`create` to build a validated request."""

    item: str
    kind: ItemKind
    activity: Activity
    country: str
    on: date
    party: str | None = None
    entry_id: str | None = None
    owners: tuple[Owner, ...] = ()
    published: bool = False
    purpose: Purpose | None = None
    at_only: bool = False  # the user declares the ECCN is controlled for anti-terrorism reasons only
    foreign_produced: bool = False  # the item is produced outside the United States

    @classmethod
    def create(cls, **kw: Any) -> CheckRequest:
        """Validate and normalize every field; raise InputError naming the first bad one."""
        party, entry_id = (kw.get("party") or None), (kw.get("entry_id") or None)
        if bool(party) == bool(entry_id):
            raise InputError("party: give exactly one of party (a name) or entry_id", field="party")
        try:
            kind = ItemKind(str(kw["kind"]).lower())
            activity = Activity(str(kw["activity"]).lower())
            purpose = Purpose(str(kw["purpose"]).lower()) if kw.get("purpose") else None
        except KeyError as exc:
            raise InputError(f"{exc.args[0]}: required", field=exc.args[0]) from None
        except ValueError as exc:
            raise InputError(f"invalid value: {exc}") from None
        country = str(kw.get("country") or "").strip().upper()
        if not re.fullmatch(r"[A-Z]{2}", country):
            raise InputError(f"country: {kw.get('country')!r} is not an ISO 3166 alpha-2 code", field="country")
        on = kw.get("on") or today()
        if isinstance(on, str):
            try:
                on = date.fromisoformat(on)
            except ValueError:
                raise InputError(f"date: {on!r} is not YYYY-MM-DD", field="date") from None
        owners = tuple(kw.get("owners") or ())
        check_owners(owners)
        item = normalize_item(str(kw.get("item", "")))
        if kw.get("at_only") and item in ("EAR99", "unknown"):
            raise InputError("at_only: only meaningful with an ECCN", field="at_only")
        return cls(
            item=item,
            kind=kind,
            activity=activity,
            country=country,
            on=check_date(on),
            party=party,
            entry_id=entry_id,
            owners=owners,
            published=bool(kw.get("published")),
            purpose=purpose,
            at_only=bool(kw.get("at_only")),
            foreign_produced=bool(kw.get("foreign_produced")),
        )

    def to_dict(self) -> dict[str, Any]:
        def owner(o: Owner) -> dict[str, Any]:
            return {"name": o.name, "percent": o.percent, "owners": [owner(x) for x in o.owners]}

        return {
            "party": self.party,
            "entry_id": self.entry_id,
            "owners": [owner(o) for o in self.owners],
            "item": self.item,
            "at_only": self.at_only,
            "kind": self.kind.value,
            "published": self.published,
            "foreign_produced": self.foreign_produced,
            "activity": self.activity.value,
            "purpose": self.purpose.value if self.purpose else None,
            "country": self.country,
            "date": self.on.isoformat(),
        }


@dataclass(frozen=True)
class Reason:
    """One link in the chain: which rule, cited how, in force when, and what it did here."""

    rule: str
    citation: str
    effective_from: str | None
    effective_to: str | None
    text: str
    status: Status | None = None  # the finding this reason supports (None: context only)
    marker: str = "P"  # digest verification label of the rule: P, S or U

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "citation": self.citation,
            "effective_from": self.effective_from,
            "effective_to": self.effective_to,
            "text": self.text,
            "status": self.status.value if self.status else None,
            "marker": self.marker,
        }


@dataclass(frozen=True)
class EntryRef:
    """A list entry relied on: list, source and version, entry id, names, and why it applied (or not)."""

    list: str
    source: str
    version_id: int
    version_as_of: str | None
    entry_id: str
    name: str
    matched_name: str
    score: float | None
    applies: bool | None  # on the check date: True, False, or None (listing date unknown)
    listed_from: str | None
    note: str = ""
    owner_of_party: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


@dataclass
class Determination:
    status: Status
    reasons: list[Reason]
    entries: list[EntryRef]
    review_policy: str | None
    request: CheckRequest
    authorization: str | None = None
    assumptions: list[str] = field(default_factory=list)
    unverified: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "status": self.status.value,
            "reasons": [r.to_dict() for r in self.reasons],
            "entries": [e.to_dict() for e in self.entries],
            "review_policy": self.review_policy,
            "authorization": self.authorization,
            "assumptions": self.assumptions,
            "unverified": self.unverified,
            "request": self.request.to_dict(),
        }
