"""yente compatibility: requests exactly as yente's documentation shows them, answers
validated against yente's published response models.

The pydantic models below mirror opensanctions/yente ``yente/data/common.py``
(EntityResponse, ScoredEntityResponse, TotalSpec, EntityExample, EntityMatches,
EntityMatchResponse, SearchFacet(Item), SearchResponse, DatasetModel,
DataCatalogModel) and nomenklatura's ``FeatureDoc``, field for field, so a response
that validates here parses in a yente client.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

import pytest
from api_support import AEROCARIBBEAN, KIM_JONG_UN, SMIC, make_client
from pydantic import BaseModel, Field

# -- yente's published models (yente/data/common.py; nomenklatura/matching/types.py) ----------------


class FeatureDoc(BaseModel):
    description: str
    coefficient: float
    url: str


class EntityResponse(BaseModel):
    id: str
    caption: str
    schema_: str = Field(..., alias="schema")
    properties: dict[str, list[str | EntityResponse]]
    datasets: list[str] = []
    referents: list[str] = []
    target: bool = False
    first_seen: datetime | None = None
    last_seen: datetime | None = None
    last_change: datetime | None = None


class ScoredEntityResponse(EntityResponse):
    score: float = 0.99
    features: dict[str, float]
    match: bool = False


class TotalSpec(BaseModel):
    value: int
    relation: str = "eq"


class EntityExample(BaseModel):
    id: str | None = None
    schema_: str = Field(..., alias="schema")
    properties: dict[str, str | list[Any]]


class EntityMatches(BaseModel):
    status: int = 200
    results: list[ScoredEntityResponse]
    total: TotalSpec
    query: EntityExample


class EntityMatchResponse(BaseModel):
    responses: dict[str, EntityMatches]
    matcher: dict[str, FeatureDoc]
    limit: int


class SearchFacetItem(BaseModel):
    name: str
    label: str
    count: int = 1


class SearchFacet(BaseModel):
    label: str
    values: list[SearchFacetItem]


class SearchResponse(BaseModel):
    limit: int
    offset: int = 0
    total: TotalSpec
    results: list[EntityResponse]
    facets: dict[str, SearchFacet]


class DatasetModel(BaseModel):
    name: str
    title: str
    summary: str | None = None
    url: str | None = None
    load: bool
    entities_url: str | None = None
    version: str
    index_version: str | None = None
    index_current: bool = False
    children: list[str]


class DataCatalogModel(BaseModel):
    datasets: list[DatasetModel]
    current: list[str]
    outdated: list[str]
    index_stale: bool = False


# -- the example request of yente's /match documentation (yente/routers/match.py docstring) ---------

YENTE_DOC_QUERY = {
    "queries": {
        "entity1": {
            "schema": "Person",
            "properties": {"name": ["John Doe"], "birthDate": ["1975-04-21"], "nationality": ["us"]},
        },
        "entity2": {
            "schema": "Company",
            "properties": {"name": ["Brilliant Amazing Limited"], "jurisdiction": ["hk"],
                           "registrationNumber": ["84BA99810"]},
        },
    }
}


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Any, dict[str, str]]]:
    client, _, reader = make_client(tmp_path_factory.mktemp("yente") / "c.sqlite", threshold=0.5)
    yield client, reader
    client.__exit__(None, None, None)


def match(api: Any, body: dict[str, Any], path: str = "/match/default", **params: Any) -> EntityMatchResponse:
    client, reader = api
    resp = client.post(path, json=body, params=params, headers=reader)
    assert resp.status_code == 200, resp.text
    assert resp.headers["x-batch-size"] == str(len(body["queries"]))
    return EntityMatchResponse.model_validate(resp.json())


def test_documented_example_validates(api: Any) -> None:
    out = match(api, YENTE_DOC_QUERY)
    assert set(out.responses) == {"entity1", "entity2"}
    assert out.responses["entity1"].query.schema_ == "Person"
    assert out.responses["entity2"].query.properties["registrationNumber"] == ["84BA99810"]
    assert all(r.status == 200 for r in out.responses.values())


def test_match_finds_listed_entity_with_score_match_and_features(api: Any) -> None:
    body = {"queries": {"q1": {"schema": "Person", "properties": {"name": ["Kim Jong Un"], "nationality": ["kp"]}}}}
    out = match(api, body, algorithm="best")
    top = out.responses["q1"].results[0]
    assert top.id == KIM_JONG_UN and top.schema_ == "Person" and top.datasets == ["SDN"]
    assert 0 <= top.score <= 1 and top.match is True and top.features
    assert out.responses["q1"].total.value >= 1


def test_string_property_values_are_accepted(api: Any) -> None:
    out = match(api, {"queries": {"a": {"schema": "Person", "properties": {"name": "Kim Jong Un"}}}})
    assert out.responses["a"].results


def test_threshold_sets_match_flag_and_cutoff_filters(api: Any) -> None:
    body = {"queries": {"q": {"schema": "Person", "properties": {"name": ["Kim Jong Eun"]}}}}
    for threshold, cutoff in ((1.0, 0.5), (0.9, 0.3), (0.5, 0.5)):
        results = match(api, body, threshold=threshold, cutoff=cutoff).responses["q"].results
        assert results
        assert all(r.match == (r.score >= threshold) and r.score >= cutoff for r in results)


def test_limit_exclude_entity_ids_and_include_dataset(api: Any) -> None:
    body = {"queries": {"q": {"schema": "LegalEntity", "properties": {"name": ["Kim Jong Un"]}}}}
    assert match(api, body, limit=1).limit == 1
    excluded = match(api, body, exclude_entity_ids=[KIM_JONG_UN])
    assert KIM_JONG_UN not in [r.id for r in excluded.responses["q"].results]
    only_el = match(api, body, include_dataset=["EL"])
    assert only_el.responses["q"].results == []
    assert match(api, body, path="/match/SDN").responses["q"].results[0].id == KIM_JONG_UN
    assert match(api, body, path="/match/EL").responses["q"].results == []


def test_yente_algorithm_names_accepted_unknown_refused(api: Any) -> None:
    client, reader = api
    body = {"queries": {"q": {"schema": "Company", "properties": {"name": ["SMIC"]}}}}
    for algorithm in ("best", "logic-v1", "logic-v2", "name-based", "regression-v1"):
        match(api, body, algorithm=algorithm)
    resp = client.post("/match/default", params={"algorithm": "nope"}, json=body, headers=reader)
    assert resp.status_code == 400 and resp.json()["detail"]


def test_unknown_dataset_404_and_empty_queries_400(api: Any) -> None:
    client, reader = api
    assert client.post("/match/us_ofac_sdn", json=YENTE_DOC_QUERY, headers=reader).status_code == 404
    assert client.post("/match/default", json={"queries": {}}, headers=reader).status_code == 400


def test_search_entities_and_catalog_validate(api: Any) -> None:
    client, reader = api
    found = SearchResponse.model_validate(client.get("/search/default", params={"q": "AEROCARIBBEAN AIRLINES"}, headers=reader).json())
    assert found.results[0].id == AEROCARIBBEAN and found.total.value >= 1 and "datasets" in found.facets
    entity = EntityResponse.model_validate(client.get(f"/entities/{SMIC}", headers=reader).json())
    assert "SMIC Shanghai" in entity.properties["alias"]  # the CSL row's alt_names
    catalog = DataCatalogModel.model_validate(client.get("/catalog", headers=reader).json())
    names = {d.name for d in catalog.datasets}
    assert {"EL", "SDN", "DPL", "default"} <= names
    default = next(d for d in catalog.datasets if d.name == "default")
    assert set(default.children) == names - {"default"}
