"""What every CLI command shares: opening the app, printing text or JSON, exit codes.

Exit codes (documented in docs/cli.md and `clearance --help`):

| code | meaning |
|---|---|
| 0 | success (for `screen`/`check`, also when matches or license requirements are found, unless --fail-on-match / --fail-unless-clear asks otherwise) |
| 1 | the answer needs attention and the caller asked to fail on it (--fail-on-match, --fail-unless-clear, --fail-on-change) |
| 2 | usage error or invalid input (unknown option, bad value, malformed ECCN or date) |
| 3 | data error: a list file or input file is unreadable, or an import was refused |
| 4 | not found: unknown source, version, entry or rule |
| 5 | configuration error (bad setting, invalid rule pack or source spec) |
| 6 | download failed |
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from typing import Any

import typer
from rich.console import Console

from clearance.app import Clearance
from clearance.errors import (
    ClearanceError,
    ConfigError,
    DataError,
    DownloadError,
    ImportRefused,
    InputError,
    NotFoundError,
)
from clearance.settings import Settings

EXIT_OK, EXIT_ATTENTION, EXIT_USAGE, EXIT_DATA, EXIT_NOT_FOUND, EXIT_CONFIG, EXIT_DOWNLOAD = 0, 1, 2, 3, 4, 5, 6

EXIT_CODES: list[tuple[type[ClearanceError], int]] = [
    (NotFoundError, EXIT_NOT_FOUND),
    (DataError, EXIT_DATA),
    (ImportRefused, EXIT_DATA),
    (InputError, EXIT_USAGE),
    (ConfigError, EXIT_CONFIG),
    (DownloadError, EXIT_DOWNLOAD),
]

err_console = Console(stderr=True)
# piped output (logs, CI, `| less`) gets room for the tables instead of rich's 80-column default
out_console = Console(soft_wrap=True, width=None if sys.stdout.isatty() else 160)

JsonOption = typer.Option(False, "--json", help="Print one JSON document on stdout instead of text.")


def exit_code_for(exc: ClearanceError) -> int:
    for cls, code in EXIT_CODES:
        if isinstance(exc, cls):
            return code
    return EXIT_CONFIG


def get_app(ctx: typer.Context) -> Clearance:
    """The Clearance app for this invocation (opened once, bundled lists loaded on first use)."""
    obj = ctx.ensure_object(dict)
    if "app" not in obj:
        settings: Settings = obj.get("settings") or Settings.load()
        obj["app"] = Clearance.open(settings, notify=lambda m: err_console.print(f"[dim]{m}[/dim]"))
    app: Clearance = obj["app"]
    return app


def emit(data: Any, as_json: bool, render: Callable[[], None]) -> None:
    if as_json:
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")
    else:
        render()


def run_guarded(main: Callable[[], Any]) -> None:
    """Run the Typer app; turn known errors into one line (or the JSON error shape) and an exit code."""
    try:
        main()
    except ClearanceError as exc:
        if "--json" in sys.argv:
            sys.stdout.write(json.dumps(exc.to_dict(), ensure_ascii=False, default=str) + "\n")
        sys.stderr.write(f"error: {' '.join(exc.message.split())}\n")  # one line, never wrapped
        raise SystemExit(exit_code_for(exc)) from None
