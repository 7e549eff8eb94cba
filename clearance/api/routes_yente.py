"""yente-compatible endpoints: ``POST /match/{dataset}``, ``GET /search/{dataset}``,
``GET /entities/{id}``, ``GET /catalog``, ``GET /algorithms``.

Parameters and their meaning follow opensanctions/yente ``yente/routers/match.py`` and
``search.py``: ``threshold`` (a result with ``score >= threshold`` has ``match: true``),
``cutoff`` (results below it are not returned; default: the threshold), ``limit``,
``algorithm`` (every yente algorithm name is accepted and served by clearance's
scorer), ``include_dataset`` / ``exclude_dataset`` / ``exclude_schema`` /
``exclude_entity_ids``. Datasets are the list codes (EL, SDN, DPL, UN, UK, ...) and
``default`` (every list).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Path, Query, Request, Response
from fastapi.responses import JSONResponse

from clearance.api import yente
from clearance.api.errors import BadRequest
from clearance.api.security import Caller, reader
from clearance.app import Clearance
from clearance.errors import NotFoundError
from clearance.index.types import Match
from clearance.index.types import Query as ScreenQuery

router = APIRouter(tags=["yente-compatible"])
PATH_DATASET = Path(description="A list code (EL, SDN, DPL, UN, UK, ...) or `default` for every list",
                    examples=["default"])
ERRORS: dict[int | str, dict[str, Any]] = {400: {"description": "Invalid query"}, 401: {"description": "No key"},
                                           404: {"description": "Unknown dataset"}, 422: {"description": "Invalid"}}


def list_codes(clearance: Clearance) -> dict[str, str]:
    """Serving list codes -> as-of date of the version carrying them."""
    codes: dict[str, str] = {}
    for version in clearance.store.current_versions().values():
        for code, n in version.counts.items():
            if n:
                codes[code] = max(codes.get(code, ""), version.as_of or version.retrieved_at[:10])
    return codes


def resolve_lists(clearance: Clearance, dataset: str, include: list[str],
                  exclude: list[str]) -> tuple[str, ...] | None:
    """The list codes a request covers (None: every list); 404 for an unknown dataset."""
    codes = list_codes(clearance)
    by_upper = {c.upper(): c for c in codes}
    if dataset.lower() == "default":
        chosen = set(codes)
    elif dataset.upper() in by_upper:
        chosen = {by_upper[dataset.upper()]}
    else:
        raise NotFoundError(f"no such dataset: {dataset!r}; datasets: default, {', '.join(sorted(codes))}",
                            dataset=dataset)
    if dataset.lower() == "default" and not include and not exclude:
        return None
    if include:
        chosen &= {by_upper.get(d.upper(), d) for d in include}
    chosen -= {by_upper.get(d.upper(), d) for d in exclude}
    return tuple(sorted(chosen))


def screen_all(clearance: Clearance, queries: list[Any]) -> list[Match]:
    """Screen each query (one per name of an example); keep the best match per entry."""
    screener = clearance.screener()
    best: dict[tuple[str, str], Match] = {}
    for q in queries:
        for m in screener.screen(q):
            key = (m.entry.source, m.entry.entry_id)
            if key not in best or m.score > best[key].score:
                best[key] = m
    return sorted(best.values(), key=lambda m: (-m.score, m.entry.entry_id))


@router.post("/match/{dataset}", summary="Query by example matcher (yente)", response_model=yente.EntityMatchResponse,
             responses=ERRORS)
async def match(
    request: Request,
    body: yente.EntityMatchQuery,
    dataset: str = PATH_DATASET,
    limit: int = Query(5, ge=1, le=500, description="Number of results to return per query"),
    threshold: float | None = Query(None, ge=0, le=1, description="Score from which a result is a match (default: setting)"),
    cutoff: float | None = Query(None, ge=0, le=1, description="Lowest score returned at all (default: the threshold)"),
    algorithm: str = Query("best", description="Any yente algorithm name; all are served by clearance's scorer"),
    include_dataset: list[str] = Query([], description="Only include the given datasets in results"),
    exclude_dataset: list[str] = Query([], description="Remove the given datasets from results"),
    exclude_schema: list[str] = Query([], description="Remove the given types of entities from results"),
    exclude_entity_ids: list[str] = Query([], max_length=50, description="Entity IDs to exclude from results"),
    topics: list[str] = Query([], description="Accepted for compatibility; every entry has topic `sanction`"),
    changed_since: str | None = Query(None, description="Accepted for compatibility; ignored"),
    caller: Caller = Depends(reader),
) -> Response:
    """Match entities by example, exactly as yente's `/match`: a batch of FollowTheMoney-style
    examples (`{"queries": {"q1": {"schema": "Company", "properties": {"name": ["..."]}}}}`)."""
    ctx = request.app.state.ctx
    clearance: Clearance = ctx.clearance
    if algorithm not in yente.ALGORITHMS:
        raise BadRequest(f"invalid algorithm {algorithm!r}; known: {', '.join(yente.ALGORITHMS)}", field="algorithm")
    if len(body.queries) > ctx.settings.max_match_queries:
        raise BadRequest(f"too many queries in one batch (limit: {ctx.settings.max_match_queries})",
                         limit=ctx.settings.max_match_queries)
    if not body.queries:
        raise BadRequest("no queries provided")
    lists = resolve_lists(clearance, dataset, include_dataset, exclude_dataset)
    threshold = ctx.settings.threshold if threshold is None else threshold
    cutoff = threshold if cutoff is None else min(cutoff, threshold)
    excluded = set(exclude_entity_ids)
    responses: dict[str, Any] = {}
    for name, example in body.queries.items():
        queries = yente.queries_from_example(example, lists, cutoff, limit + len(excluded))
        if not queries:
            raise BadRequest(f"query {name!r} has no name property", query=name)
        results = [m for m in screen_all(clearance, queries)
                   if m.entry.entry_id not in excluded and yente.SCHEMA_OF_KIND[m.entry.kind] not in exclude_schema]
        scored = [yente.scored_dict(m, threshold) for m in results[:limit]]
        responses[name] = {"status": 200, "results": scored, "total": {"value": len(results), "relation": "eq"},
                           "query": example.model_dump(by_alias=True)}
    content = {"responses": responses, "matcher": {k: v.model_dump() for k, v in yente.MATCHER_DOCS.items()},
               "limit": limit}
    return JSONResponse(content, headers={"x-batch-size": str(len(responses))})


@router.get("/search/{dataset}", summary="Simple entity search (yente)", response_model=yente.SearchResponse,
            responses=ERRORS)
async def search(
    request: Request,
    dataset: str = PATH_DATASET,
    q: str = Query("", max_length=1000, description="Query text (a name)"),
    schema: str = Query("Thing", description="Type of entities that can match"),
    countries: list[str] = Query([], description="Filter by country code"),
    datasets: list[str] = Query([], description="Filter by list code"),
    limit: int = Query(10, ge=0, le=500, description="Number of results to return"),
    offset: int = Query(0, ge=0, le=9999, description="Start at result"),
    caller: Caller = Depends(reader),
) -> Response:
    """Search by a name; results in yente's `SearchResponse` shape, best first."""
    clearance: Clearance = request.app.state.ctx.clearance
    lists = resolve_lists(clearance, dataset, datasets, [])
    kind = None if schema in yente.ANY_SCHEMAS else yente.KIND_OF_SCHEMA.get(schema)
    results: list[Match] = []
    if q.strip():
        query = ScreenQuery(name=q, kind=kind, countries=tuple(c.upper() for c in countries), lists=lists,
                            limit=min(500, offset + limit))
        results = screen_all(clearance, [query])
    wanted = {c.lower() for c in countries}
    entities = [yente.entity_dict(m.entry, m.version) for m in results]
    if wanted:
        entities = [e for e in entities
                    if wanted & set(e["properties"].get("country", []) + e["properties"].get("nationality", []))]
    page = entities[offset:offset + limit]
    facet_counts: dict[str, dict[str, int]] = {"datasets": {}, "countries": {}}
    for e in entities:
        for d in e["datasets"]:
            facet_counts["datasets"][d] = facet_counts["datasets"].get(d, 0) + 1
        for c in e["properties"].get("country", []) + e["properties"].get("nationality", []):
            facet_counts["countries"][c] = facet_counts["countries"].get(c, 0) + 1
    facets = {name: {"label": name.title(), "values": [{"name": k, "label": k, "count": v}
                                                       for k, v in sorted(counts.items(), key=lambda kv: -kv[1])]}
              for name, counts in facet_counts.items()}
    return JSONResponse({"limit": limit, "offset": offset, "total": {"value": len(entities), "relation": "eq"},
                         "results": page, "facets": facets})


