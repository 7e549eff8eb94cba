"""CLI: `clearance lists` — versions, history, diffs and updates of the restricted-party lists.

Mirrors :class:`clearance.store.sqlite.ListStore` and :meth:`Clearance.update_source`.
"""

from __future__ import annotations

from contextlib import nullcontext
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import typer
from rich.table import Table

from clearance.app import Clearance
from clearance.cli.common import JsonOption, emit, err_console, get_app, out_console
from clearance.errors import InputError
from clearance.sources.registry import get_spec

app = typer.Typer(
    help="Restricted-party lists: which versions serve, their history, what changed, updates.\n\n"
    "Without a subcommand: every source with its serving version, entry counts, as-of date\n"
    "and a STALE warning when older than its staleness limit.",
    invoke_without_command=True,
    no_args_is_help=False,
)


def _age_days(as_of: str | None, retrieved_at: str) -> int:
    day = date.fromisoformat((as_of or retrieved_at)[:10])
    return (datetime.now(UTC).date() - day).days


def sources_overview(ca: Clearance) -> list[dict[str, Any]]:
    """One row per known source: spec facts plus the serving version (if any)."""
    current = ca.store.current_versions()
    rows = []
    for sid, spec in sorted(ca.specs.items()):
        v = current.get(sid)
        limit = ca.settings.staleness_days or spec.staleness_days
        row: dict[str, Any] = {
            "source": sid,
            "title": spec.title,
            "official": spec.official,
            "lists": spec.lists,
            "loaded": v is not None,
            "version_id": v.version_id if v else None,
            "as_of": v.as_of if v else None,
            "retrieved_at": v.retrieved_at if v else None,
            "origin": v.origin if v else None,
            "entry_count": v.entry_count if v else 0,
            "counts": v.counts if v else {},
            "staleness_days": limit,
        }
        if v is not None:
            age = _age_days(v.as_of, v.retrieved_at)
            row["age_days"] = age
            row["stale"] = age > limit
        rows.append(row)
    return rows


@app.callback()
def overview(ctx: typer.Context, as_json: bool = JsonOption) -> None:
    """Show every source, its serving version, entry counts and freshness."""
    if ctx.invoked_subcommand is not None:
        return
    rows = sources_overview(get_app(ctx))

    def render() -> None:
        table = Table("source", "entries per list", "version", "as of", "total", "age", title="restricted-party lists")
        for r in rows:
            if not r["loaded"]:
                table.add_row(r["source"], ",".join(r["lists"]), "-", "-", "0", "[dim]not loaded[/dim]")
                continue
            fresh = f"[bold yellow]STALE {r['age_days']}d[/]" if r["stale"] else f"{r['age_days']}d"
            counts = ", ".join(f"{k} {n}" for k, n in r["counts"].items())
            table.add_row(r["source"], counts, str(r["version_id"]), r["as_of"] or "?", str(r["entry_count"]), fresh)
        out_console.print(table)
        stale = [r["source"] for r in rows if r.get("stale")]
        if stale:
            err_console.print(f"[yellow]warning:[/] {len(stale)} list(s) older than their limit: {', '.join(stale)}. "
                              "Run `clearance lists update`.")

    emit({"sources": rows}, as_json, render)


@app.command("history")
def history(ctx: typer.Context, source: str, as_json: bool = JsonOption) -> None:
    """Every imported version of SOURCE, oldest first (the serving one marked)."""
    ca = get_app(ctx)
    get_spec(source, ca.specs)
    versions = ca.store.versions(source)

    def render() -> None:
        table = Table("version", "as of", "retrieved", "entries", "origin", "", title=f"history of {source}")
        for v in versions:
            table.add_row(str(v.version_id), v.as_of or "?", v.retrieved_at, str(v.entry_count), v.origin,
                          "serving" if v.current else "")
        out_console.print(table)

    emit({"source": source, "versions": [v.to_dict() for v in versions]}, as_json, render)


