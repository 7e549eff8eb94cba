"""Name normalization: one function from any raw name to comparable ASCII tokens.

Steps, in order (each is a documented, testable rule; docs/matching.md):

1. Unicode NFKC (full-width and compatibility forms folded) and removal of control / format
   characters (they arrive from pasted spreadsheets and would otherwise glue tokens together).
2. Transliteration of every non-Latin script (:mod:`clearance.names.script`).
3. Case folding, apostrophes dropped (``Xi'an`` -> ``xian``, ``Int'l`` -> ``intl``), ``&`` -> ``and``,
   every other non-alphanumeric character is a token boundary (hyphens included: ``al-Qaida``
   -> ``al qaida``; the scorer re-joins split tokens).
4. Longest-match replacement of multi-word legal forms and abbreviations by their canonical
   token (``sociedad anonima`` -> ``sa``, ``Co., Ltd.`` -> ``co ltd``, ``Intl`` -> ``international``).

The result is idempotent: normalizing the joined tokens again gives the same tokens (a
hypothesis test pins this). Normalization never raises; input validation is the screener's job.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Container
from dataclasses import dataclass
from functools import cache, lru_cache

from clearance.names.script import detect_scripts, to_ascii
from clearance.names.tables import load_tables

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]")
_APOSTROPHE = re.compile(r"(?<=\w)['\u2019\u2018`\u02bc](?=\w)")
_SPLIT = re.compile(r"[^a-z0-9]+")
# "101ST LIGHT INFANTRY DIVISION" is the UK's "101 LIGHT INFANTRY DIVISION"; "27TH NTS", "33RD ..."
_ORDINAL = re.compile(r"^(\d+)(?:st|nd|rd|th)$")
MAX_PHRASE = 5


@dataclass(frozen=True, slots=True)
class NormalizedName:
    tokens: tuple[str, ...]
    scripts: frozenset[str]  # ISO 15924 codes of the non-Latin scripts that were transliterated
    tables: frozenset[str]  # tables and transliterators applied (for explanations)

    @property
    def text(self) -> str:
        return " ".join(self.tokens)


@cache
def _phrase_table() -> dict[tuple[str, ...], tuple[tuple[str, ...], str]]:
    """Multi- and single-token phrases -> (canonical tokens, table name)."""
    t = load_tables()
    table: dict[tuple[str, ...], tuple[tuple[str, ...], str]] = {}
    for key, value in t.abbreviations.items():
        table[tuple(_SPLIT.split(key.replace("'", ""))) if key != "&" else ("and",)] = (tuple(value.split()), "abbreviations")
    for key, value in t.org_types.items():
        table[tuple(key.split())] = (tuple(value.split()), "org_types")
    return {k: v for k, v in table.items() if all(k)}


def clean_text(raw: str) -> str:
    """NFKC, control characters removed, whitespace collapsed (the display-safe form of a name)."""
    text = unicodedata.normalize("NFKC", raw)
    text = _CONTROL.sub(" ", text)
    return " ".join(text.split())


@cache
def _phrase_starts() -> frozenset[str]:
    return frozenset(k[0] for k in _phrase_table())


def canonical_tokens(words: list[str], used: set[str] | None = None) -> list[str]:
    """Replace legal forms and abbreviations by their canonical tokens, longest phrase first."""
    table = _phrase_table()
    starts = _phrase_starts()
    out: list[str] = []
    i = 0
    while i < len(words):
        if words[i] not in starts:
            out.append(words[i])
            i += 1
            continue
        for size in range(min(MAX_PHRASE, len(words) - i), 0, -1):
            hit = table.get(tuple(words[i : i + size]))
            if hit is not None:
                if used is not None and hit[0] != tuple(words[i : i + size]):
                    used.add(hit[1])
                out.extend(hit[0])
                i += size
                break
        else:
            out.append(words[i])
            i += 1
    return out


def normalize_name(raw: str, vocab: Container[str] | None = None, *, given_names: bool = True) -> NormalizedName:
    """Normalize one name. ``vocab`` (the index's token set) lets pinyin re-join into list words.
    ``given_names=False`` leaves given names as printed (no theophoric or East Slavic table): the
    benchmark keys names by it, so that what counts as one name does not move with the matcher's
    knowledge of which names are one."""
    text = clean_text(raw)
    used: set[str] = set()
    scripts = detect_scripts(text)
    text = to_ascii(text, vocab, used).casefold()
    text = _APOSTROPHE.sub("", text).replace("&", " and ")
    words = [_ORDINAL.sub(r"\1", w) if w[0].isdigit() else w for w in _SPLIT.split(text) if w]
    if given_names:
        if any(w.startswith("abd") for w in words):
            words = theophoric(words, used)
        words = east_slavic(words, used)
    return NormalizedName(tuple(canonical_tokens(words, used)), scripts, frozenset(used))


def natural_order(raw: str, vocab: Container[str] | None = None) -> tuple[str, ...] | None:
    """The words of a person's name printed surname first ("BIN LADIN, Usama bin Muhammad") in
    natural order ("usama bin muhammad bin ladin"); None unless the name has exactly one comma
    with words on both sides (OFAC and the UN print persons so; the UK prints them in natural order)."""
    if raw.count(",") != 1:
        return None
    surname, given = raw.split(",")
    first, last = normalize_name(given, vocab).tokens, normalize_name(surname, vocab).tokens
    return first + last if first and last else None


# one word: "Abd" + vowel + article consonant (assimilated: abdur-rahman, abdus-salam) + the divine name
_ONE_WORD = re.compile(r"^abd(?:ou|u|e|a|o|i)(sh|l|r|s|n|t|d|z)([a-z]{3,})$")


def theophoric(words: list[str], used: set[str] | None = None) -> list[str]:
    """Arabic "Abd al-X" names in one spelling (``tables/theophoric.yaml``): "abd al aziz", "abdul
    aziz", "abdel aziz", "abdulaziz" and "abdelaziz" all become "abdul aziz"; "abd ar rahman",
    "abdur rahman", "abdurrahman" and "abdirahman" become "abdul rahman". Abdullah and the surnames
    built on it (Abdullaev) stay whole; a separate "Abd" with no article is left alone ("ABD Trading")."""
    t = load_tables().theophoric

    def divine_name(j: int) -> bool:  # words[j] can follow the prefix as the name it joins
        return j < len(words) and words[j].isalpha() and words[j] not in t.articles and not words[j].startswith(t.whole)

    out: list[str] = []
    i = 0
    while i < len(words):
        w = words[i]
        # "abd al aziz" (a separate article) or "abdul aziz" (a one-word prefix): the name follows
        j = i + 2 if w == "abd" and i + 1 < len(words) and words[i + 1] in t.articles else i + 1
        if (w == "abd" and j == i + 2 or w in t.prefixes) and divine_name(j):
            out += [t.canonical, words[j]]
            i = j + 1
            continue
        if w in t.prefixes:
            out.append(t.canonical)  # "ABDEL" alone, or before a number
        elif (m := _ONE_WORD.match(w)) and not m[2].startswith(t.whole):  # "abdulaziz", "abdurrahman"
            art, rest = m[1], m[2]
            out += [t.canonical, rest if art == "l" or rest.startswith(art) else art + rest]
        else:
            out.append(w)
        i += 1
    if used is not None and out != words:
        used.add("theophoric")
    return out


def east_slavic(words: list[str], used: set[str] | None = None) -> list[str]:
    """Russian, Ukrainian and Belarusian forms of a given name or patronymic in one form
    (``tables/east_slavic.yaml``): "Mykola" and "Mikalai" read ``nikolai``, "Mykolayovych" and
    "Mikalaevich" read ``nikolaevich``, "Siarhei" and "Serhii" read ``sergei``."""
    out = [_read_east_slavic(w) for w in words]
    if used is not None and out != words:
        used.add("east_slavic")
    return out


@lru_cache(maxsize=1 << 16)  # words repeat: the lists' and customers' names share a few ten thousand
def _read_east_slavic(word: str) -> str:
    return load_tables().east_slavic.read(word)


def normalize_text(raw: str, vocab: Container[str] | None = None) -> str:
    """The normalized name as one space-separated string."""
    return normalize_name(raw, vocab).text
