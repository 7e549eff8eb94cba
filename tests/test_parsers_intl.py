"""International and derived-format parsers on the REAL shared files (issue 2).

UN consolidated XML (5 snapshots), UK OFSI ConList (xlsx + its CSV conversion), the 2026
Entity List / MEU parse (nsfreg), the casslab compilation and FollowTheMoney JSON lines.
Bad-input fixtures are built in tmp_path from the real files (cut, corrupted, renamed
columns); the XML attack documents (billion laughs, external entity) are crafted, small.
Expected counts come from shared/data/README.md and PROVENANCE.md, or are recomputed here
with the stdlib, independently of the parsers.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import lzma
import re
import time
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clearance.errors import ParseError
from clearance.model import Entry, Identifier, Kind, NameRole
from clearance.sources.base import ParseContext
from clearance.sources.parsers import el_derived, ftm, uk_ofsi, un_xml
from clearance.sources.parsers._common import dmy_date
from clearance.sources.registry import BUNDLE_DIR, default_specs

UN_SNAPSHOTS = {  # file date -> (individuals, entities), from shared/data/README.md
    "2020-11-24": (713, 305),
    "2025-11-15": (727, 273),
    "2025-11-18": (727, 273),
    "2025-11-20": (727, 273),
    "2026-02-27": (730, 273),
}


def ctx_for(source: str) -> ParseContext:
    return ParseContext(default_specs()[source])


def run(parser, files: dict[str, Path], source: str) -> tuple[list[Entry], ParseContext]:  # type: ignore[no-untyped-def]
    ctx = ctx_for(source)
    return list(parser(files, ctx)), ctx


def un_file(shared: Path, day: str) -> Path:
    return shared / "un" / f"un_consolidated_{day}.xml.xz"


def un_xml_text(shared: Path, day: str = "2026-02-27") -> str:
    return lzma.decompress(un_file(shared, day).read_bytes()).decode("utf-8")


# -- UN ------------------------------------------------------------------------------------


@pytest.mark.parametrize("day", sorted(UN_SNAPSHOTS))
def test_un_counts_and_as_of(shared: Path, day: str) -> None:
    entries, ctx = run(un_xml.parse, {"main": un_file(shared, day)}, "un")
    kinds = Counter(e.kind for e in entries)
    assert (kinds[Kind.PERSON], kinds[Kind.ORGANIZATION]) == UN_SNAPSHOTS[day]
    assert ctx.as_of == day
    assert len({e.entry_id for e in entries}) == len(entries)
    assert all(re.fullmatch(r"un-[A-Z]{2}[ie]\.\d{3}", e.entry_id) for e in entries)


def test_un_known_entries(shared: Path) -> None:
    entries = {e.entry_id: e for e in run(un_xml.parse, {"main": un_file(shared, "2026-02-27")}, "un")[0]}
    saddam = entries["un-IQi.001"]
    assert saddam.name == "SADDAM HUSSEIN AL-TIKRITI"
    native = [n for n in saddam.names if n.role is NameRole.NATIVE]
    assert [(n.value, n.script) for n in native] == [("صدام حسين التكريتي", "Arab")]
    assert saddam.programs == ("Iraq",)
    zidane = entries["un-QDi.001"]
    assert ("Ibrahim al-Madani", NameRole.WEAK_ALIAS) in [(n.value, n.role) for n in zidane.names]  # QUALITY Low
    assert ("Muhamad Ibrahim Makkawi", NameRole.ALIAS) in [(n.value, n.role) for n in zidane.names]  # QUALITY Good
    assert zidane.birth_dates == ("1963-04-11", "1960-04-11") and zidane.countries == ("EG",)
    assert zidane.listed_on == "2001-01-25" and "Usama bin Laden" in (zidane.remarks or "")
    # BETWEEN dates become every year of the range; entity f.k.a. aliases become FORMER names
    assert any(len(e.birth_dates) > 1 and all(len(d) == 4 for d in e.birth_dates) for e in entries.values())
    assert any(n.role is NameRole.FORMER for e in entries.values() if e.kind is Kind.ORGANIZATION for n in e.names)
    assert any(i.scheme == "Passport" for e in entries.values() for i in e.identifiers)
    # every entry carries its own reference, the key the UK list prints on the designations it implements
    assert all(Identifier("UN Reference Number", e.entry_id[3:]) in e.identifiers for e in entries.values())


def test_un_snapshot_diffs_equal_reference_number_sets(shared: Path, empty_app) -> None:  # type: ignore[no-untyped-def]
    refs: dict[str, set[str]] = {
        day: {"un-" + r.strip() for r in re.findall(r"<REFERENCE_NUMBER>([^<]*)</REFERENCE_NUMBER>", un_xml_text(shared, day))}
        for day in UN_SNAPSHOTS
    }
    versions = []
    for day in sorted(UN_SNAPSHOTS):
        path = un_file(shared, day)
        result = empty_app.import_source("un", {"main": path}, origin=str(path), as_of=day)
        assert result.status == "imported" and result.version.entry_count == len(refs[day])
        versions.append((day, result.version.version_id))
    for (d1, v1), (d2, v2) in zip(versions, versions[1:], strict=False):
        diff = empty_app.store.diff(v1, v2)
        assert {e.entry_id for e in diff.added} == refs[d2] - refs[d1], (d1, d2)
        assert {e.entry_id for e in diff.removed} == refs[d1] - refs[d2], (d1, d2)
    assert refs["2026-02-27"] - refs["2025-11-20"] == {"un-SDi.007", "un-SDi.008", "un-SDi.009", "un-SDi.010"}
    assert refs["2025-11-20"] - refs["2026-02-27"] == {"un-IQi.074"}  # small day-level diffs, and real


def _crafted(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_un_billion_laughs_refused(tmp_path: Path) -> None:
    lol = '<!ENTITY lol0 "lol">' + "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10))
    doc = f'<?xml version="1.0"?>\n<!DOCTYPE CONSOLIDATED_LIST [{lol}]>\n<CONSOLIDATED_LIST><INDIVIDUALS><INDIVIDUAL><FIRST_NAME>&lol9;</FIRST_NAME></INDIVIDUAL></INDIVIDUALS></CONSOLIDATED_LIST>'
    path = _crafted(tmp_path, "laughs.xml", doc)
    started = time.process_time()
    with pytest.raises(ParseError) as err:
        list(un_xml.parse({"main": path}, ctx_for("un")))
    assert time.process_time() - started < 1.0  # refused before expansion
    assert str(path) in str(err.value) and "DOCTYPE CONSOLIDATED_LIST" in str(err.value) and "\n" not in str(err.value)


def test_un_external_entity_not_resolved(tmp_path: Path) -> None:
    secret = _crafted(tmp_path, "secret.txt", "TOP-SECRET-CONTENT")
    for target in (secret.as_uri(), "file:///etc/passwd"):
        doc = (f'<?xml version="1.0"?>\n<!DOCTYPE CONSOLIDATED_LIST [<!ENTITY xxe SYSTEM "{target}">]>\n'
               "<CONSOLIDATED_LIST><INDIVIDUALS><INDIVIDUAL><REFERENCE_NUMBER>QDi.999</REFERENCE_NUMBER>"
               "<FIRST_NAME>&xxe;</FIRST_NAME></INDIVIDUAL></INDIVIDUALS></CONSOLIDATED_LIST>")  # fmt: skip
        path = _crafted(tmp_path, "xxe.xml", doc)
        with pytest.raises(ParseError) as err:
            list(un_xml.parse({"main": path}, ctx_for("un")))
        message = str(err.value)
        assert "DOCTYPE" in message and "TOP-SECRET" not in message and "root:" not in message


def test_un_bad_files(shared: Path, tmp_path: Path) -> None:
    real = un_file(shared, "2026-02-27").read_bytes()
    text = un_xml_text(shared)
    cases = {
        "empty.xml.xz": (b"", "file is empty"),
        "truncated.xml.xz": (real[: len(real) // 2], "truncated or corrupt"),
        "cut.xml": (text[: len(text) // 2].encode(), "malformed XML (no element found; the file is cut short)"),
        "latin1.xml": (text.replace("JÉRÔME", "J\udcc9R\udcd4ME").encode("utf-8", "surrogateescape"), "malformed XML"),
        "baddate.xml": (text.replace("<LISTED_ON>2012-12-31</LISTED_ON>", "<LISTED_ON>31/12/2012</LISTED_ON>", 1).encode(),
                        "INDIVIDUAL CDi.001/LISTED_ON: unexpected date format '31/12/2012'"),
    }  # fmt: skip
    for name, (data, expected) in cases.items():
        path = tmp_path / name
        path.write_bytes(data)
        with pytest.raises(ParseError) as err:
            list(un_xml.parse({"main": path}, ctx_for("un")))
        message = str(err.value)
        assert message.startswith(str(path)) and expected in message and "\n" not in message, (name, message)
    assert re.search(r"line \d+, column \d+", str(_raises(un_xml.parse, tmp_path / "latin1.xml", "un")))


def _raises(parser, path: Path, source: str) -> ParseError:  # type: ignore[no-untyped-def]
    with pytest.raises(ParseError) as err:
        list(parser({"main": path}, ctx_for(source)))
    return err.value


# -- UK OFSI ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def uk_csv_rows(shared: Path) -> list[dict[str, str]]:
    with gzip.open(shared / "uk" / "ofsi_conlist_2025-04-10.csv.gz", "rt", encoding="utf-8", newline="") as f:
        next(f)
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def uk_csv(shared: Path) -> tuple[list[Entry], ParseContext]:
    return run(uk_ofsi.parse_csv, {"main": shared / "uk" / "ofsi_conlist_2025-04-10.csv.gz"}, "uk_ofsi_csv")


@pytest.fixture(scope="module")
def uk_xlsx(shared: Path) -> tuple[list[Entry], ParseContext]:
    return run(uk_ofsi.parse_xlsx, {"main": shared / "uk" / "ofsi_conlist_2025-04-10.xlsx"}, "uk_ofsi")


def test_uk_groups_counts(uk_csv, uk_csv_rows) -> None:  # type: ignore[no-untyped-def]
    entries, ctx = uk_csv
    groups = [r["Group ID"] for r in uk_csv_rows]
    assert len(uk_csv_rows) == 18_796 and len(set(groups)) == 4_686 == len(entries)
    assert [e.entry_id for e in entries] == ["uk-" + g for g in dict.fromkeys(groups)]
    runs = sum(1 for a, b in zip(groups, groups[1:], strict=False) if a != b) + 1
    assert runs > len(set(groups))  # rows of one group are NOT contiguous: accumulated by Group ID
    kinds = Counter(e.kind for e in entries)
    expected = Counter(r["Group Type"] for r in {r["Group ID"]: r for r in uk_csv_rows}.values())
    assert (kinds[Kind.PERSON], kinds[Kind.ORGANIZATION], kinds[Kind.VESSEL]) == (
        expected["Individual"], expected["Entity"], expected["Ship"])  # fmt: skip
    assert ctx.as_of == "2025-04-10"


def test_uk_known_groups(uk_csv) -> None:  # type: ignore[no-untyped-def]
    entries = {e.entry_id: e for e in uk_csv[0]}
    kony = entries["uk-13344"]
    assert kony.name == "JOSEPH KONY" and kony.kind is Kind.PERSON
    roles = {(n.value, n.role) for n in kony.names}
    assert ("Joseph Rao KONY", NameRole.ALIAS) in roles and ("LE MESSIE SANGLANT", NameRole.WEAK_ALIAS) in roles
    assert {"1959", "1961-08", "1964-09-18"} <= set(kony.birth_dates)  # 00/00/1959, 00/08/1961, 18/09/1964
    assert kony.programs == ("Central African Republic",) and kony.listed_on == "2016-03-12"
    assert dict(kony.extra)["uk_sanctions_list_ref"] == "CAF0010"
    # "(UN Ref):CFi.009." in Other Information: the UN designation it implements, an identifier
    assert Identifier("UN Reference Number", "CFi.009") in kony.identifiers
    # a ship's note naming its owner's UN reference ("UN Reference Number: UN Ref KPe.064") is not the ship's
    assert not any(i.scheme == "UN Reference Number" for i in entries["uk-13651"].identifiers)
    zadachin = entries["uk-15890"]
    assert zadachin.name == "Andrey Andreevich ZADACHIN" and zadachin.countries == ("RU",)
    native = [n for n in zadachin.names if n.role is NameRole.NATIVE]
    assert [(n.value, n.script) for n in native] == [("ЗАДАЧИН Андрей Андреевич", "Cyrl")]
    assert ("Andrei Andreevich ZADACHIN", NameRole.ALIAS) in {(n.value, n.role) for n in zadachin.names}


def test_uk_xlsx_equals_csv(uk_csv, uk_xlsx) -> None:  # type: ignore[no-untyped-def]
    csv_entries, xlsx_entries = uk_csv[0], uk_xlsx[0]
    assert len(xlsx_entries) == 4_686 and uk_xlsx[1].as_of == "2025-04-10"
    assert [{**e.to_dict(), "source": "-"} for e in xlsx_entries] == [{**e.to_dict(), "source": "-"} for e in csv_entries]


def _uk_csv_variant(shared: Path, tmp_path: Path, name: str, edit) -> Path:  # type: ignore[no-untyped-def]
    raw = gzip.decompress((shared / "uk" / "ofsi_conlist_2025-04-10.csv.gz").read_bytes())
    path = tmp_path / name
    path.write_bytes(gzip.compress(edit(raw)))
    return path


def test_uk_bad_files(shared: Path, tmp_path: Path) -> None:
    real_gz = (shared / "uk" / "ofsi_conlist_2025-04-10.csv.gz").read_bytes()
    (tmp_path / "truncated.csv.gz").write_bytes(real_gz[: len(real_gz) // 3])
    (tmp_path / "empty.csv").write_bytes(b"")
    (tmp_path / "not.xlsx").write_bytes(b"PK\x03\x04 this is not a workbook")
    (tmp_path / "empty.xlsx").write_bytes(b"")
    cases = [
        (uk_ofsi.parse_csv, tmp_path / "truncated.csv.gz", "compressed stream is truncated or corrupt"),
        (uk_ofsi.parse_csv, tmp_path / "empty.csv", "file is empty"),
        (uk_ofsi.parse_xlsx, tmp_path / "not.xlsx", "not a readable xlsx workbook"),
        (uk_ofsi.parse_xlsx, tmp_path / "empty.xlsx", "file is empty"),
        (uk_ofsi.parse_csv, _uk_csv_variant(shared, tmp_path, "header.csv.gz", lambda b: b.replace(b",Group ID\r\n", b",Group\r\n", 1).replace(b",Group ID\n", b",Group\n", 1)),
         "line 2: not an OFSI ConList header: missing column(s) ['Group ID']"),
        (uk_ofsi.parse_csv, _uk_csv_variant(shared, tmp_path, "bytes.csv.gz", lambda b: b.replace(b"MITHU", b"MITH\xff", 1)),
         "csv.gz:4: byte 0xff at column 5 is not valid utf-8"),
        (uk_ofsi.parse_csv, _uk_csv_variant(shared, tmp_path, "dob.csv.gz", lambda b: b.replace(b",22/08/1990,", b",1990-08-22,", 1)),
         "(DOB): unexpected date format '1990-08-22'"),
    ]  # fmt: skip
    for parser, path, expected in cases:
        message = str(_raises(parser, path, "uk_ofsi_csv"))
        assert message.startswith(str(path)) and expected in message and "\n" not in message, message


# -- Entity List derived: nsfreg, casslab -----------------------------------------------------


def nsfreg_files(root: Path) -> dict[str, Path]:
    return {"main": root / "nsfreg_bis_entity_list_2026-07-09.json.gz", "meu": root / "nsfreg_bis_meu_2026-07-09.json.gz"}


def test_nsfreg(shared: Path) -> None:
    files = nsfreg_files(shared / "entity_list_derived")
    entries, ctx = run(el_derived.parse_nsfreg, files, "el_nsfreg")
    assert Counter(e.list_code for e in entries) == {"EL": 3_409, "MEU": 70}
    assert sum("Huawei" in e.name for e in entries if e.list_code == "EL") == 109
    assert len({e.entry_id for e in entries}) == len(entries) and ctx.as_of == "2026-07-09"
    assert [e.entry_id for e in run(el_derived.parse_nsfreg, files, "el_nsfreg")[0]] == [e.entry_id for e in entries]
    el = [e for e in entries if e.list_code == "EL"]
    assert all(e.legal.federal_register_notices and e.legal.license_requirement for e in el)
    steel = [e for e in el if e.name == "People's Steel Mills"]
    assert steel[0].legal.federal_register_notices == ("63 FR 64322, 11/19/98", "65 FR 14444, 3/17/00",
                                                       "66 FR 50090, 10/1/01", "77 FR 58006, 9/19/12")  # fmt: skip
    assert [e.entry_id.count("-") for e in steel] == [2, 2]  # listed twice: a content suffix tells them apart
    assert any("truncated to 200 characters (6 entries" in n for n in ctx.notes)
    assert all(e.kind is Kind.UNKNOWN and e.countries for e in entries)


def test_nsfreg_ids_survive_reimport(shared: Path, tmp_path: Path, empty_app) -> None:  # type: ignore[no-untyped-def]
    files = nsfreg_files(shared / "entity_list_derived")
    first = empty_app.import_source("el_nsfreg", files, origin="test")
    assert first.version.entry_count == 3_479
    doc = json.loads(gzip.decompress(files["main"].read_bytes()))
    dropped = doc["entities"].pop(1000)
    doc["entities"].reverse()  # order changes must not change ids
    edited = tmp_path / "el.json"
    edited.write_text(json.dumps(doc), encoding="utf-8")
    second = empty_app.import_source("el_nsfreg", {**files, "main": edited}, origin="test")
    diff = empty_app.store.diff(first.version.version_id, second.version.version_id)
    assert [e.name for e in diff.removed] == [dropped["name"]] and not diff.added and not diff.changed


def test_json_bad_files(shared: Path, tmp_path: Path) -> None:
    raw = gzip.decompress((shared / "entity_list_derived" / "nsfreg_bis_entity_list_2026-07-09.json.gz").read_bytes())
    (tmp_path / "cut.json").write_bytes(raw[:5000])
    (tmp_path / "bytes.json").write_bytes(raw[:300] + b"\xfe" + raw[300:])
    (tmp_path / "empty.json").write_bytes(b"")
    (tmp_path / "list.json").write_bytes(b"[1, 2]")
    cases = {"cut.json": r"cut\.json:line \d+, column \d+: malformed JSON", "bytes.json": r"line \d+, column \d+: byte 0xfe",
             "empty.json": r"file is empty", "list.json": r"expected an object with an 'entities' array"}  # fmt: skip
    for name, pattern in cases.items():
        message = str(_raises(el_derived.parse_nsfreg, tmp_path / name, "el_nsfreg"))
        assert re.search(pattern, message) and "\n" not in message, message


def test_casslab(shared: Path, empty_app) -> None:  # type: ignore[no-untyped-def]
    path = shared / "entity_list_derived" / "casslab_restricted_parties_2026-08-18.json.gz"
    records = json.loads(gzip.decompress(path.read_bytes()))
    entries, ctx = run(el_derived.parse_casslab, {"main": path}, "casslab")
    assert len(records) == 4_940 and len(entries) == len({r["id"] for r in records}) == 4_873
    assert Counter(e.list_code for e in entries) == {"EL": 3_354, "JP_EUL": 835, "DOD_1260H": 188, "UFLPA": 143,
                                                     "DOD_1286": 130, "CA_NRO": 103, "CMIC": 64, "MEU": 56}  # fmt: skip
    assert not [n for n in ctx.notes if "not in countries_ko.yaml" in n]  # every Korean country name maps
    huawei = [e for e in entries if e.name == "Beijing Huawei Digital Technologies Co., Ltd."][0]
    assert huawei.countries == ("CN",)
    assert [(n.value, n.script, n.note) for n in huawei.names if n.role is NameRole.NATIVE] == [
        ("华为", "Hans", el_derived.NATIVE_NOTE)]  # fmt: skip
    scripts = Counter(n.script for e in entries for n in e.names if n.role is NameRole.NATIVE)
    assert scripts["Hans"] > 500 and scripts["Cyrl"] > 100 and scripts["Arab"] > 100
    result = empty_app.import_source("casslab", {"main": path}, origin=str(path))
    assert result.version.entry_count == 4_873 and result.version.as_of == "2026-08-18"


# -- FollowTheMoney ---------------------------------------------------------------------------


def test_ftm_import_sample(shared: Path) -> None:
    path = shared / "opensanctions" / "sa_wiki_peps_entities.ftm_2024-03.json.gz"
    lines = [json.loads(line) for line in gzip.decompress(path.read_bytes()).decode("utf-8").splitlines()]
    persons = [d for d in lines if d["schema"] == "Person"]
    entries, ctx = run(ftm.parse, {"main": path}, "ftm")
    assert len(entries) == len(persons) == 607 and {e.kind for e in entries} == {Kind.PERSON}
    assert ctx.as_of == "2024-03-14"
    assert any("Family 756, Occupancy 102, Position 100" in n for n in ctx.notes)
    assert any("invalid birthDate value(s) dropped" in n for n in ctx.notes)  # "unknown", "20th century" ...
    by_id = {e.entry_id: e for e in entries}
    src = next(d for d in persons if d["properties"].get("birthDate", [""])[0][:4].isdigit() and d["properties"].get("alias"))
    got = by_id[src["id"]]
    assert got.name == src["properties"]["name"][0] and got.birth_dates[0] == src["properties"]["birthDate"][0][:10]
    assert set(src["properties"]["alias"]) <= {n.value for n in got.names}


def test_ftm_resolves_linked_entities(tmp_path: Path) -> None:
    lines = [  # the sample holds no Address/Identification/Sanction entities: a small crafted file
        {"id": "san-1", "schema": "Sanction", "properties": {"entity": ["p-1"], "program": ["SDGT"], "listingDate": ["2001-10-12"]}},
        {"id": "p-1", "schema": "Person", "properties": {"name": ["Jane Roe"], "weakAlias": ["JR"], "birthDate": ["1970-05"],
                                                          "nationality": ["ir"], "addressEntity": ["addr-1"]}},
        {"id": "addr-1", "schema": "Address", "properties": {"full": ["1 Main St, Tehran"], "city": ["Tehran"], "country": ["ir"]}},
        {"id": "pp-1", "schema": "Passport", "properties": {"holder": ["p-1"], "number": ["X123"], "type": ["Passport"]}},
    ]  # fmt: skip
    path = tmp_path / "linked.ftm.json"
    path.write_text("\n".join(json.dumps(line) for line in lines), encoding="utf-8")
    [entry], _ = run(ftm.parse, {"main": path}, "ftm")
    assert entry.programs == ("SDGT",) and entry.listed_on == "2001-10-12" and entry.birth_dates == ("1970-05",)
    assert entry.addresses[0].city == "Tehran" and entry.countries == ("IR",)
    assert entry.identifiers[0].value == "X123" and ("JR", NameRole.WEAK_ALIAS) in {(n.value, n.role) for n in entry.names}
    path.write_text(json.dumps(lines[1]) + "\n{not json}\n", encoding="utf-8")
    assert "linked.ftm.json:line 2, column 2: malformed JSON" in str(_raises(ftm.parse, path, "ftm"))


def bundled_entries() -> list[Entry]:
    un = run(un_xml.parse, {"main": BUNDLE_DIR / "un" / "un_consolidated_2026-02-27.xml.xz"}, "un")[0]
    el = run(el_derived.parse_nsfreg, {"main": BUNDLE_DIR / "el_nsfreg" / "nsfreg_bis_entity_list_2026-07-09.json.gz"},
             "el_nsfreg")[0]  # fmt: skip
    return un + el[:500]


def test_ftm_export_is_valid_followthemoney_and_round_trips(tmp_path: Path, uk_csv) -> None:  # type: ignore[no-untyped-def]
    import followthemoney as fm  # in the `test` extra
    entries = bundled_entries() + uk_csv[0][:1500]
    buf = io.StringIO()
    assert ftm.write_ftm(entries, buf) == 2 * len(entries)
    ids = set()
    for line in buf.getvalue().splitlines():
        data = json.loads(line)
        proxy = fm.model.get_proxy(data, cleaned=False)  # unknown schema or property raises
        ids.add(proxy.id)
        assert proxy.id.startswith("clearance-")
        for prop, values in data["properties"].items():
            ptype = proxy.schema.get(prop).type
            bad = [v for v in values if not ptype.validate(v)]
            assert not bad, (data["id"], prop, bad[:3])
        if data["schema"] == "Sanction":
            assert proxy.get("entity")[0] in ids and proxy.get("authority")
    path = tmp_path / "export.ftm.json"
    path.write_text(buf.getvalue(), encoding="utf-8")
    back = {e.entry_id: e for e in run(ftm.parse, {"main": path}, "ftm")[0]}
    assert len(back) == len(entries)
    for e in entries:
        b = back[ftm.ftm_id(e)]
        assert b.kind is e.kind and b.name == e.name
        assert {n.value for n in b.names} >= {n.value for n in e.names if len(n.value) <= 384}
        assert set(b.countries) == set(e.countries) and b.birth_dates == e.birth_dates
        assert b.programs == e.programs and b.listed_on == e.listed_on


# -- invariants (hypothesis, derandomized) -----------------------------------------------------


@settings(derandomize=True, max_examples=200)
@given(st.dates(min_value=date(1800, 1, 1), max_value=date(2100, 12, 31)), st.booleans(), st.booleans())
def test_dmy_dates_become_partial_iso(day: date, no_day: bool, no_month: bool) -> None:
    text = f"{0 if no_day or no_month else day.day:02d}/{0 if no_month else day.month:02d}/{day.year}"
    expected = day.isoformat()[: 4 if no_month else 7 if no_day else 10]
    assert dmy_date(text, "f", "l") == expected


@settings(derandomize=True, max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cut=st.integers(min_value=0, max_value=40_000), junk=st.binary(max_size=4))
def test_un_damaged_xml_gives_one_line_parse_error(shared: Path, tmp_path: Path, cut: int, junk: bytes) -> None:
    data = un_xml_text(shared, "2025-11-15").encode()[:40_000]
    path = tmp_path / "damaged.xml"
    path.write_bytes(data[:cut] + junk + data[cut:])
    with pytest.raises(ParseError) as err:  # the excerpt is cut short, and junk may break it earlier
        list(un_xml.parse({"main": path}, ctx_for("un")))
    assert str(err.value).startswith(str(path)) and "\n" not in str(err.value)
