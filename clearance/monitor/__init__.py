"""Remember every decision and re-check old answers when lists or rules change.

``record(app, kind, request, result)`` is the one line the CLI and the API call after
answering; :func:`recheck` re-runs remembered decisions against the serving lists and
current rules and reports those whose outcome changed. See ``docs/monitor.md``.
"""

from __future__ import annotations

import getpass
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from clearance.errors import InputError
from clearance.monitor.decisions import DecisionLog
from clearance.monitor.outcomes import check_request_from_dict, full_query, is_cut, query_from_dict, rules_digest
from clearance.monitor.recheck import recheck, recheck_report
from clearance.monitor.report import Change, RecheckReport
from clearance.monitor.schema import Decision

if TYPE_CHECKING:
    from clearance.app import Clearance

__all__ = [
    "Change",
    "Decision",
    "DecisionLog",
    "RecheckReport",
    "check_request_from_dict",
    "cli_actor",
    "query_from_dict",
    "recheck",
    "recheck_report",
    "record",
    "rules_digest",
]


def record(app: Clearance, kind: str, request: Any, result: Any, actor: str | None = None) -> int:
    """Remember one answer of ``app``; returns the decision id.

    ``kind`` is ``"screen"`` (``request`` a Query or a name, ``result`` the list of Match)
    or ``"check"`` (a CheckRequest and its Determination). A screening query's threshold
    and limit are resolved from the app's settings first, so a re-check asks the same
    question even after the defaults change. When the answer filled its limit, the query is
    run once more without it, so the outcome key holds every hit, not only those shown. A
    check records the digest of the rule packs.
    """
    from clearance.index.types import Query

    if kind not in ("screen", "check"):
        raise InputError(f"kind: {kind!r} is not screen or check", field="kind", value=kind)
    with DecisionLog(app.store) as log:
        if kind == "screen":
            query = request if isinstance(request, Query) else Query(name=str(request))
            query = replace(
                query,
                threshold=query.threshold if query.threshold is not None else app.settings.threshold,
                limit=query.limit if query.limit is not None else app.settings.limit,
            )
            matches = list(result)
            every = app.screen(full_query(query)) if is_cut(query, matches) else None
            return log.record_screen(query, matches, actor=actor, all_matches=every)
        return log.record_check(request, result, actor=actor, rules_digest=rules_digest(app))


def cli_actor() -> str:
    """``cli:<login name>``: who asked, for decisions recorded by the command line."""
    try:
        return f"cli:{getpass.getuser()}"
    except (OSError, KeyError):  # no login name (a container without a passwd entry): say so
        return "cli:unknown"
