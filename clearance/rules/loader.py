"""Rule packs: YAML files under ``clearance/rules/packs/``, one concept per file.

Each rule carries its id, its citation (Federal Register volume and page or FR Doc
number, and the CFR section), ``effective_from`` / ``effective_to`` (inclusive; None is
open-ended), the verification marker of the digest (RULES.md § 0: P primary, S secondary,
U unverified), the evidence quoted from the digest, and its text. Versions of one rule
share a ``family`` and must not overlap in time (RULES.md § 0: "every rule below has
effective_from and effective_to").

Loading checks meaning, not only syntax (pattern: followthemoney ``Schema.generate``):
``yaml.safe_load``, then pydantic, then cross-checks (ids unique, citation present,
ranges ordered, versions not overlapping, U rules say what is unverified, references
resolve, the families the engine needs exist). Every problem of every file is collected
and raised as one :class:`~clearance.errors.ConfigError` naming file, rule and field.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from clearance.errors import ConfigError, NotFoundError

PACKS_DIR = Path(__file__).parent / "packs"
REF_PARAMS = ("tranches", "owner_rules")  # params whose values are rule ids

Effect = Literal["requirement", "authorization", "not_subject", "prohibition", "analysis", "context", "listing", "stay"]


class Citation(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    fr: tuple[str, ...] = ()  # "84 FR 22961", "FR Doc 2022-19415"
    cfr: tuple[str, ...] = ()  # "§ 744.11(a)(1)", "part 744, Supp. No. 7"
    note: str | None = None

    def __str__(self) -> str:
        parts = list(self.fr) + [f"15 CFR {c.lstrip('§ ').strip()}" for c in self.cfr]
        return "; ".join(parts)


class Rule(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str = Field(pattern=r"^[a-z0-9_]+(\.[a-z0-9_]+)*$")
    family: str = ""
    title: str
    effect: Effect
    citation: Citation
    effective_from: date | None = None
    effective_to: date | None = None
    marker: Literal["P", "S", "U"]
    unverified: tuple[str, ...] = ()
    caveats: tuple[str, ...] = ()
    evidence: tuple[str, ...] = Field(min_length=1)
    text: str
    params: dict[str, Any] = Field(default_factory=dict)
    see_also: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        return self.family or self.id

    def in_force(self, on: date) -> bool:
        return (self.effective_from is None or self.effective_from <= on) and (
            self.effective_to is None or on <= self.effective_to
        )

    def span(self) -> str:
        a = self.effective_from.isoformat() if self.effective_from else "…"
        b = self.effective_to.isoformat() if self.effective_to else "…"
        return f"{a} – {b}"


class Pack(BaseModel):
    model_config = ConfigDict(extra="forbid")
    concept: str
    title: str
    digest: str  # the digest section this pack encodes, e.g. "RULES.md § 2"
    rules: list[Rule] = Field(min_length=1)


@dataclass
class RuleBook:
    """Every rule of every pack, indexed by id and family."""

    rules: dict[str, Rule]
    files: dict[str, str]  # rule id -> pack file name
    packs: dict[str, Pack]

    def get(self, rule_id: str) -> Rule:
        try:
            return self.rules[rule_id]
        except KeyError:
            raise NotFoundError(f"no rule {rule_id!r}; see `clearance rules list`", rule=rule_id) from None

    def family(self, family: str) -> list[Rule]:
        out = [r for r in self.rules.values() if r.key == family]
        return sorted(out, key=lambda r: r.effective_from or date.min)

    def in_force(self, family: str, on: date) -> Rule | None:
        """The version of ``family`` in force on ``on`` (versions never overlap)."""
        return next((r for r in self.family(family) if r.in_force(on)), None)

    def all_in_force(self, on: date) -> list[Rule]:
        return [r for r in self.rules.values() if r.in_force(on)]


def load_rulebook(paths: Iterable[Path] | None = None, required_families: Iterable[str] = ()) -> RuleBook:
    """Load and cross-check the packs; raise one ConfigError listing every problem."""
    files = sorted(paths) if paths is not None else sorted(PACKS_DIR.glob("*.yaml"))
    problems: list[str] = []
    packs: dict[str, Pack] = {}
    for path in files:
        try:
            raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError) as exc:
            problems.append(f"{path.name}: cannot read YAML: {exc}")
            continue
        try:
            packs[path.name] = Pack.model_validate(raw)
        except ValidationError as exc:
            for e in exc.errors():
                loc = list(e["loc"])
                where = path.name
                if len(loc) >= 2 and loc[0] == "rules" and isinstance(loc[1], int) and isinstance(raw, dict):
                    rid = (
                        (raw.get("rules") or [{}])[loc[1]].get("id", f"#{loc[1]}")
                        if loc[1] < len(raw.get("rules") or [])
                        else loc[1]
                    )
                    where += f": rule {rid}"
                    loc = loc[2:]
                problems.append(f"{where}: field {'.'.join(str(p) for p in loc) or '(pack)'}: {e['msg']}")
    rules: dict[str, Rule] = {}
    owner: dict[str, str] = {}
    for fname, pack in packs.items():
        for rule in pack.rules:
            if rule.id in rules:
                problems.append(f"{fname}: rule {rule.id}: field id: duplicate (also in {owner[rule.id]})")
                continue
            rules[rule.id], owner[rule.id] = rule, fname
    problems += cross_check(rules, owner, required_families)
    if problems:
        raise ConfigError(
            f"invalid rule packs ({len(problems)} problems):\n- " + "\n- ".join(problems), problems=problems
        )
    return RuleBook(rules, owner, packs)


def cross_check(rules: dict[str, Rule], owner: dict[str, str], required_families: Iterable[str]) -> list[str]:
    problems: list[str] = []
    by_family: dict[str, list[Rule]] = defaultdict(list)
    for r in rules.values():
        where = f"{owner[r.id]}: rule {r.id}"
        by_family[r.key].append(r)
        if not r.citation.fr and not r.citation.cfr:
            problems.append(f"{where}: field citation: missing (give fr and/or cfr)")
        if r.effective_from and r.effective_to and r.effective_from > r.effective_to:
            problems.append(
                f"{where}: field effective_to: {r.effective_to} is before effective_from {r.effective_from}"
            )
        if r.marker == "U" and not r.unverified:
            problems.append(f"{where}: field unverified: a [U] rule must say what is unverified")
        refs = list(r.see_also) + [x for k in REF_PARAMS for x in (r.params.get(k) or [])]
        for ref in refs:
            if ref not in rules:
                problems.append(f"{where}: field see_also/params: reference {ref!r} does not resolve")
    for family, versions in by_family.items():
        versions.sort(key=lambda r: r.effective_from or date.min)
        for a, b in zip(versions, versions[1:], strict=False):
            if a.effective_to is None or (b.effective_from is None or b.effective_from <= a.effective_to):
                problems.append(
                    f"{owner[b.id]}: rule {b.id}: field effective_from: overlaps {a.id} ({a.span()}) in family {family}"
                )
    for fam in required_families:
        if fam not in by_family:
            problems.append(f"(packs): family {fam!r} required by the engine is missing")
    return problems
