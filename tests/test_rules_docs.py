"""docs/rules.md: its catalogue is generated from the packs and must be fresh; every option is documented."""

from __future__ import annotations

import re

from clearance.rules.doc import BEGIN, DOC, END, render


def test_catalogue_is_fresh() -> None:
    text = DOC.read_text(encoding="utf-8")
    current = text[text.index(BEGIN) : text.index(END) + len(END)]
    assert current == render(), "run python -m clearance.rules.doc"


def test_every_check_option_is_documented() -> None:
    from pathlib import Path

    from clearance.cli import check

    source = Path(check.__file__).read_text(encoding="utf-8")
    options = set(re.findall(r'typer\.Option\([^)]*?"(--[a-z-]+)"', source, re.S))
    doc = DOC.read_text(encoding="utf-8")
    assert options >= {"--party", "--entry", "--owner", "--item", "--date", "--fail-unless-clear"}
    assert [o for o in sorted(options) if f"`{o}" not in doc] == []
