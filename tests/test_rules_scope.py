"""The License Requirement parser, on the wordings of the real lists (CSL May 2022, nsfreg 2026)."""

from __future__ import annotations

import csv
import gzip
import json
from collections import Counter
from pathlib import Path

import pytest

from clearance.rules.scope import parse_license_requirement

HUAWEI_2020 = (
    "For all items subject to the EAR, see §§ 736.2(b)(3)(vi), and 744.11 of the EAR, EXCEPT for technology subject to "
    "the EAR that is designated as EAR99, or controlled on the Commerce Control List for anti-terrorism reasons only, "
    "when released to members of a “standards organization” (see §772.1) for the purpose of contributing to the "
    "revision or development of a “standard” (see §772.1)."
)


def test_huawei_2020_except_clause_and_footnote_1() -> None:
    s = parse_license_requirement(HUAWEI_2020)
    assert s.coverage == "all" and s.standards_except and s.footnotes == {1}
    assert not s.other_exceptions and not s.truncated


def test_huawei_2026_wording() -> None:
    s = parse_license_requirement("For all items subject to the EAR, see §§ 734.9(e) 1 and 744.11 of the EAR 2")
    assert s.coverage == "all" and s.footnotes == {1, 2} and not s.standards_except


@pytest.mark.parametrize(
    ("text", "coverage", "footnotes"),
    [
        ("For all items subject to the EAR.  (See §744.11 of the EAR)", "all", set()),
        ("All items subject to the EAR. (See §744.11 of the EAR)", "all", set()),
        ("For all items subject to the EAR. (See §§734.9(g),3 746.8(a)(3), and 744.21(b) of the EAR.)", "all", {3}),
        ("For all items subject to the EAR. (See §§ 734.9(e)(2) and 744.11 of the EAR)", "all", {4}),
        ("For any item subject to the EAR listed in supplement no. 2 to part 744.", "supp2_744", set()),
        ("For all items subject to the EAR when used in projects specified in §746.5 of the EAR.", "end_use", set()),
        (
            "For items on the CCL and EAR99 items listed in supplement no. 7 to part 746 of the EAR",
            "ccl_supp7_746",
            set(),
        ),
        ("", "unknown", set()),
    ],
)
def test_wordings(text: str, coverage: str, footnotes: set[int]) -> None:
    s = parse_license_requirement(text)
    assert (s.coverage, set(s.footnotes)) == (coverage, footnotes)


def test_exceptions_are_kept_not_guessed() -> None:
    food = parse_license_requirement(
        "All items subject to the EAR except for food or medicine designated as EAR99. (See §§ 734.9(g),3 746.8(a)(3), "
        "and 744.21(b) of the EAR)"
    )
    assert food.food_medicine_except and not food.other_exceptions
    gl = parse_license_requirement(
        "For all items subject to the EAR.  (See §744.11 of the EAR), apart from items that are related to "
        "transactions "
        "that are authorized by the Department of the Treasury's Office of Foreign Assets Control pursuant to General "
        "License No. 1B of March 2, 2021."
    )
    assert gl.coverage == "all" and gl.other_exceptions and gl.other_exceptions[0].startswith("apart from")


def test_every_bundled_wording_parses(shared: Path) -> None:
    """Invariant over the real lists: every EL/MEU cell gets a scope; unreadable ones are few and say so."""
    texts: Counter[str] = Counter()
    with gzip.open(shared / "csl" / "csl_consolidated_2022-05.csv.gz", "rt", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if row["source"].startswith(("Entity List", "Military End User")):
                texts[row["license_requirement"]] += 1
    with gzip.open(shared / "entity_list_derived" / "nsfreg_bis_entity_list_2026-07-09.json.gz", "rt") as fh:
        texts.update(e["notes"] or "" for e in json.load(fh)["entities"])
    coverage = Counter()
    huawei_2020 = 0
    for text, n in texts.items():
        s = parse_license_requirement(text)
        coverage[s.coverage] += n
        huawei_2020 += n if s.standards_except else 0
        assert s.describe()
    assert coverage["unknown"] <= 25
    assert coverage["all"] > 0.9 * sum(coverage.values())
    assert huawei_2020 == 157  # the 156 + 1 Huawei rows of the CSL carry the June-2020 EXCEPT clause
