"""Scripts and transliteration: every script on the lists becomes lower-case ASCII.

Why these libraries (docs/matching.md has the long form):

- Han goes through :mod:`pypinyin` (Mandarin readings, MIT licence) because the lists romanize
  Chinese names in Hanyu Pinyin ("Huawei", "Guangzhou Haige"). Traditional characters are first
  converted to Simplified (:mod:`opencc`, OpenCC's phrase tables, Apache licence): pypinyin reads
  a character's reading from its phrase in Simplified script, and alone it reads 重慶 "zhong qing"
  and 長安 "zhang an" (Chongqing, Chang'an). Business terms are then replaced
  by the English the lists print (``chinese_terms.yaml``) so 华为技术有限公司 meets
  "Huawei Technologies Co., Ltd.". Pinyin syllables are then re-joined into words the lists
  actually use (``hua wei`` -> ``huawei``) by longest match against the index vocabulary.
- Every other script (Cyrillic, Arabic, Persian, Greek, Hangul, Hebrew, Devanagari, accented
  Latin ...) goes through :mod:`anyascii` (ISC licence), a table-driven transliterator with
  no native dependencies and near-complete Unicode coverage. Its Cyrillic and Arabic output is
  close to the BGN/PCGN-like romanizations OFAC and the UN publish; remaining spelling drift
  (Aleksandr / Alexander) is left to the scorer's edit similarity.

Scripts are named with ISO 15924 codes (Hani, Cyrl, Arab, Grek, Hang, Hebr ...) in explanations.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Container
from functools import lru_cache

from anyascii import anyascii

from clearance.names.tables import load_tables

HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
HANGUL_RUN = re.compile(r"[\uac00-\ud7a3]+")  # precomposed Hangul syllables (NFKC composes jamo sequences)
# a foreign name transcribed in Han, its names parted by a middle dot (NFKC leaves U+00B7 and U+30FB):
# 弗拉基米尔·普京 (Fu-la-ji-mi-er Pu-jing, Vladimir Putin)
_HAN = HAN_RUN.pattern[:-1]
TRANSCRIBED = re.compile(rf"{_HAN}+(?:\s*[\u00b7\u30fb\u2027]\s*{_HAN}+)+")
_NAME_DOT = re.compile(r"\s*[\u00b7\u30fb\u2027]\s*")

# first word of the Unicode character name -> ISO 15924 code
_SCRIPT_CODES = {
    "CJK": "Hani", "CYRILLIC": "Cyrl", "ARABIC": "Arab", "GREEK": "Grek", "HANGUL": "Hang",
    "HEBREW": "Hebr", "DEVANAGARI": "Deva", "THAI": "Thai", "GEORGIAN": "Geor", "ARMENIAN": "Armn",
    "HIRAGANA": "Hira", "KATAKANA": "Kana", "BENGALI": "Beng", "ETHIOPIC": "Ethi", "SYRIAC": "Syrc",
    "PERSIAN": "Arab", "URDU": "Arab", "MONGOLIAN": "Mong", "TIBETAN": "Tibt", "KHMER": "Khmr",
}


def detect_scripts(text: str) -> frozenset[str]:
    """ISO 15924 codes of the non-Latin scripts among the letters of ``text`` (empty for ASCII)."""
    if text.isascii():
        return frozenset()
    found = set()
    for ch in text:
        if ord(ch) < 0x250 or not ch.isalpha():
            continue
        word = unicodedata.name(ch, "UNKNOWN").split(" ", 1)[0]
        found.add(_SCRIPT_CODES.get(word, "Latn" if word == "LATIN" else word.title()[:4]))
    found.discard("Latn")
    return frozenset(found)


@lru_cache(maxsize=1)
def _simplifier() -> Callable[[str], str]:
    from opencc import OpenCC  # loads its dictionaries on first use

    return OpenCC("t2s").convert  # type: ignore[no-any-return]


def simplified(run: str) -> str:
    """A run of Han characters in Simplified script (OpenCC ``t2s``: phrases first, then characters).
    Hong Kong and Taiwan write Traditional: 重慶 / 重庆 Chongqing, 銀行 / 银行 bank."""
    return _simplifier()(run)


def _pinyin(text: str) -> list[str]:
    from pypinyin import Style, lazy_pinyin  # imported lazily: ~0.3 s of dictionary loading

    return [s for s in lazy_pinyin(text, style=Style.NORMAL, errors="ignore") if s]


def join_syllables(syllables: list[str], vocab: Container[str] | None,
                   spellings: Callable[[str], tuple[str, ...]] = lambda w: (w,)) -> list[str]:
    """Re-join romanized syllables into words the lists use, longest match first (4 syllables max).

    Syllables that form no known word stay separate, so personal names ("wang wei") are kept
    as the lists print them ("WANG Wei"). ``spellings`` gives the forms a joined word may take
    on the lists (Korean: Revised Romanization and McCune-Reischauer, :func:`korean_spellings`).
    """
    if vocab is None:
        return syllables
    out: list[str] = []
    i = 0
    while i < len(syllables):
        for j in range(min(len(syllables), i + 4), i + 1, -1):
            word = next((w for w in spellings("".join(syllables[i:j])) if w in vocab), None)
            if word is not None:
                out.append(word)
                i = j
                break
        else:
            out.append(syllables[i])
            i += 1
    return out


def _terms_then_syllables(run: str, terms: dict[str, str], omitted: frozenset[str],
                          syllables: Callable[[str], list[str]], join: Callable[[list[str]], list[str]],
                          used: set[str], names: tuple[str, str]) -> str:
    """The business terms of ``run`` (longest match first) -> their English, the text between them
    -> romanized ``syllables`` re-joined by ``join``, space-separated. ``names``: the explanation's
    names of the term table and the romanization."""
    longest = max(len(k) for k in terms)
    parts: list[str] = []
    pending = ""
    i = 0

    def flush() -> None:
        nonlocal pending
        if pending:
            parts.extend(join(syllables(pending)))
            used.add(names[1])
            pending = ""

    while i < len(run):
        if run[i] in omitted:
            flush()  # a word boundary the lists do not print: 深圳市 is "Shenzhen"
            i += 1
            continue
        for size in range(min(longest, len(run) - i), 0, -1):
            english = terms.get(run[i : i + size])
            if english is not None:
                flush()
                parts.append(english)
                used.add(names[0])
                i += size
                break
        else:
            pending += run[i]
            i += 1
    flush()
    return " " + " ".join(parts) + " "


def transliterate_han(run: str, vocab: Container[str] | None, used: set[str]) -> str:
    """One run of Han characters -> English business terms + pinyin words, space-separated."""
    tables = load_tables()
    if (simple := simplified(run)) != run:
        used.add("traditional_to_simplified")
        run = simple
    return _terms_then_syllables(run, tables.chinese_terms, tables.chinese_omitted, _pinyin,
                                 lambda syl: join_syllables(syl, vocab), used, ("chinese_terms", "pinyin"))


# a Korean syllable's final consonant as Revised Romanization writes it at the end of a word
# (anyascii writes the letter's initial value: 업 "eob", 역 "yeog"; RR "eop", "yeok")
_HANGUL_FINAL = re.compile(r"(?<=[aeiouwy])(kk|ch|ss|g|b|d|s|j|t|h)$")
_FINAL_SOUND = {"kk": "k", "g": "k", "b": "p", "d": "t", "s": "t", "ss": "t", "j": "t", "ch": "t", "t": "t", "h": "t"}


def hangul_syllables(run: str) -> list[str]:
    """One romanized syllable per Hangul syllable, in Revised Romanization (anyascii, then the
    final consonant as pronounced, and ㄹ read "r" at the start, as the DPRK's names print it:
    리 Ri, 련 Ryon, 룡 Ryong). :func:`clearance.names.phonetic.korean_key` folds the rest of the
    McCune-Reischauer spellings the lists use (Kim / Gim, Jong / Jeong, Chol / Cheol, Un / Eun)."""
    out = []
    for ch in run:
        syl = anyascii(ch).lower()
        if syl.startswith("l"):
            syl = "r" + syl[1:]
        out.append(_HANGUL_FINAL.sub(lambda m: _FINAL_SOUND[m.group(1)], syl))
    return out


def korean_spellings(word: str) -> tuple[str, ...]:
    """A joined Korean word in Revised Romanization and with McCune-Reischauer's vowels (eo / o,
    eu / u): 련봉 "ryeonbong" is printed RYONBONG."""
    mr = word.replace("eo", "o").replace("eu", "u")
    return (word, mr) if mr != word else (word,)


def transliterate_hangul(run: str, vocab: Container[str] | None, used: set[str]) -> str:
    """One run of Hangul syllables -> English business terms + romanized syllables, re-joined
    into list words where they form one (대동 -> "daedong")."""
    return _terms_then_syllables(run, load_tables().korean_terms, frozenset(), hangul_syllables,
                                 lambda syl: join_syllables(syl, vocab, korean_spellings), used,
                                 ("korean_terms", "hangul"))


def transcribed_name(text: str, used: set[str]) -> str:
    """A foreign name transcribed in Han characters, one word per name: 侯赛因·卜拉欣·塔哈 (Husayn
    Ibrahim Taha) -> "housaiyin bulaxin taha". Its characters stand for sounds, not words: read as
    business terms and re-joined into list words, they made "hou sai yin bo la xin ta ha" and met
    EL "Jinan Xin Yin Bo Electronic Equipment" at 0.83, and 奥 (ao) became the legal form JSC."""
    used.add("pinyin")
    return " " + " ".join("".join(_pinyin(simplified(part))) for part in _NAME_DOT.split(text)) + " "


def to_ascii(text: str, vocab: Container[str] | None = None, used: set[str] | None = None) -> str:
    """Transliterate ``text`` (already NFKC) to ASCII; record the tables used in ``used``."""
    if text.isascii():
        return text
    used = used if used is not None else set()
    if HAN_RUN.search(text):
        text = TRANSCRIBED.sub(lambda m: transcribed_name(m.group(0), used), text)
        text = HAN_RUN.sub(lambda m: transliterate_han(m.group(0), vocab, used), text)
    if HANGUL_RUN.search(text):
        text = HANGUL_RUN.sub(lambda m: transliterate_hangul(m.group(0), vocab, used), text)
    if not text.isascii():
        used.add("anyascii")
        text = anyascii(text)
    return text


Segmenter = Callable[[list[str]], list[str]]
