"""The decision log and its re-check, on the real DPL files.

The bundled store serves the BIS Denied Persons List of 2023-11-30. The scenario records
answers on it, then swaps the DPL to the real file of 2019-06-29 (an older file, imported
as the newest version with ``force``), and re-checks. Names are picked by reading the two
files: one listed only in 2023 (its hit must go), one listed only in 2019 (a hit must appear).
"""

from __future__ import annotations

import csv
import json
import shutil
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

import clearance.monitor
from clearance.app import Clearance
from clearance.cli.monitor import app as monitor_cli
from clearance.errors import InputError, NotFoundError
from clearance.index.types import Query
from clearance.model import Kind
from clearance.monitor import (
    Change,
    DecisionLog,
    RecheckReport,
    check_request_from_dict,
    query_from_dict,
    recheck,
    recheck_report,
    record,
)
from clearance.monitor.outcomes import describe_difference, screen_key
from clearance.rules.types import CheckRequest, Owner
from clearance.settings import Settings
from clearance.store.importer import hash_files

DPL_2019, DPL_2023 = "bis_dpl/dpl_2019-06-29.txt", "bis_dpl/dpl_2023-11-30.txt"


def dpl_names(path: Path) -> set[str]:
    with path.open(encoding="utf-8", newline="") as f:
        return {row["Name"].strip() for row in csv.DictReader(f, delimiter="\t")}


def dpl_hits(app: Clearance, name: str) -> list[str]:
    return [f"{m.entry.list_code}:{m.entry.entry_id}" for m in app.screen(name) if m.entry.source == "bis_dpl"]


def swap_dpl_to_2019(app: Clearance, shared: Path) -> None:
    app.import_source("bis_dpl", {"main": shared / DPL_2019}, origin="t", as_of="2019-06-29", force=True)


@dataclass
class Scenario:
    app: Clearance
    db: Path
    gone_name: str  # on the 2023 DPL only
    gone_hit: str
    new_name: str  # on the 2019 DPL only
    ids: dict[str, int]
    before: RecheckReport  # re-check before the swap
    after: RecheckReport  # re-check after the swap
    again: RecheckReport  # re-check once more, nothing changed in between
    versions: dict[str, dict[str, int]]  # bis_dpl version ids


@pytest.fixture(scope="module")
def scenario(bundled_db: Path, shared: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Scenario]:
    db = tmp_path_factory.mktemp("monitor") / "clearance.sqlite"
    shutil.copy(bundled_db, db)
    app = Clearance.open(Settings.load({"db": db}, environ={}))
    old, new = dpl_names(shared / DPL_2019), dpl_names(shared / DPL_2023)
    gone_name = next(n for n in sorted(new - old) if dpl_hits(app, n))
    new_name = next(n for n in sorted(old - new) if not dpl_hits(app, n))
    gone_hit = dpl_hits(app, gone_name)[0]
    ids = {
        "gone": record(app, "screen", gone_name, app.screen(gone_name), actor="test"),
        "new": record(app, "screen", new_name, app.screen(new_name)),
        "huawei": record(app, "screen", Query("Huawei Technologies Co., Ltd."), app.screen("Huawei Technologies Co., Ltd.")),
    }
    for label, kw in (("check_party", {"party": gone_name}), ("check_entry", {"entry_id": gone_hit.split(":", 1)[1]})):
        request = CheckRequest.create(**kw, item="EAR99", kind="commodity", activity="export", country="MX", on="2024-01-15")
        ids[label] = record(app, "check", request, app.check(request))
    huawei = CheckRequest.create(party="Huawei Technologies Co., Ltd.", item="EAR99", kind="technology",
                                 activity="release", purpose="standards", country="CN", on="2024-09-01")
    ids["check_huawei"] = record(app, "check", huawei, app.check(huawei))
    before = recheck_report(app)
    dpl_before = app.store.current_version("bis_dpl")
    swap_dpl_to_2019(app, shared)
    dpl_after = app.store.current_version("bis_dpl")
    assert dpl_before is not None and dpl_after is not None
    ids["after_swap"] = record(app, "screen", gone_name, app.screen(gone_name))
    after = recheck_report(app)
    again = recheck_report(app)
    yield Scenario(app, db, gone_name, gone_hit, new_name, ids, before, after, again,
                   {"bis_dpl": {"before": dpl_before.version_id, "after": dpl_after.version_id}})
    app.close()


def by_id(report: RecheckReport) -> dict[int, Change]:
    return {c.decision_id: c for c in report.changes}


# -- re-check on real list versions -------------------------------------------------------------


