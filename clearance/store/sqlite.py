"""The versioned list store on SQLite (the embedded default).

Reads are plain queries; writes happen only in :mod:`clearance.store.importer`, each
import in one transaction, so a crash or a refused file leaves the previous version
serving (SQLite's atomic commit; WAL lets readers carry on during an import).
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import zlib
from collections.abc import Iterable, Iterator
from datetime import date
from pathlib import Path

from clearance.errors import ConfigError, NotFoundError
from clearance.model import Entry
from clearance.store.schema import SCHEMA, SCHEMA_VERSION
from clearance.store.versions import EntryChange, ListVersion, VersionDiff, diff_fields


def encode_entry(entry: Entry) -> tuple[str, bytes]:
    text = entry.to_json()
    return hashlib.sha1(text.encode("utf-8")).hexdigest(), zlib.compress(text.encode("utf-8"), 6)


def decode_entry(blob: bytes) -> Entry:
    return Entry.from_dict(json.loads(zlib.decompress(blob)))


class ListStore:
    """Versioned restricted-party lists in one SQLite file (or ``":memory:"``)."""

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        try:
            self.conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False, timeout=30)
        except sqlite3.Error as exc:
            raise ConfigError(f"cannot open list store {self.path}: {exc}") from None
        self.conn.row_factory = sqlite3.Row
        self.conn.executescript(SCHEMA)
        self.conn.execute("INSERT OR IGNORE INTO meta(key, value) VALUES ('schema_version', ?)", (SCHEMA_VERSION,))

    def close(self) -> None:
        self.conn.close()

    # -- versions ---------------------------------------------------------------

    def current_version(self, source: str) -> ListVersion | None:
        row = self.conn.execute(
            "SELECT v.* FROM current c JOIN versions v USING (version_id) WHERE c.source = ?", (source,)
        ).fetchone()
        return ListVersion.from_row(row, current=True) if row else None

    def current_versions(self) -> dict[str, ListVersion]:
        rows = self.conn.execute("SELECT v.* FROM current c JOIN versions v USING (version_id)").fetchall()
        return {r["source"]: ListVersion.from_row(r, current=True) for r in rows}

    def versions(self, source: str) -> list[ListVersion]:
        cur = self.current_version(source)
        rows = self.conn.execute("SELECT * FROM versions WHERE source = ? ORDER BY version_id", (source,)).fetchall()
        return [ListVersion.from_row(r, current=cur is not None and r["version_id"] == cur.version_id) for r in rows]

    def version(self, version_id: int) -> ListVersion:
        row = self.conn.execute("SELECT * FROM versions WHERE version_id = ?", (version_id,)).fetchone()
        if row is None:
            raise NotFoundError(f"no list version {version_id}", version_id=version_id)
        cur = self.current_version(row["source"])
        return ListVersion.from_row(row, current=cur is not None and cur.version_id == version_id)

    def version_on(self, source: str, on: date) -> ListVersion | None:
        """The version of ``source`` that was in force on ``on`` (latest publication on or before it)."""
        row = self.conn.execute(
            "SELECT * FROM versions WHERE source = ? AND COALESCE(as_of, substr(retrieved_at, 1, 10)) <= ? "
            "ORDER BY COALESCE(as_of, substr(retrieved_at, 1, 10)) DESC, version_id DESC LIMIT 1",
            (source, on.isoformat()),
        ).fetchone()
        return ListVersion.from_row(row) if row else None

    # -- entries ------------------------------------------------------------------

    def entries(self, version_id: int, list_codes: Iterable[str] | None = None) -> Iterator[Entry]:
        sql = "SELECT b.data FROM members m JOIN blobs b ON b.hash = m.hash WHERE m.version_id = ?"
        params: list[object] = [version_id]
        if list_codes is not None:
            codes = list(list_codes)
            sql += f" AND m.list_code IN ({','.join('?' * len(codes))})"
            params += codes
        for (blob,) in self.conn.execute(sql + " ORDER BY m.entry_id", params):
            yield decode_entry(blob)

    def current_entries(self, sources: Iterable[str] | None = None) -> Iterator[tuple[ListVersion, Entry]]:
        """Every entry of every serving version (optionally of some sources only)."""
        wanted = set(sources) if sources is not None else None
        for source, version in sorted(self.current_versions().items()):
            if wanted is None or source in wanted:
                for entry in self.entries(version.version_id):
                    yield version, entry

    def entries_on(self, list_code: str, on: date) -> list[tuple[ListVersion, Entry]]:
        """Which entries were on list ``list_code`` on date ``on``, across the sources carrying it."""
        out: list[tuple[ListVersion, Entry]] = []
        sources = [r[0] for r in self.conn.execute("SELECT DISTINCT source FROM versions ORDER BY source")]
        for source in sources:
            version = self.version_on(source, on)
            if version is not None and version.counts.get(list_code):
                out.extend((version, e) for e in self.entries(version.version_id, [list_code]))
        return out

    def get_entry(self, entry_id: str, source: str | None = None) -> tuple[ListVersion, Entry]:
        """An entry of a serving version, by id (and source when ids collide across sources)."""
        sql = (
            "SELECT m.version_id, b.data FROM members m JOIN blobs b ON b.hash = m.hash "
            "JOIN current c ON c.version_id = m.version_id WHERE m.entry_id = ?"
        )
        params: list[object] = [entry_id]
        if source:
            sql += " AND c.source = ?"
            params.append(source)
        row = self.conn.execute(sql + " ORDER BY c.source LIMIT 1", params).fetchone()
        if row is None:
            raise NotFoundError(f"no current list entry with id {entry_id!r}", entry_id=entry_id)
        return self.version(row[0]), decode_entry(row[1])

    # -- history ------------------------------------------------------------------

    def diff(self, old_id: int, new_id: int) -> VersionDiff:
        """Entries added, removed and changed (with the changed fields) from one version to another."""
        old, new = self.version(old_id), self.version(new_id)
        if old.source != new.source:
            raise NotFoundError(f"versions {old_id} and {new_id} belong to different sources ({old.source}, {new.source})")
        a, b = self._members(old_id), self._members(new_id)
        load = self._load_blob
        result = VersionDiff(source=old.source, old=old, new=new)
        for eid in sorted(b.keys() - a.keys()):
            result.added.append(load(b[eid]))
        for eid in sorted(a.keys() - b.keys()):
            result.removed.append(load(a[eid]))
        for eid in sorted(a.keys() & b.keys()):
            if a[eid] != b[eid]:
                before, after = load(a[eid]), load(b[eid])
                result.changed.append(EntryChange(eid, after.list_code, after.name, diff_fields(before, after)))
        return result

    def _members(self, version_id: int) -> dict[str, str]:
        rows = self.conn.execute("SELECT entry_id, hash FROM members WHERE version_id = ?", (version_id,))
        return {r[0]: r[1] for r in rows}

    def _load_blob(self, digest: str) -> Entry:
        return decode_entry(self.conn.execute("SELECT data FROM blobs WHERE hash = ?", (digest,)).fetchone()[0])

    def sources(self) -> list[str]:
        return [r[0] for r in self.conn.execute("SELECT DISTINCT source FROM versions ORDER BY source")]

    def data_version(self) -> tuple[tuple[str, int], ...]:
        """A token that changes whenever any serving version changes (for cache invalidation)."""
        return tuple((r[0], r[1]) for r in self.conn.execute("SELECT source, version_id FROM current ORDER BY source"))

    def data_fingerprint(self) -> list[tuple[str, int, str]]:
        """(source, version id, entries hash) of every serving version: what the screening index is
        built from (the key of its on-disk cache, :mod:`clearance.index.cache`)."""
        rows = self.conn.execute("SELECT c.source, c.version_id, v.entries_hash FROM current c "
                                 "JOIN versions v ON v.version_id = c.version_id ORDER BY c.source")
        return [(r[0], r[1], r[2]) for r in rows]
