"""Party linking on the bundled lists: one real party published by several lists is one result
when asked for (``Screener.screen(..., by_party=True)``); the default results keep every entry.

Every entry named here is a real entry of the bundled snapshots (UK OFSI 2025-04-10, OFAC SDN
2024-05-03, the May-2022 CSL, the 2026-07 Entity List parse).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from clearance.app import Clearance
from clearance.index.parties import (
    DERIVED_ID,
    clean_identifier,
    fold_name,
    is_same_person_name,
    near_dates,
    scheme_family,
    swapped_date,
)
from clearance.index.types import Query
from clearance.model import Kind
from clearance.rules.types import CheckRequest


def party_of(app: Clearance, source: str, entry_id: str) -> set[tuple[str, str]]:
    index = app.screener().index
    pos = index.parties.position(next(e for _, e in index.entries if (e.source, e.entry_id) == (source, entry_id)))
    assert pos is not None
    members = np.flatnonzero(index.party == index.party[pos])
    return {(index.entries[i][1].source, index.entries[i][1].entry_id) for i in members}


def also_in(match: Any) -> dict[tuple[str, str], dict[str, Any]]:
    return {(o["source"], o.get("entry_id", match.entry.entry_id)): o for o in match.explanation.get("also_in", ())}


def link_reason(match: Any, uk: tuple[str, str], sdn: tuple[str, str]) -> str:
    """The reason one of the UK and SDN entries of a party is shown in the other's ``also_in``.
    Both spell the name alike once normalized, so either may lead (ties: the US list first)."""
    top = (match.entry.source, match.entry.entry_id)
    assert top in (uk, sdn), top
    reason: str = also_in(match)[sdn if top == uk else uk]["reason"]
    return reason


def test_uk_and_sdn_entries_of_one_person_are_one_result(bundled_app: Clearance) -> None:
    # UK "Nikita Yurievich CHAPLIN" and SDN "CHAPLIN, Nikita Yuryevich", both born 1982-07-28
    results = bundled_app.screener().screen(Query("Nikita Yurievich CHAPLIN"), by_party=True)
    assert len(results) == 1
    top = results[0]
    # the two spellings of the patronymic are one (tables/east_slavic.yaml): a tie, and the US list leads
    assert (top.entry.source, top.entry.entry_id) == ("ofac_sdn", "sdn-35489") and top.score == 1.0
    others = also_in(top)
    assert set(others) == {("uk_ofsi", "uk-14468"), ("csl", "sdn-35489")}
    uk = others["uk_ofsi", "uk-14468"]
    assert uk["list"] == "UK" and uk["name"] == "Nikita Yurievich CHAPLIN"
    assert uk["reason"] == "same birth date 1982-07-28 and name"
    assert bundled_app.settings.threshold <= uk["score"] <= top.score


def test_transliterated_names_link_on_birth_date(bundled_app: Clearance) -> None:
    # UK "Viacheslav PONOMARIOV" (aliases PONOMARYOV ...) and SDN "PONOMARYOV, Vyacheslav", born 1965-05-02
    assert ("ofac_sdn", "sdn-16935") in party_of(bundled_app, "uk_ofsi", "uk-12970")
    assert is_same_person_name(fold_name(("vyacheslav", "ponomaryov")), fold_name(("viacheslav", "ponomaryov")))


def test_respelt_names_link_on_birth_date(bundled_app: Clearance) -> None:
    # UK "Alexander Mikhailovich STRELYUHIN" / SDN "STRELYUKHIN, Alexander Mikhailovich", both 1958-07-04
    assert ("ofac_sdn", "sdn-37372") in party_of(bundled_app, "uk_ofsi", "uk-14444")
    # UK "Aleksandr Gennadyevich VYSOKINSKY" / SDN "VYSOKINSKY, Alexander Gennadyevich", both 1973-09-24
    assert ("ofac_sdn", "sdn-36881") in party_of(bundled_app, "uk_ofsi", "uk-14944")
    # one respelt word in three; not in two, and not a different five-letter name
    respelt = fold_name(("alexander", "mikhailovich", "strelyukhin")), fold_name(("alexander", "mikhailovich", "strelyuhin"))
    assert is_same_person_name(*respelt, respelt=True) and not is_same_person_name(*respelt)
    assert not is_same_person_name(fold_name(("ivan", "strelyukhin")), fold_name(("ivan", "strelyuhin")), respelt=True)
    brothers = fold_name(("kamal", "mustafa", "abdallah", "sultan")), fold_name(("jamal", "mustafa", "abdallah", "sultan"))
    assert not is_same_person_name(*brothers, respelt=True)


def test_birth_dates_a_day_or_month_apart_link_a_full_name(bundled_app: Clearance) -> None:
    # UK "Sergey Pavlovych TSEKOV" (1953-08-28, 1953-09-29) / SDN "TSEKOV, Sergey Pavlovich" (1953-09-28)
    results = bundled_app.screener().screen(Query("Sergey Pavlovich TSEKOV"), by_party=True)
    assert len(results) == 1
    reasons = {k: o.get("reason") for k, o in also_in(results[0]).items()}
    assert "same name, birth dates 1953-09-28 and 1953-09-29 one day or month apart" in reasons.values()
    assert ("ofac_sdn", "sdn-16760") in party_of(bundled_app, "uk_ofsi", "uk-12929")
    assert sorted(near_dates("1953-09-28")) == ["1953-08-28", "1953-09-27", "1953-09-29", "1953-10-28"]
    assert near_dates("1970-01-01") == ["1970-01-02", "1970-02-01"]  # not into 1969: 1 January is a placeholder
    assert near_dates("1980-03-31") == ["1980-03-30", "1980-04-01"]  # no 31 February, no 31 April
    assert near_dates("1980") == []


def test_birth_dates_with_day_and_month_swapped_link_a_full_name(bundled_app: Clearance) -> None:
    # UK "Sergey Vasilyevich GORNYAKOV" 1966-05-01 / SDN "GORNYAKOV, Sergei Vasilyevich" 1966-01-05
    assert ("ofac_sdn", "sdn-36794") in party_of(bundled_app, "uk_ofsi", "uk-14951")
    results = bundled_app.screener().screen(Query("Sergey Vasilyevich GORNYAKOV"), by_party=True)
    assert link_reason(results[0], ("uk_ofsi", "uk-14951"), ("ofac_sdn", "sdn-36794")) == \
        "same name, birth dates 1966-01-05 and 1966-05-01 day and month swapped"
    assert swapped_date("1966-05-01") == "1966-01-05"
    assert swapped_date("1966-05-13") is None  # no 13th month
    assert swapped_date("1966-05-05") is None and swapped_date("1966") is None


def test_a_full_name_links_on_birth_year_and_country(bundled_app: Clearance) -> None:
    # UK "Alexander Mikhailovich STEPANOV" / SDN "STEPANOV, Aleksandr Mikhailovich": both 1976, RU, no full date
    assert ("ofac_sdn", "sdn-36960") in party_of(bundled_app, "uk_ofsi", "uk-15565")
    results = bundled_app.screener().screen(Query("Alexander Mikhailovich STEPANOV"), by_party=True)
    assert link_reason(results[0], ("uk_ofsi", "uk-15565"), ("ofac_sdn", "sdn-36960")) == \
        "same name, birth year 1976 and country RU"
    # father and son: UK "Boris Romanovich ROTENBERG" (1957, alias "Boris ROTHENBERG") is not
    # SDN "ROTENBERG, Boris Borisovich" (1986): two words in common are not a full name
    father = party_of(bundled_app, "uk_ofsi", "uk-14182")
    sons = [e for _, e in bundled_app.screener().index.entries if e.name == "ROTENBERG, Boris Borisovich"]
    assert sons and all((e.source, e.entry_id) not in father for e in sons)


def test_companies_link_on_two_names_in_common(bundled_app: Clearance) -> None:
    # UK "AEROSPACE INDUSTRIES ORGANISATION" (alias "AIO"), SDN "AEROSPACE INDUSTRIES ORGANIZATION"
    # (alias "AIO") and the ISN's "Aerospace Industries Organization (AIO)": a generic name and its
    # acronym, published by all three
    party = party_of(bundled_app, "uk_ofsi", "uk-9102")
    assert ("ofac_sdn", "sdn-9348") in party
    assert {e for e in party if e[0] == "csl" and e[1].startswith("isn-")}
    results = bundled_app.screener().screen(Query("Aerospace Industries Organization"), by_party=True)
    top = results[0]
    assert top.entry.list_code in ("ISN", "SDN", "UK")
    assert {o["list"] for o in top.explanation["also_in"] if "list" in o} >= {"ISN", "SDN", "UK"} - {top.entry.list_code}
    # two legal forms are two companies, whatever names they share: EL "SANCO Middle East, LLC"
    # ("SANCO ME, LLC") / "SANCO Middle East, FZC" ("SANCO ME FZC")
    assert ("csl", "el-eb54948de3b00459") not in party_of(bundled_app, "csl", "el-75194fa5a70cd418")


def test_company_names_link_without_function_words(bundled_app: Clearance) -> None:
    # UK "THE ISLAMIC REPUBLIC OF IRAN SHIPPING LINES (IRISL)" / SDN "ISLAMIC REPUBLIC OF IRAN SHIPPING LINES"
    assert ("ofac_sdn", "sdn-25396") in party_of(bundled_app, "uk_ofsi", "uk-16693")
    # ... but a name is not cut down to an acronym: SDN "HTOO GROUP OF COMPANIES" is not "HTOO"
    htoo = [(e.source, e.entry_id) for _, e in bundled_app.screener().index.entries if e.name == "HTOO GROUP OF COMPANIES"]
    assert len({p for h in htoo for p in [frozenset(party_of(bundled_app, *h))]}) == 1


def test_uk_and_un_entries_link_on_the_un_reference(bundled_app: Clearance) -> None:
    # UK "ABDULMALIK AL-HOUTHI" prints "(UN Ref):YEi.004"; neither list gives a birth date
    assert ("un", "un-YEi.004") in party_of(bundled_app, "uk_ofsi", "uk-13253")
    results = bundled_app.screener().screen(Query("ABDULMALIK AL-HOUTHI", lists=("UK", "UN")), by_party=True)
    reasons = {k: o["reason"] for k, o in also_in(results[0]).items()}
    assert "same identifier UN Reference Number YEi.004" in reasons.values()


def test_identifier_link(bundled_app: Clearance) -> None:
    # SDN "KHAKI, Reza" and UK "Reza KHAKI" publish passport M38549339
    results = bundled_app.screener().screen(Query("Reza KHAKI"), by_party=True)
    assert len(results) == 1
    reasons = {k: o["reason"] for k, o in also_in(results[0]).items()}
    assert {(results[0].entry.source, results[0].entry.entry_id), *reasons} == {("ofac_sdn", "sdn-40417"),
                                                                                ("uk_ofsi", "uk-15757")}
    assert set(reasons.values()) == {"same identifier Passport M38549339"}


def test_entity_list_rows_of_two_years_link_by_name(bundled_app: Clearance) -> None:
    # the CSL's 2022 Entity List row and the 2026 Entity List row of "Toptics, Inc." (CN)
    assert party_of(bundled_app, "csl", "el-b6be8f95f08e66a5") == {("csl", "el-b6be8f95f08e66a5"),
                                                                   ("el_nsfreg", "el2026-b7386efa46b8f0e1")}
    results = bundled_app.screener().screen(Query("Toptics Inc", lists=("EL",)), by_party=True)
    toptics = [m for m in results if "Toptics" in m.entry.name]
    assert len(toptics) == 1
    assert [o["reason"] for o in toptics[0].explanation["also_in"]] == ["same name"]


def test_same_birth_date_is_not_enough(bundled_app: Clearance) -> None:
    # born the same day, different people: SDN "KAZAN, Ali Muhammad" / UK "Tatyana Vladimirovna ZHURAVLEVA"
    assert party_of(bundled_app, "ofac_sdn", "sdn-10051").isdisjoint(party_of(bundled_app, "uk_ofsi", "uk-15174"))
    # brothers listed by OFAC with one birth date (1955-05-04) and four name words in common:
    # the UK's "JAMAL MUSTAFA ABDALLAH SULTAN AL-TIKRITI" is OFAC's Jamal (sdn-7864), not Kamal (sdn-7852)
    jamal = party_of(bundled_app, "uk_ofsi", "uk-7624")
    assert ("ofac_sdn", "sdn-7864") in jamal and ("un", "un-IQi.022") in jamal
    assert ("ofac_sdn", "sdn-7852") not in jamal
    # two tokens in common, patronymics differ: SDN "IVANOV, Sergey Borisovich" / UK "Sergey Pavlovich IVANOV"
    assert ("uk_ofsi", "uk-14964") not in party_of(bundled_app, "ofac_sdn", "sdn-36799")


def test_batch_collapses_parties(bundled_app: Clearance) -> None:
    screener = bundled_app.screener()
    for name in ("Nikita Yurievich CHAPLIN", "Reza KHAKI"):
        rows = screener.screen(Query(name), explain=False, by_party=True)
        assert len(rows) == 1 and rows[0].explanation == {}
        assert len(screener.screen(Query(name), explain=False)) == 2


def test_default_results_keep_every_listing_for_the_license_check(bundled_app: Clearance) -> None:
    # folding the SDN entry into the UK result would hide the SDN designation from the rules
    results = bundled_app.screen(Query("Viacheslav PONOMARIOV"))
    assert {("SDN", "sdn-16935"), ("UK", "uk-12970")} <= {(m.entry.list_code, m.entry.entry_id) for m in results}
    request = CheckRequest.create(item="EAR99", kind="commodity", activity="export", country="UA", on="2025-06-01",
                                  party="Viacheslav PONOMARIOV")
    determination = bundled_app.check(request)
    assert determination.status.value == "PROHIBITED"
    assert "ofac.sdn_blocking" in {r.rule for r in determination.reasons}


def test_kim_jong_un_keeps_the_same_id_collapse(bundled_app: Clearance) -> None:
    # one OFAC entry published by the CSL and by OFAC: the existing also_in shape, nothing else linked
    results = bundled_app.screen(Query("Kim Jong Un", kind=Kind.PERSON, countries=("KP",), birth_date="1984-01-08"))
    assert results[0].entry.entry_id == "sdn-20157"
    (dup,) = results[0].explanation["also_in"]
    assert set(dup) == {"source", "version_id", "as_of"} and (dup["source"], dup["as_of"]) == ("csl", "2022-05-06")


def test_party_invariants(bundled_app: Clearance) -> None:
    index = bundled_app.screener().index
    party = index.party
    assert len(party) == len(index.entries) and np.all(party[party] == party) and np.all(party <= np.arange(len(party)))
    listed: dict[tuple[int, str], str] = {}
    kinds: dict[int, set[str]] = {}
    for pos, (_, e) in enumerate(index.entries):
        p = int(party[pos])
        if not DERIVED_ID.fullmatch(e.entry_id):  # a publisher's own id: one per list in a party
            assert listed.setdefault((p, e.list_code), e.entry_id) == e.entry_id
        if e.kind is not Kind.UNKNOWN:
            kinds.setdefault(p, set()).add("person" if e.kind is Kind.PERSON else "other")
    assert all(len(k) == 1 for k in kinds.values())
    linked = len(party) - len(np.unique(party))
    assert linked > 10_000  # measured 2026-11-24 (session 4): 15,420 entries joined another entry's party


def test_identifier_schemes() -> None:
    assert scheme_family("National Identification Number") == scheme_family("National ID No.") == "national id"
    assert scheme_family("Diplomatic Passport") == scheme_family("Passport") == "passport"
    assert scheme_family("Vessel Registration Identification IMO") == scheme_family("Vessel Registration Identification")
    assert scheme_family("Company Number IMO") != scheme_family("Identification Number IMO")
    for not_an_identity in ("Gender", "Website", "Email Address", "Digital Currency Address - XBT",
                            "Secondary sanctions risk:", "Aircraft Operator"):
        assert scheme_family(not_an_identity) is None
    assert clean_identifier("IMO 9187629", "imo") == clean_identifier("9187629", "imo") == "9187629"
    assert clean_identifier("H 236483", "passport") == "H236483"
    assert clean_identifier("1234", "passport") is None
