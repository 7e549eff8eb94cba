"""Who is the party, which list entries apply to it on the check date, and since when.

A party named with ``--party`` goes through the screening engine (``app.screen``); an
explicit ``--entry`` id goes through the store. This module does no name matching of
its own: when the screener is unavailable it says so and the engine answers
REQUIRES_ANALYSIS.

List membership is date-aware. An entry applies from its *effective* listing date, which
for Huawei entries comes from the rule data (``huawei_listing.*``: 84 FR 22961 effective
2019-05-16, published 2019-05-21; RULES.md § 1.3), and otherwise from the entry's own
dates (``Legal.start_date``, the dated FR notices, ``listed_on``). Those are publication
dates; BIS rules sometimes take effect before publication (RULES.md § 0), so a check date
shortly before publication is left undecided. An entry with no date at all is known to be
listed only from its list version's as-of date.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from clearance.model import Entry
from clearance.rules.loader import Rule, RuleBook
from clearance.rules.types import EntryRef
from clearance.store.versions import ListVersion

if TYPE_CHECKING:
    from clearance.app import Clearance

FR_RE = re.compile(r"(\d{2,3})\s*F\.?\s*R\.?\s*(\d{3,6})(?:\s*,?\s*(\d{1,2})/(\d{1,2})/(\d{2,4}))?")


@dataclass
class Listing:
    """One matched list entry with its date facts for the check date."""

    version: ListVersion
    entry: Entry
    matched_name: str
    score: float | None
    listed_from: date | None
    basis: str  # how listed_from was established
    listing_rule: Rule | None
    applies: bool | None
    note: str = ""

    def is_strong(self, strong: float) -> bool:
        """An explicit entry, or a screening match scoring at least ``strong``."""
        return self.score is None or self.score >= strong

    @property
    def list_code(self) -> str:
        return self.entry.list_code

    def describe_version(self) -> str:
        v = self.version
        return f"{v.source} version {v.version_id} (as of {v.as_of or v.retrieved_at[:10]})"

    def ref(self, owner_of_party: bool = False) -> EntryRef:
        return EntryRef(
            list=self.entry.list_code,
            source=self.version.source,
            version_id=self.version.version_id,
            version_as_of=self.version.as_of,
            entry_id=self.entry.entry_id,
            name=self.entry.name,
            matched_name=self.matched_name,
            score=self.score,
            applies=self.applies,
            listed_from=self.listed_from.isoformat() if self.listed_from else None,
            note=self.note,
            owner_of_party=owner_of_party,
        )


def fr_pages(entry: Entry) -> list[tuple[str, date | None]]:
    """The FR citations of an entry as ("84 FR 22963", publication date or None)."""
    out = []
    for m in FR_RE.finditer(" ; ".join(entry.legal.federal_register_notices)):
        published = None
        if m.group(3):
            year = int(m.group(5))
            year += 2000 if year < 70 else (1900 if year < 100 else 0)
            try:
                published = date(year, int(m.group(3)), int(m.group(4)))
            except ValueError:
                published = None
        out.append((f"{int(m.group(1))} FR {int(m.group(2))}", published))
    return out


def _iso(value: str | None) -> date | None:
    if value and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value[:10]):
        try:
            return date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None


def listing_rule_for(entry: Entry, book: RuleBook) -> Rule | None:
    """The earliest listing rule (e.g. huawei_listing.t1) whose FR pages the entry cites."""
    pages = {p for p, _ in fr_pages(entry)}
    hits = [r for r in book.rules.values() if r.effect == "listing" and pages & set(r.params.get("fr_pages", []))]
    return min(hits, key=lambda r: r.effective_from or date.min) if hits else None


def date_listing(
    version: ListVersion, entry: Entry, matched: str, score: float | None, on: date, book: RuleBook, lag_days: int
) -> Listing:
    """Decide whether ``entry`` applied on ``on`` and say why."""
    rule = listing_rule_for(entry, book)
    end = _iso(entry.legal.end_date)
    published = True
    start: date | None
    if rule is not None and rule.effective_from:
        start, basis = rule.effective_from, f"effective date of {rule.id} ({', '.join(rule.citation.fr)})"
        published = False
    elif (start := _iso(entry.legal.start_date)) is not None:
        basis = "the list's start date" + (
            " (an effective date)" if entry.list_code == "DPL" else " (a publication date)"
        )
        published = entry.list_code != "DPL"
    elif dated := [d for _, d in fr_pages(entry) if d]:
        start, basis = min(dated), "the earliest dated FR notice (a publication date)"
    elif (start := _iso(entry.listed_on)) is not None:
        basis = "the list's listing date"
    else:
        start, basis = None, "no listing date in the list data"
    as_of = _iso(version.as_of) or _iso(version.retrieved_at)
    applies: bool | None
    note = ""
    if end is not None and on > end:
        applies, note = False, f"expired {end.isoformat()}"
    elif start is not None:
        if on >= start:
            applies = True
        elif published and start - on <= timedelta(days=lag_days):
            applies = None
            note = f"published {start.isoformat()}; its effective date may precede publication (RULES.md § 0)"
        else:
            applies, note = False, f"listed from {start.isoformat()}, after the check date"
    elif as_of is not None and on >= as_of:
        applies, note = True, f"listing date unknown; on the list by {as_of.isoformat()}"
    else:
        applies, note = None, "listing date unknown and the check date precedes this list version"
    if as_of is not None and on > as_of and applies is not False:
        note = "; ".join(x for x in (note, f"list facts as of {as_of.isoformat()}, before the check date") if x)
    elif as_of is not None and on < as_of and applies is True:
        note = "; ".join(x for x in (note, f"entry text as carried on {as_of.isoformat()}, after the check date") if x)
    return Listing(version, entry, matched, score, start, basis, rule, applies, note)


@dataclass
class Resolution:
    listings: list[Listing]
    screened: bool  # False when the name could not be screened (matcher unavailable)
    problem: str = ""


def resolve(
    app: Clearance, name: str | None, entry_id: str | None, on: date, book: RuleBook, lag_days: int
) -> Resolution:
    """Resolve a party (by name through the screener, or by entry id) into dated listings."""
    pairs: list[tuple[ListVersion, Entry, str, float | None]] = []
    if entry_id:
        version, entry = app.store.get_entry(entry_id)  # NotFoundError (exit 4) for an unknown id
        pairs.append((version, entry, entry.name, None))
    else:
        assert name is not None
        try:
            matches: list[Any] = app.screen(name)
        except (ImportError, NotImplementedError) as exc:
            return Resolution([], False, f"the screening engine is not available ({type(exc).__name__})")
        pairs += [(m.version, m.entry, m.matched_name, float(m.score)) for m in matches]
    return Resolution([date_listing(v, e, n, s, on, book, lag_days) for v, e, n, s in pairs], True)


def governing(listings: list[Listing], on: date) -> list[Listing]:
    """Per list code, the entries of the source whose version best describes ``on``.

    The newest version as of the check date wins; if every version is later than the
    check date, the oldest does. Entries of other sources stay available for dates and
    policies but do not add requirements of their own.
    """
    out: list[Listing] = []
    for code in sorted({x.list_code for x in listings}):
        group = [x for x in listings if x.list_code == code]
        by_source: dict[str, list[Listing]] = {}
        for x in group:
            by_source.setdefault(x.version.source, []).append(x)

        def as_of(src: str, by_source: dict[str, list[Listing]] = by_source) -> date:
            v = by_source[src][0].version
            return _iso(v.as_of) or _iso(v.retrieved_at) or date.min

        before = [s for s in by_source if as_of(s) <= on]
        chosen = max(before, key=as_of) if before else min(by_source, key=as_of)
        out += by_source[chosen]
    return out
