"""The decision log: every screening and license check clearance answered, remembered.

Kept in the list store's SQLite file (tables ``decisions`` and ``decision_changes``,
created on first use), so a decision and the list versions it names live and are backed
up together. Each row stores:

- the request as JSON (for screening, with the threshold and limit resolved, so a re-run
  asks the same question even if the defaults change later);
- the whole answer (``outcome_json``) and its outcome key (see :mod:`.outcomes`);
- the serving list versions (``data_version_json``: source, version id, publication date,
  SHA-256 of the raw files, retrieval time and origin) and, for checks, the rules digest;
- ``record_hash``: SHA-256 of the previous row's hash and this row's immutable fields, a
  hash chain that :meth:`DecisionLog.verify` walks, so an edited or deleted row shows.

The log opens its own connection to the store file: the store's connection is shared with
the importer, and a write on it during an import would join (and roll back with) the
import's transaction. An in-memory store has no file to share, so it uses the store's.
"""

from __future__ import annotations

import builtins
import json
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from clearance.errors import InputError, NotFoundError
from clearance.monitor.outcomes import canonical, check_key, screen_key
from clearance.monitor.schema import (
    GENESIS,
    HASHED,
    KINDS,
    SCHEMA,
    STATUSES,
    Decision,
    as_timestamp,
    chain_hash,
    check_choice,
    utc_now,
)

if TYPE_CHECKING:
    from clearance.index.types import Match, Query
    from clearance.rules.types import CheckRequest, Determination
    from clearance.store.sqlite import ListStore


