"""Render docs/cli.md from the commands' own help (``python -m clearance.cli.docgen``).

The file is committed; a test regenerates it and fails when it is stale, so every command
and option is documented exactly as ``--help`` teaches it.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import typer

from clearance.cli import app
from clearance.cli.common import __doc__ as EXIT_DOC

HEADER = """# Command line

Generated from the commands' `--help` by `python -m clearance.cli.docgen`; a test keeps it fresh.
Every command takes `--json` (one JSON document on stdout) and the global `--db PATH`
(or `CLEARANCE_DB`) naming the store.
"""


def walk(cmd: Any, path: list[str]) -> Iterator[tuple[list[str], Any]]:
    subs = getattr(cmd, "commands", None)
    if subs is None or path and getattr(cmd, "invoke_without_command", False):
        yield path, cmd
    for name, sub in sorted((subs or {}).items()):
        yield from walk(sub, [*path, name])


def render() -> str:
    root = typer.main.get_command(app)
    out = [HEADER, "## Exit codes\n", EXIT_DOC.split("\n\n", 2)[2].strip() + "\n"]
    for path, cmd in walk(root, []):
        if not path:
            continue
        out.append(f"## `clearance {' '.join(path)}`\n")
        out.append((cmd.help or "").strip() + "\n")
        rows = []
        for p in cmd.params:
            if p.param_type_name == "argument":
                rows.append(f"- `{p.name.upper()}` (argument)")
            else:
                rows.append(f"- `{', '.join(p.opts)}`: {(getattr(p, 'help', None) or '').strip()}")
        if rows:
            out.append("\n".join(rows) + "\n")
    return "\n".join(out)


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("docs/cli.md")
    target.write_text(render(), encoding="utf-8")
