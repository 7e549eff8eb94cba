"""Parent acronyms learned from the lists (clearance/names/parents.py), on names as the lists print them."""

from __future__ import annotations

from clearance.app import Clearance
from clearance.index.nameindex import PARENT_ACRONYM
from clearance.index.types import Query
from clearance.names import normalize_name
from clearance.names.parents import ParentAcronyms


def tok(name: str) -> tuple[str, ...]:
    return normalize_name(name).tokens


# (entry, name) as the bundled lists print them: entry 0 is the parent, publishing its acronym
CSSC = [(0, "CHINA STATE SHIPBUILDING CORPORATION, LIMITED"), (0, "CSSC")]
CNEC = [(1, "China Nuclear Engineering and Construction Corp. Ltd."), (1, "CNEC"),
        (2, "China National Engineering and Construction Corp. Ltd."), (2, "CNEC")]
NATA = [(3, "National Aerospace Technology Administration"), (3, "NATA")]
SBIG = [(4, "SHAHID BAGHERI INDUSTRY GROUP"), (4, "SBIG"), (5, "SHAHID BAHERI INDUSTRY GROUP"), (5, "SBIG"),
        (6, "Shahid Bakeri Industry Group"), (6, "SBIG")]


def learn(names: list[tuple[int, str]], person_words: set[str] | None = None) -> ParentAcronyms:
    return ParentAcronyms.learn([(e, tok(n)) for e, n in names], person_words or set())


def test_an_acronym_is_learned_from_the_parents_own_names_and_spelled_out_in_a_subsidiary() -> None:
    parents = learn(CSSC)
    assert parents.expand["cssc"] == ("china", "state", "shipbuilding", "corp")
    name = "CSSC OFFSHORE & MARINE ENGINEERING (GROUP) COMPANY LIMITED"
    (expanded,) = parents.variants(9, tok(name), name)
    assert expanded[:5] == ("china", "state", "shipbuilding", "corp", "offshore")
    # and the spelled-out parent beside other words gives the acronym
    name = "China State Shipbuilding Corporation, Limited 705th Research Institute"
    assert ("cssc", "ltd", "705", "research", "institute") in parents.variants(9, tok(name), name)
    # the parent's own names, and a name that is only the parent, give nothing
    assert parents.variants(0, tok("CSSC HOLDINGS"), "CSSC HOLDINGS") == []
    assert parents.variants(9, tok("China State Shipbuilding Corporation Limited"), "China State Shipbuilding Corporation Limited") == []


def test_ambiguous_acronyms_are_not_used() -> None:
    """Two expansions (CNEC), a listed person's word, and a word written in lower case in a
    mixed-case name ("Ulanqab Nata Microelectronics" is no NATA subsidiary) are left alone;
    spellings of one expansion (SBIG) count as one."""
    assert "cnec" not in learn(CNEC).expand
    assert "nata" not in learn(NATA, person_words={"nata"}).expand
    parents = learn(NATA)
    assert parents.variants(9, tok("Ulanqab Nata Microelectronics"), "Ulanqab Nata Microelectronics") == []
    assert parents.variants(9, tok("NATA MICROELECTRONICS"), "NATA MICROELECTRONICS")
    assert learn(SBIG).expand["sbig"][0] == "shahid"


def test_a_subsidiary_is_found_under_its_parents_full_name(bundled_app: Clearance) -> None:
    """Before session 12 the parent came first (0.67, below the threshold; and 0.87)."""
    for query, listed in (("China State Shipbuilding Corporation Offshore and Marine Engineering",
                           "CSSC OFFSHORE & MARINE ENGINEERING (GROUP) COMPANY LIMITED"),
                          ("Aero Engine Corporation of China Shenyang Liming", "AECC Shenyang Liming Aero Engine Co., Ltd.")):
        top = bundled_app.screen(Query(query))[0]
        assert top.matched_name == listed and top.score >= bundled_app.settings.threshold, (query, top.matched_name)
        assert top.explanation["alias"]["how"] == PARENT_ACRONYM
