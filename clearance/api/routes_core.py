"""clearance's own endpoints: health, native screening, license checks, key management.

- ``GET /healthz`` (alive) and ``GET /readyz`` (lists loaded, index built): no key needed.
- ``POST /screen``: one name, the same JSON as ``clearance screen --json``.
- ``POST /check``: license determination, the same fields and JSON as ``clearance check``.
- ``GET|POST /keys``, ``DELETE /keys/{key_id}``: admin only.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any, Literal

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from clearance.api.errors import Unavailable
from clearance.api.security import Caller, admin, reader
from clearance.index.types import Query
from clearance.model import Kind
from clearance.monitor import record

router = APIRouter()


class Status(BaseModel):
    status: str = "ok"


@router.get("/healthz", tags=["system"], response_model=Status)
async def healthz() -> dict[str, str]:
    """Alive: the process answers."""
    return {"status": "ok"}


@router.get("/readyz", tags=["system"], response_model=Status, responses={503: {"description": "Not ready"}})
async def readyz(request: Request) -> dict[str, str]:
    """Ready: every serving list is loaded and the screening index is built."""
    ctx = request.app.state.ctx
    if not ctx.ready.is_set():
        raise Unavailable("lists are still loading" if ctx.warm_error is None else f"not ready: {ctx.warm_error}")
    return {"status": "ok"}


class ScreenRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(..., min_length=1, max_length=1000, examples=["Huawei Technologies Co., Ltd."])
    kind: Literal["person", "organization", "vessel", "aircraft", "any"] = "any"
    countries: list[str] = Field([], max_length=20, examples=[["CN"]])
    birth_date: str | None = Field(None, max_length=10, pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$")
    identifiers: list[str] = Field([], max_length=20)
    address: str | None = Field(None, max_length=1000)
    lists: list[str] | None = Field(None, examples=[["EL", "SDN"]])
    threshold: float | None = Field(None, ge=0, le=1)
    limit: int | None = Field(None, ge=1, le=1000)
    by_party: bool = Field(False, description="Show each real party once: entries the lists' own data link (same "
                           "identifier, same birth date and name, same company name) fold into the best one, "
                           "the others listed in its `also_in` with the link reason. Display only: the "
                           "decision log keeps every listing, which the license check needs.")


@router.post("/screen", tags=["screening"])
async def screen(request: Request, body: ScreenRequest, caller: Caller = Depends(reader)) -> dict[str, Any]:
    """Screen one name against every serving list (or `lists`): `{"query", "results"}`, best first,
    each result with the matched alias and the explanation of its score."""
    from clearance.api.routes_yente import screen_all

    if not body.name.strip():
        from clearance.errors import InputError

        raise InputError("name is empty", field="name")
    query = Query(name=body.name, kind=None if body.kind == "any" else Kind(body.kind),
                  countries=tuple(c.upper() for c in body.countries), birth_date=body.birth_date,
                  identifiers=tuple(body.identifiers), address=body.address,
                  lists=tuple(body.lists) if body.lists is not None else None,
                  threshold=body.threshold, limit=body.limit)
    matches = screen_all(request.app.state.ctx.clearance, [query])
    # remembered (and re-checked when lists change): see clearance/monitor and docs/monitor.md
    decision_id = await run_in_threadpool(record, request.app.state.ctx.clearance, "screen", query, matches,
                                          api_actor(caller))
    if body.by_party:  # as `clearance screen --by-party`: after recording, which keeps every listing
        from clearance.index.screener import collapse_sources

        matches = collapse_sources(matches, request.app.state.ctx.clearance.screener().index.parties)
    return {"query": query.to_dict(), "results": [m.to_dict() for m in matches], "decision_id": decision_id}


class Owner(BaseModel):
    name: str = Field(..., min_length=1, max_length=1000, description="A name, or `#<entry id>`")
    percent: float | None = Field(None, ge=0, le=100, description="Ownership share; null when unknown")
    owners: list[Owner] = Field([], max_length=20, description="This owner's own owners (ownership chains)")


class CheckBody(BaseModel):
    """The fields of `clearance check`."""

    model_config = ConfigDict(extra="forbid")
    party: str | None = Field(None, max_length=1000, examples=["Huawei Technologies Co., Ltd."])
    entry_id: str | None = Field(None, max_length=200, description="An explicit list entry id instead of a name")
    owners: list[Owner] = Field([], max_length=50)
    item: str = Field(..., max_length=40, examples=["EAR99"], description="EAR99, an ECCN such as 5A002, or unknown")
    kind: Literal["commodity", "software", "technology"] = Field(..., examples=["technology"])
    published: bool = False
    activity: Literal["export", "reexport", "transfer", "release"] = Field(..., examples=["release"])
    purpose: Literal["standards", "network-support", "handset-support", "vulnerability-disclosure"] | None = None
    country: str = Field(..., min_length=2, max_length=2, examples=["CN"])
    date: dt.date | None = Field(None, description="The day the law is applied as of (default: today)")
    at_only: bool = Field(False, description="The ECCN is controlled for anti-terrorism reasons only")
    foreign_produced: bool = Field(False, description="The item is produced outside the United States")


def to_check_request(body: CheckBody) -> Any:
    """The rule engine's validated ``CheckRequest`` (its ``create`` raises InputError naming the field)."""
    from clearance.rules.types import CheckRequest
    from clearance.rules.types import Owner as RuleOwner

    def owner(o: Owner) -> Any:
        return RuleOwner(o.name, o.percent, tuple(owner(x) for x in o.owners))

    data = body.model_dump(exclude={"owners", "date"})
    return CheckRequest.create(**data, owners=tuple(owner(o) for o in body.owners), on=body.date)


