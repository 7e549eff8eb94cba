"""The screening contract: what a query is and what a result is.

Shared by the Python API, the CLI (``clearance screen``), the batch screener and the
HTTP API. The engine behind it lives in :mod:`clearance.index`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from clearance.model import Entry, Kind
from clearance.store.versions import ListVersion


@dataclass(frozen=True)
class Query:
    name: str
    kind: Kind | None = None  # None = any
    countries: tuple[str, ...] = ()
    birth_date: str | None = None
    identifiers: tuple[str, ...] = ()
    address: str | None = None
    lists: tuple[str, ...] | None = None  # restrict to these list codes
    threshold: float | None = None  # None = settings.threshold
    limit: int | None = None  # None = settings.limit

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "kind": self.kind.value if self.kind else None,
            "countries": list(self.countries),
            "birth_date": self.birth_date,
            "identifiers": list(self.identifiers),
            "address": self.address,
            "lists": list(self.lists) if self.lists is not None else None,
            "threshold": self.threshold,
            "limit": self.limit,
        }


@dataclass(frozen=True)
class Match:
    entry: Entry
    version: ListVersion
    score: float  # in [0, 1]
    matched_name: str  # the entry's name/alias that matched best
    explanation: dict[str, Any] = field(default_factory=dict)  # features that produced the score

    def to_dict(self) -> dict[str, Any]:
        return {
            "entry_id": self.entry.entry_id,
            "list": self.entry.list_code,
            "name": self.entry.name,
            "matched_name": self.matched_name,
            "score": round(self.score, 4),
            "explanation": self.explanation,
            "source": self.entry.source,
            "version_id": self.version.version_id,
            "as_of": self.version.as_of,
            **({"legal": _legal_dict(self.entry)} if not self.entry.legal.is_empty() else {}),
        }


def _legal_dict(entry: Entry) -> dict[str, Any]:
    """The list's own legal fields (license requirement, review policy, FR citations), non-empty ones only."""
    legal = entry.to_dict()["legal"]
    return {k: v for k, v in legal.items() if v not in (None, "", [])}
