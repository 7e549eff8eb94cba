"""The API over every bundled list with the real screening and rule engines: the issue's
golden license cases through ``POST /check`` and yente-style matching of real names."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from api_support import client_for

from clearance.app import Clearance
from clearance.monitor.decisions import DecisionLog

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


def test_screen_by_party_folds_one_person_and_the_log_keeps_every_listing(api: Any, bundled_app: Clearance) -> None:
    """UK "Nikita Yurievich CHAPLIN" and SDN "CHAPLIN, Nikita Yuryevich" (both born 1982-07-28), as
    `clearance screen --by-party`; the remembered decision still holds the SDN listing."""
    client, reader = api
    every = client.post("/screen", json={"name": "Nikita Yurievich CHAPLIN"}, headers=reader).json()
    assert {r["list"] for r in every["results"]} >= {"UK", "SDN"}
    resp = client.post("/screen", json={"name": "Nikita Yurievich CHAPLIN", "by_party": True}, headers=reader)
    assert resp.status_code == 200, resp.text
    folded = resp.json()
    # one spelling once normalized (tables/east_slavic.yaml): a tie, and the US list leads
    assert len(folded["results"]) == 1 and folded["results"][0]["list"] == "SDN"
    reasons = {(o.get("list"), o.get("entry_id")): o.get("reason") for o in folded["results"][0]["explanation"]["also_in"]}
    assert reasons[("UK", "uk-14468")] == "same birth date 1982-07-28 and name"
    with DecisionLog(bundled_app.store) as log:
        decision = log.get(folded["decision_id"])
    assert "sdn-35489" in {h["entry_id"] for h in decision.outcome["results"]}
