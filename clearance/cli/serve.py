"""CLI: ``clearance serve`` (HTTP API and web page) and ``clearance keys create|list|revoke``.

Every ``serve`` flag is a field of the one settings table (:mod:`clearance.settings`):
the flag, the ``CLEARANCE_<NAME>`` environment variable and the docs read the same
field, and a mistyped value fails at start with the field named.
"""

from __future__ import annotations

import sqlite3
from typing import Any

import typer

from clearance.cli.common import JsonOption, emit, err_console, out_console
from clearance.settings import Settings

keys_app = typer.Typer(help="Manage API keys (stored hashed; roles reader and admin).", no_args_is_help=True,
                       rich_markup_mode=None)


def _help(field: str) -> str:
    return Settings.model_fields[field].description or field


def _settings(ctx: typer.Context, overrides: dict[str, Any]) -> Settings:
    base: Settings = ctx.ensure_object(dict).get("settings") or Settings.load()
    return Settings.load({"db": base.db, **{k: v for k, v in overrides.items() if v is not None}})


def serve(
    ctx: typer.Context,
    host: str | None = typer.Option(None, "--host", help=_help("host")),
    port: int | None = typer.Option(None, "--port", help=_help("port")),
    open_read: bool | None = typer.Option(None, "--open-read/--no-open-read", help=_help("open_read")),
    max_body_bytes: int | None = typer.Option(None, "--max-body-bytes", help=_help("max_body_bytes")),
    max_upload_bytes: int | None = typer.Option(None, "--max-upload-bytes", help=_help("max_upload_bytes")),
    max_batch_rows: int | None = typer.Option(None, "--max-batch-rows", help=_help("max_batch_rows")),
    max_match_queries: int | None = typer.Option(None, "--max-match-queries", help=_help("max_match_queries")),
    rate_limit_per_minute: int | None = typer.Option(None, "--rate-limit-per-minute",
                                                     help=_help("rate_limit_per_minute")),
    threshold: float | None = typer.Option(None, "--threshold", help=_help("threshold")),
    workers: int | None = typer.Option(None, "--workers", help=_help("workers")),
    log_level: str = typer.Option("info", "--log-level", help="uvicorn log level (debug, info, warning, error)."),
) -> None:
    """Serve the HTTP API (yente-compatible /match, /search, /entities, /catalog; /check; /screenings;
    /lists) and the analyst web page. Lists load in the background; /readyz turns ready when done."""
    try:
        from clearance.api import server
    except ImportError as exc:
        raise typer.BadParameter(f"serve needs the server extra: pip install 'clearance[server]' ({exc})") from None

    settings = _settings(ctx, dict(host=host, port=port, open_read=open_read, max_body_bytes=max_body_bytes,
                                   max_upload_bytes=max_upload_bytes, max_batch_rows=max_batch_rows,
                                   max_match_queries=max_match_queries, rate_limit_per_minute=rate_limit_per_minute,
                                   threshold=threshold, workers=workers))
    if settings.open_read:
        err_console.print("[yellow]open_read is on: read endpoints answer without an API key[/yellow]")
    err_console.print(f"clearance serving on http://{settings.host}:{settings.port}/ (store {settings.db}, "
                      f"{settings.workers} worker{'s' if settings.workers > 1 else ''})")
    server.run(settings, log_level=log_level)


def _keys(ctx: typer.Context) -> Any:
    from clearance.api.keys import KeyStore

    settings = _settings(ctx, {})
    settings.db.parent.mkdir(parents=True, exist_ok=True)
    return KeyStore(sqlite3.connect(settings.db, isolation_level=None, timeout=30))


@keys_app.command("create")
def keys_create(
    ctx: typer.Context,
    role: str = typer.Option("reader", "--role", help="reader (screen, check, lists, batch) or admin (also keys)."),
    name: str = typer.Option("", "--name", help="A label for the key (who or what uses it)."),
    as_json: bool = JsonOption,
) -> None:
    """Create a key. The key is printed once; only its hash is stored."""
    token, record = _keys(ctx).create(role, name)
    emit({"key": token, **record.to_dict()}, as_json, lambda: out_console.print(
        f"{token}\n(key id {record.key_id}, role {record.role}; store it now, it is not shown again)",
        highlight=False))


@keys_app.command("list")
def keys_list(ctx: typer.Context, as_json: bool = JsonOption) -> None:
    """List keys: id, role, name, created, revoked (never the secrets)."""
    keys = [k.to_dict() for k in _keys(ctx).list()]

    def render() -> None:
        for k in keys:
            state = f"revoked {k['revoked_at']}" if k["revoked_at"] else "active"
            out_console.print(f"{k['key_id']}  {k['role']:<6}  {k['name']}  created {k['created_at']}  {state}",
                              highlight=False)

    emit(keys, as_json, render)


@keys_app.command("revoke")
def keys_revoke(ctx: typer.Context, key_id: str = typer.Argument(..., help="The key id shown by `keys list`."),
                as_json: bool = JsonOption) -> None:
    """Revoke a key; a running server refuses it within seconds."""
    record = _keys(ctx).revoke(key_id).to_dict()
    emit(record, as_json, lambda: out_console.print(f"revoked {record['key_id']} ({record['name']})",
                                                    highlight=False))


def register(app: typer.Typer) -> None:
    """Add ``serve`` and ``keys`` to the root app."""
    app.command("serve")(serve)
    app.add_typer(keys_app, name="keys")
