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
pair (similarity 0.85), weaker than an exact match.
"""

from __future__ import annotations

from functools import lru_cache

_DIGRAPHS = (("sch", "s"), ("dj", "j"), ("kh", "h"), ("gh", "g"), ("ph", "f"), ("th", "t"), ("dh", "d"),
             ("sh", "s"), ("ck", "k"), ("q", "k"), ("c", "k"), ("x", "ks"), ("z", "s"), ("w", "v"))
_VOWELS = frozenset("aeiouy")
MIN_LEN = 4
PHONETIC_SIMILARITY = 0.85


@lru_cache(maxsize=200_000)
def skeleton(token: str) -> str | None:
    """The consonant skeleton of a name token, or None for short tokens and numbers."""
    if len(token) < MIN_LEN or not token.isalpha():
        return None
    t = token
    for a, b in _DIGRAPHS:
        t = t.replace(a, b)
    first = "a" if t[0] in _VOWELS else t[0]
    out = [first]
    for ch in t[1:]:
        if ch in _VOWELS or ch == out[-1]:
            continue
        out.append(ch)
    key = "".join(out)
    return key if len(key) >= 3 else None
