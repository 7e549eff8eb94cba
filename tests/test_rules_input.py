"""Bad input is refused with a message naming the field; never a silent "no license required"."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clearance.errors import InputError
from clearance.rules.ownership import parse_owner_specs
from clearance.rules.types import CheckRequest, Owner, Status, normalize_item, today

BASE: dict[str, Any] = {
    "party": "Acme",
    "item": "EAR99",
    "kind": "technology",
    "activity": "release",
    "country": "CN",
    "on": "2023-01-01",
}


def make(**kw: Any) -> CheckRequest:
    return CheckRequest.create(**{**BASE, **kw})


@pytest.mark.parametrize("item", ["5A0022", "EAR 99", "X1234", "5Z002", "5a", "ECCN5A002", "5A002..b", "5A002.B-1"])
def test_unknown_eccn_formats(item: str) -> None:
    with pytest.raises(InputError) as info:
        make(item=item)
    assert info.value.fields["field"] == "item"


@pytest.mark.parametrize(
    ("raw", "norm"),
    [
        ("ear99", "EAR99"),
        ("5a002", "5A002"),
        ("5D002.C.1", "5D002.c.1"),
        ("unknown", "unknown"),
        ("?", "unknown"),
        ("9E515.f", "9E515.f"),
        ("0Y521", "0Y521"),
    ],
)
def test_item_normalization(raw: str, norm: str) -> None:
    assert normalize_item(raw) == norm


@pytest.mark.parametrize(
    "on", ["1989-12-31", "1776-07-04", (today() + timedelta(days=366 * 3)).isoformat(), "2023-02-30"]
)
def test_dates_out_of_range(on: str) -> None:
    with pytest.raises(InputError) as info:
        make(on=on)
    assert info.value.fields["field"] == "date"


def test_date_defaults_to_today() -> None:
    assert make(on=None).on == today()
    assert make(on=date(1990, 1, 1)).on == date(1990, 1, 1)


def test_ownership_above_100_percent() -> None:
    with pytest.raises(InputError, match="add up to 110 %"):
        make(owners=parse_owner_specs(["A=60", "B=50"]))
    with pytest.raises(InputError, match="outside 0..100"):
        make(owners=(Owner("A", 120.0),))
    with pytest.raises(InputError, match="add up to"):
        make(owners=parse_owner_specs(["A=50", "A > B=80", "A > C=30"]))


@pytest.mark.parametrize("spec", ["Huawei", "Huawei=abc", "=50", "X > =5", "Parent > Child=10"])
def test_bad_owner_specs(spec: str) -> None:
    with pytest.raises(InputError) as info:
        parse_owner_specs([spec])
    assert info.value.fields["field"] == "owner"


def test_owner_specs_build_chains() -> None:
    owners = parse_owner_specs(["Holding=70", "Holding > Huawei Technologies Co., Ltd.=50", "#el-1=?", "Other=5%"])
    assert [(o.name, o.percent) for o in owners] == [("Holding", 70.0), ("#el-1", None), ("Other", 5.0)]
    assert owners[0].owners == (Owner("Huawei Technologies Co., Ltd.", 50.0),)
    assert owners[1].entry_id == "el-1"


@pytest.mark.parametrize(
    ("kw", "field"),
    [
        ({"party": None}, "party"),
        ({"entry_id": "x"}, "party"),
        ({"country": "China"}, "country"),
        ({"kind": "hardware"}, None),
        ({"activity": "ship"}, None),
        ({"purpose": "fun"}, None),
        ({"at_only": True}, "at_only"),
    ],
)
def test_other_bad_fields(kw: dict[str, Any], field: str | None) -> None:
    with pytest.raises(InputError) as info:
        make(**kw)
    if field:
        assert info.value.fields["field"] == field


@settings(max_examples=200, derandomize=True, deadline=None)
@given(st.text(min_size=1, max_size=12))
def test_item_is_normalized_or_refused(raw: str) -> None:
    """Invariant: any string is either a canonical item (idempotent) or an InputError naming 'item'."""
    try:
        norm = normalize_item(raw)
    except InputError as exc:
        assert exc.fields["field"] == "item"
        return
    assert normalize_item(norm) == norm


def test_status_order_is_most_restrictive_first() -> None:
    ranked = sorted(Status, key=lambda s: -s.rank)
    assert ranked[0] is Status.PROHIBITED and ranked[-1] is Status.NO_LICENSE_REQUIRED
    assert {s for s in Status if s.is_clear} == {Status.NO_LICENSE_REQUIRED, Status.NOT_SUBJECT_TO_EAR}
