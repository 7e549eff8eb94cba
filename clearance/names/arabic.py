"""A Latin reading of names written in Arabic script, chosen from the words the lists print.

Why: Arabic script leaves short vowels unwritten, so a transliteration gives consonants only
(anyascii: محمد -> "mhmd", صادرات -> "sdrt"), and no Latin list name shares a word with them.
Measured on the bundled lists (session 15): of 1,078 listed names in Arabic script, 34 met a Latin
name of their own entry at 0.80 (Cyrillic: 2,158 of 2,336). A query in Arabic script found an entry
only when a UN or UK entry published that Arabic spelling itself.

How: each Arabic-script word and each Latin word of the index vocabulary get the same two keys.

- ``long``: the consonants and the letters Arabic writes for long vowels (و w, ي y): محمود (Mahmud)
  "mhmwd" = Latin "mahmoud" (ou is a written و), but not "muhammad" (محمد "mhmd"), whose u is short.
- ``bare``: the consonants alone, for Latin spellings that write short vowels as long or the
  reverse ("hizb" / حزب: i written, unwritten in Arabic).

Both drop the article ال, ta marbuta / a final h, hamza and ayn (which anyascii marks ' and `, and
Latin spellings drop), fold the Latin digraphs the lists use for one Arabic letter (kh, sh, th, dh,
gh, dj, q / k, v / w) and collapse doubled letters. A word's reading is the Latin word of the
vocabulary with the same ``long`` key, else (for keys of three consonants or more) the same ``bare``
key, the one on the most list names of entries tied to Arabic-script countries first (then on the
most list names: سعود "sawad", not the Turkish name "sevda"); a word with neither keeps its consonants. The screener
searches the reading as one more variant of the query, scored like a derived name (x 0.95), so the
ordinary scorer and candidate bound judge it against the list names.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping

from anyascii import anyascii

ARABIC = re.compile(r"[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")
_ARABIC_WORD = re.compile(r"[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]+")
_MARKS = re.compile(r"[\u064b-\u065f\u0670\u0640]")  # short-vowel marks, superscript alef, tatweel
_ARTICLE = "\u0627\u0644"  # ال
# Latin spellings of one Arabic letter, folded to one symbol (order matters: longest first)
_LATIN_FOLD = (("dj", "j"), ("kh", "x"), ("sh", "$"), ("ch", "$"), ("th", "t"), ("dh", "d"), ("gh", "g"),
               ("ph", "f"), ("ck", "k"), ("q", "k"), ("c", "k"), ("v", "w"),
               ("ou", "W"), ("oo", "W"), ("uu", "W"), ("ee", "Y"), ("ii", "Y"))
_ARABIC_FOLD = (("kh", "x"), ("sh", "$"), ("ch", "$"), ("th", "t"), ("dh", "d"), ("gh", "g"), ("q", "k"), ("v", "w"))
_OPENING_VOWELS = "\u0627\u0623\u0625\u0622\u0639"  # ا أ إ آ ع: the word opens with a vowel in Latin
_ABD_AL = "\u0639\u0628\u062f\u0627\u0644"  # عبدال: Abd al-, written joined
# a name word, then الله (Allah) or الدين / الدین (al-Din) as the second half of one name
_ALLAH = "\u0627\u0644\u0644\u0647"  # الله
_COMPOUND = re.compile(r"([\u0600-\u06ff]+)\s+(\u0627\u0644\u0644\u0647|\u0627\u0644\u062f\u064a\u0646|\u0627\u0644\u062f\u06cc\u0646)(?![\u0600-\u06ff])")
MIN_BARE = 3  # a bare key of fewer consonants ("l", "sm") names too many words to choose one by


def _fold_letter(latin: str) -> str:
    """anyascii's spelling of one Arabic letter, folded as the Latin words are (kh -> x, sh -> $ ...)."""
    for a, b in _ARABIC_FOLD:
        latin = latin.replace(a, b)
    return latin


def _collapse(key: str) -> str:
    return re.sub(r"(.)\1+", r"\1", key)


def _finish(folded: str, initial_vowel: bool) -> tuple[str, str] | None:
    """(long, bare) from a folded word: w and y kept in ``long`` (and at the start of ``bare``);
    "_" first for a word that opens with a vowel (Arabic: an alef or ayn; أسامة is Usama, not Sam)."""
    if len(folded) > 2 and folded.endswith("h"):
        folded = folded[:-1]  # ta marbuta, or the h Latin writes after a final vowel (Fatimah)
    long = _collapse(folded)
    if not long:
        return None
    # w and y are long vowels but as the first letter ("Yahya", "Walid"); after an opening alef
    # they are vowels too (إيران "Iran")
    keep = 0 if initial_vowel else 1
    bare = long[:keep] + _collapse(long[keep:].replace("w", "").replace("y", ""))
    mark = "_" if initial_vowel else ""
    return mark + long, mark + bare


def latin_keys(word: str) -> tuple[str, str] | None:
    """The keys of a Latin word: its vowels dropped, but long-vowel spellings kept as w / y ("ou",
    "oo", "u" after a vowel -> w; "i", "ee", "y" -> y), a first vowel dropped (أ / ع, unwritten)."""
    if not word.isascii() or not word.isalpha() or not any(c in "aeiou" for c in word):
        return None
    w = word
    for a, b in _LATIN_FOLD:
        w = w.replace(a, b)
    initial = w[0] in "aeiouWY"
    if w[0] in "aeiou":
        w = w[1:]
    w = w.replace("i", "y").replace("W", "w").replace("Y", "y")
    return _finish("".join(c for c in w if c not in "aeou"), initial)