@app.command("diff")
def diff(
    ctx: typer.Context,
    source: str,
    old: int | None = typer.Argument(None, help="Older version id (default: the one before NEW)."),
    new: int | None = typer.Argument(None, help="Newer version id (default: the serving version)."),
    limit: int = typer.Option(50, help="Entries shown per section in text output (JSON has all)."),
    as_json: bool = JsonOption,
) -> None:
    """What changed in SOURCE between two versions: entries added, removed, and changed (with fields)."""
    ca = get_app(ctx)
    versions = ca.store.versions(source)
    if new is None:
        cur = ca.store.current_version(source)
        new = cur.version_id if cur else None
    if old is None:
        older = [v.version_id for v in versions if new is not None and v.version_id < new]
        old = older[-1] if older else None
    if old is None or new is None:
        raise InputError(f"{source} has fewer than two versions; nothing to compare (see `clearance lists history {source}`)")
    d = ca.store.diff(old, new)

    def render() -> None:
        out_console.print(f"[bold]{source}[/]: version {old} ({d.old.as_of}) → {new} ({d.new.as_of}): "
                          f"{len(d.added)} added, {len(d.removed)} removed, {len(d.changed)} changed", highlight=False)
        for label, items in (("+", d.added), ("-", d.removed)):
            for e in items[:limit]:
                out_console.print(f"  {label} {e.list_code} {e.entry_id} {e.name}", highlight=False)
        for c in d.changed[:limit]:
            out_console.print(f"  ~ {c.list_code} {c.entry_id} {c.name}: {', '.join(f.field for f in c.changes)}",
                              highlight=False)

    emit(d.to_dict(), as_json, render)


