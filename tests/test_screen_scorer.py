"""The token scorer: bounds, symmetry and the behaviours the weights are for."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clearance.app import Clearance
from clearance.index import scorer
from clearance.index.scorer import PERSON_SHARE, multi_word_lift, pair_similarity, score_tokens
from clearance.index.screener import Screener, query_variants
from clearance.index.types import Query
from clearance.index.weights import TokenWeights
from clearance.names import hyphen_compounds, load_tables, normalize_name
from clearance.names.phonetic import PHONETIC_SIMILARITY, TRANSLIT_SIMILARITY
from clearance.settings import Settings

WEIGHTS = TokenWeights(
    [normalize_name(n).tokens for n in (
        "Guangzhou Haige Communication Group Co., Ltd.", "Huawei Technologies Co., Ltd.", "Hangzhou Hikvision Digital Technology Co., Ltd.",
        "China Electronics Technology Group Corporation", "Beijing Institute of Technology", "Emma LLC", "Trading Co", "Global Trading Group",
    )]
    + [(f"filler{i}",) for i in range(5000)]  # a list-sized corpus, so rare words weigh what they do on the real lists
)
tokens = st.lists(st.sampled_from(["haige", "guangzhou", "co", "ltd", "group", "huawei", "technology", "hikvision", "huawai",
                                   "al", "qaida", "alqaida", "j", "john", "x", "trading", "emma", "llc", "zz"]), max_size=6)


@settings(derandomize=True, max_examples=400, deadline=None)
@given(tokens, tokens)
def test_score_bounds_and_symmetry(a: list[str], b: list[str]) -> None:
    ab = score_tokens(a, b, WEIGHTS).score
    ba = score_tokens(b, a, WEIGHTS).score
    assert 0.0 <= ab <= 1.0
    assert abs(ab - ba) < 1e-9


@settings(derandomize=True, max_examples=100, deadline=None)
@given(tokens)
def test_identical_distinctive_names_score_one(a: list[str]) -> None:
    s = score_tokens(a, list(reversed(a)), WEIGHTS)
    if s.matched_weight >= 6.0:
        assert s.score == 1.0


def test_word_order_and_generic_words() -> None:
    q = normalize_name("HAIGE GUANGZHOU").tokens
    c = normalize_name("Guangzhou Haige Communication Group Co., Ltd.").tokens
    assert score_tokens(q, c, WEIGHTS).score > 0.85


def test_generic_names_score_low() -> None:
    for q in ("CORP", "The X Group", "Trading Co"):
        assert score_tokens(normalize_name(q).tokens, normalize_name("Global Trading Group").tokens, WEIGHTS).score < 0.8


def test_merge_typo_and_initial() -> None:
    assert score_tokens(["al", "qaida"], ["alqaida"], WEIGHTS).pairs[0][3] == "merged"
    s = score_tokens(["huawel"], ["huawei"], WEIGHTS)
    assert s.pairs[0][3] == "fuzzy" and 0.5 < s.score < 1.0
    assert score_tokens(["j", "smith"], ["john", "smith"], WEIGHTS).pairs[-1][3] == "initial"


def test_korean_romanizations_of_one_syllable_agree(bundled_app: Clearance) -> None:
    """McCune-Reischauer and Revised Romanization spellings of the same SDN names (both published
    as aliases of SDN 22998 and 23087) are one name, not two typos."""
    weights = bundled_app.screener().index.weights
    for a, b in (("KWAK, Jong-chol", "KWAK, Chong-chol"), ("SHIN, Yong Il", "SIN, Yong Il"), ("KIM, Kang Jin", "KIM, Kang-chin")):
        s = score_tokens(normalize_name(a).tokens, normalize_name(b).tokens, weights, PERSON_SHARE)
        assert s.score >= 0.9, (a, b, s)
        assert any(how == "phonetic" for *_, how in s.pairs)
    # an unrelated syllable does not fold: Chol is not Chun
    s = score_tokens(normalize_name("MIN, Byong Chun").tokens, normalize_name("MIN, Byong Chol").tokens, weights, PERSON_SHARE)
    assert not any(how == "phonetic" for *_, how in s.pairs)


def test_a_respelled_single_word_is_damped_an_exact_one_is_not(bundled_app: Clearance) -> None:
    """"Sysco" (a US food distributor) against SDN "SISCO": one respelled word is weaker evidence than
    the same word; "Rosneft" against the listed "Rosneft" keeps its score."""
    weights = bundled_app.screener().index.weights
    respelled = score_tokens(["sysco"], ["sisco"], weights).score
    exact = score_tokens(["rosneft"], ["rosneft"], weights).score
    assert exact == 1.0
    assert respelled < 0.9


def test_half_of_a_hyphenated_surname_is_not_the_surname(bundled_app: Clearance) -> None:
    """DPL "JOHN B. PRIDMORE-SMITH": "John Smith" takes half of his surname; "John Pridmore-Smith" all of it."""
    assert hyphen_compounds("JOHN B. PRIDMORE-SMITH") == {frozenset({"pridmore", "smith"})}
    assert hyphen_compounds("AL-ASSAD, Bashar") == frozenset()  # a particle, not a compound
    half = [m for m in bundled_app.screen(Query("John Smith", threshold=0.5)) if "PRIDMORE" in m.entry.name]
    whole = [m for m in bundled_app.screen(Query("John Pridmore-Smith", threshold=0.5)) if "PRIDMORE" in m.entry.name]
    assert whole and whole[0].score >= 0.9
    assert not half or half[0].score < 0.8


def test_a_long_query_meets_the_published_acronym(bundled_app: Clearance) -> None:
    """SDN publishes "INRA" as an alias of IRAN NUCLEAR REGULATORY AUTHORITY: the query's own
    acronym is looked up, as the index does for listed names."""
    screener = bundled_app.screener()
    hits = screener.candidates.query_acronyms(normalize_name("Iran Nuclear Regulatory Authority").tokens)
    values = {screener.index.aliases[a].value for a, _ in hits}
    assert "INRA" in values
    assert all(q == ("inra",) for _, q in hits)
    # a person's name has no acronym to look up
    assert not screener.candidates.query_acronyms(normalize_name("Kim Jong Un").tokens)
    # nor has a registered company name: the lists' short names stand for ministries, institutes, units
    assert not screener.candidates.query_acronyms(normalize_name("Iran Nuclear Regulatory Authority Ltd").tokens)


def test_a_registered_name_of_letters_is_not_our_acronym_of_a_listed_name(bundled_app: Clearance) -> None:
    """The index abbreviates EL "Integrated Scientific Microwave Technology" as "ISMT"; a bare "ISMT"
    meets it, "ISMT Limited" (a company registered under those letters) does not."""
    screener = bundled_app.screener()
    bare = screener.screen(Query("ISMT"))
    assert bare and bare[0].matched_name == "Integrated Scientific Microwave Technology"
    assert bare[0].explanation["alias"]["how"] == "acronym"
    assert not screener.screen(Query("ISMT Limited"))


def test_a_query_packing_several_names_is_screened_under_each(bundled_app: Clearance) -> None:
    """Customer files pack names as the lists do: "X (a.k.a. Y)", "X (f.k.a. Y)". The DTC's "FETCO,
    Inc." and the SDN's ROSOBORONEXPORT are found through the packed name, and the explanation says so."""
    screener = bundled_app.screener()
    top = screener.screen(Query("Pacific Rim Aviation Supply Inc. (a.k.a. FETCO, Inc.)"))[0]
    assert (top.entry.list_code, top.matched_name, top.score) == ("DTC", "FETCO, Inc", 1.0)
    assert top.explanation["query_variant"] == {"how": "also known as", "name": "fetco inc"}
    found = screener.screen(Query("Northwind Traders Ltd (f.k.a. Rosoboronexport)"))
    assert {"SDN", "ISN"} <= {m.entry.list_code for m in found if m.score == 1.0}
    assert all(m.explanation["query_variant"]["how"] == "former name" for m in found)
    assert query_variants("Hangzhou Hikvision Digital Technology Co., Ltd.") == []
    assert query_variants("Hitachi (China) Ltd") == []  # a place in parentheses is not another name
    assert not screener.screen(Query("Hitachi (China) Ltd"))