@pytest.mark.slow
def test_nothing_changed_nothing_rerun(scenario: Scenario) -> None:
    assert scenario.before.examined == 6 and scenario.before.skipped == 6
    assert scenario.before.rerun == 0 and scenario.before.changes == []
    assert "6 skipped (lists and rules unchanged since last check)" in scenario.before.summary()


@pytest.mark.slow
def test_dpl_swap_reports_exactly_the_changed_screenings_with_both_versions(scenario: Scenario) -> None:
    changes = by_id(scenario.after)
    screen_changes = {i for i, c in changes.items() if c.kind == "screen"}
    assert screen_changes == {scenario.ids["gone"], scenario.ids["new"]}
    gone = changes[scenario.ids["gone"]]
    assert gone.difference["gone_hits"] == [scenario.gone_hit] and gone.difference["new_hits"] == []
    assert gone.status == "changed"
    dpl = scenario.versions["bis_dpl"]
    assert gone.versions_changed == [{
        "source": "bis_dpl",
        "before": next(v for v in gone.versions_before if v["source"] == "bis_dpl"),
        "after": next(v for v in gone.versions_after if v["source"] == "bis_dpl"),
    }]
    (vc,) = gone.versions_changed
    assert (vc["before"]["version_id"], vc["before"]["as_of"]) == (dpl["before"], "2023-11-30")
    assert (vc["after"]["version_id"], vc["after"]["as_of"]) == (dpl["after"], "2019-06-29")
    text = gone.describe()
    assert scenario.gone_hit in text and f"bis_dpl v{dpl['before']} (2023-11-30) -> v{dpl['after']} (2019-06-29)" in text
    new = changes[scenario.ids["new"]]
    assert new.difference["new_hits"] and all(h.startswith("DPL:") for h in new.difference["new_hits"])
    assert new.before == {"hits": []}


@pytest.mark.slow
def test_unaffected_decisions_rerun_unchanged_and_fresh_ones_skipped(scenario: Scenario) -> None:
    after = scenario.after
    assert after.examined == 7 and after.skipped == 1  # recorded on the serving versions: nothing to re-run
    assert after.rerun == 6 and len(after.changes) == 4 and after.unchanged == 2
    assert scenario.ids["huawei"] not in by_id(after) and scenario.ids["check_huawei"] not in by_id(after)
    with DecisionLog(scenario.app.store) as log:
        assert log.get(scenario.ids["huawei"]).status == "current"
        assert (log.get(scenario.ids["after_swap"]).last_checked_at or "") >= scenario.again.checked_at


@pytest.mark.slow
def test_check_decisions_follow_the_denial_order(scenario: Scenario) -> None:
    change = by_id(scenario.after)[scenario.ids["check_party"]]
    assert change.before["status"] == "PROHIBITED" and change.before["rules"] == ["dpl.denial_order"]
    assert change.before["entries"] == {scenario.gone_hit: "applies"}
    assert change.difference["status"] == {"before": "PROHIBITED", "after": "NO_LICENSE_REQUIRED"}
    assert change.difference["gone_entries"] == [scenario.gone_hit]
    assert change.difference["rules_removed"] == ["dpl.denial_order"]
    assert change.rules_before == change.rules_after is not None  # only the lists changed


@pytest.mark.slow
def test_check_on_an_entry_id_no_longer_listed_is_reported_not_dropped(scenario: Scenario) -> None:
    change = by_id(scenario.after)[scenario.ids["check_entry"]]
    assert change.after == {"error": "not_found"} and change.before["status"] == "PROHIBITED"
    assert scenario.after.errors == 1 and "1 could not be re-run" in scenario.after.summary()
    with DecisionLog(scenario.app.store) as log:
        (stored,) = log.changes(scenario.ids["check_entry"])
    assert "no current list entry" in stored["outcome"]["error"]["message"]


@pytest.mark.slow
def test_a_second_recheck_skips_everything(scenario: Scenario) -> None:
    assert scenario.again.examined == 7 and scenario.again.skipped == 7 and scenario.again.changes == []
    with DecisionLog(scenario.app.store) as log:
        assert {d.decision_id for d in log.list(status="changed")} == {c.decision_id for c in scenario.after.changes}
        assert log.count(status="current") == 3


