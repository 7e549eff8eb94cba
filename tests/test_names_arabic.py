"""Arabic script read in the Latin spellings the lists use (clearance/names/arabic.py).

Arabic leaves short vowels unwritten, so a transliteration gives consonants only ("mhmd"), which
meet no Latin list name. These tests pin the keys both scripts share and the readings chosen from
a vocabulary, and (with the bundled lists) that Arabic-script queries find their Latin entries.
"""

from __future__ import annotations

from clearance.app import Clearance
from clearance.names import load_tables
from clearance.names.arabic import ArabicReader, arabic_keys, latin_keys


def test_keys_agree_across_scripts_on_written_long_vowels() -> None:
    # محمود (Mahmud) writes its long u; محمد (Muhammad) writes none: two names, two long keys
    assert arabic_keys("محمود") == latin_keys("mahmoud")
    assert arabic_keys("محمد") == latin_keys("mohammed")
    assert arabic_keys("محمود")[0] != arabic_keys("محمد")[0]  # type: ignore[index]
    # an opening alef or ayn is a vowel Latin writes: أسامة is Usama, not Sam
    assert arabic_keys("أسامة") == latin_keys("usama") != latin_keys("sam")
    assert arabic_keys("عمر") == latin_keys("omar")
    # the article, ta marbuta and the Latin digraphs for one letter (sh, kh, dh)
    assert arabic_keys("الأسد") == latin_keys("assad")
    assert arabic_keys("بشار") == latin_keys("bashar")
    assert arabic_keys("خالد")[1] == latin_keys("khalid")[1]  # type: ignore[index]


def test_marks_alone_have_no_keys() -> None:
    """A stray tatweel or vowel sign is an Arabic-script "word" of nothing to read, not an error."""
    assert arabic_keys("\u0640") is None and arabic_keys("\u064e") is None
    assert ArabicReader({"ali": 3}).readings("علي \u0640") == ["ali"]  # marks are dropped before reading


def test_reader_chooses_the_most_used_list_spelling() -> None:
    counts = {"mohammed": 40, "muhammad": 90, "mahmoud": 12, "ibrahim": 30, "hizb": 5, "hazab": 1, "allah": 9, "al": 500}
    reader = ArabicReader(counts, load_tables().arabic_words)
    assert reader.readings("محمود إبراهيم")[0] == "mahmoud ibrahim"  # the long key first
    assert reader.word("محمد") == "muhammad"
    # حزب writes no vowel: the second reading takes the most used word with its consonants
    assert reader.readings("حزب الله") == ["hazab allah", "hizb allah"]
    assert reader.readings("عبد الله") == ["abdullah"]  # one name, from arabic_words.yaml
    assert reader.readings("Huawei") == []  # nothing to read


def test_reader_prefers_the_spelling_of_entries_from_arabic_script_countries() -> None:
    """Of two list words with one key, the one used by entries tied to a country that writes
    Arabic script is read: on the bundled lists سعود (Saud) shares its long key with "sevda", a
    Turkish name on two list names, and "sawad", on one name of an entry tied to an Arab country."""
    counts = {"sevda": 2, "sawad": 1}
    assert ArabicReader(counts).word("سعود") == "sevda"
    assert ArabicReader(counts, regional={"sawad": 1}).word("سعود") == "sawad"
    assert "SA" in load_tables().arabic_countries and "RU" not in load_tables().arabic_countries


def test_arabic_script_queries_find_latin_list_entries(bundled_app: Clearance) -> None:
    """Before session 15 these found nothing, or only a UN / UK entry publishing the same Arabic
    spelling: Bank Saderat Iran (SDN), Usama bin Ladin (SDN), Bashar al-Assad (SDN)."""
    for query, entry in (("بنك صادرات إيران", "sdn-10368"), ("أسامة بن لادن", "sdn-6365"), ("بشار الأسد", "sdn-12735")):
        top = bundled_app.screen(query)[0]
        assert top.entry.entry_id == entry and top.score >= 0.9, (query, top.entry.name, top.score)
        assert top.explanation["query_variant"]["how"] == "arabic_reading"
    assert "sdn-4697" in {m.entry.entry_id for m in bundled_app.screen("حزب الله")}  # HIZBALLAH


def test_a_reading_is_judged_as_the_latin_name_would_be(bundled_app: Clearance) -> None:
    """The person model of the grey band learned to distrust derived query variants (the parts of
    "X (a.k.a. Y)"); a Latin reading is the query itself, already scored x 0.95. Until session 16
    the model read it as derived and cut "عمر محمود عثمان" against SDN "UTHMAN, Omar Mahmoud"
    (sdn-7591's UN / UK copies aside) from 0.85 to 0.71."""
    from clearance.index.types import Query

    tops = bundled_app.screen(Query("عمر محمود عثمان", threshold=0.0, limit=20))
    sdn = next(m for m in tops if m.matched_name == "UTHMAN, Omar Mahmoud")
    assert sdn.explanation["query_variant"]["how"] == "arabic_reading"
    assert sdn.score >= 0.80, sdn.explanation.get("calibration")


def test_names_of_two_words_read_as_the_one_word_the_lists_print() -> None:
    """X + الله is one name the lists write joined (Hamidullah); X + الدين is written both ways
    (Shamsuddin, Saif-al-Din), so both are read; Abd al-X written as one Arabic word is split
    when the lists have no joined spelling of it."""
    counts = {"hamidullah": 3, "hamid": 9, "allah": 2, "shamsuddin": 2, "shams": 4, "din": 6, "latif": 3, "kawari": 2}
    reader = ArabicReader(counts, load_tables().arabic_words)
    assert reader.readings("حميد الله") == ["hamidullah"]
    assert reader.readings("شمس الدين") == ["shamsuddin", "shams din"]
    assert reader.readings("عبداللطيف الكواري") == ["abdul latif kawari"]
    assert reader.readings("عبد الله") == ["abdullah"]  # the fixed phrase still comes first


def test_compound_readings_find_their_entries(bundled_app: Clearance) -> None:
    """The UN and UK lists print "حمید الله آخوند" in Persian letters; written with Arabic yeh
    and alef it is no listed string, and before session 16 it read "hamid allah akhund"."""
    from clearance.index.types import Query

    top = bundled_app.screen(Query("حميد الله أخوند", threshold=0.5))[0]
    assert top.entry.entry_id in {"un-TAi.118", "uk-7159"} and top.score >= 0.9, top
    assert top.explanation["query_variant"] == {"how": "arabic_reading", "name": "hamidullah akhund"}
    top = bundled_app.screen(Query("عبداللطيف الكواري", threshold=0.5))[0]
    assert top.matched_name.endswith("Kawari") or "KAWARI" in top.matched_name, top
    assert top.score >= 0.9


def test_the_reader_reads_latin_spellings_only(bundled_app: Clearance) -> None:
    """The index also holds anyascii's consonants of the lists' Arabic-script names ("akhwnd");
    they are no spelling to read a query in."""
    reader = bundled_app.screener().arabic_reader()
    assert reader.word("آخوند") == "akhund"
    assert reader.word("محمد") in {"muhammad", "mohammed", "mohammad", "mohamed"}
