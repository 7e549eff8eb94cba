"""CLI: `clearance check` — may I do this? Mirrors :meth:`clearance.app.Clearance.check`.

Exit codes: 0 whatever the answer, unless ``--fail-unless-clear`` asks for 1 when the
status is not NO_LICENSE_REQUIRED or NOT_SUBJECT_TO_EAR; 2 for bad input (InputError).
"""

from __future__ import annotations

from datetime import date

import typer
from rich.table import Table

from clearance.cli.common import EXIT_ATTENTION, JsonOption, emit, get_app, out_console
from clearance.errors import InputError
from clearance.monitor import cli_actor, record
from clearance.rules.ownership import parse_owner_specs
from clearance.rules.types import CheckRequest, Determination, Status

STATUS_STYLE = {
    Status.PROHIBITED: "bold white on red",
    Status.LICENSE_REQUIRED: "bold red",
    Status.REQUIRES_ANALYSIS: "bold yellow",
    Status.REQUIRES_CLASSIFICATION: "bold yellow",
    Status.NOT_SUBJECT_TO_EAR: "bold green",
    Status.NO_LICENSE_REQUIRED: "bold green",
}


def render(d: Determination) -> None:
    """A determination as a compliance officer reads it: answer, why (in order), what it relied on."""
    req = d.request
    who = req.party or (f"{d.entries[0].name} (entry {req.entry_id})" if d.entries else f"entry {req.entry_id}")
    out_console.print(
        f"{req.activity.value} of {req.item} {req.kind.value}{' (published)' if req.published else ''} to {who} "
        f"in {req.country} on {req.on.isoformat()}" + (f", purpose: {req.purpose.value}" if req.purpose else ""),
        highlight=False,
    )
    out_console.print(f"[{STATUS_STYLE[d.status]}]{d.status.value}[/]")
    if d.review_policy:
        out_console.print(f"review policy: {d.review_policy}", highlight=False)
    if d.authorization:
        out_console.print(f"authorization: {d.authorization}", highlight=False)
    out_console.print("\n[bold]reasons[/bold]")
    for n, r in enumerate(d.reasons, 1):
        span = f"{r.effective_from or '…'} – {r.effective_to or '…'}"
        tag = f" → {r.status.value}" if r.status else ""
        out_console.print(
            f"{n}. [bold]{r.rule}[/bold] [{r.marker}] {r.citation} (in force {span}){tag}", highlight=False
        )
        out_console.print(f"   {r.text}", highlight=False)
    if d.entries:
        table = Table(
            "list", "entry", "name", "matched", "version", "listed from", "applies", title="list entries relied on"
        )
        for e in d.entries:
            applies = {True: "yes", False: "no", None: "undecided"}[e.applies]
            table.add_row(
                e.list + (" (owner)" if e.owner_of_party else ""),
                e.entry_id,
                e.name,
                e.matched_name,
                f"{e.source} v{e.version_id} ({e.version_as_of})",
                e.listed_from or "?",
                applies,
            )
        out_console.print(table)
    for title, items in (("assumptions", d.assumptions), ("unverified (RULES.md § 9)", d.unverified)):
        if items:
            out_console.print(f"\n[bold]{title}[/bold]")
            for a in items:
                out_console.print(f"- {a}", highlight=False)


def register(app: typer.Typer) -> None:
    """Add this module's commands to the root app."""

    @app.command("check")
    def check(
        ctx: typer.Context,
        party: str | None = typer.Option(None, "--party", help="The party's name, resolved through screening."),
        entry: str | None = typer.Option(None, "--entry", help="An explicit list entry id instead of --party."),
        owner: list[str] | None = typer.Option(
            None,
            "--owner",
            help='An owner as "NAME=PCT" (PCT may be ?); "#ENTRY_ID=PCT" '
            'for an entry id; "PARENT > NAME=PCT" for an owner of an owner. Repeatable.',
        ),
        item: str = typer.Option(..., "--item", help="EAR99, an ECCN (5A002, 5D002.c.1) or unknown."),
        kind: str = typer.Option(..., "--kind", help="commodity, software or technology."),
        published: bool = typer.Option(False, "--published", help="The technology or software is published (§ 734.7)."),
        at_only: bool = typer.Option(
            False, "--at-only", help="The ECCN is controlled for anti-terrorism reasons only."
        ),
        foreign_produced: bool = typer.Option(False, "--foreign-produced", help="The item is produced outside the US."),
        activity: str = typer.Option(..., "--activity", help="export, reexport, transfer or release."),
        purpose: str | None = typer.Option(
            None, "--purpose", help="standards, network-support, handset-support or vulnerability-disclosure."
        ),
        country: str = typer.Option(..., "--country", help="Destination, ISO 3166 alpha-2 (e.g. CN)."),
        on: str | None = typer.Option(None, "--date", help="The date of the transaction, YYYY-MM-DD (default today)."),
        fail_unless_clear: bool = typer.Option(
            False, "--fail-unless-clear", help="Exit 1 unless NO_LICENSE_REQUIRED or NOT_SUBJECT_TO_EAR."
        ),
        as_json: bool = JsonOption,
    ) -> None:
        """May I do this? A date-aware license determination with its reasons and citations."""
        when: date | None = None
        if on:
            try:
                when = date.fromisoformat(on)
            except ValueError:
                raise InputError(f"date: {on!r} is not YYYY-MM-DD", field="date") from None
        request = CheckRequest.create(
            party=party,
            entry_id=entry,
            owners=parse_owner_specs(owner or []),
            item=item,
            kind=kind,
            published=published,
            at_only=at_only,
            foreign_produced=foreign_produced,
            activity=activity,
            purpose=purpose,
            country=country,
            on=when,
        )
        determination = get_app(ctx).check(request)
        record(get_app(ctx), "check", request, determination, actor=cli_actor())  # remembered; see docs/monitor.md
        emit(determination.to_dict(), as_json, lambda: render(determination))
        if fail_unless_clear and not determination.status.is_clear:
            raise typer.Exit(EXIT_ATTENTION)
