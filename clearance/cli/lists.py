"""CLI: `clearance lists` — versions, history, diffs and updates of the restricted-party lists."""

from __future__ import annotations

import typer

app = typer.Typer(help="Restricted-party lists: versions, history, diffs, updates.", invoke_without_command=True)