def test_persian_and_arabic_romanizations_meet(bundled_app: Clearance) -> None:
    """SDN "GHASEMI, Seyyed Reza" (sdn-22690) is also published as "QASEMI, Seyed Reza": the
    Persian romanization with q for gh (Sadegh / Sadeq, Bagheri / Baqeri) is one name, and the
    index reaches "ghasemi" from "qasemi"; "DJOUADI, Yehia" (a short-vowel variant the skeleton
    is too short to see) finds SDN "DJOUADI, Yahia"; "KOSSIYEV, Sergei" meets "KOSSIEV, Sergey" as
    one romanization, not a typo."""
    screener = bundled_app.screener()
    weights = screener.index.weights
    s = score_tokens(normalize_name("QASEMI, Seyyed Reza").tokens, normalize_name("GHASEMI, Seyyed Reza").tokens, weights, PERSON_SHARE)
    assert s.score >= 0.9 and ("qasemi", "ghasemi", PHONETIC_SIMILARITY, "phonetic") in s.pairs
    ids, _, _ = screener.candidates.token_credits("qasemi", weights("qasemi"))
    assert any("ghasemi" in screener.index.aliases[int(a)].tokens for a in ids)
    top = bundled_app.screen(Query("DJOUADI, Yehia", threshold=0.5))[0]
    assert top.matched_name == "DJOUADI, Yahia" and top.score >= 0.85, top
    assert "yehia~yahia (phonetic 0.85)" in top.explanation["token_agreement"]["matched"]
    # the Arabic reading of gh as g still holds (SDN "AL-MAJID, Rukan abd al-Gafur")
    assert pair_similarity("ghaffur", "gafur") == (PHONETIC_SIMILARITY, "phonetic")
    assert pair_similarity("kossiyev", "kossiev") == (TRANSLIT_SIMILARITY, "translit")
    # Arabic th / t and dh / d: SDN "THERAB, Abu" also "TURAB" and "THURAB"; UK "BOUNOUADHER" / "BOUNOUADER"
    assert pair_similarity("thurab", "turab") == (TRANSLIT_SIMILARITY, "translit")
    assert pair_similarity("bounouadher", "bounouader") == (TRANSLIT_SIMILARITY, "translit")
    # a consonant that differs is not a vowel variant
    assert pair_similarity("kamal", "jamal") == (0.8, "fuzzy")


