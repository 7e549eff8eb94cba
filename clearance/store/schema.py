"""SQLite schema of the list store.

- ``versions``: one row per imported list version (source, origin, retrieval time,
  publication date, hash of the raw files, counts). A version becomes visible only
  when its import transaction commits; ``current`` points each source at the version
  that serves.
- ``blobs``: each distinct entry content once (zlib-compressed canonical JSON, keyed
  by its SHA-1), so a history of near-identical versions costs little.
- ``members``: which entry (id + content hash) is in which version: the basis of
  "what was on list X on date D" and "what changed between two versions".
"""

SCHEMA = """
PRAGMA journal_mode = WAL;
CREATE TABLE IF NOT EXISTS versions (
    version_id   INTEGER PRIMARY KEY AUTOINCREMENT,
    source       TEXT NOT NULL,
    origin       TEXT NOT NULL,
    retrieved_at TEXT NOT NULL,
    as_of        TEXT,
    content_hash TEXT NOT NULL,
    entries_hash TEXT NOT NULL,
    entry_count  INTEGER NOT NULL,
    counts       TEXT NOT NULL,
    parser       TEXT NOT NULL,
    notes        TEXT NOT NULL DEFAULT '[]',
    forced       INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS versions_source ON versions(source, as_of);
CREATE TABLE IF NOT EXISTS blobs (
    hash TEXT PRIMARY KEY,
    data BLOB NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS members (
    version_id INTEGER NOT NULL REFERENCES versions(version_id),
    entry_id   TEXT NOT NULL,
    list_code  TEXT NOT NULL,
    hash       TEXT NOT NULL REFERENCES blobs(hash),
    PRIMARY KEY (version_id, entry_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS members_entry ON members(entry_id);
CREATE TABLE IF NOT EXISTS current (
    source     TEXT PRIMARY KEY,
    version_id INTEGER NOT NULL REFERENCES versions(version_id)
);
CREATE TABLE IF NOT EXISTS meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
"""

SCHEMA_VERSION = "1"
