"""Source specs: what each restricted-party list is, where it is published, how to read it.

One YAML file per source in ``clearance/sources/specs/`` (list metadata is data, with
its citation, not code). Loading checks meaning, not only syntax: the format must
have a parser, bundled files must exist, list codes must be known, URLs must be
https. All problems across all files are reported in one error.
"""

from __future__ import annotations

import functools
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from clearance.errors import ConfigError, NotFoundError
from clearance.sources.parsers import FORMATS

SPEC_DIR = Path(__file__).parent / "specs"
BUNDLE_DIR = Path(__file__).resolve().parent.parent / "data" / "lists"

#: Short list codes and their names. CSL's 13 US lists, then the international ones.
LIST_CODES: dict[str, str] = {
    "EL": "Entity List (BIS, 15 CFR 744 Supp. 4)",
    "SDN": "Specially Designated Nationals and Blocked Persons List (OFAC)",
    "DPL": "Denied Persons List (BIS)",
    "UVL": "Unverified List (BIS, 15 CFR 744 Supp. 6)",
    "MEU": "Military End-User List (BIS, 15 CFR 744 Supp. 7)",
    "ISN": "Nonproliferation Sanctions (State Department)",
    "DTC": "ITAR Debarred (State Department, DDTC)",
    "SSI": "Sectoral Sanctions Identifications List (OFAC)",
    "FSE": "Foreign Sanctions Evaders List (OFAC)",
    "PLC": "Palestinian Legislative Council List (OFAC)",
    "CAP": "Correspondent Account or Payable-Through Account Sanctions (OFAC)",
    "CMIC": "Non-SDN Chinese Military-Industrial Complex Companies List (OFAC)",
    "MBS": "Non-SDN Menu-Based Sanctions List (OFAC, NS-MBS)",
    "CONS": "OFAC Consolidated Sanctions List (non-SDN)",
    "UN": "UN Security Council Consolidated List",
    "UK": "UK Consolidated List of Financial Sanctions Targets (OFSI)",
    "FTM": "FollowTheMoney / OpenSanctions import",
    "JP_EUL": "Japan METI End User List (third-party compilation)",
    "DOD_1260H": "DoD Section 1260H Chinese Military Companies List (third-party compilation)",
    "UFLPA": "DHS UFLPA Entity List (third-party compilation)",
    "DOD_1286": "DoD Section 1286 List (third-party compilation)",
    "CA_NRO": "Canada ISED Named Research Organizations (third-party compilation)",
}


class BundledSnapshot(BaseModel):
    model_config = ConfigDict(extra="forbid")
    files: dict[str, str]  # role -> path relative to clearance/data/lists
    as_of: date
    note: str | None = None


class SourceSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    title: str
    publisher: str
    official: bool  # published by a government body (False: third-party derivative)
    format: str
    lists: list[str]
    roles: dict[str, bool] = {"main": True}  # role -> required
    urls: dict[str, str] = {}  # role -> official download URL
    docs: str | None = None  # where the publisher documents the format
    terms: str
    caveats: list[str] = []
    staleness_days: int = Field(default=14, ge=1)
    options: dict[str, Any] = {}
    bundled: BundledSnapshot | None = None

    @field_validator("format")
    @classmethod
    def _known_format(cls, v: str) -> str:
        if v not in FORMATS:
            raise ValueError(f"unknown format {v!r}; known: {sorted(FORMATS)}")
        return v

    @field_validator("lists")
    @classmethod
    def _known_lists(cls, v: list[str]) -> list[str]:
        unknown = [c for c in v if c not in LIST_CODES]
        if unknown:
            raise ValueError(f"unknown list codes {unknown}; add them to LIST_CODES")
        return v

    @field_validator("urls")
    @classmethod
    def _https(cls, v: dict[str, str]) -> dict[str, str]:
        bad = [u for u in v.values() if not u.startswith("https://")]
        if bad:
            raise ValueError(f"download URLs must be https: {bad}")
        return v

    def bundled_files(self) -> dict[str, Path]:
        if self.bundled is None:
            return {}
        return {role: BUNDLE_DIR / rel for role, rel in self.bundled.files.items()}


def load_specs(spec_dir: Path = SPEC_DIR) -> dict[str, SourceSpec]:
    """Load and cross-check every source spec; report all problems at once."""
    specs: dict[str, SourceSpec] = {}
    problems: list[str] = []
    for path in sorted(spec_dir.glob("*.yaml")):
        try:
            raw = yaml.safe_load(path.read_text(encoding="utf-8"))
            spec = SourceSpec.model_validate(raw)
        except (yaml.YAMLError, ValidationError) as exc:
            problems.append(f"{path.name}: {exc}")
            continue
        if spec.id != path.stem:
            problems.append(f"{path.name}: id {spec.id!r} must equal the file name")
        missing_roles = [r for r in spec.urls if r not in spec.roles]
        if missing_roles:
            problems.append(f"{path.name}: urls name unknown roles {missing_roles}")
        for role, file in spec.bundled_files().items():
            if role not in spec.roles:
                problems.append(f"{path.name}: bundled role {role!r} not in roles")
            if not file.is_file():
                problems.append(f"{path.name}: bundled file {file} is missing")
        specs[spec.id] = spec
    if problems:
        raise ConfigError("invalid source specs:\n  " + "\n  ".join(problems), problems=problems)
    return specs


@functools.cache
def default_specs() -> dict[str, SourceSpec]:
    return load_specs()


def get_spec(source: str, specs: dict[str, SourceSpec] | None = None) -> SourceSpec:
    specs = default_specs() if specs is None else specs
    try:
        return specs[source]
    except KeyError:
        raise NotFoundError(
            f"unknown source {source!r}; known sources: {', '.join(sorted(specs))}", source=source
        ) from None


__all__ = ["LIST_CODES", "BundledSnapshot", "SourceSpec", "default_specs", "get_spec", "load_specs"]