@pytest.mark.slow
def test_recorded_versions_prove_which_file_answered(scenario: Scenario, shared: Path) -> None:
    with DecisionLog(scenario.app.store) as log:
        d = log.get(scenario.ids["gone"])
        (hit,) = d.outcome["results"]
        dpl = next(v for v in d.data_version if v["source"] == "bis_dpl")
        later = next(v for v in log.get(scenario.ids["after_swap"]).data_version if v["source"] == "bis_dpl")
        assert log.verify() == []
    assert hit["version_id"] == dpl["version_id"] and hit["source"] == "bis_dpl"
    # the stored hash is the SHA-256 of the raw file: recompute it from the publisher's file
    assert dpl["content_hash"] == hash_files({"main": shared / DPL_2023})
    assert later["content_hash"] == hash_files({"main": shared / DPL_2019})
    assert {v["source"] for v in d.data_version} >= {"bis_dpl", "csl", "ofac_sdn", "el_nsfreg"}


@pytest.mark.slow
def test_screen_key_holds_every_hit_not_only_those_shown(scenario: Scenario) -> None:
    """Huawei has more hits than the default limit of 10: the key keeps them all, so a new
    entry sorting ahead of one of them cannot make it look "gone"."""
    every = scenario.app.screen(Query("Huawei Technologies Co., Ltd.", limit=1000))
    limit = scenario.app.settings.limit
    assert len(every) >= limit  # the answer fills its limit: record() re-runs the query to key every hit
    with DecisionLog(scenario.app.store) as log:
        d = log.get(scenario.ids["huawei"])
    assert len(d.outcome["results"]) == limit and d.request["limit"] == limit
    assert d.outcome_key == {"hits": sorted({f"{m.entry.list_code}:{m.entry.entry_id}" for m in every})}
    assert d.last_outcome_key == d.outcome_key and d.status == "current"


@pytest.mark.slow
def test_since_kinds_and_force_select_what_is_rechecked(scenario: Scenario) -> None:
    assert recheck_report(scenario.app, since="2999-01-01").examined == 0
    assert recheck_report(scenario.app, kinds=["check"]).examined == 3
    forced = recheck_report(scenario.app, kinds=["screen"], force=True)
    assert (forced.examined, forced.skipped, forced.rerun, forced.changes) == (4, 0, 4, [])
    assert recheck(scenario.app) == []
    with pytest.raises(InputError):
        recheck_report(scenario.app, kinds=["scren"])
    with pytest.raises(InputError):
        recheck_report(scenario.app, since="yesterday")


# -- the CLI ---------------------------------------------------------------------------------


def invoke(db: Path, *args: str, load_bundled: bool = True) -> tuple[int, str]:
    settings = Settings.load({"db": db, "load_bundled": load_bundled}, environ={})
    result = CliRunner().invoke(monitor_cli, list(args), obj={"settings": settings})
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout


@pytest.mark.slow
def test_cli_lists_pages_and_shows_decisions(scenario: Scenario) -> None:
    code, out = invoke(scenario.db, "decisions", "--kind", "screen", "--limit", "2", "--offset", "1", "--json")
    doc = json.loads(out)
    assert code == 0 and doc["total"] == 4 and [d["decision_id"] for d in doc["decisions"]] == [3, 2]
    code, out = invoke(scenario.db, "decisions", "--status", "changed", "--json")
    assert {d["decision_id"] for d in json.loads(out)["decisions"]} == {c.decision_id for c in scenario.after.changes}
    code, out = invoke(scenario.db, "show", str(scenario.ids["gone"]), "--json")
    shown = json.loads(out)
    assert shown["outcome_key"] == {"hits": [scenario.gone_hit]} and shown["last_outcome_key"] == {"hits": []}
    assert shown["changes"][0]["after_key"] == {"hits": []}
    code, out = invoke(scenario.db, "show", str(scenario.ids["check_party"]))
    assert code == 0 and "PROHIBITED by dpl.denial_order" in out and "rule packs: sha256:" in out
    code, out = invoke(scenario.db, "verify")
    assert code == 0 and "hash chain intact" in out
    with pytest.raises(NotFoundError):
        invoke(scenario.db, "show", "999")


def test_cli_recheck_fails_on_change(empty_app: Clearance, shared: Path) -> None:
    """On an empty store a DPL name has no hit; once the DPL is imported, re-check exits 1."""
    name = sorted(dpl_names(shared / DPL_2019))[0]
    record(empty_app, "screen", name, empty_app.screen(name))
    db = Path(empty_app.store.path)
    code, out = invoke(db, "recheck", "--json", "--fail-on-change", load_bundled=False)
    assert code == 0 and json.loads(out)["skipped"] == 1
    empty_app.import_source("bis_dpl", {"main": shared / DPL_2019}, origin="t", as_of="2019-06-29")
    code, out = invoke(db, "recheck", "--fail-on-change", load_bundled=False)
    assert code == 1 and "new hit" in out and "bis_dpl (not loaded) -> v1 (2019-06-29)" in out
    assert "1 decisions: 0 skipped" in out and "1 changed" in out
    code, out = invoke(db, "recheck", "--json", "--fail-on-change", load_bundled=False)
    assert code == 0 and json.loads(out)["changed"] == 0


