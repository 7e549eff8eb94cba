"""Screening on the real bundled lists: the hard cases of issue 3 and aliases from the lists."""

from __future__ import annotations

import csv
import gzip
from pathlib import Path

import pytest
import yaml

from clearance.app import Clearance
from clearance.index.types import Query
from clearance.model import Kind
from clearance.names import load_tables, normalize_name, split_variants

pytestmark = pytest.mark.slow
CASES = Path(__file__).resolve().parents[1] / "bench" / "cases"


def core(name: str) -> str:
    org = load_tables().org_tokens
    return " ".join(t for t in normalize_name(name).tokens if t not in org)


def load_cases() -> list[dict[str, object]]:
    return [c for p in sorted(CASES.glob("*.yaml")) for c in yaml.safe_load(p.read_text(encoding="utf-8"))["cases"]]


@pytest.mark.parametrize("case", load_cases(), ids=lambda c: f"{c['query']}{'+dob' if c.get('birth_date') else ''}")
def test_hard_case(bundled_app: Clearance, case: dict[str, object]) -> None:
    kind = Kind.PERSON if case.get("type") == "person" else None
    birth = str(case["birth_date"]) if case.get("birth_date") else None
    results = bundled_app.screen(Query(str(case["query"]), kind=kind, birth_date=birth))
    if case["expect"] is None:
        assert results == [], f"expected no match, got {results[0].entry.name!r} {results[0].score:.2f}"
    else:
        assert results, "expected a match, got none"
        published = {core(v) for n in results[0].entry.names for v, _ in split_variants(n.value)}
        assert core(str(case["expect"])) in published, results[0].entry.name


def test_results_are_explained(bundled_app: Clearance) -> None:
    top = bundled_app.screen("华为技术有限公司")[0]
    e = top.explanation
    assert top.score == pytest.approx(1.0)
    assert e["transliteration"]["query_scripts"] == ["Hani"]
    assert "chinese_terms" in e["transliteration"]["tables"]
    assert e["token_agreement"]["matched"]
    assert 0.0 <= e["edit_similarity"] <= 1.0
    d = top.to_dict()
    assert {"entry_id", "list", "name", "matched_name", "score", "explanation"} <= set(d)


def test_one_result_per_entry(bundled_app: Clearance) -> None:
    results = bundled_app.screen(Query("Huawei", limit=50))
    ids = [(m.entry.source, m.entry.entry_id) for m in results]
    assert len(ids) == len(set(ids))
    assert [m.score for m in results] == sorted((m.score for m in results), reverse=True)


def test_aliases_from_the_real_csl_find_their_entry(bundled_app: Clearance, shared: Path) -> None:
    """Alt names as published in the trade.gov CSL file find an entry publishing them (first)."""
    with gzip.open(shared / "csl" / "csl_consolidated_2022-05.csv.gz", "rt", encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f) if r["alt_names"] and r["source"].startswith("Entity List")][:400:20]
    assert len(rows) == 20
    for row in rows:
        alias = row["alt_names"].split(";")[0].strip()
        results = bundled_app.screen(Query(alias, limit=3))
        assert results, alias
        names = {core(n.value) for n in results[0].entry.names}
        assert core(alias) in names or core(row["name"]) in names, (alias, results[0].entry.name)


def test_filters(bundled_app: Clearance) -> None:
    only_sdn = bundled_app.screen(Query("Bashar al-Assad", lists=("SDN",)))
    assert only_sdn and {m.entry.list_code for m in only_sdn} == {"SDN"}
    assert all(m.entry.kind is not Kind.PERSON for m in bundled_app.screen(Query("Bashar al-Assad", kind=Kind.ORGANIZATION)))
    assert len(bundled_app.screen(Query("Huawei", limit=2))) == 2
