"""The rule packs: they load, every citation and date is backed by the digest, bad packs fail loudly.

The digest is ../shared/regulations (RULES.md and its notes, plus the Federal Register
metadata CSV whose abstracts are government text). A rule's ``evidence`` quotes the digest
verbatim; its ``effective_from`` / ``effective_to`` must appear in that evidence, except
an ``effective_to`` that is the day before the next version of the same rule takes effect
(TGL extensions took effect before the previous expiry: RULES.md § 2.1).
"""

from __future__ import annotations

import csv
import re
from datetime import timedelta
from pathlib import Path

import pytest

from clearance.errors import ConfigError
from clearance.rules.engine import REQUIRED_FAMILIES, RuleEngine
from clearance.rules.loader import PACKS_DIR, load_rulebook

DIGEST = Path(__file__).resolve().parents[2] / "shared" / "regulations"

# Dates read off the digest's consolidated timeline (RULES.md § 7) and tables, by hand.
EXPECTED = {
    "huawei_listing.t1": ("2019-05-16", None),
    "huawei_tgl.v0": ("2019-05-20", "2019-08-18"),
    "huawei_tgl.v1": ("2019-08-19", "2019-11-17"),
    "huawei_tgl.v5": ("2020-05-15", "2020-08-13"),
    "huawei_tgl.gap": ("2020-08-14", "2020-08-16"),
    "huawei_tgl.successor": ("2020-08-17", None),
    "standards.huawei_2020": ("2020-06-18", "2022-09-08"),
    "standards.entity_list_2022": ("2022-09-09", "2024-07-17"),
    "standards.not_subject_2024": ("2024-07-18", None),
    "fdp.footnote1.v1": ("2020-05-15", "2020-08-16"),
    "affiliates.v1": ("2025-09-29", "2025-11-09"),
    "affiliates.stay": ("2025-11-10", "2026-11-09"),
    "affiliates.v2": ("2026-11-10", None),
}


def normalize(text: str) -> str:
    text = re.sub(r"(?m)^\s*>\s?", "", text).replace("*", "").replace("`", "")
    return re.sub(r"\s+", " ", text).strip()


@pytest.fixture(scope="module")
def digest() -> str:
    if not (DIGEST / "RULES.md").is_file():
        pytest.fail(f"digest not found at {DIGEST}")
    parts = [p.read_text(encoding="utf-8") for p in sorted(DIGEST.glob("*.md"))]
    with open(DIGEST / "federal_register_bis_ofac_docs_2020-2026.csv", encoding="utf-8", newline="") as fh:
        parts += [" ".join(row.values()) for row in csv.DictReader(fh)]
    return normalize("\n".join(parts))


@pytest.fixture(scope="module")
def engine() -> RuleEngine:
    return RuleEngine.load()


def test_bundled_packs_load(engine: RuleEngine) -> None:
    assert len(engine.book.rules) >= 35
    assert {r.key for r in engine.book.rules.values()} >= set(REQUIRED_FAMILIES)


def test_every_citation_appears_in_the_digest(engine: RuleEngine, digest: str) -> None:
    missing = []
    for rule in engine.book.rules.values():
        for fr in rule.citation.fr:
            if normalize(fr.removeprefix("FR Doc ")) not in digest:
                missing.append(f"{rule.id}: {fr}")
        for cfr in rule.citation.cfr:
            if normalize(cfr.lstrip("§ ")) not in digest:
                missing.append(f"{rule.id}: {cfr}")
    assert not missing


def test_every_evidence_quote_is_verbatim(engine: RuleEngine, digest: str) -> None:
    missing = [
        f"{r.id}: {e[:60]}" for r in engine.book.rules.values() for e in r.evidence if normalize(e) not in digest
    ]
    assert not missing


def test_effective_dates_agree_with_the_digest(engine: RuleEngine) -> None:
    book = engine.book
    starts = {r.effective_from for r in book.rules.values() if r.effective_from}
    problems = []
    for rule in book.rules.values():
        evidence = " ".join(rule.evidence)
        if rule.effective_from and rule.effective_from.isoformat() not in evidence:
            problems.append(f"{rule.id}: effective_from {rule.effective_from} not in its evidence")
        if rule.effective_to and rule.effective_to.isoformat() not in evidence:
            following = rule.effective_to + timedelta(days=1)
            if not any(r.effective_from == following for r in book.family(rule.key)) or following not in starts:
                problems.append(
                    f"{rule.id}: effective_to {rule.effective_to} neither in evidence nor the eve of a version"
                )
    assert not problems
    for rule_id, (start, end) in EXPECTED.items():
        rule = book.get(rule_id)
        assert (rule.effective_from.isoformat() if rule.effective_from else None,) == (start,)
        assert (rule.effective_to.isoformat() if rule.effective_to else None) == end, rule_id


