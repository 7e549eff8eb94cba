"""The in-memory candidate index over every name of every loaded entry.

Built once when the lists load (no search server): each published name is split into variants
(:func:`clearance.names.split_variants`), normalized, and posted under each of its tokens and
under the concatenation of each adjacent token pair (so "hikvision" finds "Hik Vision").
Acronyms of multi-word organisation names are indexed as weaker aliases. Token weights are
learned from the same entries (:mod:`clearance.index.weights`); a symmetric-delete table
gives typo-tolerant lookup (:mod:`clearance.index.fuzzy`) and a consonant-skeleton table
transliteration-tolerant lookup (:mod:`clearance.names.phonetic`).

Han-script names are normalized last, once the vocabulary of the Latin names is known, so
their pinyin syllables re-join into the words the lists use.
"""

from __future__ import annotations

import gc
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from clearance.index.evidence import kind_code
from clearance.index.fuzzy import FuzzyVocab
from clearance.index.parties import NAME_VARIANTS, is_primary, link_parties
from clearance.index.scorer import is_initial
from clearance.index.weights import TokenWeights
from clearance.model import Entry, Kind, NameRole
from clearance.names import NormalizedName, normalize_name, split_variants
from clearance.names.parents import ParentAcronyms
from clearance.names.phonetic import korean_key, skeletons, translit_key, vowel_key
from clearance.names.script import HAN_RUN
from clearance.names.variants import invented_acronyms
from clearance.store.versions import ListVersion

if TYPE_CHECKING:
    from clearance.index.candidates import CreditTable

ACRONYM = "acronym"
ACRONYM_FACTOR = 0.88  # an invented acronym is weaker evidence than a published name
# a name with its parent's acronym spelled out, or its spelled-out parent as the acronym (names.parents)
PARENT_ACRONYM = "parent acronym"
DERIVED_ONLY = frozenset({ACRONYM, PARENT_ACRONYM})  # aliases the index derives: no say in the token weights
# a short name in parentheses ("(ATS)") is published, but as a qualifier: slightly weaker evidence; so is a
# name whose parent's acronym the index spelled out (the acronym may stand for another group elsewhere)
ARABIC_READING = "arabic_reading"  # a query in Arabic script, read in Latin (names/arabic.py)
DERIVED_FACTOR = {ACRONYM: ACRONYM_FACTOR, "parenthetical": 0.95, PARENT_ACRONYM: 0.95,
                  ARABIC_READING: 0.95}  # the screener multiplies a name score by these


@dataclass(frozen=True, slots=True)
class Alias:
    entry: int  # position in NameIndex.entries
    value: str  # the name as published (or the derived variant)
    how: str  # published / parenthetical / affiliate / without parenthetical / acronym
    role: NameRole
    tokens: tuple[str, ...]
    scripts: frozenset[str]
    tables: frozenset[str]


