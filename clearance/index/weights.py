"""Token weights learned from the lists themselves (IDF), scaled by what kind of word a token is.

Why: a match on "Hikvision" means something, a match on "Co." or "Group" does not. The weight of
a token is its inverse document frequency over the *entries* of every loaded list
(``log((N + 1) / (df + 1)) + 1``, Robertson-Sparck Jones IDF as used in BM25), so a word that
appears in many entries counts little. On top of that, tokens the name tables classify as legal
forms (``org_types.yaml``), generic business words (``generic_terms.yaml``), place names
(``places.yaml``) or particles (``stopwords.yaml``) are multiplied by that table's ``factor``, single letters (initials) by
:data:`INITIAL_FACTOR` and two- or three-consonant tokens (acronyms such as "HSC") by
:data:`ACRONYM_FACTOR`; so "CORP", "The X Group" or "Trading Co" can never carry a match.

A name word (factor 1) is further multiplied by its *commonness* among real companies:
``1 / (1 + COMMON_STRENGTH * log10(c))`` where ``c`` is the number of non-listed company names
using it (``company_words.tsv``, :mod:`bench.commonness`). The lists alone cannot tell "Lion" or
"Insight" (a dozen real firms each) from "Theorax" (none): both are rare on the lists. Measured on
the alias hold-out and the test half of the non-listed names (2026-11-24, bench/results): at an
equal false-positive rate, +1.4 points of recall, the rate falling from 0.65 % to 0.45 % at 0.80.

A query token that no list contains gets the highest weight (df = 0): an unknown word in a
query is strong evidence that the query names someone else.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from clearance.names.tables import NameTables, load_tables

INITIAL_FACTOR = 0.3
# Scores use absolute weight floors (scorer.MIN_MASS) tuned on the bundled lists (~40,000 entries).
# A store holding only a small list (or a test subset) counts its documents as at least this many,
# so a token found in one entry of 9 weighs like one found in one entry of 40,000: the same exact
# name scores the same whatever else is loaded.
MIN_CORPUS = 20_000
ACRONYM_FACTOR = 0.5  # 2-3 consonants ("HSC", "TS", "GL"): an acronym, shared by many firms outside the lists
COMMON_STRENGTH = 0.6  # a name word used by 10 real companies weighs 1/1.6, by 100 1/2.2
COMMON_MIN = 3  # a word used by this many real companies is "common" (see scorer.single_word_factor)
_VOWELS = frozenset("aeiouy")


class TokenWeights:
    """IDF weights over entries; ``weights(token)`` works for any token, listed or not."""

    def __init__(self, doc_tokens: Iterable[Iterable[str]], tables: NameTables | None = None) -> None:
        self.tables = tables or load_tables()
        df: dict[str, int] = {}
        n = 0
        for tokens in doc_tokens:
            n += 1
            for t in set(tokens):
                df[t] = df.get(t, 0) + 1
        self.n_docs = max(n, MIN_CORPUS)
        self.df = df
        self._cache: dict[str, float] = {}
        self._kinds: dict[str, str] = {}
        self._org = self.tables.org_tokens
        self._companies = self.tables.company_words

    def idf(self, token: str) -> float:
        return math.log((self.n_docs + 1) / (self.df.get(token, 0) + 1)) + 1.0

    def factor(self, token: str) -> float:
        t = self.tables
        if token in self._org:
            return t.org_factor
        if token in t.stopwords:
            return t.stopword_factor
        if token in t.generic:
            return t.generic_factor
        if token in t.places:
            return t.place_factor
        if len(token) == 1:
            return INITIAL_FACTOR
        if len(token) <= 3 and token.isalpha() and not _VOWELS.intersection(token):
            return ACRONYM_FACTOR
        return 1.0

    def has_neighbours(self, token: str) -> bool:
        """Whether the index looks up spelling neighbours of the token (typos, romanizations): name
        words and places ("Iranian" / "IRAN"), not legal forms, generic words or particles."""
        return self.factor(token) == 1.0 or token in self.tables.places

    def commonness(self, token: str) -> float:
        """The multiplier of a name word used by many real companies (1 for any other token)."""
        c = self._companies.get(token, 0)
        return 1.0 / (1.0 + COMMON_STRENGTH * math.log10(c)) if c > 1 else 1.0

    def common(self, token: str) -> bool:
        """Whether at least :data:`COMMON_MIN` real, non-listed companies use the word."""
        return self._companies.get(token, 0) >= COMMON_MIN

    def kind(self, token: str) -> str:
        """The class of a token, for explanations: org_type, particle, generic, initial or name."""
        k = self._kinds.get(token)
        if k is None:
            k = self._kind(token)
            if len(self._kinds) < 500_000:
                self._kinds[token] = k
        return k

    def _kind(self, token: str) -> str:
        if token in self._org:
            return "org_type"
        if token in self.tables.stopwords:
            return "particle"
        if token in self.tables.generic:
            return "generic"
        if token in self.tables.places:
            return "place"
        return "initial" if len(token) == 1 else "name"

    def __call__(self, token: str) -> float:
        w = self._cache.get(token)
        if w is None:
            f = self.factor(token)
            w = self.idf(token) * (f * self.commonness(token) if f == 1.0 else f)
            if len(self._cache) < 500_000:
                self._cache[token] = w
        return w
