"""The API over every bundled list with the real screening and rule engines: the issue's
golden license cases through ``POST /check`` and yente-style matching of real names."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from api_support import client_for

from clearance.app import Clearance

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def api(bundled_app: Clearance) -> Iterator[tuple[Any, dict[str, str]]]:
    client, _, reader = client_for(bundled_app, start_worker=False)
    yield client, reader
    client.__exit__(None, None, None)


HUAWEI = {"party": "Huawei Technologies Co., Ltd.", "item": "EAR99", "kind": "technology", "activity": "release",
          "purpose": "standards", "country": "CN"}


@pytest.mark.parametrize(("date", "status"), [
    ("2019-09-01", "LICENSE_REQUIRED"),
    ("2024-09-01", "NOT_SUBJECT_TO_EAR"),
])
def test_check_golden_huawei_standards_release(api: Any, date: str, status: str) -> None:
    client, reader = api
    resp = client.post("/check", json={**HUAWEI, "date": date}, headers=reader)
    assert resp.status_code == 200, resp.text
    body = resp.json()
    assert body["status"] == status
    assert body["reasons"] and all(r["rule"] and r["citation"] for r in body["reasons"])
    assert body["request"]["date"] == date


def test_check_unknown_eccn_for_unlisted_party(api: Any) -> None:
    client, reader = api
    body = {**HUAWEI, "party": "Golden River Textiles Ltd", "item": "unknown", "purpose": None, "date": "2024-09-01"}
    assert client.post("/check", json=body, headers=reader).json()["status"] == "REQUIRES_CLASSIFICATION"


def test_match_real_names(api: Any) -> None:
    client, reader = api
    body = {"queries": {
        "huawei": {"schema": "Company", "properties": {"name": ["Huawei Technologies Co., Ltd."], "country": ["cn"]}},
        "nobody": {"schema": "Company", "properties": {"name": ["Golden River Textiles Ltd"]}},
    }}
    out = client.post("/match/EL", json=body, headers=reader).json()["responses"]
    top = out["huawei"]["results"][0]
    assert top["match"] is True and top["datasets"] == ["EL"] and top["matched_name"]
    assert out["nobody"]["results"] == []
    catalog = client.get("/catalog", headers=reader).json()
    assert {"EL", "SDN", "DPL", "UN", "UK", "default"} <= {d["name"] for d in catalog["datasets"]}
