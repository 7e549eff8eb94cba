"""CLI: `clearance monitor` — remembered decisions and their re-check.

Mirrors :class:`clearance.monitor.DecisionLog` (``decisions`` = ``list``, ``show`` = ``get``
plus ``changes``, ``verify``) and :func:`clearance.monitor.recheck_report` (``recheck``).
``recheck --fail-on-change`` exits 1 when any decision's outcome changed, so a scheduled job
(cron, CI) can alert on it.
"""

from __future__ import annotations

from typing import Any

import typer
from rich.markup import escape
from rich.table import Table

from clearance.cli.common import EXIT_ATTENTION, JsonOption, emit, err_console, get_app, out_console
from clearance.monitor import Decision, DecisionLog, recheck_report
from clearance.monitor.schema import as_timestamp

app = typer.Typer(
    help="Remembered decisions: list them, show one with the list versions it came from, re-check them "
    "against the serving lists and current rules.",
    no_args_is_help=True,
)


@app.command("decisions")
def decisions(
    ctx: typer.Context,
    kind: str | None = typer.Option(None, "--kind", help="screen or check."),
    status: str | None = typer.Option(None, "--status", help="current or changed (by the last re-check)."),
    limit: int = typer.Option(50, "--limit", min=1, max=10000, help="Most decisions to show (newest first)."),
    offset: int = typer.Option(0, "--offset", min=0, help="Skip this many (for paging)."),
    as_json: bool = JsonOption,
) -> None:
    """Remembered decisions, newest first, with their recorded answer and status."""
    with DecisionLog(get_app(ctx).store) as log:
        rows = log.list(kind=kind, status=status, limit=limit, offset=offset)
        total = log.count(kind=kind, status=status)
    found = [summary_row(d) for d in rows]
    doc = {"total": total, "limit": limit, "offset": offset, "decisions": found}

    def render() -> None:
        if not found:
            out_console.print("no decisions" if not total else f"no decisions after the first {offset}", highlight=False)
            return
        table = Table(title=f"decisions {offset + 1}-{offset + len(found)} of {total}")
        for col, wrap in (("id", False), ("kind", False), ("recorded (UTC)", False), ("asked", True), ("answer", True),
                          ("status", False)):
            table.add_column(col, no_wrap=not wrap, overflow="fold")
        for r in found:
            status = "[bold yellow]changed[/]" if r["status"] == "changed" else r["status"]
            actor = f" ({escape(r['actor'])})" if r["actor"] else ""
            table.add_row(str(r["decision_id"]), r["kind"], r["created_at"][:16].replace("T", " "),
                          escape(r["subject"]) + actor, r["answer"], status)
        out_console.print(table)

    emit(doc, as_json, render)


def summary_row(d: Decision) -> dict[str, Any]:
    return {"decision_id": d.decision_id, "kind": d.kind, "created_at": d.created_at, "actor": d.actor,
            "subject": d.subject, "answer": d.answer, "last_checked_at": d.last_checked_at, "status": d.status}


@app.command("show")
def show(
    ctx: typer.Context,
    decision_id: int = typer.Argument(..., help="The decision id (see `clearance monitor decisions`)."),
    as_json: bool = JsonOption,
) -> None:
    """One decision: what was asked, the answer, the list versions and rules it came from, its changes."""
    with DecisionLog(get_app(ctx).store) as log:
        d = log.get(decision_id)
        changes = log.changes(decision_id)
    doc = {**d.to_dict(), "changes": changes}

    def render() -> None:
        out_console.print(f"[bold]decision {d.decision_id}[/bold] ({d.kind}) recorded {d.created_at}"
                          + escape(f" by {d.actor}" if d.actor else ""), highlight=False)
        out_console.print(f"asked:  {escape(d.subject)}", highlight=False)
        out_console.print(f"answer: {escape(outcome_line(d.kind, d.outcome_key))}", highlight=False)
        out_console.print(f"status: {d.status} (last checked {d.last_checked_at or 'never'}; "
                          f"now {escape(outcome_line(d.kind, d.last_outcome_key))})", highlight=False)
        table = Table("source", "version", "as of", "retrieved", title="list versions that answered")
        table.add_column("raw-file SHA-256", overflow="fold")  # shown whole: an auditor compares it
        for v in d.data_version:
            table.add_row(v["source"], str(v["version_id"]), v["as_of"] or "?", v["retrieved_at"][:19], v["content_hash"])
        out_console.print(table)
        if d.rules_digest:
            out_console.print(f"rule packs: {d.rules_digest}", highlight=False)
        out_console.print(f"record hash: {d.record_hash} (software {d.software_version})", highlight=False)
        for c in changes:
            out_console.print(f"[bold]change[/bold] {c['detected_at']}: {escape(outcome_line(d.kind, c['before_key']))} -> "
                              f"{escape(outcome_line(d.kind, c['after_key']))}", highlight=False)

    emit(doc, as_json, render)


def outcome_line(kind: str, key: dict[str, Any]) -> str:
    if "error" in key:
        return f"error {key['error']}"
    if kind == "screen":
        return ", ".join(key.get("hits", [])) or "no hits"
    entries = key.get("entries", {})
    relied = ", ".join(f"{e} ({applies})" for e, applies in entries.items()) if len(entries) <= 3 else f"{len(entries)} entries"
    return f"{key.get('status')} by {', '.join(key.get('rules', [])) or '-'}; relied on {relied or 'no list entry'}"


@app.command("recheck")
def recheck(
    ctx: typer.Context,
    since: str | None = typer.Option(None, "--since", help="Only decisions recorded on or after this date (YYYY-MM-DD)."),
    kind: str | None = typer.Option(None, "--kind", help="Only screen or check decisions."),
    force: bool = typer.Option(False, "--force", help="Re-run even when lists and rules are unchanged "
                               "(after upgrading clearance)."),
    as_json: bool = JsonOption,
    fail_on_change: bool = typer.Option(False, "--fail-on-change", help="Exit 1 when any outcome changed."),
) -> None:
    """Re-run remembered decisions whose lists or rules changed; report those whose outcome changed."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    ca = get_app(ctx)
    kinds = [kind] if kind else None
    if since is not None:
        as_timestamp(since)  # a bad date fails before any work starts
    if as_json or not err_console.is_terminal:
        report = recheck_report(ca, since=since, kinds=kinds, force=force)
    else:
        with Progress(TextColumn("re-checking"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                      console=err_console, transient=True) as bar:
            task = bar.add_task("decisions", total=None)
            report = recheck_report(ca, since=since, kinds=kinds, force=force,
                                    progress=lambda done, total: bar.update(task, completed=done, total=total))

    def render() -> None:
        for change in report.changes:
            out_console.print(f"[bold yellow]changed[/] {escape(change.describe())}", highlight=False)
        out_console.print(report.summary(), highlight=False)

    emit(report.to_dict(), as_json, render)
    if fail_on_change and report.changes:
        raise typer.Exit(EXIT_ATTENTION)


@app.command("verify")
def verify(ctx: typer.Context, as_json: bool = JsonOption) -> None:
    """Walk the decision log's hash chain; exit 1 if any recorded decision was altered or removed."""
    with DecisionLog(get_app(ctx).store) as log:
        bad, total = log.verify(), log.count()
    emit({"decisions": total, "altered": bad, "intact": not bad}, as_json, lambda: out_console.print(
        f"{total} decisions, hash chain intact" if not bad else f"hash chain broken at decisions {bad}", highlight=False))
    if bad:
        raise typer.Exit(EXIT_ATTENTION)
