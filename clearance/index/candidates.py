"""Candidate generation: which listed names a query may match, before any detailed scoring.

Why a separate step: scoring a query against all ~100,000 indexed names would take a tenth of
a second; the inverted index (:mod:`clearance.index.nameindex`) reaches the few hundred that
share a word, a near spelling, a romanization or an acronym with the query, and an upper bound
of each one's score (MaxScore pruning, Turtle & Flood 1995) drops the ones that cannot reach
the threshold. The screener (:mod:`clearance.index.screener`) scores the survivors.

Accumulation runs compiled (:mod:`clearance.index.kernels`); what each query token credits is computed
once per token and cached (:meth:`Candidates.token_credits`). The bound never undercounts what
the scorer gives a token pair: both use :func:`clearance.index.scorer.pair_similarity`.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from itertools import accumulate

import numpy as np

from clearance.index.evidence import KIND_CONFLICT, PERSON_CODE, kind_code
from clearance.index.nameindex import ACRONYM, NameIndex
from clearance.index.scorer import (
    INITIAL_CREDIT,
    MAX_SHARE,
    MIN_MASS,
    MULTI_WORD_LIFT,
    MULTI_WORD_MIN,
    PERSON_SHARE,
    is_distinctive_word,
    is_initial,
    pair_similarity,
)
from clearance.model import Kind
from clearance.names.phonetic import korean_key, skeletons, translit_key, vowel_key

MIN_GEN_WEIGHT = 1.5  # tokens lighter than this (legal forms, generic words) do not generate candidates
MAX_CANDIDATES = 250  # a common name ("AHMED HAMED") reaches hundreds of names; 60 lost some of its listings
CREDIT_CACHE = 200_000  # query tokens whose candidate credits are kept (a few KB each at most)
INITIAL_MASS = INITIAL_CREDIT * INITIAL_CREDIT  # what an initial pair credits each side, per unit of weight (scorer.score_tokens)
EPS = 1e-9  # float rounding between the bound's sums and the scorer's

Credits = tuple[np.ndarray, np.ndarray, np.ndarray]  # (alias ids, query mass, list-name mass), one row per alias
Buffers = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]


class CreditTable:
    """What every list word credits (:meth:`Candidates.token_credits`), precomputed into three flat
    arrays (CSR: word row -> slice), so that no process screening against the index computes them
    again. Built once per list version with the index cache (:func:`precompute_credits`).

    Why: a batch worker starts with an empty credit cache and meets each word of a 20,000-name
    file cold; the neighbour lookups (typos, romanizations, skeletons) cost ~110 µs per word.
    Measured (2026-11-24, session 6): 44,957 list words, 2.2 M rows, ~44 MB, ~5 s to compute;
    batch throughput +10-15 %. Words outside the lists are still computed on first use and cached.
    """

    def __init__(self, rows: dict[str, int], ptr: np.ndarray, ids: np.ndarray, q: np.ndarray, c: np.ndarray) -> None:
        self.rows, self.ptr, self.ids, self.q, self.c = rows, ptr, ids, q, c

    def get(self, t: str) -> Credits | None:
        r = self.rows.get(t)
        if r is None:
            return None
        a, b = self.ptr[r], self.ptr[r + 1]
        return self.ids[a:b], self.q[a:b], self.c[a:b]


def precompute_credits(index: NameIndex) -> CreditTable:
    """The :class:`CreditTable` of every list word heavy enough to generate candidates, stored on
    ``index`` (``index.credit_table``), where every :class:`Candidates` over it reads it first."""
    cands = Candidates(index)
    w = index.weights
    words = sorted(t for t in index.vocab if w(t) >= MIN_GEN_WEIGHT)
    parts = [cands.token_credits(t, w(t), keep=False) for t in words]
    pair_similarity.cache_clear()  # ~260,000 pairs met once each: memory, not speed
    ptr = np.zeros(len(words) + 1, dtype=np.int64)
    np.cumsum([len(p[0]) for p in parts], out=ptr[1:])
    empty: Credits = (np.zeros(0, dtype=np.int32), np.zeros(0), np.zeros(0))  # no list loaded yet
    table = CreditTable({t: i for i, t in enumerate(words)}, ptr,
                        *(np.concatenate([empty[k], *(p[k] for p in parts)]) for k in range(3)))
    index.credit_table = table
    return table


class Candidates:
    """Candidate aliases for a query over one :class:`NameIndex`; safe to use from several threads."""

    def __init__(self, index: NameIndex) -> None:
        self.index = index
        self._local = threading.local()  # per-thread accumulators (the API screens from several threads)
        self._credits: dict[str, Credits] = {}  # see token_credits
        self._partners: dict[str, Credits | None] = {}  # see partner_credits
        self._table = index.credit_table  # list words' credits, computed once (precompute_credits)
        # what the compiled loop reads of each alias, and the scorer's constants (index/kernels.py A_*, C_*)
        self._alias = np.array([index.alias_initials, index.alias_initial_weight, index.alias_weight,
                                index.alias_max_weight, index.alias_kind, index.alias_factor], dtype=np.float64)
        self._consts = np.array([INITIAL_MASS, MAX_SHARE, PERSON_SHARE, MIN_MASS, MULTI_WORD_MIN, MULTI_WORD_LIFT,
                                 KIND_CONFLICT, PERSON_CODE, EPS])
        self._kernel: Callable[..., int] | None = None  # kernels.candidates, imported on first use (see warm)

    def warm(self) -> Callable[..., int]:
        """The compiled candidate loop, compiled or loaded from numba's cache on first use, and run
        once. Not at construction: importing numba costs ~100 MB, and the process that builds and
        writes the index cache peaks before it needs it. Batch calls this before forking, so that
        the workers inherit the compiled loop instead of each loading it (~0.2 s, ~50 MB)."""
        if self._kernel is None:
            from clearance.index.kernels import candidates

            candidates(np.zeros(0, dtype=np.int32), np.zeros(0), np.zeros(0), np.zeros((4, 0)), np.zeros(1),
                       np.zeros(14), self._consts, self._alias, *self.buffers())
            self._kernel = candidates
        return self._kernel

    def buffers(self) -> Buffers:
        """This thread's accumulators over every alias (query mass and list-name mass; distinctive query
        words, query words and reached-yet), kept zeroed between queries by :func:`clearance.index.kernels.candidates`,
        and the reached aliases and their bounds: allocated once."""
        bufs: Buffers | None = getattr(self._local, "bufs", None)
        if bufs is None:
            n = len(self.index.aliases)
            bufs = self._local.bufs = (np.zeros((2, n)), np.zeros((3, n), dtype=np.int16),
                                       np.zeros(n, dtype=np.int32), np.zeros(n))
        return bufs

    def query_acronyms(self, tokens: tuple[str, ...]) -> list[tuple[int, tuple[str, ...]]]:
        """Published one-word names equal to the query's acronym: "Iran Nuclear Regulatory
        Authority" meets the SDN alias "INRA". The mirror of the acronyms the index derives from
        listed names (:func:`clearance.names.acronyms`, four letters or more), so a long query
        finds an entry that is listed under its short name only."""
        tables = self.index.weights.tables
        core = [t for t in tokens if t not in tables.stopwords and t not in tables.org_tokens and not t.isdigit()]
        acr = "".join(t[0] for t in core)
        # four name words or more, legal forms left out: "Cubic Sensor and Instrument Co., Ltd" is not
        # "CSICL", and three-letter acronyms are shared by too many firms (measured: 111 false positives
        # among the 54,315 non-listed company names with legal-form letters, 3 without)
        if len(core) < 4 or acr in tokens or acr not in self.index.postings:
            return []
        if not tables.nasab.particles.isdisjoint(tokens):
            # a patronymic chain is a person's name, not a body's: "Muhammad bin Salman Al Saud" is not
            # EL "MSAS" (a Saudi PEP's name in katakana met it at 0.81)
            return []
        if not tables.org_tokens.isdisjoint(tokens):
            # a registered company name ("PT Steel Pipe Industry of Indonesia Tbk", "Pan American Energy
            # Corp.") is not what the lists abbreviate: their published short names stand for ministries,
            # institutes and units (MIPT, EIKO, MFTB); measured: 5 of the 10 false positives it still caused, no hold-out query
            return []
        return [(int(a), (acr,)) for a in self.index.postings[acr]
                if self.index.aliases[a].tokens == (acr,) and self.index.aliases[a].how != ACRONYM]

    def find(self, tokens: tuple[str, ...], floor: float, kind: Kind | None = None,
             person_floor: float | None = None) -> list[int]:
        """Alias ids whose score upper bound reaches ``floor``, best bound first: :meth:`find_bounded`'s ids."""
        return [a for a, _ in self.find_bounded(tokens, floor, kind, person_floor)]

    def find_bounded(self, tokens: tuple[str, ...], floor: float, kind: Kind | None = None,
                     person_floor: float | None = None) -> list[tuple[int, float]]:
        """(alias id, score upper bound) of the aliases whose bound reaches ``floor``, best bound first.

        ``floor`` is the lowest score that can still reach the threshold once the query's other
        evidence has been weighed (:func:`clearance.index.evidence.max_gain`) and the grey-band
        calibration may have lifted it (:meth:`~clearance.index.calibration.Calibration.floor`);
        ``person_floor``, when higher, is the floor of a listed person's aliases, which the
        calibration leaves to the formula. ``kind`` is the
        query's kind as the screener reads it (given, or a company when the name has a legal form),
        which sets the person-name allowance (``scorer.PERSON_SHARE``) and the kind conflict. The
        bound never undercounts what the screener can give (tests/test_screen_bound.py compares the
        results at the default threshold with those of an unpruned search).

        Accumulation and the bound run compiled (:mod:`clearance.index.kernels`) over per-thread
        arrays on all aliases, of which only those the query reached are read and reset: the
        Python-level loop over postings was 70 % of batch time, then the numpy calls' fixed costs half.

        The bound covers the alias's derived-name factor and the kind conflict, as the scorer's
        score does after :func:`clearance.index.evidence.weigh_kind`: the screener skips an alias
        whose bound cannot beat its entry's best alias so far.
        """
        w = self.index.weights
        distinct = {t for t in tokens if is_distinctive_word(w, t)}
        return self._accumulate(tokens, floor, kind, distinct, person_floor)

    def token_credits(self, t: str, wt: float, keep: bool = True) -> Credits:
        """What one query token credits, as (alias ids, query mass, list-name mass), one row per alias.

        Its exact postings, the aliases where it is two adjacent words, and the list tokens one or
        two edits away, with the same romanization key, the same consonant skeleton or the other
        romanization of a Korean syllable. An alias reached several ways keeps its best credit:
        a query token aligns with one list token, so the best is the bound. Depends on the token
        and the index only, so it is computed once per token and cached (a batch repeats "co",
        "trading", "mohammad" thousands of times; the neighbour lookups were a third of its time),
        unless ``keep`` is false; list words come precomputed (:class:`CreditTable`).
        """
        idx, w = self.index, self.index.weights
        # (aliases, query-side weight, list-side weight, credit per unit of weight for other aliases,
        # for a listed person's aliases)
        parts: list[tuple[np.ndarray, float, float, float, float]] = []
        if t in idx.postings:
            parts.append((idx.postings[t], wt, wt, 1.0, 1.0))
        if t in idx.joined:
            parts.append((idx.joined[t], wt, idx.joined_mass[t], 1.0, 1.0))
        if w.has_neighbours(t):
            parts.extend(self._neighbours(t, wt))
        out = self._combine(parts)
        if keep and len(self._credits) < CREDIT_CACHE:
            self._credits[t] = out
        return out

    def _neighbours(self, t: str, wt: float) -> list[tuple[np.ndarray, float, float, float, float]]:
        """The list tokens one or two edits away from ``t``, with the same consonant skeleton, the same
        romanization key or the other romanization of a Korean syllable, credited what the scorer
        would give the pair: (their postings, query-side weight ``wt``, their weight, credit per unit
        for other aliases, for a listed person's)."""
        idx, w = self.index, self.index.weights
        near = {v for v, _ in idx.fuzzy.similar(t)}
        for skel in skeletons(t):
            near.update(idx.phonetic.get(skel, ()))
        if (key := translit_key(t)) is not None:
            near.update(idx.translit.get(key, ()))
        if (key := korean_key(t)) is not None:
            near.update(idx.korean.get(key, ()))
        if (key := vowel_key(t)) is not None:
            near.update(idx.vowels.get(key, ()))
        near.discard(t)
        parts = []
        for v in sorted(near):
            if (pair := pair_similarity(t, v)) is not None:
                # the similarity for a romanization, and for a phonetic variant in a listed person's
                # name; its square for a typo or another phonetic pair
                sim, how = pair
                other = sim if how == "translit" else sim * sim
                parts.append((idx.postings[v], wt, w(v), other, sim if how == "phonetic" else other))
        return parts

    def partner_credits(self, t: str) -> Credits | None:
        """The list-name mass a query word that looks up no neighbours (a legal form, a generic word:
        ``weights.has_neighbours``) may still get from the scorer, which pairs any two words:
        "technology" (weight 1.5) meets "technologii" (9.8) as a romanization, and the list-side bound
        must count 0.95 x 9.8, not 1.5. Query mass 0 (the query side is bounded by the word's own
        weight); None when the word has no such partner. Computed once per word."""
        if t in self._partners:
            return self._partners[t]
        parts = self._neighbours(t, 0.0)
        out = self._combine(parts) if parts else None
        if len(self._partners) < CREDIT_CACHE:
            self._partners[t] = out
        return out

    def _combine(self, parts: list[tuple[np.ndarray, float, float, float, float]]) -> Credits:
        """One row per alias from ``parts``, each alias keeping its best credit on either side."""
        idx = self.index
        if not parts:
            out = (np.zeros(0, dtype=np.int32), np.zeros(0), np.zeros(0))
        elif len(parts) == 1 and parts[0][3] == parts[0][4] == 1.0:  # exact or joined words only
            p, q, c, _, _ = parts[0]
            out = (p, np.full(len(p), q), np.full(len(p), c))
        else:
            ids = np.concatenate([p[0] for p in parts])
            lengths = [len(p[0]) for p in parts]
            person = idx.alias_kind[ids] == PERSON_CODE
            qs = np.where(person, np.repeat([p[1] * p[4] for p in parts], lengths), np.repeat([p[1] * p[3] for p in parts], lengths))
            cs = np.where(person, np.repeat([p[2] * p[4] for p in parts], lengths), np.repeat([p[2] * p[3] for p in parts], lengths))
            order = np.lexsort((-qs, ids))  # by alias, best query credit first
            ids, qs, cs = ids[order], qs[order], cs[order]
            first = np.flatnonzero(np.r_[True, ids[1:] != ids[:-1]])
            out = (ids[first], qs[first], np.maximum.reduceat(cs, first))
        return out

    def credits(self, t: str, wt: float) -> Credits:
        """:meth:`token_credits`, from the precomputed table for a list word, else computed once and cached."""
        if self._table is not None and (out := self._table.get(t)) is not None:
            return out
        out = self._credits.get(t)
        return self.token_credits(t, wt) if out is None else out

    def _accumulate(self, tokens: tuple[str, ...], floor: float, kind: Kind | None, distinct: set[str],
                    person_floor: float | None) -> list[tuple[int, float]]:
        idx, w = self.index, self.index.weights
        uniq = list(dict.fromkeys(tokens))
        lift = len(distinct) >= MULTI_WORD_MIN
        person = kind in (None, Kind.PERSON)  # listed persons may get PERSON_SHARE
        share = PERSON_SHARE if person else MAX_SHARE
        # The scorer lifts a company match on MULTI_WORD_MIN distinctive words (scorer.multi_word_lift).
        # Such a query (lift) accumulates, per alias, how many of its distinctive words reached it
        # (words too light to generate candidates reach every alias), and prunes against the threshold
        # before the lift; only aliases reached by enough of them get the lifted bound.
        floor_pre = max(0.0, (floor - MULTI_WORD_LIFT) / (1.0 - MULTI_WORD_LIFT)) if lift else floor
        skipped = 0.0
        n_skipped = everywhere = 0  # everywhere: distinctive words that generate no candidates, counted for every alias
        gen = []
        for t in uniq:
            wt = w(t)
            if wt < MIN_GEN_WEIGHT:
                skipped += wt
                n_skipped += 1
                everywhere += t in distinct
            else:
                gen.append((wt, t))
        gen.sort(reverse=True)
        total_q = sum(w(t) for t in uniq)
        # MaxScore-style pruning (Turtle & Flood 1995): an alias reached only through the
        # remaining, lighter tokens covers at most `rest / total_q` of the query, and needs
        # `q_min` to reach the floor even when it is fully covered itself; past that point the
        # long postings of common tokens ("mohammad", "ali") only credit aliases already found
        # -- with everything they credit (exact postings *and* spelling neighbours: "yury" for "yuriy";
        # exact postings alone dropped SDN "SHVYTKIN, Yuriy Nikolayevich" at 0.97 for "Yury Nikolaevich
        # SHVYTKIN"), and aliases with an initial, which a heavier query word may have met ("Abdi" / "A.").
        q_min = max(0.0, (floor_pre - EPS - share) / (1 - share))
        rest = sum(wt for wt, _ in gen) + skipped
        # a query initial heavy enough to have postings ("Z" in "Z Energy") also meets, off its postings,
        # any list word of its letter: INITIAL_MASS of its weight on the query side, anywhere
        q_initial = INITIAL_MASS * sum(wt for wt, t in gen if is_initial(t))
        n_q_initials = sum(is_initial(t) for t in uniq)
        # per token: its credits, weight, distinctive words, and whether it escapes the pruning
        parts: list[tuple[Credits, float, int, bool]] = []
        # split words first ("opto electronics" = "optoelectronics"), so the pruning credits them
        for x, y in zip(tokens, tokens[1:], strict=False):
            if len(x) > 1 and len(y) > 1 and (p := idx.postings.get(x + y)) is not None:
                parts.append(((p, np.full(len(p), w(x) + w(y)), np.full(len(p), w(x + y))), 0.0,
                              (x in distinct) + (y in distinct), True))
        parts.extend((self.credits(t, wt), wt, int(t in distinct), False) for wt, t in gen)
        # the list-side mass that words looking up no neighbours may get from a partner the scorer
        # pairs them with: last, so that once pruned they only credit aliases already reached
        parts.extend((c, 0.0, 0, False) for t in uniq if not w.has_neighbours(t) and (c := self.partner_credits(t)) is not None)
        if not parts:
            return []
        acc, cnt, touched, out_ub = self.buffers()
        # initials: each of an alias's initials may meet a query word (its heaviest ones, at best), and
        # each initial of the query any word of the alias (scorer.pair_similarity "initial")
        words = sorted((w(t) for t in uniq if not is_initial(t)), reverse=True)
        params = np.array([rest, total_q, q_min, q_initial,
                           max(q_min * total_q - skipped, 1e-12),  # query mass an alias needs before anything else
                           skipped, n_skipped, n_q_initials, everywhere, lift, person, kind_code(kind),
                           floor, -1.0 if person_floor is None else person_floor])
        k = (self._kernel or self.warm())(
            np.concatenate([p[0][0] for p in parts]), np.concatenate([p[0][1] for p in parts]),
            np.concatenate([p[0][2] for p in parts]),
            np.array([[p[1] for p in parts], [p[2] for p in parts], [p[3] for p in parts], [len(p[0][0]) for p in parts]]),
            np.array([0.0, *accumulate(words)]), params, self._consts, self._alias, acc, cnt, touched, out_ub)
        if k < 2:
            return list(zip(touched[:k].tolist(), out_ub[:k].tolist(), strict=True))
        cand, ub = touched[:k], out_ub[:k]
        order = np.lexsort((cand, -ub))[:MAX_CANDIDATES]  # ties in alias order: the same query, the same cut
        return list(zip(cand[order].tolist(), ub[order].tolist(), strict=True))