def _role_paths(values: list[str], default_role: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for v in values:
        role, sep, rest = v.partition("=")
        if sep and "/" not in role and ":" not in role:
            out[role] = rest
        else:
            out[default_role] = v
    return out


@app.command("update")
def update(
    ctx: typer.Context,
    source: str | None = typer.Argument(None, help="Source id (see `clearance lists`). Default: every source with an official URL."),
    file: list[str] = typer.Option([], "--file", help="Import a local file instead of downloading. ROLE=PATH for multi-file sources (e.g. sdn=sdn.csv add=add.csv)."),
    url: list[str] = typer.Option([], "--url", help="Download from this URL instead of the official one (ROLE=URL for multi-file sources)."),
    as_of: str | None = typer.Option(None, "--as-of", help="Publication date of this version (YYYY-MM-DD), when the file does not state it."),
    force: bool = typer.Option(False, "--force", help="Accept a version that shrinks by more than max_shrink or has conflicting duplicate ids."),
    as_json: bool = JsonOption,
) -> None:
    """Fetch and import a new version of one source (or all). All or nothing: on any error the serving version stays."""
    ca = get_app(ctx)
    if as_of is not None:
        try:
            date.fromisoformat(as_of)
        except ValueError:
            raise InputError(f"--as-of {as_of!r} is not a date (YYYY-MM-DD)") from None
    if (file or url) and source is None:
        raise InputError("--file/--url need a SOURCE")
    targets = [source] if source else [s for s, spec in sorted(ca.specs.items()) if spec.urls and spec.bundled]
    results = []
    for sid in targets:
        spec = get_spec(sid, ca.specs)
        main_role = spec.options.get("main_role", "main")
        files = {r: Path(p) for r, p in _role_paths(file, main_role).items()} or None
        urls = _role_paths(url, main_role) or None
        with out_console.status(f"updating {sid} ...") if not as_json else nullcontext():
            res = ca.update_source(sid, files=files, urls=urls, as_of=as_of, force=force)
        results.append(res)
        if not as_json:
            v = res.version
            msg = (f"{sid}: unchanged (version {v.version_id} already holds this content)" if res.status == "unchanged"
                   else f"{sid}: imported version {v.version_id} with {v.entry_count} entries"
                   + (f" (previous {res.previous.version_id}: {res.previous.entry_count})" if res.previous else ""))
            out_console.print(msg, highlight=False)
    if as_json:
        emit({"results": [r.to_dict() for r in results]}, True, lambda: None)


@app.command("show")
def show(ctx: typer.Context, entry_id: str, source: str | None = typer.Option(None, help="Source, when the id exists in several."),
         as_json: bool = JsonOption) -> None:
    """Show one list entry in full, with the list version it comes from."""
    version, entry = get_app(ctx).store.get_entry(entry_id, source)
    data = {"entry": entry.to_dict(), "version": version.to_dict()}

    def render() -> None:
        out_console.print(f"[bold]{entry.name}[/] ({entry.list_code}, {entry.kind.value}) — {entry.entry_id}", highlight=False)
        for n in entry.names[1:]:
            out_console.print(f"  {n.role.value}: {n.value}", highlight=False)
        for a in entry.addresses:
            out_console.print(f"  address: {a.full or ', '.join(filter(None, [a.street, a.city, a.country]))}", highlight=False)
        legal = entry.legal
        for label, value in (("license requirement", legal.license_requirement), ("license policy", legal.license_policy),
                             ("Federal Register", "; ".join(legal.federal_register_notices)), ("programs", ", ".join(entry.programs))):
            if value:
                out_console.print(f"  {label}: {value}", highlight=False)
        out_console.print(f"  [dim]source {version.source} version {version.version_id}, as of {version.as_of}[/]")

    emit(data, as_json, render)


@app.command("on")
def entries_on(ctx: typer.Context, list_code: str, on: str = typer.Argument(..., help="Date YYYY-MM-DD."),
               as_json: bool = JsonOption) -> None:
    """Which entries were on LIST_CODE (EL, SDN, ...) on a date, by the versions in force that day."""
    try:
        day = date.fromisoformat(on)
    except ValueError:
        raise InputError(f"{on!r} is not a date (YYYY-MM-DD)") from None
    rows = get_app(ctx).store.entries_on(list_code.upper(), day)
    data = [{"entry_id": e.entry_id, "name": e.name, "source": v.source, "version_id": v.version_id} for v, e in rows]

    def render() -> None:
        for d in data:
            out_console.print(f"{d['entry_id']}\t{d['name']}\t{d['source']} v{d['version_id']}", highlight=False)
        err_console.print(f"{len(data)} entries on {list_code.upper()} on {on}")

    emit({"list": list_code.upper(), "date": on, "count": len(data), "entries": data}, as_json, render)


@app.command("export")
def export(
    ctx: typer.Context,
    output: Path = typer.Option(..., "--output", "-o", help="File to write ('-' for stdout)."),
    source: list[str] = typer.Option([], "--source", help="Only these sources (repeatable). Default: every serving source."),
    list_code: list[str] = typer.Option([], "--list", help="Only these list codes (repeatable), e.g. EL."),
    fmt: str = typer.Option("ftm", "--format", help="ftm (FollowTheMoney JSON lines, the OpenSanctions format) or jsonl (clearance's own entry model)."),
) -> None:
    """Export the serving list entries, e.g. to feed an OpenSanctions-compatible tool."""
    import sys

    from clearance.sources.parsers.ftm import write_ftm

    if fmt not in ("ftm", "jsonl"):
        raise InputError(f"--format must be ftm or jsonl, got {fmt!r}", field="format")
    ca = get_app(ctx)
    for s in source:
        get_spec(s, ca.specs)
    codes = {c.upper() for c in list_code}
    entries = (e for _, e in ca.store.current_entries(source or None) if not codes or e.list_code in codes)
    fp = sys.stdout if str(output) == "-" else open(output, "w", encoding="utf-8")  # noqa: SIM115
    try:
        if fmt == "ftm":
            n = write_ftm(entries, fp)
        else:
            n = 0
            for e in entries:
                fp.write(e.to_json() + "\n")
                n += 1
    finally:
        if fp is not sys.stdout:
            fp.close()
    err_console.print(f"wrote {n} {'FtM entities' if fmt == 'ftm' else 'entries'} to {output}")
