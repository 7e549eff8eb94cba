"""The US-format parsers (trade.gov CSL, OFAC legacy CSV, BIS dpl.txt) on the real files in shared/data.

Bad-input fixtures are made here by corrupting copies of the real files in tmp_path
(truncating, injecting bytes, dropping columns); no entry is invented.
"""

from __future__ import annotations

import csv
import dataclasses
import gzip
import io
import json
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from clearance.errors import ParseError
from clearance.model import Entry, Kind, NameRole
from clearance.sources.base import ParseContext
from clearance.sources.countries import to_iso2
from clearance.sources.parsers import ofac_legacy
from clearance.sources.registry import get_spec

CSL_COUNTS = {"SDN": 10026, "EL": 2001, "DTC": 727, "DPL": 462, "SSI": 290, "UVL": 201, "ISN": 163, "PLC": 78,
              "MEU": 71, "CMIC": 68, "CAP": 53, "MBS": 17, "FSE": 3}


def run(source: str, files: dict[str, Path]) -> tuple[list[Entry], ParseContext]:
    from clearance.sources.parsers import get_parser

    spec = get_spec(source)
    ctx = ParseContext(spec=spec)
    return list(get_parser(spec.format)(files, ctx)), ctx


@pytest.fixture(scope="module")
def csl_file(shared: Path) -> Path:
    return shared / "csl" / "csl_consolidated_2022-05.csv.gz"


@pytest.fixture(scope="module")
def csl_entries(csl_file: Path) -> tuple[list[Entry], ParseContext]:
    return run("csl", {"main": csl_file})


# --- countries -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "iso"),
    [("Korea, North", "KP"), ("Korea, South", "KR"), ("Burma", "MM"), ("Iran", "IR"), ("Russia", "RU"),
     ("Hong Kong", "HK"), ("Taiwan", "TW"), ("Crimea region of Ukraine", "UA"), ("Region: Crimea", "UA"),
     ("Bahamas, The", "BS"), ("Cote d Ivoire", "CI"), ("St. Kitts & Nevis", "KN"), ("PRC", "CN"), ("cn", "CN"),
     ("Kosovo", "XK"), ("Man, Isle of", "IM"), ("Congo, Democratic Republic of the", "CD"), ("West Bank", "PS"),
     ("undetermined", None), ("", None), ("NM", None)],
)
def test_to_iso2(text: str, iso: str | None) -> None:
    assert to_iso2(text) == iso


def test_every_country_in_the_real_ofac_and_dpl_files_resolves(shared: Path) -> None:
    unresolvable = {"-0-", "undetermined", "Region: Commonwealth of Independent States", "Region: Kafia Kingi",
                    "Region: Jammu and Kashmir", ""}
    seen: set[str] = set()
    for f in [*shared.glob("ofac/legacy_csv_sets/*/add.csv"), shared / "ofac/consolidated_non_sdn/cons_add.csv"]:
        seen |= {row[4].strip() for row in csv.reader(io.StringIO(f.read_text("utf-8").replace("\x1a", "")))}
    for f in shared.glob("bis_dpl/*.txt"):
        seen |= {row["Country"] for row in csv.DictReader(f.open(encoding="utf-8"), delimiter="\t")}
    assert sorted(c for c in seen - unresolvable if to_iso2(c) is None) == ["NM"]  # a US state in dpl.txt's Country


# --- CSL -----------------------------------------------------------------------------------------------------