def test_equal_consonants_with_far_apart_vowels_are_weak_evidence(bundled_app: Clearance) -> None:
    """A phonetic pair is fully credited only while the spellings are close once romanization
    habits are folded (phonetic_similarity). "Bristol Myers Squibb" met SDN "SAKABUYA, Morris" at
    0.82 before session 16 (squibb / sakabuya and myers / morris share their consonants only)."""
    assert pair_similarity("squibb", "sakabuya") is not None
    assert pair_similarity("squibb", "sakabuya")[0] < 0.7  # type: ignore[index]
    assert pair_similarity("myers", "morris")[0] < 0.7  # type: ignore[index]
    # romanizations of one name keep full credit: doubled letters and digraphs are folded first
    for x, y in (("husayn", "hussein"), ("aameen", "amin"), ("maleeq", "malik"), ("basir", "baseer")):
        assert pair_similarity(x, y) == (PHONETIC_SIMILARITY, "phonetic"), (x, y)
    # so does a romanization that writes no vowel at all (UN / UK "MHMD")
    assert pair_similarity("mohammad", "mhmd") == (PHONETIC_SIMILARITY, "phonetic")
    tops = bundled_app.screen(Query("Bristol Myers Squibb", threshold=0.0, limit=1))
    assert not tops or tops[0].score < 0.7, tops[0]


