"""A consonant skeleton of romanized name words, for transliteration variants.

Why: Arabic, Persian and Russian names reach the lists through several romanizations
(Mohammed / Mohamad / Muhammad, Qasim / Kassem, Hussein / Husayn, Rida / Reda, Yevgeny /
Evgeniy). Those pairs are often more than two edits apart, so edit distance misses them, while
their consonants agree. The skeleton folds the usual romanization alternations -- digraphs
(kh, gh, ph, th, dh, sh), q/k/c, z/s, w/v, dj/j -- drops vowels after the first letter (Arabic
script writes short vowels rarely; romanizers guess them), folds a leading vowel to ``a``
(Omar / Umar, Osama / Usama) and collapses doubled letters. It is a simplified, name-oriented
relative of Metaphone (Lawrence Philips, 1990) in the spirit of the transliteration tables of
the OFAC FAQ on name variants. Two tokens with the same skeleton are scored as a "phonetic"
pair (similarity 0.85, less where the vowels disagree too: :func:`phonetic_similarity`), weaker
than an exact match.
"""

from __future__ import annotations

import re
from functools import lru_cache

from rapidfuzz.distance import OSA

_DIGRAPHS = (("sch", "s"), ("dj", "j"), ("kh", "h"), ("gh", "g"), ("ph", "f"), ("th", "t"), ("dh", "d"),
             ("sh", "s"), ("ck", "k"), ("q", "k"), ("c", "k"), ("x", "ks"), ("z", "s"), ("w", "v"))
_VOWELS = frozenset("aeiouy")
MIN_LEN = 4
PHONETIC_SIMILARITY = 0.85


def _fold_digraphs(token: str) -> str:
    """The usual romanization alternations folded to one letter (kh -> h, q -> k, w -> v ...)."""
    for a, b in _DIGRAPHS:
        token = token.replace(a, b)
    return token


@lru_cache(maxsize=200_000)
def skeleton(token: str) -> str | None:
    """The consonant skeleton of a name token, or None for short tokens and numbers."""
    if len(token) < MIN_LEN or not token.isalpha():
        return None
    t = _fold_digraphs(token)
    first = "a" if t[0] in _VOWELS else t[0]
    out = [first]
    for ch in t[1:]:
        if ch in _VOWELS or ch == out[-1]:
            continue
        out.append(ch)
    key = "".join(out)
    return key if len(key) >= 3 else None


FULL_CREDIT_DISTANCE = 0.4  # a phonetic pair at most this far apart (edits per letter, folded) is fully credited
_WRITTEN_VOWELS = frozenset("aeiou")


@lru_cache(maxsize=200_000)
def _folded(token: str) -> str:
    """The token with the skeleton's digraphs folded and doubled letters collapsed, vowels kept:
    what is left of the spelling once romanization habits are set aside (Aameen -> amen,
    Maleeq -> malek, Squibb -> skuib)."""
    return re.sub(r"(.)\1+", r"\1", _fold_digraphs(token))


def phonetic_similarity(x: str, y: str) -> float:
    """The similarity of a phonetic pair (same consonant skeleton): :data:`PHONETIC_SIMILARITY`,
    less 0.1 per 0.1 of distance beyond :data:`FULL_CREDIT_DISTANCE` between the folded spellings
    (OSA edits per letter of the longer).

    Why: equal consonants are strong evidence only while the vowels roughly agree too. Measured on
    the bundled lists (session 16): of the 7,390 phonetic pairs inside single entries (one name's
    romanizations: Husayn / Hussein, Basir / Baseer), 93 % are at most 0.4 apart once folded; of the
    72,000 phonetic pairs among all list words, half are further apart, and those are mostly
    different names (Squibb / Sakabuya, Myers / Morris, Sibir / Zubayr). A word written with no
    vowel at all (Mhmd, Hsyn: consonant-only romanizations of Arabic script) keeps full credit: its
    distance says nothing about its vowels."""
    if not (_WRITTEN_VOWELS.intersection(x) and _WRITTEN_VOWELS.intersection(y)):
        return PHONETIC_SIMILARITY
    fx, fy = _folded(x), _folded(y)
    ratio = OSA.distance(fx, fy) / max(len(fx), len(fy))
    return PHONETIC_SIMILARITY if ratio <= FULL_CREDIT_DISTANCE else max(0.0, PHONETIC_SIMILARITY - (ratio - FULL_CREDIT_DISTANCE))


@lru_cache(maxsize=200_000)
def skeletons(token: str) -> tuple[str, ...]:
    """Every consonant skeleton of a token: :func:`skeleton`, and for a token with ``gh`` also
    the skeleton with ``gh`` read as ``q``. Persian romanization writes one letter (ق / غ, merged
    in Persian speech) both ways -- Sadegh / Sadeq, Bagheri / Baqeri, Abolghasem / Abolqasem,
    Asghar / Asqar: 133 such pairs inside single entries of the bundled lists -- while Arabic
    names keep ``gh`` ~ ``g`` (Ghaffur / Gafur, Maghribi / Magrabi: 68 pairs), so neither
    reading can replace the other. Two tokens are a phonetic pair when their skeletons meet."""
    first = skeleton(token)
    keys = [first] if first is not None else []
    if "gh" in token and (alt := skeleton(token.replace("gh", "q"))) is not None and alt != first:
        keys.append(alt)
    return tuple(keys)


