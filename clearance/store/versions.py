"""Value objects the store returns: list versions, diffs."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from clearance.model import Entry


@dataclass(frozen=True, slots=True)
class ListVersion:
    version_id: int
    source: str
    origin: str
    retrieved_at: str
    as_of: str | None
    content_hash: str
    entries_hash: str
    entry_count: int
    counts: dict[str, int]
    parser: str
    notes: list[str]
    forced: bool
    current: bool = False

    @classmethod
    def from_row(cls, row: Any, current: bool = False) -> ListVersion:
        return cls(
            version_id=row["version_id"],
            source=row["source"],
            origin=row["origin"],
            retrieved_at=row["retrieved_at"],
            as_of=row["as_of"],
            content_hash=row["content_hash"],
            entries_hash=row["entries_hash"],
            entry_count=row["entry_count"],
            counts=json.loads(row["counts"]),
            parser=row["parser"],
            notes=json.loads(row["notes"]),
            forced=bool(row["forced"]),
            current=current,
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "version_id": self.version_id,
            "source": self.source,
            "origin": self.origin,
            "retrieved_at": self.retrieved_at,
            "as_of": self.as_of,
            "content_hash": self.content_hash,
            "entry_count": self.entry_count,
            "counts": self.counts,
            "parser": self.parser,
            "notes": self.notes,
            "forced": self.forced,
            "current": self.current,
        }


@dataclass(frozen=True, slots=True)
class FieldChange:
    field: str
    old: Any
    new: Any


@dataclass
class EntryChange:
    entry_id: str
    list_code: str
    name: str
    changes: list[FieldChange]


@dataclass
class VersionDiff:
    source: str
    old: ListVersion
    new: ListVersion
    added: list[Entry] = field(default_factory=list)
    removed: list[Entry] = field(default_factory=list)
    changed: list[EntryChange] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        def brief(e: Entry) -> dict[str, str]:
            return {"entry_id": e.entry_id, "list": e.list_code, "name": e.name}

        return {
            "source": self.source,
            "old": self.old.to_dict(),
            "new": self.new.to_dict(),
            "summary": {"added": len(self.added), "removed": len(self.removed), "changed": len(self.changed)},
            "added": [brief(e) for e in self.added],
            "removed": [brief(e) for e in self.removed],
            "changed": [
                {
                    "entry_id": c.entry_id,
                    "list": c.list_code,
                    "name": c.name,
                    "changes": [{"field": f.field, "old": f.old, "new": f.new} for f in c.changes],
                }
                for c in self.changed
            ],
        }


def diff_fields(old: Entry, new: Entry) -> list[FieldChange]:
    """Top-level fields whose value differs between two versions of one entry."""
    a, b = old.to_dict(), new.to_dict()
    return [FieldChange(k, a.get(k), b.get(k)) for k in sorted(set(a) | set(b)) if a.get(k) != b.get(k)]
