"""CLI: ``clearance screen NAME`` (who is this?) and ``clearance screen-file INPUT -o OUTPUT``.

Both mirror library calls: :meth:`clearance.app.Clearance.screen` and
:func:`clearance.index.batchfile.screen_file`. ``screen --json`` prints one object
``{"query": {...}, "results": [{"entry_id", "list", "name", "matched_name", "score",
"explanation", ...}]}``, best first. Exit code 0 whether or not something matched, unless
``--fail-on-match`` asks for 1 on any match; bad input exits 2 with a one-line message.
"""

from __future__ import annotations

import re
from pathlib import Path

import typer

from clearance.cli.common import EXIT_ATTENTION, JsonOption, emit, err_console, get_app, out_console
from clearance.errors import InputError
from clearance.index.batch import Columns, parse_kind
from clearance.index.types import Match, Query
from clearance.monitor import cli_actor, record

_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def _countries(values: list[str] | None) -> tuple[str, ...]:
    from clearance.sources.countries import to_iso2

    out = []
    for v in values or []:
        for part in v.split(","):
            if not part.strip():
                continue
            code = to_iso2(part.strip())
            if code is None:
                raise InputError(f"unknown country {part.strip()!r}; use an ISO 3166 code such as CN or RU", field="country")
            out.append(code)
    return tuple(out)


def _lists(value: str | None) -> tuple[str, ...] | None:
    return tuple(c.strip().upper() for c in value.split(",") if c.strip()) if value else None


def _print_legal(m: Match) -> None:
    """What the list says about the party: license requirement, review policy, Federal Register citations."""
    legal, v = m.entry.legal, m.version
    for label, value in (
        ("license requirement", legal.license_requirement),
        ("review policy", legal.license_policy),
        ("Federal Register", ", ".join(legal.federal_register_notices)),
        ("programs", ", ".join(m.entry.programs)),
    ):
        if value:
            out_console.print(f"        {label}: {value}", highlight=False)
    out_console.print(f"        [dim]{v.source} version {v.version_id}, as of {v.as_of or '?'}[/dim]", highlight=False)