def jsonable(value: Any) -> Any:
    for attr in ("to_dict", "model_dump"):
        if hasattr(value, attr):
            return getattr(value, attr)()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.asdict(value)
    return value


@router.post("/check", tags=["license determination"])
def check(request: Request, body: CheckBody, caller: Caller = Depends(reader)) -> dict[str, Any]:
    """May I do this? `{"status", "reasons": [{"rule", "citation", "effective_from", "effective_to", "text"}],
    "entries", "review_policy"}`, as `clearance check --json`."""
    check_request = to_check_request(body)
    determination = request.app.state.ctx.clearance.check(check_request)
    result: dict[str, Any] = jsonable(determination)
    result["decision_id"] = record(request.app.state.ctx.clearance, "check", check_request, determination,
                                   api_actor(caller))
    return result


def api_actor(caller: Caller) -> str:
    """Who asked, as recorded in the decision log."""
    return f"api:{caller.key.key_id}" if caller.key else f"api:{caller.ident}"


class KeyRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    role: Literal["reader", "admin"] = "reader"
    name: str = Field("", max_length=200)


@router.get("/keys", tags=["admin"])
def list_keys(request: Request, caller: Caller = Depends(admin)) -> dict[str, Any]:
    """Every API key (ids, roles, names; never the secrets)."""
    return {"keys": [k.to_dict() for k in request.app.state.ctx.keys.list()]}


@router.post("/keys", tags=["admin"], status_code=201)
def create_key(request: Request, body: KeyRequest, caller: Caller = Depends(admin)) -> dict[str, Any]:
    """A new key. The `key` value is shown only in this response."""
    token, record = request.app.state.ctx.keys.create(body.role, body.name)
    return {"key": token, **record.to_dict()}


@router.delete("/keys/{key_id}", tags=["admin"])
def revoke_key(request: Request, key_id: str, caller: Caller = Depends(admin)) -> dict[str, Any]:
    """Revoke a key; it stops working at once."""
    return request.app.state.ctx.keys.revoke(key_id).to_dict()  # type: ignore[no-any-return]