# -- the log itself ---------------------------------------------------------------------------


def test_rules_digest_change_reruns_check_decisions_once_per_question(
    empty_app: Clearance, monkeypatch: pytest.MonkeyPatch
) -> None:
    request = CheckRequest.create(party="Acme Widgets", item="EAR99", kind="commodity", activity="export",
                                  country="DE", on="2024-03-01")
    ids = [record(empty_app, "check", request, empty_app.check(request)) for _ in range(2)]
    assert recheck_report(empty_app).skipped == 2
    empty_app.store.conn.execute("UPDATE decisions SET last_rules_digest = 'sha256:older'")
    calls: list[CheckRequest] = []
    real_check = empty_app.check

    def counting_check(r: CheckRequest) -> Any:
        calls.append(r)
        return real_check(r)

    monkeypatch.setattr(empty_app, "check", counting_check)
    report = recheck_report(empty_app)
    assert (report.skipped, report.rerun, report.changes, len(calls)) == (0, 2, [], 1)
    assert calls == [request]
    with DecisionLog(empty_app.store) as log:
        assert {log.get(i).last_rules_digest for i in ids} == {clearance.monitor.rules_digest(empty_app)}


def test_recording_during_an_import_neither_joins_nor_loses_it(empty_app: Clearance) -> None:
    """The importer holds a write transaction on the store's connection; a decision recorded
    meanwhile waits for it on its own connection and survives the import's rollback."""
    store_conn = empty_app.store.conn
    store_conn.execute("BEGIN IMMEDIATE")
    done: list[int] = []
    worker = threading.Thread(target=lambda: done.append(record(empty_app, "screen", "Jane Roe", [])))
    worker.start()
    worker.join(0.5)
    assert worker.is_alive() and not done  # waiting for the import's lock, not writing inside it
    store_conn.execute("ROLLBACK")  # the import fails
    worker.join(30)
    assert len(done) == 1
    with DecisionLog(empty_app.store) as log:
        assert log.get(done[0]).request["name"] == "Jane Roe"


def test_paging_filters_and_errors(empty_app: Clearance) -> None:
    with DecisionLog(empty_app.store) as log:
        ids = [log.record_screen(Query(f"name {i}"), []) for i in range(7)]
        assert [d.decision_id for d in log.list(limit=3)] == ids[::-1][:3]
        assert [d.decision_id for d in log.list(limit=3, offset=6)] == [ids[0]]
        assert log.count(kind="screen") == 7 and log.count(kind="check") == 0 and log.list(kind="check") == []
        assert log.get(ids[2]).request["name"] == "name 2" and log.get(ids[2]).status == "current"
        for bad in ({"kind": "scan"}, {"status": "stale"}, {"limit": 0}):
            with pytest.raises(InputError):
                log.list(**bad)
        with pytest.raises(NotFoundError):
            log.get(10_000)
    with pytest.raises(InputError):
        record(empty_app, "lookup", "x", [])


def test_hash_chain_shows_an_edited_row(empty_app: Clearance) -> None:
    with DecisionLog(empty_app.store) as log:
        ids = [log.record_screen(Query(n), [], actor="analyst") for n in ("a", "b", "c")]
        assert log.verify() == []
        log.conn.execute("UPDATE decisions SET outcome_key = ? WHERE decision_id = ?", ('{"hits":["SDN:1"]}', ids[1]))
        assert log.verify() == [ids[1]]


def test_record_resolves_the_default_threshold_and_limit(empty_app: Clearance) -> None:
    decision_id = record(empty_app, "screen", "Jane Doe", [])
    with DecisionLog(empty_app.store) as log:
        request = log.get(decision_id).request
    assert request["threshold"] == empty_app.settings.threshold and request["limit"] == empty_app.settings.limit


def test_every_command_and_option_is_documented() -> None:
    import typer.main

    doc = (Path(__file__).resolve().parents[1] / "docs" / "monitor.md").read_text(encoding="utf-8")
    group = typer.main.get_group(monitor_cli)
    for name, command in group.commands.items():
        assert f"clearance monitor {name}" in doc, name
        for param in command.params:
            for opt in param.opts:
                assert not opt.startswith("--") or opt in doc, f"{name} {opt}"