def register(app: typer.Typer) -> None:
    """Add ``screen`` and ``screen-file`` to the root app."""

    @app.command("screen")
    def screen(
        ctx: typer.Context,
        name: str = typer.Argument(..., help="The name to screen (any script)."),
        type_: str = typer.Option("any", "--type", help="person, company or any."),
        country: list[str] | None = typer.Option(None, "--country", help="Country (ISO code or name); repeatable."),
        birth_date: str | None = typer.Option(None, "--birth-date", help="YYYY, YYYY-MM or YYYY-MM-DD."),
        identifier: list[str] | None = typer.Option(None, "--id", help="An identifier (passport, registration ...); repeatable."),
        threshold: float | None = typer.Option(None, "--threshold", help="Minimum score, 0-1 (default: the threshold setting)."),
        lists: str | None = typer.Option(None, "--lists", help="Only these list codes, comma-separated (EL,SDN,...)."),
        limit: int | None = typer.Option(None, "--limit", help="Most results (default: the limit setting)."),
        as_json: bool = JsonOption,
        fail_on_match: bool = typer.Option(False, "--fail-on-match", help="Exit 1 when anything matches."),
        by_party: bool = typer.Option(
            False, "--by-party",
            help="Show one result per real party: the same person or company on several lists (same identifier, "
                 "same birth date and name, same company name) folded into its best result, the others under "
                 "also_in with the reason. Every listing is still recorded.",
        ),
    ) -> None:
        """Who is this? Screen one name against every loaded list."""
        if type_.casefold() not in ("person", "company", "organization", "any"):
            raise InputError(f"--type must be person, company or any, got {type_!r}", field="type")
        if birth_date and not _DATE.match(birth_date):
            raise InputError(f"--birth-date must be YYYY, YYYY-MM or YYYY-MM-DD, got {birth_date!r}", field="birth_date")
        query = Query(
            name=name, kind=parse_kind(type_), countries=_countries(country), birth_date=birth_date,
            identifiers=tuple(identifier or ()), lists=_lists(lists), threshold=threshold, limit=limit,
        )
        app = get_app(ctx)
        matches = app.screen(query)
        decision_id = record(app, "screen", query, matches, actor=cli_actor())  # remembered; see docs/monitor.md
        if by_party:  # display only: the decision log keeps every listing (the license check needs each one)
            from clearance.index.screener import collapse_sources

            matches = collapse_sources(matches, app.screener().index.parties)
        doc = {"query": query.to_dict(), "results": [m.to_dict() for m in matches], "decision_id": decision_id}

        def render() -> None:
            if not matches:
                out_console.print(f"no match for {name!r}", highlight=False)
            for m in matches:
                e = m.explanation
                out_console.print(
                    f"[bold]{m.score:.2f}[/bold]  {m.entry.list_code:<5} {m.entry.name}  [dim]({m.entry.entry_id})[/dim]",
                    highlight=False,
                )
                if m.matched_name != m.entry.name:
                    out_console.print(f"        matched: {m.matched_name}", highlight=False)
                agreement = e.get("token_agreement", {}).get("matched", [])
                via = e.get("query_variant")
                packed = f" (from the {via['how']} name in the query: {via['name']})" if via else ""
                out_console.print(f"        [dim]tokens: {', '.join(agreement)}{packed}[/dim]", highlight=False)
                shown = {(m.entry.list_code, m.entry.entry_id)}
                for other in e.get("also_in", ()) if by_party else ():
                    key = (other.get("list"), other.get("entry_id"))
                    if "reason" in other and key not in shown:  # another listing of the party, once per listing
                        shown.add(key)
                        out_console.print(f"        also {other['list']} {other['name']} ({other['entry_id']}, "
                                          f"{other['score']:.2f}): {other['reason']}", highlight=False)
                _print_legal(m)
            if matches:
                out_console.print(f"[dim]decision {decision_id} recorded; `clearance lists` shows list versions and age[/dim]")

        emit(doc, as_json, render)
        if fail_on_match and matches:
            raise typer.Exit(EXIT_ATTENTION)

    @app.command("screen-file")
    def screen_file_cmd(
        ctx: typer.Context,
        input_path: Path = typer.Argument(..., help="CSV, JSON Lines or Parquet file of names."),
        output: Path = typer.Option(..., "-o", "--output", help="Result file (.csv, .jsonl or .parquet)."),
        name_column: str = typer.Option("name", "--name-column", help="Column holding the name."),
        type_column: str | None = typer.Option(None, "--type-column", help="Column holding person/company."),
        country_column: str | None = typer.Option(None, "--country-column", help="Column holding an ISO country code."),
        id_column: str | None = typer.Option(None, "--id-column", help="Column holding your record id."),
        threshold: float | None = typer.Option(None, "--threshold", help="Minimum score, 0-1."),
        lists: str | None = typer.Option(None, "--lists", help="Only these list codes, comma-separated."),
        limit: int | None = typer.Option(None, "--limit", help="Most results per row."),
        encoding: str = typer.Option("utf-8", "--encoding", help="Text encoding of CSV / JSON Lines input."),
        workers: int | None = typer.Option(None, "--workers", help="Processes (default: every core)."),
        as_json: bool = JsonOption,
        fail_on_match: bool = typer.Option(False, "--fail-on-match", help="Exit 1 when any row matches."),
    ) -> None:
        """Screen every row of a file; resumable (re-run the same command after an interruption)."""
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        from clearance.index.batchfile import screen_file
        from clearance.index.readers import count_records

        screener = get_app(ctx).screener()
        total = count_records(input_path) if input_path.is_file() else None
        columns = Columns(name_column, type_column, country_column, id_column)
        with Progress(TextColumn("screening"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                      console=err_console, transient=as_json) as bar:
            task = bar.add_task("rows", total=total)
            summary = screen_file(
                screener, input_path, output, columns, encoding=encoding, threshold=threshold, limit=limit,
                lists=_lists(lists), workers=workers, progress=lambda done, _: bar.update(task, completed=done),
            )

        def render() -> None:
            out_console.print(
                f"{summary['records']} rows screened in {summary['seconds']} s: {summary['matched_rows']} matched, "
                f"{summary['clear_rows']} clear, {summary['errors']} unreadable -> {summary['output']}",
                highlight=False,
            )
            if summary["resumed_from"]:
                out_console.print(f"(resumed after row {summary['resumed_from']})", highlight=False)
            if summary["errors"]:
                _show_errors(Path(summary["errors_file"]))

        emit(summary, as_json, render)
        if fail_on_match and summary["matched_rows"]:
            raise typer.Exit(EXIT_ATTENTION)


def _show_errors(path: Path, most: int = 20) -> None:
    import csv

    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))[1:]
    for line, input_id, message in rows[:most]:
        err_console.print(f"line {line}{f' ({input_id})' if input_id else ''}: {message}", highlight=False)
    if len(rows) > most:
        err_console.print(f"... and {len(rows) - most} more in {path}", highlight=False)
