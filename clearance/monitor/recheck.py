"""Re-check remembered decisions when lists or rules change.

For each decision (optionally only those recorded since a date, or of some kinds):

1. **Skip** it when nothing it depends on changed since it was last checked (or recorded):
   a screening depends on the serving list versions; a check on those and the rules digest.
   Skipped decisions still get ``last_checked_at``, and the summary counts them.
2. Otherwise **re-run** the stored request (rebuilt by :mod:`.outcomes`) against the serving
   lists and current rules, and reduce the answer to its outcome key.
3. If the key differs from the last known key, report a :class:`Change` (new hits, hits
   gone, status changed …, with the list versions and rules digest before and after) and
   keep it in ``decision_changes``; the decision's status becomes ``changed`` while its
   current outcome differs from the one originally given, ``current`` when it agrees again.

A re-run that raises a :class:`~clearance.errors.ClearanceError` (say, the entry id a check
named is on no list any more) is itself an outcome, ``{"error": code}``, so it is reported
rather than silently dropped. Anything else (a locked database) propagates.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from clearance.errors import ClearanceError
from clearance.monitor.decisions import DecisionLog
from clearance.monitor.outcomes import (
    canonical,
    check_key,
    check_request_from_dict,
    describe_difference,
    error_key,
    full_query,
    query_from_dict,
    rules_digest,
    screen_key,
)
from clearance.monitor.report import Change, RecheckReport
from clearance.monitor.schema import Decision, check_choice, utc_now, version_pairs

if TYPE_CHECKING:
    from clearance.app import Clearance

RecheckProgress = Callable[[int, int], None]  # (done, total)
Answer = tuple[list[dict[str, Any]], dict[str, Any], dict[str, Any], int]  # versions used, key, outcome, failed


def recheck(
    app: Clearance, since: date | datetime | str | None = None, kinds: Sequence[str] | None = None,
    progress: RecheckProgress | None = None, *, force: bool = False,
) -> list[Change]:
    """Re-check remembered decisions; return those whose outcome changed (see :func:`recheck_report`)."""
    return recheck_report(app, since=since, kinds=kinds, progress=progress, force=force).changes


def recheck_report(
    app: Clearance, since: date | datetime | str | None = None, kinds: Sequence[str] | None = None,
    progress: RecheckProgress | None = None, *, force: bool = False,
) -> RecheckReport:
    """Re-check remembered decisions and return the full report (changes plus counts).

    ``force`` re-runs even decisions whose lists and rules are unchanged: after upgrading
    clearance (a new scorer, new defaults), which the skip test cannot see.
    """
    for k in kinds or ():
        check_choice("kind", k, ("screen", "check"))
    with DecisionLog(app.store) as log:
        ids = log.ids(kinds=kinds, since=since)
        report = RecheckReport(checked_at=utc_now())
        digest: str | None = None
        answers: dict[tuple[str, str], Answer] = {}
        skipped: list[int] = []  # their last_checked_at is written in batches: one commit per 500, not per row
        for n, decision_id in enumerate(ids, 1):
            decision = log.get(decision_id)
            versions = log.serving_versions()
            if decision.kind == "check" and digest is None:
                digest = rules_digest(app)
            now_digest = digest if decision.kind == "check" else None
            report.examined += 1
            if not force and is_up_to_date(decision, versions, now_digest):
                report.skipped += 1
                skipped.append(decision_id)
                if len(skipped) >= 500:
                    mark_checked(log, skipped, report.checked_at)
            else:
                # the same question asked twice is answered once per run (a counterparty screened daily)
                question = (decision.kind, canonical(decision.request))
                cached = answers.get(question)
                if cached is None or version_pairs(cached[0]) != version_pairs(versions):
                    cached = answers[question] = rerun(app, log, decision)
                versions, key, outcome, failed = cached
                report.rerun += 1
                report.errors += failed
                change = store_result(log, decision, versions, now_digest, key, outcome, report.checked_at)
                if change is not None:
                    report.changes.append(change)
            if progress:
                progress(n, len(ids))
        mark_checked(log, skipped, report.checked_at)
        report.versions, report.rules_digest = log.serving_versions(), digest
    return report


def mark_checked(log: DecisionLog, ids: list[int], checked_at: str) -> None:
    """Record that skipped decisions were checked (and found up to date) at ``checked_at``; empties ``ids``."""
    if ids:
        with log.transaction() as conn:
            conn.executemany("UPDATE decisions SET last_checked_at = ? WHERE decision_id = ?",
                             [(checked_at, i) for i in ids])
        ids.clear()


def is_up_to_date(decision: Decision, versions: list[dict[str, Any]], digest: str | None) -> bool:
    """True when nothing the decision depends on changed since its last check."""
    if version_pairs(decision.last_data_version) != version_pairs(versions):
        return False
    return decision.kind == "screen" or decision.last_rules_digest == digest


def rerun(app: Clearance, log: DecisionLog, decision: Decision) -> Answer:
    """Answer the stored request again: (versions used, outcome key, outcome, 1 if it raised)."""
    for _attempt in range(3):  # an import committing mid-run would mix versions: try again
        before = log.serving_versions()
        try:
            key, outcome = answer(app, decision)
            failed = 0
        except ClearanceError as exc:
            key, outcome, failed = error_key(exc), exc.to_dict(), 1
        if version_pairs(log.serving_versions()) == version_pairs(before):
            break
    return before, key, outcome, failed


def answer(app: Clearance, decision: Decision) -> tuple[dict[str, Any], dict[str, Any]]:
    if decision.kind == "screen":
        query = query_from_dict(decision.request)
        matches = app.screen(full_query(query))  # every hit for the key; the first `limit` are the answer shown
        shown = matches[: query.limit] if query.limit is not None else matches
        return screen_key(query, matches), {"results": [m.to_dict() for m in shown]}
    request = check_request_from_dict(decision.request)
    determination = app.check(request)
    outcome = determination.to_dict()
    outcome.pop("request", None)
    return check_key(determination), outcome


def store_result(
    log: DecisionLog, decision: Decision, versions: list[dict[str, Any]], digest: str | None, key: dict[str, Any],
    outcome: dict[str, Any], checked_at: str,
) -> Change | None:
    """Record the re-run on the decision; keep and return a Change when the outcome moved."""
    moved = canonical(key) != canonical(decision.last_outcome_key)
    status = "changed" if canonical(key) != canonical(decision.outcome_key) else "current"
    with log.transaction() as conn:
        conn.execute(
            "UPDATE decisions SET last_checked_at = ?, last_data_version_json = ?, last_rules_digest = ?, "
            "last_outcome_key = ?, status = ? WHERE decision_id = ?",
            (checked_at, canonical(versions), digest, canonical(key), status, decision.decision_id),
        )
        if moved:
            conn.execute(
                "INSERT INTO decision_changes (decision_id, detected_at, before_key, after_key, before_data_version_json, "
                "after_data_version_json, before_rules_digest, after_rules_digest, outcome_json) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (decision.decision_id, checked_at, canonical(decision.last_outcome_key), canonical(key),
                 canonical(decision.last_data_version), canonical(versions), decision.last_rules_digest, digest,
                 canonical(outcome)),
            )
    if not moved:
        return None
    return Change(
        decision_id=decision.decision_id, kind=decision.kind, subject=decision.subject,
        before=decision.last_outcome_key, after=key,
        difference=describe_difference(decision.kind, decision.last_outcome_key, key),
        versions_before=decision.last_data_version, versions_after=versions,
        rules_before=decision.last_rules_digest, rules_after=digest, status=status,
    )