def test_unverified_rules_say_what(engine: RuleEngine) -> None:
    for rule in engine.book.rules.values():
        assert (rule.marker == "U") <= bool(rule.unverified), rule.id
    assert engine.rule("huawei_tgl.successor").marker == "U"
    # the unverified start page of the 2022 rule and the suspension rule are not cited
    cited = {fr for r in engine.book.rules.values() for fr in r.citation.fr}
    assert not cited & {"87 FR 55241", "90 FR 50857"}


def test_in_force_picks_one_version(engine: RuleEngine) -> None:
    from datetime import date

    book = engine.book
    assert book.in_force("huawei_tgl", date(2019, 6, 1)).id == "huawei_tgl.v0"  # type: ignore[union-attr]
    assert book.in_force("huawei_tgl", date(2019, 8, 19)).id == "huawei_tgl.v1"  # type: ignore[union-attr]
    assert book.in_force("huawei_tgl", date(2020, 8, 15)).id == "huawei_tgl.gap"  # type: ignore[union-attr]
    assert book.in_force("huawei_tgl", date(2019, 5, 19)) is None
    assert book.in_force("affiliates", date(2026, 1, 15)).id == "affiliates.stay"  # type: ignore[union-attr]


BAD_PACK = """
concept: bad
title: A pack with every kind of mistake
digest: RULES.md § 2
rules:
  - id: bad.no_citation
    title: no citation
    effect: context
    citation: {}
    marker: P
    evidence: ["x"]
    text: t
  - id: bad.v1
    family: bad.tgl
    title: first version
    effect: authorization
    citation: {fr: ["84 FR 23468"]}
    effective_from: 2019-05-20
    effective_to: 2019-08-19
    marker: S
    evidence: ["x"]
    text: t
  - id: bad.v2
    family: bad.tgl
    title: overlapping version
    effect: authorization
    citation: {fr: ["84 FR 43487"]}
    effective_from: 2019-08-19
    marker: S
    evidence: ["x"]
    text: t
    see_also: [bad.nowhere]
  - id: bad.reversed
    title: to before from
    effect: context
    citation: {cfr: ["§ 744.11"]}
    effective_from: 2020-01-02
    effective_to: 2020-01-01
    marker: U
    evidence: ["x"]
    text: t
"""


def test_bad_pack_reports_every_problem_in_one_error(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(BAD_PACK, encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_rulebook([path])
    msg = info.value.message
    assert "bad.yaml: rule bad.no_citation: field citation: missing" in msg
    assert "bad.yaml: rule bad.v2: field effective_from: overlaps bad.v1" in msg
    assert "reference 'bad.nowhere' does not resolve" in msg
    assert "rule bad.reversed: field effective_to" in msg
    assert "rule bad.reversed: field unverified" in msg
    assert len(info.value.fields["problems"]) == 5


def test_schema_errors_name_file_rule_and_field(tmp_path: Path) -> None:
    path = tmp_path / "schema.yaml"
    path.write_text(BAD_PACK.replace("effect: context\n    citation: {}", "effect: maybe\n    citation: {}", 1))
    dup = tmp_path / "dup.yaml"
    dup.write_text((PACKS_DIR / "published.yaml").read_text(encoding="utf-8"))
    with pytest.raises(ConfigError) as info:
        load_rulebook([path, dup, PACKS_DIR / "published.yaml"])
    msg = info.value.message
    assert "schema.yaml: rule bad.no_citation: field effect" in msg
    assert "field id: duplicate" in msg


def test_missing_family_and_unreadable_yaml(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("rules: [unclosed", encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_rulebook([broken, PACKS_DIR / "published.yaml"], required_families=["huawei_tgl"])
    assert "broken.yaml: cannot read YAML" in info.value.message
    assert "family 'huawei_tgl' required by the engine is missing" in info.value.message