class NameIndex:
    def __init__(self, pairs: Iterable[tuple[ListVersion, Entry]]) -> None:
        # ~100,000 small objects are created here: the cyclic GC would rescan them many times
        # over for nothing (they hold no cycles), so it is paused for the build (~30 % faster).
        # Afterwards the index is moved to the GC's permanent generation (gc.freeze): it lives as
        # long as the process, and a full collection scanning ~1M objects mid-query cost ~10 ms
        # of p99 latency; forked batch workers also stop copying pages the GC would touch.
        was_enabled = gc.isenabled()
        gc.disable()
        try:
            self._build(pairs)
        finally:
            if was_enabled:
                gc.enable()
        gc.freeze()

    def _build(self, pairs: Iterable[tuple[ListVersion, Entry]]) -> None:
        pairs = list(pairs)
        # OFAC's weak a.k.a.s are marked in its own files, not in the CSL's copy of the same SDN entry:
        # an alias is weak wherever one source of its entry says so (shown in the explanation's alias.role)
        weak = {(e.entry_id, n.value.casefold()) for _, e in pairs for n in e.names if n.role is NameRole.WEAK_ALIAS}
        self._memo: dict[str, NormalizedName] = {}
        self.entries: list[tuple[ListVersion, Entry]] = []
        self.aliases: list[Alias] = []
        deferred: list[tuple[int, str, str, NameRole]] = []
        for version, entry in pairs:
            idx = len(self.entries)
            self.entries.append((version, entry))
            for name in entry.names:
                role = NameRole.WEAK_ALIAS if (entry.entry_id, name.value.casefold()) in weak else name.role
                for text, how in split_variants(name.value):
                    if HAN_RUN.search(text):
                        deferred.append((idx, text, how, role))
                    else:
                        self._add(idx, text, how, role, None)
        vocab = {t for a in self.aliases for t in a.tokens}
        for idx, text, how, role in deferred:
            self._add(idx, text, how, role, vocab)
        self._add_acronyms()
        self._add_parent_acronyms()
        del self._memo
        per_entry: dict[int, set[str]] = {}
        for a in self.aliases:
            if a.how not in DERIVED_ONLY:
                per_entry.setdefault(a.entry, set()).update(a.tokens)
        self.weights = TokenWeights(per_entry.values())
        postings: dict[str, list[int]] = {}
        joined: dict[str, list[int]] = {}
        # the most list-side weight a query word can meet as two adjacent words ("offshore" / "OFF
        # SHORE"): the scorer credits both, so the candidate bound must too
        self.joined_mass: dict[str, float] = {}
        for i, a in enumerate(self.aliases):
            for t in dict.fromkeys(a.tokens):
                postings.setdefault(t, []).append(i)
            for x, y in zip(a.tokens, a.tokens[1:], strict=False):
                bucket = joined.setdefault(x + y, [])
                if not bucket or bucket[-1] != i:
                    bucket.append(i)
                mass = self.weights(x) + self.weights(y)
                if mass > self.joined_mass.get(x + y, 0.0):
                    self.joined_mass[x + y] = mass
        # int32 arrays: the screener accumulates scores with numpy fancy indexing
        self.postings: dict[str, np.ndarray] = {t: np.array(p, dtype=np.int32) for t, p in postings.items()}
        self.joined: dict[str, np.ndarray] = {t: np.array(p, dtype=np.int32) for t, p in joined.items()}
        self.vocab = frozenset(self.postings)
        self.fuzzy = FuzzyVocab(self.vocab)
        # spelling neighbours of name and place words, so the candidate bound meets every pair the
        # scorer can align (scorer.pair_similarity): skeleton, romanization key, Korean syllable, vowels
        self.phonetic: dict[str, list[str]] = {}  # consonant skeleton -> list tokens
        self.translit: dict[str, list[str]] = {}  # romanization key -> list tokens (Yury / Yuri)
        self.korean: dict[str, list[str]] = {}  # Korean-syllable key -> list tokens (Jong / Chong)
        self.vowels: dict[str, list[str]] = {}  # vowels masked -> list tokens (Rossii / Russia, Yahia / Yehia)
        for t in self.vocab:
            if not self.weights.has_neighbours(t):
                continue
            for skel in skeletons(t):
                self.phonetic.setdefault(skel, []).append(t)
            if (key := translit_key(t)) is not None:
                self.translit.setdefault(key, []).append(t)
            if (key := korean_key(t)) is not None:
                self.korean.setdefault(key, []).append(t)
            if (key := vowel_key(t)) is not None:
                self.vowels.setdefault(key, []).append(t)
        self.alias_weight = np.array([sum(self.weights(t) for t in dict.fromkeys(a.tokens)) for a in self.aliases])
        # initials ("AHMED, A."): the scorer aligns one with any word of that letter (scorer.pair_similarity),
        # which no posting list reaches, so the candidate bound adds what they may credit
        initials = [[t for t in dict.fromkeys(a.tokens) if is_initial(t)] for a in self.aliases]
        self.alias_initials = np.array([len(i) for i in initials], dtype=np.int16)
        self.alias_initial_weight = np.array([sum(self.weights(t) for t in i) for i in initials])
        self.alias_max_weight = np.array([max(self.weights(t) for t in a.tokens) for a in self.aliases])
        # what the screener multiplies an alias's name score by whatever the query (the candidate bound
        # multiplies too): its entry's kind (evidence.KIND_CONFLICT) and how the alias was derived
        self.alias_kind = np.array([kind_code(self.entries[a.entry][1].kind) for a in self.aliases], dtype=np.int8)
        self.alias_factor = np.array([DERIVED_FACTOR.get(a.how, 1.0) for a in self.aliases])
        # the same real party on several lists (clearance.index.parties): party id per entry, and why
        parties = link_parties([e for _, e in self.entries], ((a.entry, a.tokens, is_primary(a.role, a.how))
                                                              for a in self.aliases if a.how in NAME_VARIANTS))
        self.party: np.ndarray = parties.ids
        self.parties = parties
        self.credit_table: CreditTable | None = None  # set by candidates.precompute_credits (index cache)

    def _add(self, idx: int, text: str, how: str, role: NameRole, vocab: frozenset[str] | set[str] | None) -> None:
        norm = self._memo.get(text) if vocab is None else None
        if norm is None:
            norm = normalize_name(text, vocab)
            if vocab is None:
                self._memo[text] = norm
        if not norm.tokens:
            return
        for prev in reversed(self.aliases[-8:]):
            if prev.entry == idx and prev.tokens == norm.tokens:
                return
        self.aliases.append(Alias(idx, text, how, role, norm.tokens, norm.scripts, norm.tables))

    def _add_acronyms(self) -> None:
        seen: set[tuple[int, str]] = set()
        for a in list(self.aliases):
            entry = self.entries[a.entry][1]
            if entry.kind.value == "person" or a.how == "parenthetical":
                continue
            for acr in invented_acronyms(a.tokens):
                if len(acr) >= 4 and (a.entry, acr) not in seen:
                    seen.add((a.entry, acr))
                    self.aliases.append(Alias(a.entry, a.value, ACRONYM, a.role, (acr,), frozenset(), frozenset()))

    def _add_parent_acronyms(self) -> None:
        person = Kind.PERSON
        org = [a for a in self.aliases if a.how in NAME_VARIANTS and self.entries[a.entry][1].kind is not person]
        person_words = {t for a in self.aliases if self.entries[a.entry][1].kind is person for t in a.tokens}
        parents = ParentAcronyms.learn(((a.entry, a.tokens) for a in org), person_words)
        seen = {(a.entry, a.tokens) for a in self.aliases}
        for a in org:
            for variant in parents.variants(a.entry, a.tokens, a.value):
                if (a.entry, variant) not in seen:
                    seen.add((a.entry, variant))
                    self.aliases.append(Alias(a.entry, a.value, PARENT_ACRONYM, a.role, variant, a.scripts, a.tables))

    def __len__(self) -> int:
        return len(self.entries)