@router.get("/entities/{entity_id}", summary="Fetch one entity (yente)", response_model=yente.EntityResponse,
            responses={404: {"description": "Entity not found"}, 401: {"description": "No key"}})
async def fetch_entity(request: Request, entity_id: str = Path(description="The entry id"),
                       caller: Caller = Depends(reader)) -> Response:
    """One list entry in yente's `EntityResponse` shape."""
    version, entry = request.app.state.ctx.clearance.store.get_entry(entity_id)
    return JSONResponse(yente.entity_dict(entry, version))


@router.get("/catalog", summary="Datasets served (yente)", response_model=yente.DataCatalogModel)
async def catalog(request: Request, caller: Caller = Depends(reader)) -> dict[str, Any]:
    """Every list code as a dataset, plus `default`, the collection of all of them."""
    from clearance.sources.registry import LIST_CODES

    codes = list_codes(request.app.state.ctx.clearance)
    datasets = [{"name": c, "title": LIST_CODES.get(c, c), "version": v, "index_version": v, "children": []}
                for c, v in sorted(codes.items())]
    datasets.append({"name": "default", "title": "All lists served by clearance",
                     "version": max(codes.values(), default=""), "children": sorted(codes)})
    names = [d["name"] for d in datasets]
    return {"datasets": datasets, "current": names, "outdated": [], "index_stale": False}


@router.get("/algorithms", summary="Scoring algorithms (yente)")
async def algorithms(caller: Caller = Depends(reader)) -> dict[str, Any]:
    """yente's algorithm names, all served by clearance's scorer."""
    features = {k: v.model_dump() for k, v in yente.MATCHER_DOCS.items()}
    return {"algorithms": [{"name": a, "description": "clearance scorer", "features": features}
                           for a in yente.ALGORITHMS], "default": "best", "best": "best"}