def test_the_index_reaches_every_pair_the_scorer_aligns(bundled_app: Clearance) -> None:
    """The candidate bound must see what the scorer would credit. Two real misses, both found by a
    wider search before the fix: "Yury" meets "Yuri" only through the romanization key (too short
    for a typo), and was dropped once the heavier "shvytkin" had been read; "Iranian" meets "IRAN"
    through the skeleton, which was looked up for name words only, not places. The EL prints the
    French name with its accented letters lost; "Establissements" is two edits from "tablissements"."""
    for query, listed in (("Yury Nikolaevich SHVYTKIN", "SHVYTKIN, Yuri Nikolayevich"),
                          ("IRANIAN SPACE AGENCY", "IRAN SPACE AGENCY"),
                          # two edits in a long word: the query's two-deletion forms (index/fuzzy.py)
                          ("ESTABLISSEMENTS INDUSTRIELS DE LA DEFENSE (EID)", "tablissements Industriels de la Dfense (EID)")):
        hits = [m for m in bundled_app.screen(Query(query)) if m.matched_name == listed]
        assert hits and hits[0].score >= 0.85, (query, hits)
    # one query word meeting two adjacent list words ("offshore" / "OFF SHORE") credits both list
    # words in the bound, as the scorer does: at the default threshold the result is the same as at 0.3
    # (the formula's scores at its own threshold, 0.79: the calibration model drops this look-alike)
    formula = Screener(bundled_app.screener().index, Settings.load({"calibration": False, "threshold": 0.79}, environ={}))
    query = Query("Golden Energy Offshore Services AS", threshold=0.3)
    wide = [(m.entry.entry_id, m.score) for m in formula.screen(query) if m.score >= 0.79]
    assert wide and wide[0][1] < 0.9  # a look-alike (SDN "GOLDEN GROUP SAL OFF SHORE"), which the scorer scores
    assert [(m.entry.entry_id, m.score) for m in formula.screen(Query(query.name))] == wide


def test_slavic_names_in_german_and_french_romanization(bundled_app: Clearance) -> None:
    """SDN prints "SIMANOVSKIY, Leonid Jakovlevitch" and "YANUKOVYCH, Oleksandr Viktorovych"; the UK
    list's Cyrillic "Симановский Леонид Яковлевич" and its "Alexsandr Viktorovych JANUKOVICH" are the
    same names (j / y, tch / ch; Oleksandr is the Ukrainian Aleksandr), found before only by a wider
    search than the index's."""
    assert pair_similarity("yakovlevich", "jakovlevitch") == (TRANSLIT_SIMILARITY, "translit")
    for query, listed in (("Симановский Леонид Яковлевич", "SIMANOVSKIY, Leonid Jakovlevitch"),
                          ("Alexsandr Viktorovych JANUKOVICH", "YANUKOVYCH, Oleksandr Viktorovych")):
        hits = [m for m in bundled_app.screener().screen(Query(query)) if m.entry.source == "ofac_sdn"]
        assert hits and hits[0].matched_name == listed and hits[0].score >= 0.9, (query, hits)