def arabic_keys(word: str) -> tuple[str, str] | None:
    """The keys of one word in Arabic script (anyascii's consonants and long-vowel letters)."""
    word = _MARKS.sub("", word)
    if not word:
        return None  # marks only (a stray tatweel or vowel sign)
    if word.startswith(_ARTICLE) and len(word) > 4:  # not الله
        word = word[2:]
    # letter by letter: ط + ه ("t" "h") is not ث ("th")
    w = "".join(_fold_letter(anyascii(ch).lower()) for ch in word)
    initial = word[0] in _OPENING_VOWELS
    w = "".join(c for c in w if (c.isalpha() or c == "$") and c not in "aeiou")
    return _finish(w, initial) if w else None


class ArabicReader:
    """Latin readings of Arabic-script words, from a vocabulary of Latin list words and how many
    list names use each (the index's names in Latin script), and the fixed readings of ``arabic_words.yaml``.
    ``regional``: how many list names use each word among entries tied to a country that writes
    names in Arabic script; of two words with one key, the one more used there is read first
    (then the more used overall)."""

    def __init__(self, counts: Mapping[str, int] | Iterable[tuple[str, int]], fixed: Mapping[str, str] | None = None,
                 regional: Mapping[str, int] | None = None) -> None:
        self._fixed = dict(fixed or {})
        self._phrases = sorted((k for k in self._fixed if " " in k), key=len, reverse=True)
        items = counts.items() if isinstance(counts, Mapping) else counts
        regional = regional or {}
        by_long: dict[str, tuple[int, int, str]] = {}
        by_bare: dict[str, tuple[int, int, str]] = {}
        for token, n in items:
            keys = latin_keys(token)
            if keys is None:
                continue
            rank = (regional.get(token, 0), n, token)
            for table, key in ((by_long, keys[0]), (by_bare, keys[1])):
                if key not in table or rank > table[key]:
                    table[key] = rank  # the most used spelling, regionally first (ties: the last in order)
        self._long, self._bare = by_long, by_bare

    def word(self, arabic: str, prefer_bare: bool = False) -> str | None:
        """The Latin reading of one Arabic-script word, or None when no list word has its keys:
        the most used list word with the same ``long`` key, else the same ``bare`` key (of
        :data:`MIN_BARE` letters or more); ``prefer_bare``: the most used with the same ``bare``
        key first (the second reading, for Latin spellings that write a short vowel: حزب "hizb")."""
        if (fixed := self._fixed.get(unicodedata.normalize("NFKC", _MARKS.sub("", arabic)))) is not None:
            return fixed
        keys = arabic_keys(arabic)
        if keys is None:
            return None
        long, bare = keys
        if prefer_bare and bare in self._bare and not set(long[1:]) & {"w", "y"}:
            # no long vowel written: the Latin spelling may write any (حزب "hizb")
            return self._bare[bare][2]
        if long in self._long:
            return self._long[long][2]
        if len(bare) >= MIN_BARE and bare in self._bare:
            return self._bare[bare][2]
        if arabic.startswith(_ABD_AL) and len(arabic) > len(_ABD_AL) + 1:
            # Abd al-X written as one word (عبداللطیف) with no list word of its keys: "abdul" and X,
            # which the Abd al- table (theophoric.yaml) then joins as it joins the Latin spellings
            rest = self.word(arabic[len(_ABD_AL):], prefer_bare)
            return f"{self._fixed.get(_ABD_AL[:3], 'abdul')} {rest}" if rest else None
        return None

    def _compounds(self, text: str, din: bool) -> str:
        """A word followed by الله (or, with ``din``, الدين), read as the one word the lists print
        (Hamidullah, Shamsuddin) when the vocabulary has it; the article's l is silent before d
        (Shams ud-Din). The lists join -ullah names 14 times in 15 (1,132 of 1,214 words on the
        bundled lists) but al-Din ones only about half the time (Saif-al-Din / Saifuddin), so
        :meth:`readings` reads al-Din both ways."""
        def sub(m: re.Match[str]) -> str:
            first, second = m.group(1), m.group(2)
            if second != _ALLAH and not din:
                return m.group(0)
            reading = self.word(first + (_ALLAH if second == _ALLAH else second[2:]))
            return f" {reading} " if reading is not None else m.group(0)
        return _COMPOUND.sub(sub, text)

    def readings(self, text: str) -> list[str]:
        """``text`` with each Arabic-script word replaced by its reading (kept when it has none):
        long keys first, then bare keys first; with an al-Din name, each with it joined and apart
        (:meth:`_compounds`); none when no word has a reading."""
        out: list[str] = []
        text = unicodedata.normalize("NFKC", _MARKS.sub("", text))
        phrases = [p for p in self._phrases if p in text]
        for phrase in phrases:  # fixed readings of several words first
            text = text.replace(phrase, f" {self._fixed[phrase]} ")
        texts = dict.fromkeys(self._compounds(text, din) for din in (True, False))
        for text_, prefer_bare in ((t, b) for t in texts for b in (False, True)):
            found = bool(phrases) or text_ != text

            def sub(m: re.Match[str], prefer_bare: bool = prefer_bare) -> str:
                nonlocal found
                reading = self.word(m.group(0), prefer_bare)
                if reading is None:
                    return m.group(0)
                found = True
                return reading

            reading = " ".join(_ARABIC_WORD.sub(sub, text_).split())
            if found and reading not in out:
                out.append(reading)
        return out
