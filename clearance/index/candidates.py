"""Candidate generation: which listed names a query may match, before any detailed scoring.

Why a separate step: scoring a query against all ~100,000 indexed names would take a tenth of
a second; the inverted index (:mod:`clearance.index.nameindex`) reaches the few hundred that
share a word, a near spelling, a romanization or an acronym with the query, and an upper bound
of each one's score (MaxScore pruning, Turtle & Flood 1995) drops the ones that cannot reach
the threshold. The screener (:mod:`clearance.index.screener`) scores the survivors.

Accumulation runs on numpy arrays over all aliases; what each query token credits is computed
once per token and cached (:meth:`Candidates.token_credits`). The bound never undercounts what
the scorer gives a token pair: both use :func:`clearance.index.scorer.pair_similarity`.
"""

from __future__ import annotations

import threading

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
        self._table = index.credit_table  # list words' credits, computed once (precompute_credits)

    def buffers(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """This thread's accumulators over every alias (query mass, list-name mass, distinctive query
        words that reached it, query words that reached it), kept zeroed between queries, and a
        scratch slot per alias (see :func:`_distinct`): allocated once."""
        bufs: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray] | None = getattr(self._local, "bufs", None)
        if bufs is None:
            n = len(self.index.aliases)
            bufs = self._local.bufs = (np.zeros(n), np.zeros(n), np.zeros(n, dtype=np.int16),
                                       np.zeros(n, dtype=np.int16), np.zeros(n, dtype=np.int64))
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
        if not tables.org_tokens.isdisjoint(tokens):
            # a registered company name ("PT Steel Pipe Industry of Indonesia Tbk", "Pan American Energy
            # Corp.") is not what the lists abbreviate: their published short names stand for ministries,
            # institutes and units (MIPT, EIKO, MFTB); measured: 5 of the 10 false positives it still caused, no hold-out query
            return []
        return [(int(a), (acr,)) for a in self.index.postings[acr]
                if self.index.aliases[a].tokens == (acr,) and self.index.aliases[a].how != ACRONYM]

    def find(self, tokens: tuple[str, ...], floor: float, kind: Kind | None = None,
             person_floor: float | None = None) -> list[int]:
        """Alias ids whose score upper bound reaches ``floor``, best bound first.

        ``floor`` is the lowest score that can still reach the threshold once the query's other
        evidence has been weighed (:func:`clearance.index.evidence.max_gain`) and the grey-band
        calibration may have lifted it (:meth:`~clearance.index.calibration.Calibration.floor`);
        ``person_floor``, when higher, is the floor of a listed person's aliases, which the
        calibration leaves to the formula. ``kind`` is the
        query's kind as the screener reads it (given, or a company when the name has a legal form),
        which sets the person-name allowance (``scorer.PERSON_SHARE``) and the kind conflict. The
        bound never undercounts what the screener can give (tests/test_screen_bound.py compares the
        results at the default threshold with those of an unpruned search).

        Accumulation runs on numpy arrays over all aliases (postings are int32 arrays): the
        Python-level loop over postings was 70 % of batch time. The arrays are reused per thread
        and only the postings a query touched are read and reset (allocating and scanning two
        100,000-slot arrays per query was a fifth of batch time).
        """
        acc_q, acc_c, acc_n, acc_k, slot = self.buffers()
        touched: list[np.ndarray] = []
        w = self.index.weights
        distinct = {t for t in tokens if is_distinctive_word(w, t)}
        lift = len(distinct) >= MULTI_WORD_MIN
        person = kind in (None, Kind.PERSON)  # listed persons may get PERSON_SHARE
        try:
            return self._accumulate(tokens, floor, kind, acc_q, acc_c, acc_n if lift else None,
                                    acc_k if person else None, distinct, touched, slot, person_floor)
        finally:
            for p in touched:
                acc_q[p] = 0.0
                acc_c[p] = 0.0
            if lift:
                for p in touched:
                    acc_n[p] = 0
            if person:
                for p in touched:
                    acc_k[p] = 0

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
            # list tokens one or two edits away, with the same consonant skeleton, the same
            # romanization key or the other romanization of a Korean syllable, credited what the
            # scorer would give the pair
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
            for v in sorted(near):
                if (pair := pair_similarity(t, v)) is not None:
                    # the credit score_tokens gives the pair: the similarity for a romanization, and for
                    # a phonetic variant in a listed person's name; its square for a typo or another phonetic pair
                    sim, how = pair
                    other = sim if how == "translit" else sim * sim
                    parts.append((idx.postings[v], wt, w(v), other, sim if how == "phonetic" else other))
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
        if keep and len(self._credits) < CREDIT_CACHE:
            self._credits[t] = out
        return out

    def credits(self, t: str, wt: float) -> Credits:
        """:meth:`token_credits`, from the precomputed table for a list word, else computed once and cached."""
        if self._table is not None and (out := self._table.get(t)) is not None:
            return out
        out = self._credits.get(t)
        return self.token_credits(t, wt) if out is None else out

    def _accumulate(self, tokens: tuple[str, ...], floor: float, kind: Kind | None, acc_q: np.ndarray,
                    acc_c: np.ndarray, acc_n: np.ndarray | None, acc_k: np.ndarray | None, distinct: set[str],
                    touched: list[np.ndarray], slot: np.ndarray, person_floor: float | None = None) -> list[int]:
        idx, w = self.index, self.index.weights
        uniq = list(dict.fromkeys(tokens))
        share = PERSON_SHARE if acc_k is not None else MAX_SHARE  # acc_k: only a query listed persons may meet as persons
        skipped = 0.0
        n_skipped = 0
        found = False
        # The scorer lifts a company match on MULTI_WORD_MIN distinctive words (scorer.multi_word_lift).
        # Such a query (acc_n given) accumulates, per alias, how many of its distinctive words reached it
        # (words too light to generate candidates reach every alias), and prunes against the threshold
        # before the lift; only aliases reached by enough of them get the lifted bound.
        floor_pre = max(0.0, (floor - MULTI_WORD_LIFT) / (1.0 - MULTI_WORD_LIFT)) if acc_n is not None else floor
        everywhere = 0  # distinctive words that generate no candidates: counted for every alias

        def credit(posting: np.ndarray, q_mass: float | np.ndarray, c_mass: float | np.ndarray, n: int = 0) -> None:
            nonlocal found
            acc_q[posting] += q_mass
            acc_c[posting] += c_mass
            if n and acc_n is not None:
                acc_n[posting] += n
            if acc_k is not None:
                acc_k[posting] += 1
            touched.append(posting)
            found = True

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
        # long postings of common tokens ("mohammad", "ali") only credit aliases already found.
        q_min = max(0.0, (floor_pre - EPS - share) / (1 - share))
        rest = sum(wt for wt, _ in gen) + skipped
        # a query initial heavy enough to have postings ("Z" in "Z Energy") also meets, off its postings,
        # any list word of its letter: INITIAL_MASS of its weight on the query side, anywhere
        q_initial = INITIAL_MASS * sum(wt for wt, t in gen if is_initial(t))
        n_q_initials = sum(is_initial(t) for t in uniq)
        # split words first ("opto electronics" = "optoelectronics"), so the pruning below credits them
        for x, y in zip(tokens, tokens[1:], strict=False):
            if len(x) > 1 and len(y) > 1 and x + y in idx.postings:
                credit(idx.postings[x + y], w(x) + w(y), w(x + y), (x in distinct) + (y in distinct))
        for wt, t in gen:
            rest -= wt
            credits = self.credits(t, wt)
            if not credits[0].size:
                continue
            if found and total_q and (rest + wt + q_initial) / total_q < q_min:
                # past this point a token only credits aliases already reached -- with everything it
                # credits (its exact postings *and* its spelling neighbours: "yury" for "yuriy"; exact
                # postings alone dropped SDN "SHVYTKIN, Yuriy Nikolayevich" at 0.97 for "Yury
                # Nikolaevich SHVYTKIN")
                # (and aliases with an initial, which a heavier query word may have met: "Abdi" / "A.")
                ids, qs, cs = credits
                hit = (acc_q[ids] > 0) | (idx.alias_initials[ids] > 0)
                if hit.any():
                    ids_hit = ids[hit]
                    acc_q[ids_hit] += qs[hit]
                    acc_c[ids_hit] += cs[hit]
                    touched.append(ids_hit)
                    if acc_n is not None and t in distinct:
                        acc_n[ids_hit] += 1
                    if acc_k is not None:
                        acc_k[ids_hit] += 1
                continue
            credit(*credits, int(t in distinct))
        if not found or not total_q:
            return []
        need = max(q_min * total_q - skipped, 1e-12)  # query mass an alias needs before anything else
        cand = _distinct(touched, slot)  # the aliases the query reached
        # initials: each of an alias's initials may meet a query word (its heaviest ones, at best), and
        # each initial of the query any word of the alias (scorer.pair_similarity "initial")
        mq = acc_q[cand] + q_initial
        n_init = idx.alias_initials[cand]
        alias_initials = bool(n_init.any())
        if alias_initials:
            words = sorted((w(t) for t in uniq if not is_initial(t)), reverse=True)
            top_words = np.concatenate(([0.0], np.cumsum(words)))
            mq = mq + INITIAL_MASS * top_words[np.minimum(n_init, len(words))]
        keep = mq >= need
        cand, mq = cand[keep], mq[keep]
        mc = acc_c[cand] + skipped
        if alias_initials:
            mc += INITIAL_MASS * idx.alias_initial_weight[cand]
        if n_q_initials:  # each query initial may meet one list word, at most the alias's heaviest
            mc += INITIAL_MASS * np.clip(idx.alias_weight[cand] - mc, 0.0, n_q_initials * idx.alias_max_weight[cand])
        ub_q = np.minimum(1.0, (mq + skipped) / total_q)
        ub_c = np.minimum(1.0, mc / idx.alias_weight[cand])
        hi, lo = np.maximum(ub_q, ub_c), np.minimum(ub_q, ub_c)
        ub = MAX_SHARE * hi + (1 - MAX_SHARE) * lo
        mass = (mq + mc) / 2
        thin = np.sqrt(np.clip(mass / MIN_MASS, 0.0, 1.0))  # scorer: fewer than MIN_MASS agreeing
        ub *= thin
        if acc_n is not None:
            ub = np.where(acc_n[cand] + everywhere >= MULTI_WORD_MIN, ub + (1.0 - ub) * MULTI_WORD_LIFT, ub)
        if acc_k is not None:
            # PERSON_SHARE applies to a listed person's alias where two words or more align: words
            # that reached it, light words and initials on either side (scorer.score_tokens)
            pairs = acc_k[cand] + (n_skipped + n_q_initials) + n_init[keep]
            person = (idx.alias_kind[cand] == PERSON_CODE) & (pairs >= 2)
            if person.any():
                ub = np.where(person, np.maximum(ub, (PERSON_SHARE * hi + (1 - PERSON_SHARE) * lo) * thin), ub)
        ub *= idx.alias_factor[cand]
        if (code := kind_code(kind)):  # a company query against a listed person or vessel (evidence.weigh_evidence)
            kinds = idx.alias_kind[cand]
            ub = np.where((kinds != 0) & (kinds != code), ub * KIND_CONFLICT, ub)
        if person_floor is not None and person_floor > floor:
            keep = ub >= np.where(idx.alias_kind[cand] == PERSON_CODE, person_floor, floor) - EPS
        else:
            keep = ub >= floor - EPS
        cand, ub = cand[keep], ub[keep]
        order = np.lexsort((cand, -ub))[:MAX_CANDIDATES]  # ties in alias order: the same query, the same cut
        return [int(a) for a in cand[order]]


def _distinct(arrays: list[np.ndarray], slot: np.ndarray) -> np.ndarray:
    """The distinct alias ids of ``arrays``, in no particular order, without sorting: each id
    writes its position into ``slot``, one write per id survives (np.unique's sort was a tenth
    of the candidate step). One posting list is already distinct."""
    if len(arrays) == 1:
        return arrays[0]
    ids = np.concatenate(arrays)
    pos = np.arange(len(ids))
    slot[ids] = pos
    out: np.ndarray = ids[slot[ids] == pos]
    return out
