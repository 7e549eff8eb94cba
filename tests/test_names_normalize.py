"""Name normalization and transliteration (clearance.names), on names from the real lists."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clearance.names import acronyms, detect_scripts, load_tables, normalize_name, split_variants


@pytest.mark.parametrize(
    ("raw", "tokens"),
    [
        ("Huawei Technologies Co., Ltd.", ("huawei", "technology", "co", "ltd")),
        ("Beijing Intl Elec Mfg Co", ("beijing", "international", "electronics", "manufacturing", "co")),
        ("Semiconductor Mfg International Corp.", ("semiconductor", "manufacturing", "international", "corp")),
        ("OOO Газпром", ("llc", "gazprom")),
        ("AL-QAIDA", ("al", "qaida")),
        ("Xi'an Aero-Engine", ("xian", "aeronautical", "engine")),
        ("ＨＵＡＷＥＩ", ("huawei",)),  # full-width forms fold under NFKC
        ("Huawei\x00 Tech\u200b Co", ("huawei", "technology", "co")),  # control / zero-width characters
        ("S.A.R.L. Foo", ("sarl", "foo")),
        ("Sociedad Anonima Foo", ("sa", "foo")),
    ],
)
def test_normalize_examples(raw: str, tokens: tuple[str, ...]) -> None:
    assert normalize_name(raw).tokens == tokens


def test_han_meets_the_english_list_name() -> None:
    norm = normalize_name("华为技术有限公司", vocab={"huawei"})
    assert norm.tokens == normalize_name("Huawei Technologies Co., Ltd.").tokens
    assert norm.scripts == {"Hani"}
    assert {"chinese_terms", "pinyin"} <= norm.tables


def test_pinyin_syllables_stay_apart_without_a_known_word() -> None:
    assert normalize_name("王伟", vocab={"huawei"}).tokens == ("wang", "wei")


def test_scripts_detected() -> None:
    assert detect_scripts("Газпром") == {"Cyrl"}
    assert detect_scripts("محمد") == {"Arab"}
    assert detect_scripts("Ελληνική") == {"Grek"}
    assert detect_scripts("삼성") == {"Hang"}
    assert detect_scripts("Müller") == frozenset()
    assert detect_scripts("Huawei 华为") == {"Hani"}


def test_variants_keep_short_names_not_places() -> None:
    smic = dict((h, t) for t, h in split_variants("Semiconductor Manufacturing International Corporation (SMIC)"))
    assert smic["parenthetical"] == "SMIC"
    assert smic["without parenthetical"] == "Semiconductor Manufacturing International Corporation"
    uk = split_variants("Huawei Technologies (UK) Co., Ltd.")
    assert [h for _, h in uk] == ["published"]


def test_affiliate_rows_index_the_affiliate() -> None:
    text = "Huawei Technologies Co., Ltd. (Huawei).  Affiliated Entity:  Huawei Marine Networks Co., Ltd."
    variants = split_variants(text)
    assert ("Huawei Marine Networks Co., Ltd", "affiliate") in variants


def test_acronyms() -> None:
    assert "smic" in acronyms(normalize_name("Semiconductor Manufacturing International Corporation").tokens)
    assert acronyms(("huawei", "technology")) == set()


def test_tables_are_consistent() -> None:
    t = load_tables()
    assert t.org_types["ooo"] == "llc"
    assert t.chinese_terms["有限公司"] == "co ltd"
    assert "technology" in t.generic and "al" in t.stopwords and "beijing" in t.places
    # every canonical abbreviation target that is generic is spelled as in generic_terms
    assert t.abbreviations["tech"] in t.generic


@settings(derandomize=True, max_examples=300, deadline=None)
@given(st.text(max_size=60))
def test_normalization_is_idempotent(raw: str) -> None:
    once = normalize_name(raw)
    assert normalize_name(once.text).tokens == once.tokens


@settings(derandomize=True, max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from("華为技术有限公司海格ЖжДдΑαabc -'.&"), max_size=30))
def test_normalized_tokens_are_ascii_alnum(raw: str) -> None:
    for token in normalize_name(raw).tokens:
        assert token.isascii() and token.isalnum() and token == token.lower()
