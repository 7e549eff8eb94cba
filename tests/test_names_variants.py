"""Name variants packed into one published string: former names and Federal Register qualifiers."""

from __future__ import annotations

from clearance.app import Clearance
from clearance.index.scorer import score_tokens
from clearance.index.types import Query
from clearance.names import normalize_name
from clearance.names.variants import invented_acronyms, split_variants

# published as one string by the CSL (Entity List, 2022) and by the 2026 Entity List parse
GAZPROM_RUSSKAYA = "Gazprom Russkaya, OOO (f.k.a., Obshchestvo S Ogranichennoi Otvetstvennostyu Kovyktneftegaz)"


def test_former_name_and_current_name_are_variants() -> None:
    variants = dict((how, text) for text, how in split_variants(GAZPROM_RUSSKAYA))
    assert variants["former name"] == "Obshchestvo S Ogranichennoi Otvetstvennostyu Kovyktneftegaz"
    assert variants["without former name"] == "Gazprom Russkaya, OOO"


def test_federal_register_qualifiers_are_not_part_of_the_name() -> None:
    got = split_variants("Poly Technologies Incorporated (PTI), and its sub-units and successors")
    assert ("Poly Technologies Incorporated (PTI)", "without qualifier") in got
    assert ("PTI", "parenthetical") in got
    got = split_variants("National Institute of Lasers and Optronics (NILOP), a.k.a., the following one alias:")
    assert ("National Institute of Lasers and Optronics (NILOP)", "without qualifier") in got


def test_screening_the_former_name_finds_the_listed_company(bundled_app: Clearance) -> None:
    results = bundled_app.screen(Query("OOO Kovyktneftegaz"))
    assert results, "the former name of Gazprom Russkaya must be screened"
    assert results[0].entry.list_code == "EL"
    assert "Gazprom Russkaya" in results[0].entry.name
    assert "Kovyktneftegaz" in results[0].matched_name


def test_screening_without_the_qualifier_scores_as_an_exact_name(bundled_app: Clearance) -> None:
    index = bundled_app.screener().index
    query = normalize_name("Poly Technologies Incorporated").tokens
    aliases = [a for a in index.aliases if a.how == "without parenthetical"
               and index.entries[a.entry][1].name.startswith("Poly Technologies Incorporated (PTI), and its sub-units")]
    assert aliases, "the 2026 Entity List row must be indexed without its qualifier"
    assert all(score_tokens(query, a.tokens, index.weights).score == 1.0 for a in aliases)


def test_names_given_as_also_known_as_inside_the_string() -> None:
    # Entity List rows (CSL 2022) that pack other names into the published one
    got = split_variants("Precision Image Corporation (a.k.a. Precision Industries, Inc.; CK Enterprises, Inc.)")
    assert ("Precision Industries, Inc", "also known as") in got
    assert ("CK Enterprises, Inc", "also known as") in got
    assert ("Precision Image Corporation", "without also-known-as") in got
    got = split_variants("Far East Trading Company, Inc. (a.k.a. FETCO, Inc.)")
    assert ("FETCO, Inc", "also known as") in got


def test_invented_acronyms_keep_corporation_but_not_other_legal_forms(bundled_app: Clearance) -> None:
    def acr(name: str) -> set[str]:
        return invented_acronyms(normalize_name(name).tokens)

    # the lists' own acronyms keep the C of Corporation / Company: SMIC, CSSC
    assert "smic" in acr("Semiconductor Manufacturing International Corporation")
    assert "cssc" in acr("China State Shipbuilding Corporation")
    # nobody writes SDN "GURGEN HOUSE CO LTD" as GHCL, or "ATLANTIC SHIP MANAGEMENT LLC" as ASML
    assert "ghcl" not in acr("GURGEN HOUSE CO LTD") and "asml" not in acr("ATLANTIC SHIP MANAGEMENT LLC")
    names = {m.matched_name for m in bundled_app.screener().screen(Query("ASML Holding"))}
    assert "ATLANTIC SHIP MANAGEMENT LLC" not in names


