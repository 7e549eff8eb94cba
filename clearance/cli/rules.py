"""CLI: `clearance rules` (placeholder until its issue lands)."""

from __future__ import annotations

import typer

app = typer.Typer(help="Rules of the license engine: which are in force on a date, and why.", no_args_is_help=True)
