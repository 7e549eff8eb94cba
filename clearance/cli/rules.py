"""CLI: `clearance rules` — which rules are in force on a date, and why (the rule packs).

Mirrors :meth:`clearance.rules.engine.RuleEngine.rules_in_force` and ``RuleEngine.rule``
(the same packs :meth:`clearance.app.Clearance.rules` loads; the list store is not opened).
"""

from __future__ import annotations

from datetime import date
from typing import Any

import typer
from rich.table import Table

from clearance.cli.common import JsonOption, emit, out_console
from clearance.errors import InputError
from clearance.rules.engine import RuleEngine
from clearance.rules.loader import Rule
from clearance.rules.types import check_date, today

app = typer.Typer(help="Rules of the license engine: which are in force on a date, and why.", no_args_is_help=True)


def rule_dict(rule: Rule, pack_file: str) -> dict[str, Any]:
    return {
        "id": rule.id,
        "family": rule.key,
        "title": rule.title,
        "effect": rule.effect,
        "citation": str(rule.citation),
        "fr": list(rule.citation.fr),
        "cfr": list(rule.citation.cfr),
        "citation_note": rule.citation.note,
        "effective_from": rule.effective_from.isoformat() if rule.effective_from else None,
        "effective_to": rule.effective_to.isoformat() if rule.effective_to else None,
        "marker": rule.marker,
        "unverified": list(rule.unverified),
        "caveats": list(rule.caveats),
        "evidence": list(rule.evidence),
        "text": rule.text,
        "params": rule.params,
        "pack": pack_file,
    }


@app.command("list")
def list_rules(
    ctx: typer.Context,
    on: str | None = typer.Option(None, "--date", help="Only rules in force on this date (YYYY-MM-DD)."),
    as_json: bool = JsonOption,
) -> None:
    """Every rule, or those in force on --date, with citation, dates and verification marker."""
    engine = RuleEngine.load()  # the rule packs only: no need to open the list store
    if on:
        try:
            when = check_date(date.fromisoformat(on))
        except ValueError:
            raise InputError(f"date: {on!r} is not YYYY-MM-DD", field="date") from None
        rules = engine.rules_in_force(when)
    else:
        rules = sorted(engine.book.rules.values(), key=lambda r: r.id)
    rows = [rule_dict(r, engine.book.files[r.id]) for r in rules]

    def render() -> None:
        title = f"rules in force on {on}" if on else f"all rules (today {today().isoformat()})"
        table = Table("rule", "in force", "marker", "citation", "title", title=title)
        table.columns[0].no_wrap = table.columns[1].no_wrap = True
        for r in rows:
            span = f"{r['effective_from'] or '…'} – {r['effective_to'] or '…'}"
            table.add_row(r["id"], span, r["marker"], r["citation"], r["title"])
        out_console.print(table)

    emit(rows, as_json, render)


@app.command("show")
def show_rule(
    ctx: typer.Context, rule_id: str = typer.Argument(..., metavar="RULE"), as_json: bool = JsonOption
) -> None:
    """One rule: its text, citation, effective dates, the digest evidence and what is unverified."""
    engine = RuleEngine.load()  # the rule packs only: no need to open the list store
    rule = engine.rule(rule_id)
    data = rule_dict(rule, engine.book.files[rule.id])
    data["versions"] = [
        {"id": r.id, "effective_from": r.effective_from, "effective_to": r.effective_to}
        for r in engine.book.family(rule.key)
    ]

    def render() -> None:
        out_console.print(f"[bold]{rule.id}[/bold] [{rule.marker}] {rule.title}", highlight=False)
        out_console.print(
            f"citation: {data['citation']}" + (f" ({rule.citation.note})" if rule.citation.note else ""),
            highlight=False,
        )
        out_console.print(f"in force: {rule.span()}   effect: {rule.effect}   pack: {data['pack']}", highlight=False)
        if len(data["versions"]) > 1:
            out_console.print(
                "versions: "
                + ", ".join(
                    f"{v['id']} ({v['effective_from'] or '…'} – {v['effective_to'] or '…'})" for v in data["versions"]
                ),
                highlight=False,
            )
        out_console.print(f"\n{rule.text}", highlight=False)
        for title, items in (
            ("caveats", rule.caveats),
            ("unverified", rule.unverified),
            ("digest evidence", rule.evidence),
        ):
            if items:
                out_console.print(f"\n[bold]{title}[/bold]")
                for x in items:
                    out_console.print(f"- {x}", highlight=False)

    emit(data, as_json, render)
