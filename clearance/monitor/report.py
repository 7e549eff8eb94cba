"""What a re-check reports: a :class:`Change` per decision whose outcome moved, and the
:class:`RecheckReport` with the counts (examined, skipped, re-run, unchanged, errors).

Each change names both outcome keys, what differs in an analyst's terms (new hits, hits
gone, status, rules, entries) and the list versions and rules digest on both sides, so the
report alone says *why* an old answer no longer holds.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Change:
    """A remembered decision whose outcome is no longer what it was at the last check."""

    decision_id: int
    kind: str
    subject: str
    before: dict[str, Any]  # outcome key at the last check (or as recorded)
    after: dict[str, Any]  # outcome key now
    difference: dict[str, Any]  # new_hits / gone_hits, or status / rules / entries changes
    versions_before: list[dict[str, Any]]
    versions_after: list[dict[str, Any]]
    rules_before: str | None
    rules_after: str | None
    status: str  # the decision's status after this check: 'changed' or 'current' (back to the original)

    @property
    def versions_changed(self) -> list[dict[str, Any]]:
        """The sources whose serving version differs, with both versions."""
        old = {v["source"]: v for v in self.versions_before}
        new = {v["source"]: v for v in self.versions_after}
        out = []
        for source in sorted(set(old) | set(new)):
            a, b = old.get(source), new.get(source)
            if (a or {}).get("version_id") != (b or {}).get("version_id"):
                out.append({"source": source, "before": a, "after": b})
        return out

    def describe(self) -> str:
        """One line an analyst reads: what changed, and between which list versions."""
        d = self.difference
        parts = []
        if d.get("error"):
            parts.append(f"error {d['error']['before']} -> {d['error']['after']}")
        if d.get("status"):
            parts.append(f"status {d['status']['before']} -> {d['status']['after']}")
        for label, k in (("new hit", "new_hits"), ("hit gone", "gone_hits"), ("new entry", "new_entries"),
                         ("entry gone", "gone_entries"), ("rule added", "rules_added"), ("rule removed", "rules_removed")):
            if d.get(k):
                parts.append(f"{label}{'s' if len(d[k]) > 1 else ''}: {', '.join(d[k])}")
        for entry, ch in (d.get("applies_changed") or {}).items():
            parts.append(f"{entry}: {ch['before']} -> {ch['after']}")
        versions = "; ".join(
            f"{c['source']} {version_label(c['before'])} -> {version_label(c['after'])}" for c in self.versions_changed
        )
        if self.rules_before != self.rules_after:
            versions += ("; " if versions else "") + "rule packs changed"
        return f"#{self.decision_id} {self.kind} {self.subject}: {'; '.join(parts) or 'outcome changed'} [{versions}]"

    def to_dict(self) -> dict[str, Any]:
        out = {k: getattr(self, k) for k in self.__dataclass_fields__}
        out["versions_changed"] = self.versions_changed
        out["description"] = self.describe()
        return out


def version_label(version: dict[str, Any] | None) -> str:
    return f"v{version['version_id']} ({version.get('as_of') or 'undated'})" if version else "(not loaded)"


@dataclass
class RecheckReport:
    """What a re-check did: the changes, and how many decisions were re-run, skipped, unchanged."""

    examined: int = 0
    rerun: int = 0
    skipped: int = 0  # neither the lists nor (for checks) the rules changed since the last check
    errors: int = 0  # re-runs that raised (reported as changes when the error is new)
    changes: list[Change] = field(default_factory=list)
    checked_at: str = ""
    versions: list[dict[str, Any]] = field(default_factory=list)
    rules_digest: str | None = None

    @property
    def unchanged(self) -> int:
        return self.rerun - len(self.changes)

    def summary(self) -> str:
        return (
            f"{self.examined} decisions: {self.skipped} skipped (lists and rules unchanged since last check), "
            f"{self.rerun} re-run, {len(self.changes)} changed, {self.unchanged} unchanged"
            + (f", {self.errors} could not be re-run" if self.errors else "")
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "examined": self.examined, "rerun": self.rerun, "skipped": self.skipped, "unchanged": self.unchanged,
            "errors": self.errors, "changed": len(self.changes), "checked_at": self.checked_at,
            "versions": self.versions, "rules_digest": self.rules_digest, "summary": self.summary(),
            "changes": [c.to_dict() for c in self.changes],
        }
