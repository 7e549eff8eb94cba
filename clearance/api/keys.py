"""API keys: stored hashed, with a role, revocable.

A key looks like ``clr_<key_id>_<secret>``. Only ``sha256(secret)`` is stored (the
secret is 32 random bytes, so a fast hash is enough: nothing to brute-force, unlike a
password). ``key_id`` is public and names the key in listings and logs.

Roles are ordered: ``reader`` may screen, check, read lists and run batch jobs;
``admin`` may also update lists and manage keys. The table lives in the same SQLite
file as the list store (``api_keys``), so keys survive restarts and the CLI
(``clearance keys ...``) and the server see the same keys.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import sqlite3
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from clearance.errors import AuthError, InputError, NotFoundError

ROLES: dict[str, int] = {"reader": 1, "admin": 2}
PREFIX = "clr_"
CACHE_SECONDS = 2.0  # a key revoked by another process stops working within this time

SCHEMA = """
CREATE TABLE IF NOT EXISTS api_keys (
    key_id       TEXT PRIMARY KEY,
    secret_hash  TEXT NOT NULL,
    role         TEXT NOT NULL,
    name         TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    revoked_at   TEXT
);
"""


@dataclass(frozen=True)
class ApiKey:
    key_id: str
    role: str
    name: str
    created_at: str
    revoked_at: str | None = None

    def allows(self, role: str) -> bool:
        return ROLES[self.role] >= ROLES[role]

    def to_dict(self) -> dict[str, Any]:
        return {"key_id": self.key_id, "role": self.role, "name": self.name,
                "created_at": self.created_at, "revoked_at": self.revoked_at}


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class KeyStore:
    """Create, list, revoke and verify API keys in the ``api_keys`` table."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.conn.executescript(SCHEMA)
        self._cache: dict[str, tuple[float, ApiKey | None]] = {}
        self._lock = threading.Lock()

    def create(self, role: str, name: str = "") -> tuple[str, ApiKey]:
        """A new key; returns the full token (shown once) and its record."""
        if role not in ROLES:
            raise InputError(f"unknown role {role!r}; roles: {', '.join(ROLES)}", field="role")
        key_id = secrets.token_hex(6)
        secret = secrets.token_urlsafe(32)
        record = ApiKey(key_id, role, name or key_id, _now())
        self.conn.execute(
            "INSERT INTO api_keys(key_id, secret_hash, role, name, created_at) VALUES (?, ?, ?, ?, ?)",
            (key_id, _hash(secret), role, record.name, record.created_at),
        )
        return f"{PREFIX}{key_id}_{secret}", record

    def list(self) -> list[ApiKey]:
        rows = self.conn.execute(
            "SELECT key_id, role, name, created_at, revoked_at FROM api_keys ORDER BY created_at, key_id"
        ).fetchall()
        return [ApiKey(*tuple(r)) for r in rows]

    def revoke(self, key_id: str) -> ApiKey:
        cur = self.conn.execute(
            "UPDATE api_keys SET revoked_at = ? WHERE key_id = ? AND revoked_at IS NULL", (_now(), key_id)
        )
        with self._lock:
            self._cache.clear()
        if cur.rowcount == 0:
            found = [k for k in self.list() if k.key_id == key_id]
            if not found:
                raise NotFoundError(f"no API key {key_id!r}", key_id=key_id)
            return found[0]
        return next(k for k in self.list() if k.key_id == key_id)

    def verify(self, token: str) -> ApiKey:
        """The key behind ``token``; :class:`AuthError` if it is malformed, unknown or revoked."""
        now = time.monotonic()
        with self._lock:
            hit = self._cache.get(token)
        if hit is not None and now - hit[0] < CACHE_SECONDS:
            key = hit[1]
        else:
            key = self._lookup(token)
            with self._lock:
                if len(self._cache) > 10_000:
                    self._cache.clear()
                self._cache[token] = (now, key)
        if key is None:
            raise AuthError("invalid or revoked API key")
        return key

    def _lookup(self, token: str) -> ApiKey | None:
        if not token.startswith(PREFIX) or token.count("_") < 2:
            return None
        key_id, _, secret = token[len(PREFIX):].partition("_")
        row = self.conn.execute(
            "SELECT key_id, secret_hash, role, name, created_at, revoked_at FROM api_keys WHERE key_id = ?", (key_id,)
        ).fetchone()
        if row is None or row[5] is not None or not hmac.compare_digest(row[1], _hash(secret)):
            return None
        return ApiKey(row[0], row[2], row[3], row[4], row[5])