class DecisionLog:
    """Record, read and page through remembered decisions. Thread-safe; one writer at a time."""

    def __init__(self, store: ListStore, *, timeout: float = 60.0) -> None:
        self.store = store
        self._own = store.path != ":memory:"
        if self._own:
            self.conn = sqlite3.connect(store.path, isolation_level=None, check_same_thread=False, timeout=timeout)
            self.conn.row_factory = sqlite3.Row
        else:
            self.conn = store.conn
        self._lock = threading.RLock()
        with self._lock:
            self.conn.executescript(SCHEMA)

    def close(self) -> None:
        if self._own:
            self.conn.close()

    def __enter__(self) -> DecisionLog:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """``BEGIN IMMEDIATE`` … ``COMMIT`` (rollback on error), serialised across threads."""
        with self._lock:
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                yield self.conn
            except BaseException:
                self.conn.execute("ROLLBACK")
                raise
            self.conn.execute("COMMIT")

    # -- list versions ------------------------------------------------------------------

    def serving_versions(self) -> builtins.list[dict[str, Any]]:
        """The version serving each source now, with what an auditor needs to identify its files."""
        with self._lock:
            rows = self.conn.execute(
                "SELECT v.source, v.version_id, v.as_of, v.content_hash, v.retrieved_at, v.origin "
                "FROM current c JOIN versions v USING (version_id) ORDER BY v.source"
            ).fetchall()
        return [dict(r) for r in rows]

    def version_info(self, version_id: int) -> dict[str, Any]:
        with self._lock:
            row = self.conn.execute(
                "SELECT source, version_id, as_of, content_hash, retrieved_at, origin FROM versions WHERE version_id = ?",
                (version_id,),
            ).fetchone()
        if row is None:
            raise NotFoundError(f"no list version {version_id}", version_id=version_id)
        return dict(row)

    def answering_versions(self, used: dict[str, int]) -> builtins.list[dict[str, Any]]:
        """Serving versions, corrected by the versions the answer itself names.

        An import can commit between answering and recording; the versions named in the
        answer (each match and entry carries its version id) are then the true ones.
        """
        versions = {v["source"]: v for v in self.serving_versions()}
        for source, version_id in used.items():
            if source not in versions or versions[source]["version_id"] != version_id:
                versions[source] = self.version_info(version_id)
        return [versions[s] for s in sorted(versions)]

    # -- recording ----------------------------------------------------------------------

    def record_screen(
        self, query: Query, matches: Sequence[Match], actor: str | None = None, *, all_matches: Sequence[Match] | None = None
    ) -> int:
        """Remember a screening answer; returns the decision id.

        ``all_matches`` is the same query without its limit (``outcomes.full_query``), when the
        answer was cut at the limit: the outcome key is every hit, the stored answer what was shown.
        """
        keyed = matches if all_matches is None else all_matches
        used = {m.version.source: m.version.version_id for m in [*matches, *keyed]}
        outcome = {"results": [m.to_dict() for m in matches]}
        return self._insert("screen", actor, query.to_dict(), outcome, screen_key(query, keyed), used, None)

    def record_check(
        self, request: CheckRequest, determination: Determination, actor: str | None = None, *, rules_digest: str | None = None
    ) -> int:
        """Remember a license determination; ``rules_digest`` names the packs that produced it."""
        used = {e.source: e.version_id for e in determination.entries}
        outcome = determination.to_dict()
        outcome.pop("request", None)  # stored once, as request_json
        return self._insert("check", actor, request.to_dict(), outcome, check_key(determination), used, rules_digest)

    def _insert(
        self, kind: str, actor: str | None, request: dict[str, Any], outcome: dict[str, Any], key: dict[str, Any],
        used: dict[str, int], rules_digest: str | None,
    ) -> int:
        from clearance import __version__

        versions = self.answering_versions(used)
        fields = {"kind": kind, "created_at": utc_now(), "actor": actor, "request": request, "outcome": outcome,
                  "outcome_key": key, "data_version": versions, "rules_digest": rules_digest,
                  "software_version": __version__}
        with self.transaction() as conn:
            row = conn.execute("SELECT record_hash FROM decisions ORDER BY decision_id DESC LIMIT 1").fetchone()
            record_hash = chain_hash(row[0] if row else GENESIS, fields)
            cur = conn.execute(
                "INSERT INTO decisions (kind, created_at, actor, request_json, outcome_json, outcome_key, "
                "data_version_json, rules_digest, software_version, record_hash, last_data_version_json, "
                "last_rules_digest, last_outcome_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (kind, fields["created_at"], actor, canonical(request), canonical(outcome), canonical(key),
                 canonical(versions), rules_digest, __version__, record_hash, canonical(versions), rules_digest,
                 canonical(key)),
            )
        assert cur.lastrowid is not None  # an INSERT into a rowid table always sets it
        return cur.lastrowid

    # -- reading ------------------------------------------------------------------------

    def get(self, decision_id: int) -> Decision:
        with self._lock:
            row = self.conn.execute("SELECT * FROM decisions WHERE decision_id = ?", (decision_id,)).fetchone()
        if row is None:
            raise NotFoundError(f"no decision {decision_id}; see `clearance monitor decisions`", decision_id=decision_id)
        return Decision.from_row(row)

    def list(
        self, kind: str | None = None, status: str | None = None, limit: int = 50, offset: int = 0,
        since: date | datetime | str | None = None,
    ) -> builtins.list[Decision]:
        """Decisions, newest first; filter by kind, status and creation time; page with limit/offset."""
        sql, params = self._where(kind, status, since)
        if limit < 1 or offset < 0:
            raise InputError("limit must be at least 1 and offset at least 0", field="limit")
        with self._lock:
            rows = self.conn.execute(
                f"SELECT * FROM decisions{sql} ORDER BY decision_id DESC LIMIT ? OFFSET ?", (*params, limit, offset)
            ).fetchall()
        return [Decision.from_row(r) for r in rows]

    def count(self, kind: str | None = None, status: str | None = None, since: date | datetime | str | None = None) -> int:
        sql, params = self._where(kind, status, since)
        with self._lock:
            return int(self.conn.execute(f"SELECT COUNT(*) FROM decisions{sql}", params).fetchone()[0])

    def ids(self, kinds: Sequence[str] | None = None, since: date | datetime | str | None = None) -> builtins.list[int]:
        """Decision ids in recording order (what a re-check walks)."""
        clauses, params = [], []
        if kinds is not None:
            for k in kinds:
                check_choice("kind", k, KINDS)
            clauses.append(f"kind IN ({', '.join('?' for _ in kinds)})")
            params += list(kinds)
        if since is not None:
            clauses.append("created_at >= ?")
            params.append(as_timestamp(since))
        where = f" WHERE {' AND '.join(clauses)}" if clauses else ""
        with self._lock:
            return [r[0] for r in self.conn.execute(f"SELECT decision_id FROM decisions{where} ORDER BY decision_id", params)]

    def changes(self, decision_id: int) -> builtins.list[dict[str, Any]]:
        """Every change a re-check detected for one decision, oldest first."""
        with self._lock:
            rows = self.conn.execute(
                "SELECT * FROM decision_changes WHERE decision_id = ? ORDER BY change_id", (decision_id,)
            ).fetchall()
        out = []
        for r in rows:
            d = dict(r)
            for col in ("before_key", "after_key", "before_data_version_json", "after_data_version_json", "outcome_json"):
                d[col.removesuffix("_json")] = json.loads(d.pop(col))
            out.append(d)
        return out

    def verify(self) -> builtins.list[int]:
        """Walk the hash chain; return the ids of rows whose hash does not match (empty: intact)."""
        bad, prev = [], GENESIS
        with self._lock:
            rows = self.conn.execute("SELECT * FROM decisions ORDER BY decision_id").fetchall()
        for row in rows:
            d = Decision.from_row(row)
            fields = {f: getattr(d, f) for f in HASHED}
            if chain_hash(prev, fields) != d.record_hash:
                bad.append(d.decision_id)
            prev = d.record_hash
        return bad

    @staticmethod
    def _where(kind: str | None, status: str | None, since: date | datetime | str | None) -> tuple[str, builtins.list[Any]]:
        clauses, params = [], []
        if kind is not None:
            clauses.append("kind = ?")
            params.append(check_choice("kind", kind, KINDS))
        if status is not None:
            clauses.append("status = ?")
            params.append(check_choice("status", status, STATUSES))
        if since is not None:
            clauses.append("created_at >= ?")
            params.append(as_timestamp(since))
        return (f" WHERE {' AND '.join(clauses)}" if clauses else ""), params
