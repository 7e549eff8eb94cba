"""The ``clearance`` command line. Commands mirror library methods:

- ``clearance lists ...``        list versions, history, diffs, updates   (cli/lists.py)
- ``clearance screen NAME``      who is this?                             (cli/screen.py)
- ``clearance screen-file IN``   batch screening                          (cli/screen.py)
- ``clearance check ...``        may I do this?                           (cli/check.py)
- ``clearance rules ...``        which rules are in force, and why        (cli/rules.py)
- ``clearance monitor ...``      remembered decisions and their re-check  (cli/monitor.py)
- ``clearance serve``            HTTP API and web page                    (cli/serve.py)
"""

from __future__ import annotations

from pathlib import Path

import typer

from clearance.cli import check, lists, monitor, rules, screen, serve
from clearance.cli.common import run_guarded
from clearance.settings import Settings

HELP = """clearance: export-control and sanctions screening with license determination.

\b
Who is this?    clearance screen "Huawei Technologies Co., Ltd."
May I do this?  clearance check --party "Huawei Technologies Co., Ltd." --item EAR99 \\
                  --kind technology --activity release --purpose standards --country CN --date 2024-09-01
Which lists?    clearance lists

The bundled lists load on first use; `clearance lists update` fetches new versions.
Every command takes --json and --help.

\b
Exit codes: 0 ok; 1 attention (only with --fail-on-match / --fail-unless-clear);
            2 usage; 3 data error or refused import; 4 not found; 5 configuration;
            6 download failed.
Settings (env CLEARANCE_*): `clearance settings`.
"""

app = typer.Typer(help=HELP, no_args_is_help=True, rich_markup_mode=None, pretty_exceptions_enable=False, add_completion=False)


@app.callback()
def _global(
    ctx: typer.Context,
    db: Path | None = typer.Option(None, "--db", envvar="CLEARANCE_DB", help="List store file (SQLite). Default: your data directory."),
) -> None:
    ctx.ensure_object(dict)["settings"] = Settings.load({"db": db})


@app.command("settings")
def show_settings(as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """Show every setting: its environment variable, default and meaning."""
    from clearance.cli.common import emit, out_console
    from clearance.settings import settings_table

    rows = settings_table()

    def render() -> None:
        for r in rows:
            out_console.print(f"[bold]{r['name']}[/bold] ({r['env']}, default {r['default']}): {r['help']}", highlight=False)

    emit(rows, as_json, render)


app.add_typer(lists.app, name="lists")
app.add_typer(rules.app, name="rules")
app.add_typer(monitor.app, name="monitor")
screen.register(app)
check.register(app)
serve.register(app)


def main() -> None:
    run_guarded(app)