def test_public_surface_is_sorted() -> None:
    assert clearance.monitor.cli_actor().startswith("cli:")
    assert clearance.monitor.__all__ == sorted(clearance.monitor.__all__)
    assert all(hasattr(clearance.monitor, name) for name in clearance.monitor.__all__)


# -- requests survive the round trip through JSON ------------------------------------------------------

texts = st.text(st.characters(codec="utf-8"), min_size=1, max_size=30)


@settings(max_examples=200, derandomize=True)
@given(
    name=texts, kind=st.sampled_from([None, *Kind]), countries=st.lists(st.sampled_from(["CN", "RU", "IR"]), max_size=3),
    lists=st.none() | st.lists(st.sampled_from(["SDN", "EL", "DPL"]), max_size=3),
    threshold=st.none() | st.floats(0, 1), limit=st.none() | st.integers(1, 1000),
)
def test_query_round_trips(
    name: str, kind: Kind | None, countries: list[str], lists: list[str] | None, threshold: float | None, limit: int | None
) -> None:
    q = Query(name, kind=kind, countries=tuple(countries), lists=tuple(lists) if lists is not None else None,
              threshold=threshold, limit=limit, birth_date="1970", identifiers=("X1",), address="Main St 1")
    assert query_from_dict(json.loads(json.dumps(q.to_dict()))) == q


def test_check_request_round_trips_with_an_ownership_chain() -> None:
    owners = (Owner("Parent Co", 60.0, (Owner("#sdn-123", 51.0),)), Owner("Someone", None))
    for kw in ({"party": "Acme", "owners": owners, "purpose": "standards"}, {"entry_id": "el-1", "published": True}):
        r = CheckRequest.create(**kw, item="5d002.c.1", kind="software", activity="reexport", country="cn", on="2023-05-01")
        assert check_request_from_dict(json.loads(json.dumps(r.to_dict()))) == r


@pytest.mark.slow
def test_screen_key_is_a_set_of_hits_at_or_above_the_threshold(scenario: Scenario) -> None:
    matches = scenario.app.screen("Huawei Technologies Co., Ltd.")
    assert len(matches) > 3
    everything = screen_key(Query("x", threshold=0.0), matches)
    assert everything == screen_key(Query("x", threshold=0.0), matches[::-1] + matches)  # order and repeats ignored
    assert len(everything["hits"]) == len({(m.entry.list_code, m.entry.entry_id) for m in matches})
    assert screen_key(Query("x", threshold=1.01), matches) == {"hits": []}
    cut = sorted(m.score for m in matches)[len(matches) // 2]
    assert screen_key(Query("x", threshold=cut), matches)["hits"] == sorted(
        {f"{m.entry.list_code}:{m.entry.entry_id}" for m in matches if m.score >= cut})


hit_sets = st.lists(st.sampled_from(["SDN:1", "SDN:2", "EL:el-1", "DPL:dpl-1", "MEU:m-1"]), unique=True)
check_keys = st.fixed_dictionaries({
    "status": st.sampled_from(["PROHIBITED", "LICENSE_REQUIRED", "NO_LICENSE_REQUIRED"]),
    "rules": hit_sets.map(lambda xs: sorted(x.lower().replace(":", ".") for x in xs)),
    "entries": st.dictionaries(st.sampled_from(["SDN:1", "EL:el-1", "DPL:dpl-1"]),
                               st.sampled_from(["applies", "does not apply", "undecided"])),
})


@settings(max_examples=200, derandomize=True)
@given(a=hit_sets, b=hit_sets)
def test_screen_difference_rebuilds_the_new_set_and_reverses(a: list[str], b: list[str]) -> None:
    before, after = {"hits": sorted(a)}, {"hits": sorted(b)}
    d = describe_difference("screen", before, after)
    assert (set(a) - set(d["gone_hits"])) | set(d["new_hits"]) == set(b)
    back = describe_difference("screen", after, before)
    assert (back["new_hits"], back["gone_hits"]) == (d["gone_hits"], d["new_hits"])
    assert describe_difference("screen", before, before) == {"new_hits": [], "gone_hits": []}


@settings(max_examples=200, derandomize=True)
@given(a=check_keys, b=check_keys)
def test_check_difference_is_empty_exactly_when_keys_agree(a: dict[str, Any], b: dict[str, Any]) -> None:
    d = describe_difference("check", a, b)
    changed = bool(d.get("status") or d["rules_added"] or d["rules_removed"] or d["new_entries"]
                   or d["gone_entries"] or d["applies_changed"])
    assert changed == (a != b)
    assert set(d["new_entries"]) == set(b["entries"]) - set(a["entries"])
