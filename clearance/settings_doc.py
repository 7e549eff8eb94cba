"""Render docs/settings.md from the settings table (``python -m clearance.settings_doc``).

The file is committed; a test regenerates it and fails when it is stale.
"""

from __future__ import annotations

import sys
from pathlib import Path

from clearance.settings import settings_table

HEADER = """# Settings

Every setting, generated from `clearance/settings.py` (the one table the CLI, the server
and the environment read). Set one with its environment variable, or with the CLI flag
where a command offers it (`--db`, `clearance serve --port` ...). A mistyped value fails
at start with a message naming the setting.

| setting | environment variable | default | meaning |
|---|---|---|---|
"""


def render() -> str:
    rows = [f"| `{r['name']}` | `{r['env']}` | `{r['default']}` | {r['help']} |" for r in settings_table()]
    return HEADER + "\n".join(rows) + "\n"


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("docs/settings.md")
    target.write_text(render(), encoding="utf-8")
