"""The stored shape of the decision log: tables, the record hash, the :class:`Decision` row.

Two tables in the list store's SQLite file, created on first use:

- ``decisions``: one row per answer given. The fields fixed when it was given (kind, time,
  actor, request, outcome, outcome key, list versions, rules digest, software version) are
  covered by ``record_hash``, SHA-256 of the previous row's hash and their canonical JSON: a
  hash chain, so an edited, inserted or deleted row breaks it (``DecisionLog.verify``). The
  ``last_*`` columns and ``status`` belong to re-checks and are deliberately outside the hash.
- ``decision_changes``: every outcome change a re-check detected, with the keys, list
  versions and rules digests on both sides and the full re-run answer: the audit trail of
  why a decision's status moved.

Timestamps are ISO 8601 UTC text with microseconds, so ``since`` filters compare as text.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, Literal

from clearance.errors import InputError
from clearance.monitor.outcomes import canonical

DecisionKind = Literal["screen", "check"]
KINDS: tuple[str, ...] = ("screen", "check")
STATUSES: tuple[str, ...] = ("current", "changed")
GENESIS = "0" * 64

SCHEMA = """
CREATE TABLE IF NOT EXISTS decisions (
    decision_id            INTEGER PRIMARY KEY AUTOINCREMENT,
    kind                   TEXT NOT NULL CHECK (kind IN ('screen', 'check')),
    created_at             TEXT NOT NULL,
    actor                  TEXT,
    request_json           TEXT NOT NULL,
    outcome_json           TEXT NOT NULL,
    outcome_key            TEXT NOT NULL,
    data_version_json      TEXT NOT NULL,
    rules_digest           TEXT,
    software_version       TEXT NOT NULL,
    record_hash            TEXT NOT NULL,
    last_checked_at        TEXT,
    last_data_version_json TEXT NOT NULL,
    last_rules_digest      TEXT,
    last_outcome_key       TEXT NOT NULL,
    status                 TEXT NOT NULL DEFAULT 'current' CHECK (status IN ('current', 'changed'))
);
CREATE INDEX IF NOT EXISTS decisions_status ON decisions(status, kind, decision_id);
CREATE INDEX IF NOT EXISTS decisions_created ON decisions(created_at);
CREATE TABLE IF NOT EXISTS decision_changes (
    change_id               INTEGER PRIMARY KEY AUTOINCREMENT,
    decision_id             INTEGER NOT NULL REFERENCES decisions(decision_id),
    detected_at             TEXT NOT NULL,
    before_key              TEXT NOT NULL,
    after_key               TEXT NOT NULL,
    before_data_version_json TEXT NOT NULL,
    after_data_version_json TEXT NOT NULL,
    before_rules_digest     TEXT,
    after_rules_digest      TEXT,
    outcome_json            TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS decision_changes_decision ON decision_changes(decision_id);
"""

# The fields a record hash covers: everything fixed when the decision was taken.
HASHED = ("kind", "created_at", "actor", "request", "outcome", "outcome_key", "data_version", "rules_digest",
          "software_version")


def utc_now() -> str:
    """ISO 8601 UTC with microseconds; sorts as text, so ``since`` filters are string comparisons."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def as_timestamp(value: date | datetime | str) -> str:
    """A ``since`` bound in the stored timestamp format (a date means its midnight UTC)."""
    if isinstance(value, datetime):
        value = value if value.tzinfo else value.replace(tzinfo=UTC)
        return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    if isinstance(value, date):
        return value.isoformat()
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise InputError(f"since: {value!r} is not a date (YYYY-MM-DD) or ISO timestamp", field="since") from None
    return value if len(value) == 10 else as_timestamp(parsed)


def version_pairs(versions: Sequence[dict[str, Any]]) -> list[tuple[str, int]]:
    """The comparable part of a data version: (source, version_id), sorted."""
    return sorted((v["source"], int(v["version_id"])) for v in versions)


@dataclass(frozen=True)
class Decision:
    """One remembered answer, as stored. ``last_*`` describe the most recent re-check."""

    decision_id: int
    kind: str
    created_at: str
    actor: str | None
    request: dict[str, Any]
    outcome: dict[str, Any]
    outcome_key: dict[str, Any]
    data_version: list[dict[str, Any]]
    rules_digest: str | None
    software_version: str
    record_hash: str
    last_checked_at: str | None
    last_data_version: list[dict[str, Any]]
    last_rules_digest: str | None
    last_outcome_key: dict[str, Any]
    status: str

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> Decision:
        return cls(
            decision_id=row["decision_id"], kind=row["kind"], created_at=row["created_at"], actor=row["actor"],
            request=json.loads(row["request_json"]), outcome=json.loads(row["outcome_json"]),
            outcome_key=json.loads(row["outcome_key"]), data_version=json.loads(row["data_version_json"]),
            rules_digest=row["rules_digest"], software_version=row["software_version"], record_hash=row["record_hash"],
            last_checked_at=row["last_checked_at"], last_data_version=json.loads(row["last_data_version_json"]),
            last_rules_digest=row["last_rules_digest"], last_outcome_key=json.loads(row["last_outcome_key"]),
            status=row["status"],
        )

    @property
    def subject(self) -> str:
        """A one-line description of what was asked (for tables)."""
        r = self.request
        if self.kind == "screen":
            return str(r.get("name"))
        who = r.get("party") or f"#{r.get('entry_id')}"
        return f"{r.get('activity')} {r.get('item')} to {who} in {r.get('country')} on {r.get('date')}"

    @property
    def answer(self) -> str:
        """A one-line summary of the recorded outcome key."""
        key = self.outcome_key
        if self.kind == "screen":
            hits = key.get("hits", [])
            return f"{len(hits)} hit{'s' if len(hits) != 1 else ''}"
        return str(key.get("status"))

    def to_dict(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


def check_choice(name: str, value: str, allowed: Sequence[str]) -> str:
    if value not in allowed:
        raise InputError(f"{name}: {value!r} is not one of {', '.join(allowed)}", field=name, value=value)
    return value


def chain_hash(prev: str, fields: dict[str, Any]) -> str:
    """SHA-256 of the previous record hash and the canonical JSON of this record's fixed fields."""
    payload = canonical({f: fields[f] for f in HASHED})
    return hashlib.sha256(prev.encode() + b"\n" + payload.encode()).hexdigest()
