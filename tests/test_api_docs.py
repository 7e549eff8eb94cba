"""docs/api.md documents every route of the published schema, every `serve` flag and every error code."""

from __future__ import annotations

import re
from pathlib import Path

from api_support import make_client
from typer.testing import CliRunner

from clearance.api.errors import STATUS_CODES
from clearance.cli import app as cli

DOC = (Path(__file__).resolve().parents[1] / "docs" / "api.md").read_text(encoding="utf-8")


def test_every_route_is_documented(tmp_path: Path) -> None:
    client, _, _ = make_client(tmp_path / "c.sqlite")
    try:
        paths = client.get("/openapi.json").json()["paths"]
    finally:
        client.__exit__(None, None, None)
    for path, ops in paths.items():
        for method in ops:
            assert f"{method.upper()} {path}" in DOC or re.search(rf"`[A-Z/ ,]*{method.upper()}[A-Z/ ,]* {re.escape(path)}",
                                                                   DOC), f"{method.upper()} {path} not in docs/api.md"


def test_every_serve_flag_and_error_code_is_documented() -> None:
    help_text = CliRunner().invoke(cli, ["serve", "--help"], terminal_width=200).output
    flags = set(re.findall(r"--[a-z][a-z-]+", help_text)) - {"--help", "--log-level", "--no-open-read"}
    for flag in flags:
        assert flag in DOC, f"serve {flag} not in docs/api.md"
    for code in ("malformed_json", "bad_request", "unauthorized", "forbidden", "rate_limited", "internal_error",
                 *STATUS_CODES.values()):
        if code not in ("error", "not_acceptable", "conflict", "unsupported_media_type"):
            assert f"`{code}`" in DOC, f"error code {code} not in docs/api.md"


def test_keys_cli_round_trip(tmp_path: Path) -> None:
    runner = CliRunner()
    db = str(tmp_path / "k.sqlite")
    created = runner.invoke(cli, ["--db", db, "keys", "create", "--role", "admin", "--name", "ops", "--json"])
    assert created.exit_code == 0, created.output
    assert '"role": "admin"' in created.output and "clr_" in created.output
    listed = runner.invoke(cli, ["--db", db, "keys", "list", "--json"])
    key_id = re.search(r'"key_id": "([0-9a-f]+)"', listed.output).group(1)  # type: ignore[union-attr]
    assert "secret" not in listed.output and "clr_" not in listed.output
    revoked = runner.invoke(cli, ["--db", db, "keys", "revoke", key_id])
    assert revoked.exit_code == 0 and "revoked" in revoked.output
    bad = runner.invoke(cli, ["--db", db, "keys", "create", "--role", "root"])
    assert bad.exit_code != 0
