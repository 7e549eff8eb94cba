"""The candidate step's inner loop, compiled with numba.

Why compiled: :meth:`clearance.index.candidates.Candidates.find` credits every alias a query's
words reach and bounds each one's score. Written as numpy array operations it made some 70 numpy
calls per query on arrays of a few hundred elements, and each call's fixed cost (1-3 µs)
outweighed its work: 240 of 500 µs per query in batch with the grey-band calibration on
(measured 2026-11-24, session 9, against the numpy version in commit 5f006d1: 4,100-4,300
against 1,400-2,400 queries per CPU-second, interleaved runs; batch 5,942/s against 3,328/s). One
compiled pass over the same postings does the same arithmetic, in the same order, on the same
float64 values: the results are identical (checked on 20,000 benchmark queries) and the bound
still never undercounts (tests/test_screen_bound.py compares it with an unpruned search).

Compiled once per machine and cached beside this file (``cache=True``). It keeps the GIL: the
call lasts ~25 µs, and releasing it bought the API's request threads nothing measurable (closed
loop, same hour: 823 requests/s holding it, 749-767 releasing it, 695 for the numpy version). Arguments are packed into a few arrays (see the ``P_``, ``C_`` and
``A_`` rows) because numba's dispatcher costs ~0.5 µs per argument.
"""

from __future__ import annotations

import numpy as np
from numba import njit

# per-query parameters (``params``), set by Candidates.find
P_REST, P_TOTAL_Q, P_Q_MIN, P_Q_INITIAL, P_NEED, P_SKIPPED, P_N_SKIPPED, P_N_Q_INITIALS, P_EVERYWHERE, \
    P_USE_N, P_USE_K, P_KIND, P_FLOOR, P_PERSON_FLOOR = range(14)
# the scorer's constants (``consts``), passed in so that this module owns no rule of its own
C_INITIAL_MASS, C_MAX_SHARE, C_PERSON_SHARE, C_MIN_MASS, C_MULTI_WORD_MIN, C_MULTI_WORD_LIFT, C_KIND_CONFLICT, \
    C_PERSON_CODE, C_EPS = range(9)
# per-alias rows of ``alias`` (NameIndex arrays, as float64)
A_INITIALS, A_INITIAL_WEIGHT, A_WEIGHT, A_MAX_WEIGHT, A_KIND, A_FACTOR = range(6)


@njit(cache=True)
def candidates(ids: np.ndarray, qs: np.ndarray, cs: np.ndarray, tok: np.ndarray, top_words: np.ndarray,
               params: np.ndarray, consts: np.ndarray, alias: np.ndarray, acc: np.ndarray, cnt: np.ndarray,
               touched: np.ndarray, out_ub: np.ndarray) -> int:  # pragma: no cover - compiled
    """Credit the aliases each query token reaches, bound each one's score, and return how many
    reach their floor: their ids in ``touched[:k]``, their bounds in ``out_ub[:k]``, in no order.

    Token ``j`` (row ``tok[:, j]`` = weight, distinctive words, escapes the pruning, its credits'
    length) credits the next rows of ``ids``, with query mass ``qs`` and list-name mass ``cs``;
    tokens come heaviest first, split words before them. Once the tokens left cannot bring a new
    alias to ``q_min`` of the query, a token only credits aliases already reached, or with an
    initial (MaxScore pruning). Accumulators: ``acc`` (query mass, list-name mass) and ``cnt``
    (distinctive words, words, reached yet), reset for every reached alias before returning.

    The arithmetic is :meth:`clearance.index.candidates.Candidates.find`'s, alias by alias: see
    there for what each term stands for."""
    rest, total_q, q_min, q_initial = params[P_REST], params[P_TOTAL_Q], params[P_Q_MIN], params[P_Q_INITIAL]
    use_n, use_k = params[P_USE_N] != 0.0, params[P_USE_K] != 0.0
    m = 0
    found = False
    a = 0
    for j in range(tok.shape[1]):
        wt, n, always, b = tok[0, j], int(tok[1, j]), tok[2, j] != 0.0, a + int(tok[3, j])
        if not always:
            rest -= wt
        if a == b:
            continue
        pruned = (not always) and found and total_q > 0.0 and (rest + wt + q_initial) / total_q < q_min
        for i in range(a, b):
            x = ids[i]
            if pruned and not (acc[0, x] > 0.0 or alias[A_INITIALS, x] > 0.0):
                continue
            acc[0, x] += qs[i]
            acc[1, x] += cs[i]
            if use_n:
                cnt[0, x] += n
            if use_k:
                cnt[1, x] += 1
            if not cnt[2, x]:
                cnt[2, x] = 1
                touched[m] = x
                m += 1
        if not pruned:
            found = True
        a = b

    need, skipped, n_skipped = params[P_NEED], params[P_SKIPPED], params[P_N_SKIPPED]
    n_q_initials, everywhere, kind = params[P_N_Q_INITIALS], params[P_EVERYWHERE], params[P_KIND]
    floor, person_floor = params[P_FLOOR], params[P_PERSON_FLOOR]
    initial_mass, max_share, person_share = consts[C_INITIAL_MASS], consts[C_MAX_SHARE], consts[C_PERSON_SHARE]
    min_mass, multi_word_min, multi_word_lift = consts[C_MIN_MASS], consts[C_MULTI_WORD_MIN], consts[C_MULTI_WORD_LIFT]
    kind_conflict, person_code, eps = consts[C_KIND_CONFLICT], consts[C_PERSON_CODE], consts[C_EPS]
    k = 0
    n_words = len(top_words) - 1
    for i in range(m):
        x = touched[i]
        n_init = alias[A_INITIALS, x]
        mq = acc[0, x] + q_initial + initial_mass * top_words[min(int(n_init), n_words)]
        if total_q > 0.0 and mq >= need:
            mc = acc[1, x] + skipped + initial_mass * alias[A_INITIAL_WEIGHT, x]
            if n_q_initials:
                mc += initial_mass * min(max(alias[A_WEIGHT, x] - mc, 0.0), n_q_initials * alias[A_MAX_WEIGHT, x])
            ub_q = min(1.0, (mq + skipped) / total_q)
            ub_c = min(1.0, mc / alias[A_WEIGHT, x])
            hi, lo = max(ub_q, ub_c), min(ub_q, ub_c)
            ub = max_share * hi + (1 - max_share) * lo
            thin = np.sqrt(min(max((mq + mc) / 2 / min_mass, 0.0), 1.0))
            ub *= thin
            if use_n and cnt[0, x] + everywhere >= multi_word_min:
                ub = ub + (1.0 - ub) * multi_word_lift
            is_person = alias[A_KIND, x] == person_code
            if use_k and is_person and cnt[1, x] + (n_skipped + n_q_initials) + n_init >= 2:
                ub = max(ub, (person_share * hi + (1 - person_share) * lo) * thin)
            ub *= alias[A_FACTOR, x]
            if kind != 0 and alias[A_KIND, x] != 0 and alias[A_KIND, x] != kind:
                ub *= kind_conflict
            if ub >= (person_floor if (is_person and person_floor > floor) else floor) - eps:
                touched[k] = x  # k <= i: touched[i] is read, the slots before it are done
                out_ub[k] = ub
                k += 1
        acc[0, x] = 0.0
        acc[1, x] = 0.0
        cnt[0, x] = 0
        cnt[1, x] = 0
        cnt[2, x] = 0
    return k
