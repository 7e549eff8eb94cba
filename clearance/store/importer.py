"""Import a list file into the store: all or nothing.

Pipeline: hash the raw files → no-op if identical to the serving version → stream the
parser's entries into one SQLite transaction (blobs deduplicated, membership rows) →
refuse duplicates with different content, an empty result, or a shrink beyond
``max_shrink`` (a real OFAC feed once dropped 15,000 SDN rows for a day) → commit and
point ``current`` at the new version. Any exception rolls the transaction back, so the
previous version keeps serving.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from clearance.errors import ImportRefused, ParseError
from clearance.sources.base import ParseContext
from clearance.sources.parsers import get_parser
from clearance.sources.registry import SourceSpec
from clearance.store.sqlite import ListStore, encode_entry
from clearance.store.versions import ListVersion

Progress = Callable[[int], None]  # called with the number of entries read so far


@dataclass(frozen=True)
class ImportResult:
    status: str  # "imported" | "unchanged"
    version: ListVersion
    previous: ListVersion | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "version": self.version.to_dict(),
            "previous_version_id": self.previous.version_id if self.previous else None,
        }


def hash_files(files: dict[str, Path]) -> str:
    h = hashlib.sha256()
    for role in sorted(files):
        h.update(role.encode() + b"\0")
        with open(files[role], "rb") as f:
            while chunk := f.read(1 << 20):
                h.update(chunk)
        h.update(b"\0")
    return h.hexdigest()


def check_roles(spec: SourceSpec, files: dict[str, Path]) -> None:
    unknown = sorted(set(files) - set(spec.roles))
    if unknown:
        raise ParseError(str(next(iter(files.values()))), None, f"source {spec.id} has no file role(s) {unknown}; roles: {sorted(spec.roles)}")
    missing = sorted(r for r, required in spec.roles.items() if required and r not in files)
    if missing:
        raise ParseError(spec.id, None, f"required file(s) missing for roles {missing}")


def import_files(
    store: ListStore,
    spec: SourceSpec,
    files: dict[str, Path],
    *,
    origin: str,
    retrieved_at: datetime | None = None,
    as_of: str | None = None,
    force: bool = False,
    max_shrink: float = 0.20,
    progress: Progress | None = None,
) -> ImportResult:
    """Import one version of ``spec``'s list from ``files`` (role -> path). See module doc."""
    check_roles(spec, files)
    content_hash = hash_files(files)
    previous = store.current_version(spec.id)
    if previous is not None and previous.content_hash == content_hash:
        return ImportResult("unchanged", previous, previous)

    retrieved = (retrieved_at or datetime.now(UTC)).isoformat(timespec="seconds")
    ctx = ParseContext(spec=spec, force=force)
    parser = get_parser(spec.format)
    conn = store.conn
    conn.execute("BEGIN IMMEDIATE")
    try:
        cur = conn.execute(
            "INSERT INTO versions(source, origin, retrieved_at, as_of, content_hash, entries_hash, entry_count, counts, parser) "
            "VALUES (?, ?, ?, NULL, ?, '', 0, '{}', ?)",
            (spec.id, origin, retrieved, content_hash, spec.format),
        )
        version_id = cur.lastrowid
        seen: dict[str, str] = {}
        blobs: list[tuple[str, bytes]] = []
        members: list[tuple[int | None, str, str, str]] = []
        counts: Counter[str] = Counter()
        for n, entry in enumerate(parser(files, ctx), start=1):
            digest, blob = encode_entry(entry)
            if entry.entry_id in seen:
                if seen[entry.entry_id] == digest:
                    ctx.notes.append(f"duplicate identical entry {entry.entry_id} collapsed")
                    continue
                msg = f"duplicate entry id {entry.entry_id} with different content (entry #{n}: {entry.name!r})"
                if not force:
                    raise ParseError(_origin_file(files), f"entry #{n}", msg + "; use --force to keep the first")
                ctx.notes.append(msg + " — kept the first (forced)")
                continue
            seen[entry.entry_id] = digest
            blobs.append((digest, blob))
            members.append((version_id, entry.entry_id, entry.list_code, digest))
            counts[entry.list_code] += 1
            if len(members) >= 2000:
                _flush(conn, blobs, members)
            if progress is not None and n % 1000 == 0:
                progress(n)
        _flush(conn, blobs, members)
        total = len(seen)
        if total == 0:
            raise ParseError(_origin_file(files), None, "no list entries found (wrong file or wrong format?)")
        if previous is not None and previous.entry_count and total < previous.entry_count * (1 - max_shrink):
            drop = 1 - total / previous.entry_count
            msg = (
                f"{spec.id}: new version has {total} entries, {drop:.0%} fewer than the serving version "
                f"{previous.version_id} ({previous.entry_count}); more than the {max_shrink:.0%} allowed"
            )
            if not force:
                raise ImportRefused(msg + ". Nothing changed; re-run with --force if the shrink is real.", source=spec.id)
            ctx.notes.append(msg + " — accepted with --force")
        entries_hash = hashlib.sha256("".join(sorted(seen[k] + k for k in seen)).encode()).hexdigest()
        conn.execute(
            "UPDATE versions SET as_of = ?, entries_hash = ?, entry_count = ?, counts = ?, notes = ?, forced = ? WHERE version_id = ?",
            (
                as_of or ctx.as_of,
                entries_hash,
                total,
                json.dumps(dict(sorted(counts.items()))),
                json.dumps(ctx.notes[:200] + ([f"... and {len(ctx.notes) - 200} more notes"] if len(ctx.notes) > 200 else [])),
                int(force),
                version_id,
            ),
        )
        conn.execute("INSERT OR REPLACE INTO current(source, version_id) VALUES (?, ?)", (spec.id, version_id))
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    assert version_id is not None
    return ImportResult("imported", store.version(version_id), previous)


def _flush(conn: Any, blobs: list[tuple[str, bytes]], members: list[tuple[int | None, str, str, str]]) -> None:
    conn.executemany("INSERT OR IGNORE INTO blobs(hash, data) VALUES (?, ?)", blobs)
    conn.executemany("INSERT INTO members(version_id, entry_id, list_code, hash) VALUES (?, ?, ?, ?)", members)
    blobs.clear()
    members.clear()


def _origin_file(files: dict[str, Path]) -> str:
    return str(next(iter(files.values())))