def vowel_variant(x: str, y: str) -> bool:
    """Same length (5+ letters), differing only where both have a vowel: Yahia / Yehia, Belal /
    Bilal, Ehsan / Ihsan, Haaji / Haaje. Arabic script leaves short vowels unwritten, so these are
    romanizations of one name; the skeleton misses them when fewer than three consonants remain."""
    if len(x) != len(y) or len(x) < 5 or not x.isalpha() or not y.isalpha():
        return False
    diff = [(a, b) for a, b in zip(x, y, strict=True) if a != b]
    return 0 < len(diff) <= 2 and all(a in _VOWELS and b in _VOWELS for a, b in diff)


def vowel_key(token: str) -> str | None:
    """The token with every vowel masked, for 5+ letter words: two tokens are a :func:`vowel_variant`
    pair only if their keys are equal (the index looks them up by it)."""
    if len(token) < 5 or not token.isalpha():
        return None
    return "".join("*" if ch in _VOWELS else ch for ch in token)


# Romanization alternations of the same letters (BGN/PCGN vs ISO vs French/German-style vs
# Arabic-to-English habits), folded to one spelling. Unlike the skeleton it keeps the vowels, so
# it only identifies spellings of the *same* sounds: Yevgeny / Evgeniy, Alexey / Aleksey,
# Vasilievich / Vasilyevich / Vasilevich, Yuriy / Yuri, Viktoriya / Victoria, Massoud / Masoud,
# Kossiyev / Kossiev ("ii" folds before "ie", so "iyev" and "iev" meet), and the German and French
# romanizations of Slavic names: Janukovich / Yanukovych, Jakovlevitch / Yakovlevich, Aleksej / Aleksey,
# and the Arabic letters written with or without "h" (ث th / t, ذ dh / d): Thurab / Turab, Bounouadher /
# Bounouader, Uthman / Utman.
_TRANSLIT = (("dzh", "j"), ("tch", "ch"), ("dh", "d"), ("th", "t"), ("kh", "k"), ("ph", "f"), ("ck", "k"), ("x", "ks"), ("q", "k"), ("w", "v"),
             ("ou", "u"), ("oo", "u"), ("j", "y"), ("y", "i"), ("ii", "i"), ("ie", "e"))
TRANSLIT_SIMILARITY = 0.95


@lru_cache(maxsize=200_000)
def translit_key(token: str) -> str | None:
    """The spelling-folded form of a name token, or None for short tokens and numbers.

    ``c`` becomes ``k`` except in ``ch``; doubled letters collapse; a final ``h`` after a vowel
    (Tawtah / Tawta, Hamzah / Hamza) is dropped. Two tokens with the same key are scored as a
    "translit" pair (:data:`TRANSLIT_SIMILARITY`), stronger than a typo or a shared skeleton.
    """
    if len(token) < MIN_LEN or not token.isalpha():
        return None
    t = token
    for a, b in _TRANSLIT:
        t = t.replace(a, b)
    t = "".join("k" if ch == "c" and t[i + 1 : i + 2] != "h" else ch for i, ch in enumerate(t))
    out = [t[0]]
    for ch in t[1:]:
        if ch != out[-1]:
            out.append(ch)
    if len(out) > 3 and out[-1] == "h" and out[-2] in _VOWELS:
        out.pop()
    return "".join(out)


# Korean names reach the lists in McCune-Reischauer (Kim Chong-chol, P'il-hun, Kang-chin, Sin,
# Kyong) and in Revised Romanization or its habits (Kim Jong-chol, Pil-hoon, Kang-jin, Shin,
# Gyeong): one syllable, several spellings that are too short for edit distance. A token shaped
# like one romanized Korean syllable gets a key that folds the two systems' differences:
# voiced / unvoiced initials (ch/j, k/g, t/d, p/b), sh/s, and the vowels eo/o, eu/u (McCune-Reischauer's
# ŏ and ŭ lose their breve: Jong-un / Jeong-eun, Kum / Geum), oo/u.
_KOREAN_SYLLABLE = re.compile(
    r"(?:kk|tt|pp|ss|jj|ch|sh|k|g|n|d|t|r|m|b|p|s|j|h)?"
    r"(?:yae|yeo|wae|ae|ya|eo|ye|wa|oe|yo|wo|we|wi|yu|eu|ui|oo|a|e|i|o|u)"
    r"(?:ng|k|n|t|l|m|p)?")
_KOREAN_FOLD = (("ch", "j"), ("sh", "s"), ("k", "g"), ("t", "d"), ("p", "b"), ("eo", "o"), ("eu", "u"), ("oo", "u"))
ROMANIZATION_SIMILARITY = PHONETIC_SIMILARITY


@lru_cache(maxsize=100_000)
def korean_key(token: str) -> str | None:
    """The romanization-folded key of a token shaped like one Korean syllable, else None.

    KWAK Jong-chol / Chong-chol, KIM Kang Jin / Kang-chin, SHIN / SIN Yong Il, Pil Hoon / P'il-Hun
    (the apostrophe is gone after normalization). Tokens of 2-6 letters only.
    """
    if not 2 <= len(token) <= 6 or _KOREAN_SYLLABLE.fullmatch(token) is None:
        return None
    t = token
    for a, b in _KOREAN_FOLD:
        t = t.replace(a, b)
    return t
