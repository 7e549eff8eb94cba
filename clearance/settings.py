"""Every setting of clearance, in one declarative table.

The :class:`Settings` model *is* the table: each field has a default and a help text.
The CLI (``--db`` etc.), the server (``clearance serve`` flags) and the environment
(``CLEARANCE_<NAME>``) all read it, and the docs are generated from it
(``docs/settings.md``, checked by a test). A mistyped value fails loudly at start;
nothing silently falls back. Settings objects are immutable and passed explicitly.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import platformdirs
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from clearance.errors import ConfigError

ENV_PREFIX = "CLEARANCE_"


def default_db_path() -> Path:
    return Path(platformdirs.user_data_dir("clearance", appauthor=False)) / "clearance.sqlite"


class Settings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, validate_default=True)

    # store
    db: Path = Field(default_factory=default_db_path, description="SQLite file of the list store (and decisions, jobs, keys).")
    load_bundled: bool = Field(True, description="Import the bundled list snapshots on first use when a source has no version yet.")
    max_shrink: float = Field(0.20, ge=0, le=1, description="Refuse a new list version that drops more than this share of the previous version's entries (override with --force).")
    staleness_days: int | None = Field(None, ge=1, description="Warn when a list is older than this many days (default: each source's own staleness_days).")
    # downloads
    http_timeout: float = Field(60.0, gt=0, description="Seconds before a list download attempt times out.")
    http_retries: int = Field(3, ge=0, le=10, description="Retries for a failed list download (exponential back-off).")
    # screening
    threshold: float = Field(0.80, ge=0, le=1, description="Default minimum score for a screening result (chosen by `python -m bench`, docs/matching.md section 9).")
    limit: int = Field(10, ge=1, le=1000, description="Default maximum number of screening results per query.")
    calibration: bool = Field(True, description="Let the learned model re-score results in the grey band 0.70-0.90 (clearance/index/calibration.py, docs/matching.md). Off: the formula's score alone.")
    person_calibration: bool = Field(True, description="Let the listed persons' own grey-band model re-score their results (docs/matching.md section 3a): with it, 5 % of Saudi PEP names meet a listed person at 0.80 instead of 16 %, and 5 more hold-out variants are found, for about 11 % of batch throughput. Off: listed persons keep the formula's score.")
    index_cache: bool = Field(True, description="Keep the built screening index in `index-cache/` beside the store, so the next process (a one-off `clearance screen`) reads it in ~1 s instead of building it in ~6 s. Keyed by the serving list versions and the code; safe to delete.")
    # server
    host: str = Field("127.0.0.1", description="Address `clearance serve` listens on.")
    port: int = Field(8000, ge=1, le=65535, description="Port `clearance serve` listens on.")
    open_read: bool = Field(False, description="Serve read endpoints (screen, check, lists) without an API key. Only on a trusted network.")
    max_body_bytes: int = Field(1_048_576, ge=1024, description="Largest JSON request body accepted, in bytes.")
    max_upload_bytes: int = Field(256 * 1_048_576, ge=1024, description="Largest batch upload accepted, in bytes.")
    max_batch_rows: int = Field(2_000_000, ge=1, description="Most rows accepted in one batch screening job.")
    max_match_queries: int = Field(100, ge=1, description="Most queries accepted in one /match request.")
    rate_limit_per_minute: int = Field(6000, ge=1, description="Requests allowed per API key per minute.")
    workers: int = Field(1, ge=1, le=64, description="Processes `clearance serve` runs, each with its own screening index (use the number of cores).")

    @classmethod
    def load(cls, overrides: Mapping[str, Any] | None = None, environ: Mapping[str, str] | None = None) -> Settings:
        """Settings from the environment (``CLEARANCE_*``), then explicit overrides (CLI flags).

        Unknown ``CLEARANCE_*`` variables and invalid values raise :class:`ConfigError`.
        """
        environ = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        fields = cls.model_fields
        for key, raw in environ.items():
            if not key.startswith(ENV_PREFIX):
                continue
            name = key[len(ENV_PREFIX) :].lower()
            if name not in fields:
                raise ConfigError(f"unknown setting in environment: {key}; known: {', '.join(env_name(n) for n in fields)}")
            values[name] = raw
        values.update({k: v for k, v in (overrides or {}).items() if v is not None})
        try:
            return cls.model_validate(values)
        except ValidationError as exc:
            msgs = [f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']} (got {e.get('input')!r})" for e in exc.errors()]
            raise ConfigError("invalid settings: " + "; ".join(msgs)) from None


def env_name(field: str) -> str:
    return ENV_PREFIX + field.upper()


def settings_table() -> list[dict[str, Any]]:
    """(name, env, default, help) rows: the source for docs/settings.md and `--help`."""
    rows = []
    for name, f in Settings.model_fields.items():
        default = "(platform data dir)/clearance.sqlite" if name == "db" else f.default
        rows.append({"name": name, "env": env_name(name), "default": default, "help": f.description or ""})
    return rows
