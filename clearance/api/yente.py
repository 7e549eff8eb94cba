"""The yente (OpenSanctions API) wire format: request/response models and the mapping
between clearance's :class:`~clearance.model.Entry` / :class:`~clearance.index.types.Match`
and FollowTheMoney-style entities.

Shapes follow opensanctions/yente ``yente/data/common.py`` (EntityResponse,
ScoredEntityResponse, EntityMatches, EntityMatchResponse, SearchResponse,
DataCatalogModel) so that clients written for the OpenSanctions API parse our answers
unchanged. Results carry two extra keys yente clients ignore: ``matched_name`` (the
alias that matched) and ``explanation`` (clearance's full score explanation).
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from clearance.index.types import Match, Query
from clearance.model import Entry, Kind, NameRole
from clearance.store.versions import ListVersion

SCHEMA_OF_KIND = {Kind.PERSON: "Person", Kind.ORGANIZATION: "Organization", Kind.VESSEL: "Vessel",
                  Kind.AIRCRAFT: "Airplane", Kind.UNKNOWN: "LegalEntity"}
KIND_OF_SCHEMA = {"Person": Kind.PERSON, "Company": Kind.ORGANIZATION, "Organization": Kind.ORGANIZATION,
                  "PublicBody": Kind.ORGANIZATION, "Vessel": Kind.VESSEL, "Airplane": Kind.AIRCRAFT}
ANY_SCHEMAS = {"LegalEntity", "Thing", "Asset"}
NAME_PROPS = ("name", "alias", "weakAlias", "previousName")
COUNTRY_PROPS = ("country", "nationality", "citizenship", "jurisdiction", "mainCountry")
ID_PROPS = ("idNumber", "registrationNumber", "taxNumber", "passportNumber", "imoNumber", "leiCode", "innCode",
            "ogrnCode", "swiftBic", "vatCode", "mmsi", "callSign")
ROLE_PROP = {NameRole.PRIMARY: "name", NameRole.ALIAS: "alias", NameRole.NATIVE: "alias",
             NameRole.WEAK_ALIAS: "weakAlias", NameRole.FORMER: "previousName"}
ALGORITHMS = ("clearance", "best", "logic-v1", "logic-v2", "name-based", "name-qualified", "regression-v1",
              "regression-v2", "regression-v3")


class EntityExample(BaseModel):
    model_config = ConfigDict(populate_by_name=True)
    id: str | None = Field(None, examples=["my-entity-id"])
    schema_: str = Field(..., alias="schema", examples=["Company"])
    properties: dict[str, str | list[Any]] = Field(..., examples=[{"name": ["Huawei Technologies Co., Ltd."]}])


class EntityMatchQuery(BaseModel):
    weights: dict[str, float] = Field({}, examples=[{}])
    config: dict[str, Any] = Field({}, examples=[{}])
    queries: dict[str, EntityExample]


class TotalSpec(BaseModel):
    value: int
    relation: str = "eq"


class EntityResponse(BaseModel):
    model_config = ConfigDict(populate_by_name=True)
    id: str
    caption: str
    schema_: str = Field(..., alias="schema")
    properties: dict[str, list[Any]]
    datasets: list[str] = []
    referents: list[str] = []
    target: bool = False
    first_seen: str | None = None
    last_seen: str | None = None
    last_change: str | None = None


class ScoredEntityResponse(EntityResponse):
    score: float
    features: dict[str, float]
    match: bool = False
    matched_name: str | None = None
    explanation: dict[str, Any] = {}


class EntityMatches(BaseModel):
    status: int = 200
    results: list[ScoredEntityResponse]
    total: TotalSpec
    query: EntityExample


class FeatureDoc(BaseModel):
    description: str
    coefficient: float
    url: str


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
    load: bool = True
    entities_url: str | None = None
    version: str
    index_version: str | None = None
    index_current: bool = True
    children: list[str] = []


class DataCatalogModel(BaseModel):
    datasets: list[DatasetModel]
    current: list[str]
    outdated: list[str]
    index_stale: bool = False


MATCHER_DOCS = {"name_score": FeatureDoc(
    description="clearance name similarity of the best-matching alias (normalized, transliterated, "
                "token-weighted); other features are the score explanation's numeric parts",
    coefficient=1.0, url="/docs/api.md")}


def _values(props: dict[str, Any], key: str) -> list[str]:
    raw = props.get(key)
    if raw is None:
        return []
    items = raw if isinstance(raw, list) else [raw]
    return [str(v).strip() for v in items if v is not None and str(v).strip()]


def queries_from_example(example: EntityExample, lists: tuple[str, ...] | None, threshold: float,
                         limit: int) -> list[Query]:
    """One clearance :class:`Query` per distinct name of a yente example entity."""
    props = example.properties
    names = list(dict.fromkeys(n for p in NAME_PROPS for n in _values(props, p)))
    countries = tuple(dict.fromkeys(c.upper() for p in COUNTRY_PROPS for c in _values(props, p) if len(c) == 2))
    idents = tuple(dict.fromkeys(v for p in ID_PROPS for v in _values(props, p)))
    births = _values(props, "birthDate") or _values(props, "incorporationDate")
    addresses = _values(props, "address")
    kind = None if example.schema_ in ANY_SCHEMAS else KIND_OF_SCHEMA.get(example.schema_)
    return [Query(name=n, kind=kind, countries=countries, birth_date=births[0] if births else None,
                  identifiers=idents, address=addresses[0] if addresses else None, lists=lists,
                  threshold=threshold, limit=limit) for n in names[:10]]


def entity_properties(entry: Entry) -> dict[str, list[Any]]:
    props: dict[str, list[Any]] = {}

    def add(key: str, value: Any) -> None:
        if value not in (None, "") and value not in props.setdefault(key, []):
            props[key].append(value)

    for n in entry.names:
        add(ROLE_PROP[n.role], n.value)
    country_prop = "nationality" if entry.kind is Kind.PERSON else "country"
    for c in entry.countries:
        add(country_prop, c.lower())
    for a in entry.addresses:
        add("address", a.full or ", ".join(p for p in (a.street, a.city, a.region, a.postal_code, a.country) if p))
    for i in entry.identifiers:
        add("imoNumber" if i.scheme.upper() == "IMO" else "idNumber", i.value)
    for d in entry.birth_dates:
        add("birthDate", d)
    for p in entry.birth_places:
        add("birthPlace", p)
    for p in entry.programs:
        add("program", p)
    add("topics", "sanction")
    add("createdAt", entry.listed_on)
    add("notes", entry.remarks)
    add("sourceUrl", entry.legal.source_information_url or entry.legal.source_list_url)
    return {k: v for k, v in props.items() if v}


def entity_dict(entry: Entry, version: ListVersion) -> dict[str, Any]:
    return {
        "id": entry.entry_id, "caption": entry.name, "schema": SCHEMA_OF_KIND[entry.kind],
        "properties": entity_properties(entry), "datasets": [entry.list_code], "referents": [], "target": True,
        "first_seen": None, "last_seen": version.retrieved_at, "last_change": None,
        "list": entry.list_code, "source": entry.source, "version_id": version.version_id,
    }


def scored_dict(match: Match, threshold: float) -> dict[str, Any]:
    features = {"name_score": round(match.score, 4)}
    for k, v in match.explanation.items():
        if isinstance(v, int | float) and not isinstance(v, bool):
            features[k] = float(v)
    return {**entity_dict(match.entry, match.version), "score": round(match.score, 4), "features": features,
            "match": match.score >= threshold, "matched_name": match.matched_name, "explanation": match.explanation}
