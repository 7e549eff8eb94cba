"""Foundation invariants: the public surface, the settings table and its docs, the
source specs, and the entity model's round trip."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import clearance
from clearance.errors import ConfigError
from clearance.model import Entry
from clearance.settings import Settings
from clearance.settings_doc import render
from clearance.sources.registry import LIST_CODES, default_specs, load_specs

REPO = Path(__file__).resolve().parents[1]


def test_public_surface_is_sorted_and_importable() -> None:
    assert clearance.__all__ == sorted(clearance.__all__)
    for name in clearance.__all__:
        assert hasattr(clearance, name), name


def test_settings_docs_are_fresh() -> None:
    assert (REPO / "docs/settings.md").read_text(encoding="utf-8") == render(), "run python -m clearance.settings_doc"


def test_mistyped_settings_fail_loudly(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="threshold"):
        Settings.load(environ={"CLEARANCE_THRESHOLD": "high"})
    with pytest.raises(ConfigError, match="CLEARANCE_TRESHOLD"):
        Settings.load(environ={"CLEARANCE_TRESHOLD": "0.8"})
    with pytest.raises(ConfigError, match="max_shrink"):
        Settings.load({"max_shrink": 2}, environ={})
    s = Settings.load({"db": tmp_path / "x.sqlite"}, environ={"CLEARANCE_LIMIT": "25"})
    assert s.limit == 25 and s.db == tmp_path / "x.sqlite"


def test_every_spec_loads_and_bundles_exist() -> None:
    specs = default_specs()
    bundled = {s for s, spec in specs.items() if spec.bundled}
    assert bundled == {"csl", "ofac_sdn", "ofac_cons", "un", "uk_ofsi", "bis_dpl", "el_nsfreg"}
    for spec in specs.values():
        assert set(spec.lists) <= set(LIST_CODES)
        for path in spec.bundled_files().values():
            assert path.is_file()
        assert spec.official or spec.caveats or spec.id == "ftm", f"{spec.id}: a third-party source must state caveats"


def test_invalid_spec_reports_every_problem(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text("id: a\ntitle: t\npublisher: p\nofficial: true\nformat: nope\nlists: [XX]\nterms: t\n")
    (tmp_path / "b.yaml").write_text("id: c\ntitle: t\npublisher: p\nofficial: true\nformat: bis_dpl\nlists: [DPL]\nterms: t\n"
                                     "urls: {main: 'http://insecure'}\n")
    with pytest.raises(ConfigError) as info:
        load_specs(tmp_path)
    problems = info.value.fields["problems"]
    assert any("a.yaml" in p and "unknown format" in p for p in problems)
    assert any("b.yaml" in p and "https" in p for p in problems)


@pytest.mark.slow
def test_entries_round_trip_through_json(bundled_app: clearance.Clearance) -> None:
    n = 0
    for _, entry in bundled_app.store.current_entries():
        assert Entry.from_dict(entry.to_dict()) == entry
        n += 1
    assert n > 35_000


@settings(max_examples=50, deadline=None, derandomize=True)
@given(st.text(min_size=1, max_size=40), st.sampled_from(["EL", "SDN", "UN"]))
def test_content_hash_is_deterministic(name: str, code: str) -> None:
    from clearance.model import Kind, Name

    a = Entry(source="csl", list_code=code, entry_id="x", kind=Kind.ORGANIZATION, names=(Name(name),))
    b = Entry.from_dict(a.to_dict())
    assert a.content_hash() == b.content_hash()


def test_cli_docs_are_fresh_and_cover_every_command() -> None:
    from clearance.cli.docgen import render

    text = render()
    assert (REPO / "docs/cli.md").read_text(encoding="utf-8") == text, "run python -m clearance.cli.docgen"
    for command in ("clearance screen", "clearance screen-file", "clearance check", "clearance lists update",
                    "clearance lists diff", "clearance lists history", "clearance rules list", "clearance serve",
                    "clearance monitor recheck", "clearance keys create", "clearance lists export"):
        assert f"## `{command}`" in text, command
