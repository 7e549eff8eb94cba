"""List versions over HTTP: what is served, its history, and what changed.

- ``GET /lists``: every source with its serving version (as ``clearance lists``).
- ``GET /lists/{source}/versions``: every stored version of one source, oldest first.
- ``GET /lists/{source}/diff?old=&new=``: entries added, removed and changed between two
  versions (default: the one before the serving version, and the serving version).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from fastapi import APIRouter, Depends, Query, Request

from clearance.api.security import Caller, reader
from clearance.app import Clearance
from clearance.errors import InputError, NotFoundError

router = APIRouter(prefix="/lists", tags=["lists"])


def staleness(clearance: Clearance, source: str, as_of: str | None) -> dict[str, Any]:
    spec = clearance.specs.get(source)
    limit = clearance.settings.staleness_days or (spec.staleness_days if spec else 14)
    if not as_of:
        return {"age_days": None, "stale": None, "staleness_days": limit}
    try:
        age = (datetime.now(UTC).date() - date.fromisoformat(as_of[:10])).days
    except ValueError:
        return {"age_days": None, "stale": None, "staleness_days": limit}
    return {"age_days": age, "stale": age > limit, "staleness_days": limit}


@router.get("", summary="Every list source and its serving version")
async def lists(request: Request, caller: Caller = Depends(reader)) -> dict[str, Any]:
    clearance: Clearance = request.app.state.ctx.clearance
    current = clearance.store.current_versions()
    out = []
    for source in sorted(set(current) | set(clearance.store.sources())):
        spec = clearance.specs.get(source)
        version = current.get(source)
        out.append({
            "source": source,
            "title": spec.title if spec else source,
            "publisher": spec.publisher if spec else None,
            "official": spec.official if spec else None,
            "lists": spec.lists if spec else sorted(version.counts if version else {}),
            "current": version.to_dict() if version else None,
            **staleness(clearance, source, version.as_of if version else None),
        })
    return {"sources": out}


def known_source(clearance: Clearance, source: str) -> None:
    if source not in clearance.store.sources():
        raise NotFoundError(f"no versions of list source {source!r}; sources: {', '.join(clearance.store.sources())}",
                            source=source)


@router.get("/{source}/versions", summary="Every stored version of a source")
async def versions(request: Request, source: str, caller: Caller = Depends(reader)) -> dict[str, Any]:
    clearance: Clearance = request.app.state.ctx.clearance
    known_source(clearance, source)
    return {"source": source, "versions": [v.to_dict() for v in clearance.store.versions(source)]}


@router.get("/{source}/diff", summary="What changed between two versions of a source")
def diff(
    request: Request,
    source: str,
    old: int | None = Query(None, ge=1, description="Older version id (default: the one before `new`)"),
    new: int | None = Query(None, ge=1, description="Newer version id (default: the serving version)"),
    caller: Caller = Depends(reader),
) -> dict[str, Any]:
    clearance: Clearance = request.app.state.ctx.clearance
    known_source(clearance, source)
    history = clearance.store.versions(source)
    ids = [v.version_id for v in history]
    if new is None:
        serving = [v.version_id for v in history if v.current]
        new = serving[0] if serving else ids[-1]
    if old is None:
        earlier = [i for i in ids if i < new]
        if not earlier:
            raise InputError(f"version {new} of {source} has no earlier version to compare with", source=source)
        old = earlier[-1]
    for vid in (old, new):
        if vid not in ids:
            raise NotFoundError(f"no version {vid} of {source}", source=source, version_id=vid)
    result: dict[str, Any] = clearance.store.diff(old, new).to_dict()
    return result
