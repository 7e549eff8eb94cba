"""What a remembered decision *means*: its outcome key, its rules digest, its request.

A decision is worth re-checking only for what matters to compliance, not for every byte
of the answer (scores drift a little whenever a list grows, because the scorer weighs
tokens by how rare they are). So each answer is reduced to an **outcome key**:

- screening: the set of ``(list, entry_id)`` hits at or above the query's threshold, all of
  them, not only the ``limit`` shown: a result cut at its limit would otherwise "lose" hits
  whenever a new entry with an equal score sorts ahead of them (see :func:`full_query`);
- license check: the status, the ids of the rules whose finding is that status, and the
  list entries relied on with whether each applied on the check date.

Two answers with the same key would lead an analyst to the same action; two with different
keys would not. The key is stored as canonical JSON (sorted, no whitespace) so equality is
string equality and an auditor can read it.

The **rules digest** names the exact rule packs that produced a check: a SHA-256 over the
validated packs the engine loaded (so it is the rules in force, not the files on disk),
falling back to the YAML bytes under ``clearance/rules/packs/`` if an engine exposes no book.

Requests are stored as their ``to_dict()`` and rebuilt here (``Query`` and ``CheckRequest``
have no ``from_dict``), through ``CheckRequest.create`` so a re-run is validated like any call.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from clearance.index.types import Match, Query
from clearance.model import Kind

if TYPE_CHECKING:
    from clearance.app import Clearance
    from clearance.rules.types import CheckRequest, Determination

PACKS_DIR = Path(__file__).resolve().parents[1] / "rules" / "packs"
APPLIES = {True: "applies", False: "does not apply", None: "undecided"}


def canonical(value: Any) -> str:
    """Canonical JSON: equal values give equal strings (the basis of keys and record hashes)."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


# -- outcome keys ---------------------------------------------------------------------


FULL_LIMIT = 1000  # the most results a screening may ask for (settings.limit's bound): "all hits"


def full_query(query: Query) -> Query:
    """``query`` asking for every hit, for the outcome key (the answer shown keeps its limit)."""
    return replace(query, limit=max(FULL_LIMIT, query.limit or 0))


def is_cut(query: Query, matches: Sequence[Match]) -> bool:
    """True when the answer may have been cut at its limit (so the key needs :func:`full_query`)."""
    return query.limit is not None and len(matches) >= query.limit


def screen_key(query: Query, matches: Iterable[Match]) -> dict[str, Any]:
    """``{"hits": ["LIST:entry_id", ...]}`` for matches at or above the query's threshold.

    A query without a threshold counts every match: the screener has already applied the
    default threshold (``clearance.monitor.record`` resolves it before recording).
    """
    floor = query.threshold if query.threshold is not None else 0.0
    hits = {f"{m.entry.list_code}:{m.entry.entry_id}" for m in matches if m.score >= floor - 1e-9}
    return {"hits": sorted(hits)}


def check_key(determination: Determination) -> dict[str, Any]:
    """``{"status", "rules", "entries"}``: what decided the answer and which entries it rests on."""
    status = determination.status
    deciding = {r.rule for r in determination.reasons if r.status == status}
    entries = {f"{e.list}:{e.entry_id}": APPLIES[e.applies] for e in determination.entries}
    return {"status": status.value, "rules": sorted(deciding), "entries": dict(sorted(entries.items()))}


def error_key(exc: Exception) -> dict[str, Any]:
    """The key of a re-run that could not answer (e.g. the entry id asked about is gone)."""
    return {"error": getattr(exc, "code", type(exc).__name__)}


def describe_difference(kind: str, before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    """What changed between two outcome keys, in the terms an analyst acts on."""
    diff: dict[str, Any] = {}
    if "error" in before or "error" in after:
        diff["error"] = {"before": before.get("error"), "after": after.get("error")}
    if kind == "screen":
        old, new = set(before.get("hits", ())), set(after.get("hits", ()))
        diff["new_hits"], diff["gone_hits"] = sorted(new - old), sorted(old - new)
        return diff
    if before.get("status") != after.get("status"):
        diff["status"] = {"before": before.get("status"), "after": after.get("status")}
    old_rules, new_rules = set(before.get("rules", ())), set(after.get("rules", ()))
    diff["rules_added"], diff["rules_removed"] = sorted(new_rules - old_rules), sorted(old_rules - new_rules)
    old_e, new_e = before.get("entries", {}), after.get("entries", {})
    diff["new_entries"] = sorted(set(new_e) - set(old_e))
    diff["gone_entries"] = sorted(set(old_e) - set(new_e))
    diff["applies_changed"] = {
        k: {"before": old_e[k], "after": new_e[k]} for k in sorted(set(old_e) & set(new_e)) if old_e[k] != new_e[k]
    }
    return diff


# -- the rules digest ---------------------------------------------------------------------


def rules_digest(app: Clearance) -> str:
    """SHA-256 of the rule packs the app's engine loaded (pack file name + validated content)."""
    book = getattr(app.rules(), "book", None)
    packs = getattr(book, "packs", None)
    h = hashlib.sha256()
    if isinstance(packs, dict) and packs:
        for name in sorted(packs):
            h.update(name.encode() + b"\0" + canonical(packs[name].model_dump(mode="json")).encode() + b"\0")
        return "sha256:" + h.hexdigest()
    return yaml_digest(PACKS_DIR)


def yaml_digest(folder: Path) -> str:
    """SHA-256 over the YAML files of ``folder`` (name and bytes), for engines that expose no book."""
    h = hashlib.sha256()
    for path in sorted(folder.glob("*.yaml")):
        h.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return "sha256:" + h.hexdigest()


# -- requests back from JSON -----------------------------------------------------------------


def query_from_dict(data: dict[str, Any]) -> Query:
    """The inverse of :meth:`Query.to_dict`."""
    lists = data.get("lists")
    return Query(
        name=data["name"],
        kind=Kind(data["kind"]) if data.get("kind") else None,
        countries=tuple(data.get("countries") or ()),
        birth_date=data.get("birth_date"),
        identifiers=tuple(data.get("identifiers") or ()),
        address=data.get("address"),
        lists=tuple(lists) if lists is not None else None,
        threshold=data.get("threshold"),
        limit=data.get("limit"),
    )


def check_request_from_dict(data: dict[str, Any]) -> CheckRequest:
    """The inverse of :meth:`CheckRequest.to_dict`, validated again by ``CheckRequest.create``."""
    from clearance.rules.types import CheckRequest, Owner

    def owner(o: dict[str, Any]) -> Owner:
        return Owner(o["name"], o.get("percent"), tuple(owner(x) for x in o.get("owners") or ()))

    return CheckRequest.create(
        party=data.get("party"), entry_id=data.get("entry_id"), owners=tuple(owner(o) for o in data.get("owners") or ()),
        item=data["item"], kind=data["kind"], activity=data["activity"], purpose=data.get("purpose"),
        country=data["country"], on=data["date"], published=bool(data.get("published")),
        at_only=bool(data.get("at_only")), foreign_produced=bool(data.get("foreign_produced")),
    )
