"""The same listed party published by two sources is one result, from the newest version."""

from __future__ import annotations

from clearance.app import Clearance
from clearance.index.types import Query
from clearance.model import Kind


def test_sdn_entry_in_csl_and_ofac_file_is_one_result(bundled_app: Clearance) -> None:
    # OFAC ent_num 20157 is in the May-2022 CSL and in OFAC's own sdn.csv of 2024-05-03
    results = bundled_app.screen(Query("Kim Jong Un", kind=Kind.PERSON, countries=("KP",), birth_date="1984-01-08"))
    kim = [m for m in results if m.entry.entry_id == "sdn-20157"]
    assert len(kim) == 1
    assert kim[0].entry.source == "ofac_sdn" and kim[0].version.as_of == "2024-05-03"
    assert [o["source"] for o in kim[0].explanation["also_in"]] == ["csl"]