def test_names_listed_together_are_names_of_their_own() -> None:
    got = split_variants("COMPAGNIE AERIENNE DES GRANDS LACS (CAGL) ; GREAT LAKES BUSINESS COMPANY (GLBC)")
    assert ("COMPAGNIE AERIENNE DES GRANDS LACS (CAGL)", "listed together") in got
    assert ("GREAT LAKES BUSINESS COMPANY", "without parenthetical") in got
    assert ("CAGL", "parenthetical") in got  # "des" is a function word: the acronym skips it
    got = split_variants("Mohammed Sabet; Mohammad Sabet b) M. Javad Kareemi Sabet; M. Jawad Kareemi Sabet")
    assert [t for t, how in got if how == "listed together"] == [
        "Mohammed Sabet", "Mohammad Sabet", "M. Javad Kareemi Sabet", "M. Jawad Kareemi Sabet"]
    # not an address, a note or a stray semicolon
    for text in ("APEX Ltd., 26 General Belov St Office 415, Moscow, Russia 115583; and 26 Generala Belova Street",
                 "Southwest Institute of Structural Mechanics; (all of preceding located in or near Mianyang)",
                 "Joint Stock Company Ship Repair Center 'Zvezdochka;'", "أبو شيماء (Abu-Shaima; Abu- Shayma)"):
        assert not [how for _, how in split_variants(text) if how == "listed together"], text


def test_screening_one_of_the_names_listed_together(bundled_app: Clearance) -> None:
    # UN prints "Fazel Rahim; Fazil Rahim" as one name: either spelling is a whole name
    top = bundled_app.screen(Query("Fazil Rahim", lists=("UN",)))[0]
    assert top.matched_name == "Fazil Rahim" and top.score >= 0.99
    top = bundled_app.screen(Query("Great Lakes Business Company", lists=("UN",)))[0]
    assert "GRANDS LACS" in top.entry.name and top.matched_name == "GREAT LAKES BUSINESS COMPANY"
    assert top.score >= 0.99


# the CSL's Entity List row (2022) and the 2026 Entity List parse print the Russian acronym, which the
# English words do not give; OFAC publishes the bare name and "VNIIEF" as an alias
VNIIEF = "All-Russian Scientific Research Institute of Experimental Physics (VNIIEF)"


def test_a_published_acronym_in_capitals_is_a_short_name() -> None:
    got = split_variants(VNIIEF)
    assert ("All-Russian Scientific Research Institute of Experimental Physics", "without parenthetical") in got
    assert ("VNIIEF", "parenthetical") in got
    # after the acronym, only a legal form: it still names the whole
    assert ("PEC", "parenthetical") in split_variants("Petersburg Electronic Company (PEC), LLC")


def test_an_acronym_inside_a_name_is_the_parents() -> None:
    # "CSIC" is China Shipbuilding Industry Corporation, not its 712th Research Institute
    got = split_variants("China Shipbuilding Industry Group Co., Ltd. (CSIC) 712th Research Institute")
    assert ("China Shipbuilding Industry Group Co., Ltd. 712th Research Institute", "without parenthetical") in got
    assert not [text for text, how in got if how == "parenthetical"]


def test_places_legal_forms_and_all_capital_names_keep_their_parenthetical() -> None:
    for name in ("Enerquip Ltd. (UAE)",  # a country
                 "Cosco Shipping Tanker (DALIAN) Seaman and Ship Management Co., Ltd.",  # a city
                 "KTK Engineering (PVT) LTD,",  # a legal form
                 "VOLAT (GIANT)", "SBERBANK (SWITZERLAND) AG"):  # capitals say nothing in a name all in capitals
        assert [how for _, how in split_variants(name)] == ["published"], name


def test_the_published_acronym_links_the_entity_list_row_to_ofac(bundled_app: Clearance) -> None:
    # without its parenthetical the Entity List row's name is OFAC's primary name: one party
    top = bundled_app.screener().screen(Query("VNIIEF"), by_party=True)[0]
    assert top.score == 1.0
    listed = {(top.entry.list_code, top.entry.entry_id)} | {(o["list"], o["entry_id"]) for o in top.explanation["also_in"]}
    assert {("SDN", "sdn-41019"), ("EL", "el-bd6b6c277942a6d9")} <= listed
    assert next(o["reason"] for o in top.explanation["also_in"] if o["entry_id"] == "el-bd6b6c277942a6d9") == "same name"