def test_three_distinctive_words_in_common_lift_a_company_match(bundled_app: Clearance,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """A customer's "Minsk Special Purpose Rapid Unit" against SDN "MINSK SPECIAL PURPOSE POLICE UNIT":
    four distinctive words agree though each name has one the other lacks, which non-listed
    companies almost never do (scorer.multi_word_lift)."""
    screener = bundled_app.screener()
    weights = screener.index.weights
    query = normalize_name("Minsk Special Purpose Rapid Unit").tokens
    listed = normalize_name("MINSK SPECIAL PURPOSE POLICE UNIT").tokens
    lifted = score_tokens(query, listed, weights)
    person = score_tokens(query, listed, weights, PERSON_SHARE)
    assert multi_word_lift(lifted.pairs, weights)
    monkeypatch.setattr(scorer, "MULTI_WORD_LIFT", 0.0)
    base = score_tokens(query, listed, weights).score
    assert lifted.score == pytest.approx(base + (1 - base) * 0.25) and base < 0.79 <= lifted.score  # the formula's threshold
    assert score_tokens(query, listed, weights, PERSON_SHARE).score == person.score  # person names: no lift
    monkeypatch.undo()
    # the candidate bound knows: the entry is found at the default threshold
    top = screener.screen(Query("Minsk Special Purpose Rapid Unit"))[0]
    assert (top.entry.list_code, top.entry.name) == ("SDN", "MINSK SPECIAL PURPOSE POLICE UNIT")
    # two distinctive words are not three
    assert not multi_word_lift(score_tokens(["minsk", "rapid"], ["minsk", "rapid", "police"], weights).pairs, weights)


def test_names_whose_numbers_all_differ_are_different_units(monkeypatch: pytest.MonkeyPatch) -> None:
    """UK "33 LIGHT INFANTRY DIVISION" is not the UK's "101ST LIGHT INFANTRY DIVISION": the three
    shared words scored 0.87 before, above the threshold; now the pair falls below the calibration
    band, and the explanation says why. Ordinals are numbers ("101st" = "101"), a shared number
    keeps the match whole, and a name without a number is not in conflict with one."""
    def score(a: str, b: str) -> scorer.NameScore:
        return score_tokens(normalize_name(a).tokens, normalize_name(b).tokens, WEIGHTS)

    different = score("33 LIGHT INFANTRY DIVISION", "101ST LIGHT INFANTRY DIVISION")
    assert different.numbers == (("33",), ("101",))
    assert different.token_agreement()["numbers_differ"] == ["33", "101"]
    assert different.score < 0.70
    same = score("101 LIGHT INFANTRY DIVISION", "101ST LIGHT INFANTRY DIVISION")
    assert same.score == 1.0 and same.numbers is None
    assert score("LIGHT INFANTRY DIVISION", "101ST LIGHT INFANTRY DIVISION").numbers is None
    monkeypatch.setattr(scorer, "NUMBER_FACTOR", 1.0)
    assert score("33 LIGHT INFANTRY DIVISION", "101ST LIGHT INFANTRY DIVISION").score > 0.75  # 0.87 on the lists


def test_a_city_that_opens_a_name_locates_the_firm_rather_than_naming_it(bundled_app: Clearance) -> None:
    # OFAC "POLOTSK STEKLOVOLOKNO OAO" (Belarus): without its city the name is still the firm's
    weights = bundled_app.screener().index.weights
    assert {"polotsk", "kaluga", "kerch", "yazd"} <= weights.tables.places
    assert weights("polotsk") < weights("steklovolokno")  # the place factor (0.5) on a word as rare
    # (in the benchmark's hold-out, "STEKLOVOLOKNO" for that entry went from 0.78 to 0.85: the
    # calibration no longer reads the city as an unmatched name word)
    # ... while two firms of one city do not meet on it: "Kaluga" alone is no match for a Kaluga institute
    assert score_tokens(["kaluga"], normalize_name("Kaluga Scientific Research Radio Technology Institute").tokens,
                        weights).score < 0.70  # below the grey band: no calibration can lift it to a match


def test_the_son_of_a_listed_namesake_is_not_the_listed_person(bundled_app: Clearance) -> None:
    """A patronymic chain names a person, then the father ("Khalid bin Abdulaziz": Khalid, son of
    Abdulaziz; ``tables/nasab.yaml``). A name that meets a listed person on the forefathers' words
    only is the son of a namesake: by the formula alone, SDN "AZIZ, Abdul" fell from 0.89 (above the
    default threshold) to 0.71 for this Saudi prince (a Wikidata PEP, not listed), and the explanation
    says which own name was left unmatched."""
    formula = Screener(bundled_app.screener().index, Settings.load({"calibration": False}, environ={}))
    threshold = bundled_app.settings.threshold

    def best(query: str, matched: str) -> dict[str, object]:
        m = max((m for m in formula.screen(Query(query, threshold=0.5, limit=50)) if m.matched_name == matched), key=lambda m: m.score)
        return {"score": m.score, **m.explanation["token_agreement"]}

    son = best("Khalid bin Abdulaziz", "AZIZ, Abdul")
    assert son["score"] < threshold and son["own_name_unmatched"] == "khalid" and son["nasab_factor"] == scorer.NASAB_FACTOR
    # the same in Arabic script ("bn" is "بن" romanized): UN "عبد الرحمن"
    assert best("خالد بن عبد الرحمن العيسى", "عبد الرحمن")["own_name_unmatched"] == "khld"
    # the own name met: the same name, whatever the chain ("Abdullah bin Faisal" is how SDN "FAISAL, Abdullah" reads)
    same = best("Abdullah bin Faisal", "FAISAL, Abdullah")
    assert same["score"] >= 0.95 and "own_name_unmatched" not in same
    # a particle that opens the name begins a family name: SDN "BIN LADIN, Usama"
    assert best("Usama bin Ladin", "BIN LADIN, Usama")["score"] == 1.0
    assert bundled_app.screen(Query("Usama bin Ladin"))[0].matched_name == "BIN LADIN, Usama"
    # printed surname first, the listed name's own name is the first after the comma: SDN "BIN LADIN,
    # Usama bin Muhammad bin Awad" is Usama; his father's name (a Wikidata PEP) met it at 0.85
    father = best("Mohammed bin Awad bin Laden", "BIN LADIN, Usama bin Muhammad bin Awad")
    assert father["score"] < threshold and father["own_name_unmatched"] == "usama"
    assert best("Usama bin Muhammad bin Awad bin Ladin", "BIN LADIN, Usama bin Muhammad bin Awad")["score"] == 1.0


def test_a_word_for_a_kind_of_body_makes_the_query_an_organization(bundled_app: Clearance) -> None:
    """SDN lists the Ukrainian politician "PORTNOV, Andriy" (sdn-34070) and his "CHARITABLE ORGANIZATION
    ANDRIY PORTNOV FUND" (sdn-34071, also "ANDRIY PORTNOV FUND"). "Fund" names a kind of organization
    (``generic_terms.yaml`` ``bodies``), as a legal form does: the fund comes first, and the politician
    is met with the kind conflict, not the person-name allowance (it led, at 0.97, before)."""
    results = bundled_app.screen(Query("Andriy Portnov Fund", threshold=0.6))
    assert results[0].entry.entry_id == "sdn-34071" and results[0].score == 1.0
    person = next(m for m in results if m.entry.entry_id == "sdn-34070")
    assert person.explanation["kind"] == "conflict" and person.score < 0.80
    assert "ministry" in load_tables().bodies and "bank" not in load_tables().bodies  # "Jim Banks" reads "jim bank"


def test_foreign_names_in_han_or_katakana_meet_no_company(bundled_app: Clearance) -> None:
    """Two Saudi PEPs' names as Wikidata gives them (shared/data/opensanctions sa_wiki_peps): read
    syllable by syllable, the Han one met EL "Jinan Xin Yin Bo Electronic Equipment Co., Ltd." at
    0.83, and the katakana one (Muhammad bin Salman Al Saud) EL "MSAS" by its initials at 0.81."""
    for name in ("侯赛因·卜拉欣·塔哈", "ムハンマド・ビン・サルマーン・アール＝サウード"):
        hits = bundled_app.screen(name)
        assert not [m for m in hits if m.entry.kind.value != "person"], (name, [(m.matched_name, m.score) for m in hits])