def test_csl_counts(csl_entries: tuple[list[Entry], ParseContext], csl_file: Path) -> None:
    entries, ctx = csl_entries
    counts = Counter(e.list_code for e in entries)
    # One entry per row; CAP 15268 is on two rows (1979, 1980) that differ only in source_list_url.
    assert counts == CSL_COUNTS
    assert len(entries) == 14160
    assert len({e.entry_id for e in entries}) == len(entries)
    assert any("line 1980 repeats cap-15268 of line 1979; kept as cap-15268-2" in n for n in ctx.notes)
    assert "latest start_date in the file: 2022-04-21" in ctx.notes
    with gzip.open(csl_file, "rt", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 14160 and Counter(r["source"] for r in rows).total() == 14160


def test_csl_huawei_legal_fields(csl_entries: tuple[list[Entry], ParseContext]) -> None:
    entries, _ = csl_entries
    # The EL lists this name three times (Shenzhen HQ; five other CN addresses; Kowloon), one row each.
    rows = [e for e in entries if e.list_code == "EL" and e.name == "Huawei Technologies Co., Ltd. (Huawei)"]
    assert len(rows) == 3 and len({e.entry_id for e in rows}) == 3
    hq = rows[0]
    assert len(rows[1].addresses) == 5 and rows[2].legal.federal_register_notices[-1] == "87 FR 8180"
    assert "standards organization" in (hq.legal.license_requirement or "")
    assert hq.legal.license_requirement.startswith("For all items subject to the EAR")  # type: ignore[union-attr]
    assert hq.legal.license_policy == "Presumption of denial"
    assert hq.legal.federal_register_notices == ("84 FR 22963", "84 FR 43495", "85 FR 29853", "85 FR 36720",
                                                 "85 FR 51603")
    assert hq.legal.start_date == "2019-05-21" and hq.listed_on == "2019-05-21"
    assert hq.countries == ("CN",) and hq.kind is Kind.ORGANIZATION
    assert hq.entry_id.startswith("el-")
    rows_named = [dict(e.extra).get("csl_name", e.name) for e in entries if e.list_code == "EL"]
    assert sum("huawei" in n.casefold() for n in rows_named) == 136  # PROVENANCE: 136 EL rows name Huawei


def test_csl_sdn_row(csl_entries: tuple[list[Entry], ParseContext]) -> None:
    entries, _ = csl_entries
    bnc = next(e for e in entries if e.entry_id == "sdn-306")
    assert bnc.name == "BANCO NACIONAL DE CUBA" and bnc.programs == ("CUBA",)
    assert [n.value for n in bnc.names if n.role is NameRole.ALIAS] == ["BNC", "NATIONAL BANK OF CUBA"]
    assert bnc.countries == ("CH", "ES", "JP", "PA")
    rim = next(e for e in entries if e.entry_id == "sdn-21944")
    assert rim.kind is Kind.PERSON and rim.birth_dates == ("1973-03-25",) and dict(rim.extra)["title"]
    bektas = next(e for e in entries if e.entry_id == "fse-17526")
    assert bektas.identifiers[0].scheme == "Passport" and bektas.identifiers[0].country == "CH"


def test_csl_dpl_row_keeps_order_fields(csl_entries: tuple[list[Entry], ParseContext]) -> None:
    entries, _ = csl_entries
    ash = next(e for e in entries if e.list_code == "DPL" and e.name == "I. ASH")
    assert ash.legal.end_date == "2056-06-29" and ash.legal.standard_order == "Y"
    assert ash.legal.federal_register_notices == ("68 F.R. 38290 6/27/03", "71 F.R. 38843 7/10/06",
                                                  "72 F.R. 4236 1/30/07")


def test_csl_ids_are_stable_across_reimports(csl_entries: tuple[list[Entry], ParseContext], csl_file: Path) -> None:
    again, _ = run("csl", {"main": csl_file})
    assert [e.entry_id for e in again] == [e.entry_id for e in csl_entries[0]]


def test_csl_partial_excerpt_is_refused_at_its_cut_row(shared: Path) -> None:
    with pytest.raises(ParseError, match=r"csl_PARTIAL_subset_2023-11-30.csv.gz:4233: row has 8 fields"):
        run("csl", {"main": shared / "csl" / "csl_PARTIAL_subset_2023-11-30.csv.gz"})


def _csv_rows_to_json(rows: Iterator[dict[str, str]]) -> dict[str, object]:
    """The trade.gov JSON shape: lists for multi-valued fields, objects for addresses and ids."""
    results = []
    for r in rows:
        rec: dict[str, object] = {k: v for k, v in r.items() if k != "_id"}
        rec["id"] = r["_id"]
        for k in ("programs", "alt_names", "citizenships", "nationalities", "dates_of_birth", "places_of_birth"):
            rec[k] = [v for v in r[k].split("; ") if v] if r[k] else None
        addresses = []
        for a in (x for x in r["addresses"].split("; ") if x):
            head, _, cc = a.rpartition(", ")
            addresses.append({"address": head, "city": None, "state": None, "postal_code": None, "country": cc}
                             if head else {"address": a})
        rec["addresses"] = addresses
        rec["ids"] = [{"number": i} for i in r["ids"].split("; ") if i]
        results.append(rec)
    return {"total": len(results), "results": results}


def test_csl_json_form_parses_to_the_same_entries(csl_file: Path, tmp_path: Path,
                                                  csl_entries: tuple[list[Entry], ParseContext]) -> None:
    with gzip.open(csl_file, "rt", encoding="utf-8") as f:
        doc = _csv_rows_to_json(csv.DictReader(f))
    path = tmp_path / "consolidated.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    entries, _ = run("csl_json", {"main": path})
    assert {e.source for e in entries} == {"csl_json"}
    assert [dataclasses.replace(e, source="csl") for e in entries] == csl_entries[0]


def test_csl_json_bad_document(tmp_path: Path) -> None:
    path = tmp_path / "c.json"
    path.write_text('{"results": [', encoding="utf-8")
    with pytest.raises(ParseError, match=r"c.json:1: not valid JSON"):
        run("csl_json", {"main": path})
    path.write_text('{"total": 0}', encoding="utf-8")
    with pytest.raises(ParseError, match="'results' array"):
        run("csl_json", {"main": path})


# --- CSL bad input (corrupted copies of the real file) ------------------------------------------------------


def _csl_text(csl_file: Path) -> str:
    with gzip.open(csl_file, "rt", encoding="utf-8") as f:
        return f.read()


def test_csl_empty_file(tmp_path: Path) -> None:
    (tmp_path / "e.csv").write_bytes(b"")
    with pytest.raises(ParseError, match=r"e.csv: file is empty"):
        run("csl", {"main": tmp_path / "e.csv"})


def test_csl_truncated_gzip(csl_file: Path, tmp_path: Path) -> None:
    data = csl_file.read_bytes()
    (tmp_path / "t.csv.gz").write_bytes(data[: len(data) // 2])
    with pytest.raises(ParseError, match=r"t.csv.gz:\d+: compressed stream is truncated"):
        run("csl", {"main": tmp_path / "t.csv.gz"})


def test_csl_missing_column(csl_file: Path, tmp_path: Path) -> None:
    text = _csl_text(csl_file).replace("license_policy", "policy", 1)
    (tmp_path / "h.csv").write_text(text, encoding="utf-8")
    with pytest.raises(ParseError, match=r"h.csv:1: not a CSL CSV: header lacks column\(s\) license_policy"):
        run("csl", {"main": tmp_path / "h.csv"})


def test_csl_non_utf8_byte(csl_file: Path, tmp_path: Path) -> None:
    lines = _csl_text(csl_file).encode("utf-8").split(b"\n")
    lines[99] = lines[99].replace(b"Treasury", b"Treas\xe9ury", 1)
    (tmp_path / "b.csv").write_bytes(b"\n".join(lines))
    with pytest.raises(ParseError, match=r"b.csv:100: byte 0xe9 at column \d+ is not valid utf-8"):
        run("csl", {"main": tmp_path / "b.csv"})


def test_csl_bad_date(csl_file: Path, tmp_path: Path) -> None:
    text = _csl_text(csl_file).replace(",2019-05-21,", ",05/21/2019,", 1)
    (tmp_path / "d.csv").write_text(text, encoding="utf-8")
    with pytest.raises(ParseError, match=r"d.csv:\d+: start_date '05/21/2019' is not an ISO date"):
        run("csl", {"main": tmp_path / "d.csv"})


def test_csl_conflicting_duplicate_id(csl_file: Path, tmp_path: Path) -> None:
    lines = _csl_text(csl_file).split("\n")
    i = next(n for n, line in enumerate(lines) if line.startswith("21944,"))
    lines.insert(i + 1, lines[i].replace("'ABBAS, Rim", "'ABBAS, Rima"))
    (tmp_path / "dup.csv").write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(ParseError, match=rf"dup.csv:{i + 2}: sdn-21944 repeats line {i + 1} with a different name"):
        run("csl", {"main": tmp_path / "dup.csv"})


# --- OFAC legacy CSV -----------------------------------------------------------------------------------------


def _ofac_rows(path: Path) -> dict[str, list[str]]:
    """ent_num -> row, read independently with the csv module (last occurrence wins)."""
    text = path.read_bytes().rstrip(b"\x1a").decode("utf-8")
    return {row[0]: row for row in csv.reader(io.StringIO(text)) if row}


HISTORY = ["2021-08-18", "2022-09-02", "2023-06-08", "2024-05-02", "2024-05-03"]


@pytest.mark.parametrize("day", HISTORY)
def test_ofac_sdn_history_files_parse(shared: Path, day: str) -> None:
    path = shared / "ofac" / "sdn_history" / f"sdn_{day}.csv"
    entries, ctx = run("ofac_sdn", {"sdn": path})
    assert {e.entry_id for e in entries} == {f"sdn-{n}" for n in _ofac_rows(path)}
    assert {e.list_code for e in entries} == {"SDN"}


@pytest.mark.parametrize("day", ["2019-01-04", "2021-07-07"])
def test_ofac_legacy_sets_with_add_alt(shared: Path, day: str) -> None:
    d = shared / "ofac" / "legacy_csv_sets" / day
    entries, ctx = run("ofac_sdn", {"sdn": d / "sdn.csv", "add": d / "add.csv", "alt": d / "alt.csv"})
    assert len(entries) == len(_ofac_rows(d / "sdn.csv"))
    assert not [n for n in ctx.notes if "not in" in n]  # consistent sets: every add/alt ent_num is in sdn.csv
    bnc = next(e for e in entries if e.entry_id == "sdn-306")
    assert bnc.name == "BANCO NACIONAL DE CUBA" and bnc.kind is Kind.ORGANIZATION and bnc.programs == ("CUBA",)
    assert ("NATIONAL BANK OF CUBA", NameRole.ALIAS) in [(n.value, n.role) for n in bnc.names]
    assert ("BNC", NameRole.WEAK_ALIAS) in [(n.value, n.role) for n in bnc.names]
    assert "CH" in bnc.countries and any(a.street == "Zweierstrasse 35" for a in bnc.addresses)
    marzook = next(e for e in entries if e.entry_id == "sdn-3754")
    assert marzook.kind is Kind.PERSON and marzook.birth_dates == ("1951-02-09",)
    assert marzook.birth_places == ("Gaza, Egypt",)
    assert ("Passport", "92/664", "EG") in [(i.scheme, i.value, i.country) for i in marzook.identifiers]
    assert ("ABU-'UMAR", NameRole.WEAK_ALIAS) in [(n.value, n.role) for n in marzook.names]


def test_ofac_sdn_alone_remarks_facts(shared: Path) -> None:
    entries, _ = run("ofac_sdn", {"sdn": shared / "ofac" / "sdn_history" / "sdn_2024-05-03.csv"})
    by_id = {e.entry_id: e for e in entries}
    assert [(n.value, n.role) for n in by_id["sdn-306"].names] == [("BANCO NACIONAL DE CUBA", NameRole.PRIMARY),
                                                                   ("BNC", NameRole.WEAK_ALIAS)]
    kinds = Counter(e.kind for e in entries)
    assert kinds[Kind.VESSEL] > 0 and kinds[Kind.AIRCRAFT] > 0 and kinds[Kind.PERSON] > 0
    assert sum(1 for e in entries if dict(e.extra).get("gender")) > 3000
    assert sum(1 for e in entries if dict(e.extra).get("linked_to")) > 1000
    assert sum(1 for e in entries if "KP" in e.countries) > 100  # "nationality Korea, North"


@pytest.mark.parametrize("day", ["2025-01-06", "2025-08-11", "2025-12-24"])
def test_ofac_2025_add_alt_comments_parse(shared: Path, day: str) -> None:
    # These sets lack their sdn.csv (absent from the snapshot); paired with the newest sdn.csv to exercise
    # add/alt/comments reading and the orphan notes (ent_nums designated after 2024-05-03).
    d = shared / "ofac" / "legacy_csv_sets" / day
    files = {"sdn": shared / "ofac" / "sdn_history" / "sdn_2024-05-03.csv"}
    files |= {role: d / name for role, name in (("add", "add.csv"), ("alt", "alt.csv"), ("comments", "sdn_comments.csv"))
              if (d / name).exists()}
    entries, ctx = run("ofac_sdn", files)
    assert len(entries) == 14965
    assert any(n.startswith("alt: ") and "not in sdn_2024-05-03.csv" in n for n in ctx.notes)
    if "comments" in files:
        comments = _ofac_rows(files["comments"])
        joined = [e for e in entries if e.entry_id.removeprefix("sdn-") in comments]
        assert joined and all(e.remarks and e.remarks.endswith(comments[e.entry_id[4:]][1].strip()) for e in joined)


def test_ofac_cons_set(shared: Path) -> None:
    d = shared / "ofac" / "consolidated_non_sdn"
    entries, ctx = run("ofac_cons", {"prim": d / "cons_prim.csv", "add": d / "cons_add.csv", "alt": d / "cons_alt.csv"})
    assert len(entries) == 442 and {e.list_code for e in entries} == {"CONS"}
    assert all(e.entry_id.startswith("cons-") for e in entries)
    lists = Counter(dict(e.extra)["non_sdn_list"] for e in entries)
    assert lists["SSI"] == 286 and lists["PLC"] == 78 and lists["CMIC"] == 68
    assert not ctx.notes


def test_ofac_duplicate_ent_num_names_both_lines(shared: Path) -> None:
    d = shared / "ofac" / "legacy_csv_sets" / "2022-01-31"
    files = {"sdn": d / "sdn.csv", "add": d / "add.csv", "alt": d / "alt.csv"}
    ctx = ParseContext(spec=get_spec("ofac_sdn"))
    with pytest.raises(ParseError, match=r"2022-01-31/sdn.csv:9044: ent_num 2677 repeats line 57 with different"):
        list(ofac_legacy.parse(files, ctx))
    ctx = ParseContext(spec=get_spec("ofac_sdn"), force=True)
    assert len(list(ofac_legacy.parse(files, ctx))) == 9043
    assert any("sdn.csv:9044: ent_num 2677 repeats line 57" in n for n in ctx.notes)
    assert [e.name for e in ofac_legacy.parse(files, ctx) if e.entry_id == "sdn-2677"] == [
        "AL-ZOMOR, Abboud Abdul Latif Hassan"]


def test_ofac_duplicate_refused_by_the_importer(shared: Path, empty_app) -> None:  # type: ignore[no-untyped-def]
    path = shared / "ofac" / "legacy_csv_sets" / "2022-01-31" / "sdn.csv"
    with pytest.raises(ParseError, match=r"sdn.csv:9044: ent_num 2677 repeats line 57 with different content"):
        empty_app.import_source("ofac_sdn", {"sdn": path}, origin="test")
    assert empty_app.store.current_version("ofac_sdn") is None
    forced = empty_app.import_source("ofac_sdn", {"sdn": path}, origin="test", force=True)
    assert forced.version.entry_count == 9043


def test_ofac_history_diffs_through_the_importer(shared: Path, empty_app) -> None:  # type: ignore[no-untyped-def]
    readme = {("2022-09-02", "2023-06-08"): (2264, 123, 141), ("2023-06-08", "2024-05-02"): (2677, 323, 85),
              ("2024-05-02", "2024-05-03"): (0, 8, 0)}
    versions = []
    for day in HISTORY:
        path = shared / "ofac" / "sdn_history" / f"sdn_{day}.csv"
        result = empty_app.import_source("ofac_sdn", {"sdn": path}, origin=str(path), as_of=day)
        assert result.status == "imported" and result.version.entry_count == len(_ofac_rows(path))
        versions.append(result.version.version_id)
    for (old_day, new_day), old_v, new_v in zip(zip(HISTORY, HISTORY[1:], strict=False), versions, versions[1:],
                                                strict=False):
        a = _ofac_rows(shared / "ofac" / "sdn_history" / f"sdn_{old_day}.csv")
        b = _ofac_rows(shared / "ofac" / "sdn_history" / f"sdn_{new_day}.csv")
        diff = empty_app.store.diff(old_v, new_v)
        assert {e.entry_id for e in diff.added} == {f"sdn-{n}" for n in b.keys() - a.keys()}
        assert {e.entry_id for e in diff.removed} == {f"sdn-{n}" for n in a.keys() - b.keys()}
        assert len(diff.changed) == sum(1 for n in a.keys() & b.keys() if a[n] != b[n])
        if (old_day, new_day) in readme:
            assert (len(diff.added), len(diff.removed), len(diff.changed)) == readme[(old_day, new_day)]


# --- OFAC bad input ------------------------------------------------------------------------------------------


def test_ofac_empty_file(tmp_path: Path) -> None:
    (tmp_path / "sdn.csv").write_bytes(b"")
    with pytest.raises(ParseError, match=r"sdn.csv: file is empty"):
        run("ofac_sdn", {"sdn": tmp_path / "sdn.csv"})


def test_ofac_truncated_gzip(shared: Path, tmp_path: Path) -> None:
    raw = (shared / "ofac" / "sdn_history" / "sdn_2024-05-03.csv").read_bytes()
    packed = gzip.compress(raw)
    (tmp_path / "sdn.csv.gz").write_bytes(packed[: len(packed) // 3])
    with pytest.raises(ParseError, match=r"sdn.csv.gz:\d+: compressed stream is truncated"):
        run("ofac_sdn", {"sdn": tmp_path / "sdn.csv.gz"})


def test_ofac_wrong_column_count(shared: Path, tmp_path: Path) -> None:
    lines = (shared / "ofac" / "sdn_history" / "sdn_2024-05-03.csv").read_bytes().split(b"\r\n")
    lines[41] = lines[41].rsplit(b",", 1)[0]  # drop the Remarks column of line 42
    (tmp_path / "sdn.csv").write_bytes(b"\r\n".join(lines))
    with pytest.raises(ParseError, match=r"sdn.csv:42: 11 columns, the OFAC legacy main file has 12"):
        run("ofac_sdn", {"sdn": tmp_path / "sdn.csv"})
    # an add.csv given where sdn.csv is expected
    add = shared / "ofac" / "legacy_csv_sets" / "2021-07-07" / "add.csv"
    with pytest.raises(ParseError, match=r"add.csv:1: 6 columns"):
        run("ofac_sdn", {"sdn": add})


def test_ofac_non_utf8_byte(shared: Path, tmp_path: Path) -> None:
    lines = (shared / "ofac" / "sdn_history" / "sdn_2024-05-03.csv").read_bytes().split(b"\r\n")
    lines[9] = lines[9].replace(b",", b",\xff", 1)
    (tmp_path / "sdn.csv").write_bytes(b"\r\n".join(lines))
    with pytest.raises(ParseError, match=r"sdn.csv:10: byte 0xff at column \d+ is not valid utf-8"):
        run("ofac_sdn", {"sdn": tmp_path / "sdn.csv"})


def test_ofac_bad_alt_type_and_sdn_type(shared: Path, tmp_path: Path) -> None:
    d = shared / "ofac" / "legacy_csv_sets" / "2021-07-07"
    alt = (d / "alt.csv").read_bytes().replace(b'"aka"', b'"xyz"', 1)
    (tmp_path / "alt.csv").write_bytes(alt)
    with pytest.raises(ParseError, match=r"alt.csv:1: alt_type 'xyz'"):
        run("ofac_sdn", {"sdn": d / "sdn.csv", "alt": tmp_path / "alt.csv"})
    sdn = (d / "sdn.csv").read_bytes().replace(b'"individual"', b'"person"', 1)
    (tmp_path / "sdn.csv").write_bytes(sdn)
    with pytest.raises(ParseError, match=r"sdn.csv:\d+: SDN_Type 'person'"):
        run("ofac_sdn", {"sdn": tmp_path / "sdn.csv"})


# --- BIS dpl.txt ---------------------------------------------------------------------------------------------

DPL = {"2019-06-29": (546, 417), "2022-09-07": (581, 461), "2023-11-30": (665, 547)}


@pytest.mark.parametrize("day", sorted(DPL))
def test_dpl_files_parse(shared: Path, day: str) -> None:
    path = shared / "bis_dpl" / f"dpl_{day}.txt"
    entries, ctx = run("bis_dpl", {"main": path})
    lines, expected = DPL[day]
    with path.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    assert len(rows) == lines
    assert len(entries) == expected == len({(r["Name"].strip(), r["Effective_Date"]) for r in rows})
    assert len({e.entry_id for e in entries}) == len(entries)
    assert sum(len(e.addresses) for e in entries) >= expected
    assert f"{lines} DPL lines merged into {expected} entries (one per name and effective date)" in ctx.notes
    assert all(e.list_code == "DPL" and e.legal.start_date for e in entries)


def test_dpl_entry_fields(shared: Path) -> None:
    entries, ctx = run("bis_dpl", {"main": shared / "bis_dpl" / "dpl_2023-11-30.txt"})
    freight = next(e for e in entries if e.name == "AIR FREIGHT LTD")
    assert len(freight.addresses) == 4 and freight.countries == ("IQ", "AE", "JO")
    assert freight.legal.start_date == "2023-10-31" and freight.legal.end_date == "2024-10-30"
    assert freight.legal.federal_register_notices[0] == "80 F.R. 30435 5/28/15"
    assert dict(freight.extra)["lines"] == "4"
    ash = [e for e in entries if e.name == "I. ASH"]
    assert len(ash) == 2 and ash[0].legal.end_date == "2056-06-29" and ash[0].legal.standard_order == "Y"
    assert any("JESUS ADRIAN RAMIREZ" in n and "kept the latest" in n for n in ctx.notes)


def test_dpl_ids_survive_a_tdo_renewal(shared: Path) -> None:
    old, _ = run("bis_dpl", {"main": shared / "bis_dpl" / "dpl_2022-09-07.txt"})
    new, _ = run("bis_dpl", {"main": shared / "bis_dpl" / "dpl_2023-11-30.txt"})
    old_by_name = {e.name: e for e in old}
    moved = [e for e in new if e.name in old_by_name and e.legal.start_date != old_by_name[e.name].legal.start_date]
    two_orders = {"I. ASH", "HAYDEE HERRERA"}  # one name, two denial orders: the second one's id adds its date
    assert len(moved) > 30 and all(e.entry_id == old_by_name[e.name].entry_id for e in moved if e.name not in two_orders)


def test_dpl_bad_input(shared: Path, tmp_path: Path) -> None:
    real = (shared / "bis_dpl" / "dpl_2023-11-30.txt").read_bytes()
    (tmp_path / "empty.txt").write_bytes(b"")
    with pytest.raises(ParseError, match=r"empty.txt: file is empty"):
        run("bis_dpl", {"main": tmp_path / "empty.txt"})
    (tmp_path / "hdr.txt").write_bytes(real.replace(b'"FR_Citation"', b'"Citation"', 1))
    with pytest.raises(ParseError, match=r"hdr.txt:1: not a BIS dpl.txt: header lacks column\(s\) FR_Citation"):
        run("bis_dpl", {"main": tmp_path / "hdr.txt"})
    lines = real.split(b"\n")
    bad_date = list(lines)
    bad_date[5] = bad_date[5].replace(b'/', b'.', 1)
    (tmp_path / "date.txt").write_bytes(b"\n".join(bad_date))
    with pytest.raises(ParseError, match=r"date.txt:6: Effective_Date '\d\d\.\d\d/\d{4}' is not a MM/DD/YYYY date"):
        run("bis_dpl", {"main": tmp_path / "date.txt"})
    latin = list(lines)
    latin[7] = latin[7].replace(b'"', b'"\xe9', 1)
    (tmp_path / "latin.txt").write_bytes(b"\n".join(latin))
    with pytest.raises(ParseError, match=r"latin.txt:8: byte 0xe9 at column 2 is not valid utf-8"):
        run("bis_dpl", {"main": tmp_path / "latin.txt"})
    short = list(lines)
    short[3] = short[3].rsplit(b"\t", 2)[0]
    (tmp_path / "cols.txt").write_bytes(b"\n".join(short))
    with pytest.raises(ParseError, match=r"cols.txt:4: 10 fields, the header has 12"):
        run("bis_dpl", {"main": tmp_path / "cols.txt"})
    dup = [*lines[:-1], lines[3], lines[-1]]  # line 4 repeated at the end: the same order, not adjacent
    (tmp_path / "dup.txt").write_bytes(b"\n".join(dup))
    with pytest.raises(ParseError, match=r"dup.txt:667: .* repeats line 4 but not on adjacent lines"):
        run("bis_dpl", {"main": tmp_path / "dup.txt"})
    (tmp_path / "t.txt.gz").write_bytes(gzip.compress(real)[:20000])
    with pytest.raises(ParseError, match=r"t.txt.gz:\d+: compressed stream is truncated"):
        run("bis_dpl", {"main": tmp_path / "t.txt.gz"})


def test_csl_affiliated_entity_rows_name_the_affiliate(csl_entries: tuple[list[Entry], ParseContext]) -> None:
    """23 EL rows of May 2022 list a Huawei affiliate under the parent's name; the party is the affiliate."""
    affiliates = {e.name: dict(e.extra) for e in csl_entries[0] if "affiliated_with" in dict(e.extra)}
    assert len(affiliates) == 22  # 23 rows; the Beijing Research Institute has two addresses
    marine = affiliates["Huawei Marine Networks Co., Ltd."]
    assert marine["affiliated_with"] == "Huawei Technologies Co., Ltd. (Huawei)"
    assert marine["csl_name"].endswith("Affiliated Entity:  Huawei Marine Networks Co., Ltd.")
    assert "Hangzhou New Longshine Information Technology Co., Ltd." in affiliates
