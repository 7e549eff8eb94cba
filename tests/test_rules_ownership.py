"""Ownership arithmetic: aggregation, cascade, unknown percentages (Supp. No. 8(b) to part 744; OFAC 50 %)."""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from clearance.model import Entry, Kind, Name
from clearance.rules.ownership import OwnerNode, capture
from clearance.rules.parties import Listing
from clearance.rules.types import Owner
from clearance.store.versions import ListVersion

VERSION = ListVersion(1, "csl", "test", "2022-05-06T00:00:00", "2022-05-06", "h", "h", 1, {"EL": 1}, "csl", [], False)


def listing(code: str = "EL", applies: bool | None = True) -> Listing:
    entry = Entry("csl", code, f"{code.lower()}-1", Kind.ORGANIZATION, (Name("Listed Co."),))
    return Listing(VERSION, entry, "Listed Co.", 1.0, date(2019, 5, 16), "test", None, applies)


def node(
    name: str, pct: float | None, listed: bool | None = False, children: list[OwnerNode] | None = None, code: str = "EL"
) -> OwnerNode:
    listings = [] if listed is False else [listing(code, listed)]
    return OwnerNode(Owner(name, pct), listings, children or [])


def is_bis(x: Listing) -> bool:
    return x.list_code in ("EL", "MEU", "SDN")


def test_single_owner_threshold() -> None:
    assert capture([node("A", 50, True)], is_bis, 50).captured is True
    assert capture([node("A", 49.9, True)], is_bis, 50).captured is False


def test_aggregation_across_listed_owners() -> None:
    cap = capture([node("A", 30, True), node("B", 25, True), node("C", 45)], is_bis, 50)
    assert cap.captured is True and cap.known_pct == 55 and len(cap.roots) == 2


def test_cascade_through_a_captured_holding() -> None:
    holding = node("Holding", 60, False, [node("Listed", 50, True)])
    cap = capture([holding], is_bis, 50)
    assert cap.captured is True and cap.roots[0][0] == "Holding ← Listed"
    weak = node("Holding", 60, False, [node("Listed", 40, True)])
    assert capture([weak], is_bis, 50).captured is False


def test_unknown_percentage_or_listing_is_undecided() -> None:
    assert capture([node("A", None, True)], is_bis, 50).captured is None
    assert capture([node("A", 60, None)], is_bis, 50).captured is None
    # known stakes already reach 50 %: the unknown one does not matter
    assert capture([node("A", 50, True), node("B", None, True)], is_bis, 50).captured is True
    # an unlisted owner with unknown percentage is no flag
    assert capture([node("A", None, False)], is_bis, 50).captured is False


def test_list_filter() -> None:
    uvl = [node("A", 80, True, code="UVL")]
    assert capture(uvl, is_bis, 50).captured is False  # the Affiliates Rule does not apply to the UVL


@settings(max_examples=150, derandomize=True)
@given(st.lists(st.tuples(st.integers(0, 100), st.booleans()), min_size=1, max_size=5))
def test_capture_matches_the_sum(stakes: list[tuple[int, bool]]) -> None:
    """Invariant: with known stakes, captured iff the listed owners' stakes add up to 50 % or more."""
    nodes = [node(f"O{i}", float(p), listed) for i, (p, listed) in enumerate(stakes)]
    expected = sum(p for p, listed in stakes if listed) >= 50
    assert capture(nodes, is_bis, 50).captured is expected
