"""Recall on the alias hold-out: query with a removed alias, require the owning entry first.

A query counts as found at threshold T when one of its publishers scores >= T and ranks first.
The publishers are the owning entry, every other entry that published one of the owner's names,
and every entry that the lists' own data link to the owner (same identifier, same birth date and
name, same company name: :mod:`clearance.index.parties`, computed on the lists before the name is
held out; see bench/data.py ``holdout``). The screener shows the entries of one linked party as
one result, so ranking first means being that result. Recall is reported for held-out names that
are *variants* of a remaining name (the target population) and, for information, for all
held-out names. Only the queries of *test parties* are judged (:func:`bench.data.is_training_party`):
the other half trained the grey-band calibration model (bench/calibrate.py, on hold-outs of other
seeds), and a model must not be judged on the parties it learned from.
"""

from __future__ import annotations

import random
import time
from typing import Any

from bench import peer
from bench.data import SEED, Pair, holdout, is_training_party
from clearance.index.screener import Screener
from clearance.index.types import Query
from clearance.settings import Settings


def owner_score(ranked: list[tuple[Any, float]], publishers: frozenset[str]) -> float:
    """The best publisher's score if a publisher ranks first, else 0."""
    own = max((s for e, s in ranked if e.entry_id in publishers), default=0.0)
    if any(s > own + 1e-9 for e, s in ranked if e.entry_id not in publishers):
        return 0.0
    return own


def run(pairs: list[Pair], thresholds: list[float], peer_sample: int, sample: int | None = None) -> dict[str, Any]:
    rounds = holdout(pairs, sample)
    # the other parties' names trained the grey-band calibration model (bench/calibrate.py): not judged here
    trained = sum(is_training_party(q[4]) for _, qs in rounds for q in qs)
    position = {e.entry_id: n for n, (_, e) in enumerate(pairs)}
    tagged = sorted(((r, q) for r, (_, qs) in enumerate(rounds) for q in qs if not is_training_party(q[4])), key=lambda t: position[t[1][1]])
    queries = [q for _, q in tagged]
    rng = random.Random(SEED)
    peer_idx = set(rng.sample(range(len(queries)), min(peer_sample, len(queries))))
    ours: list[tuple[str, str, str, float, bool]] = [("", "", "", 0.0, False)] * len(queries)  # (list, script, query, owner score, variant)
    candidates: dict[int, list[Any]] = {}
    build_s = []
    for r, (held_pairs, _) in enumerate(rounds):
        if all(rq != r for rq, _ in tagged):
            continue  # a round of training parties' queries only
        t0 = time.perf_counter()
        screener = Screener.build(held_pairs, Settings.load(environ={}))
        build_s.append(time.perf_counter() - t0)
        by_id = {e.entry_id: e for _, e in held_pairs}
        for i, (rq, (q, owner, code, script, pubs, variant)) in enumerate(tagged):
            if rq != r:
                continue
            matches = screener.screen(Query(q, threshold=0.0, limit=peer.CANDIDATES))
            ours[i] = (code, script, q, owner_score([(m.entry, m.score) for m in matches], pubs), variant)
            if i in peer_idx:
                cands = [m.entry for m in matches]
                if owner not in {e.entry_id for e in cands} and owner in by_id:
                    cands.append(by_id[owner])
                candidates[i] = cands
        del screener
    result: dict[str, Any] = {"queries": len(queries), "training_queries": trained, "build_s": build_s, "rounds": [sum(rq == r for rq, _ in tagged) for r in range(len(rounds))],
                              "ours": ours, "peers": {}}
    for name, algo in peer.load().items():
        scores = []
        for i, cands in sorted(candidates.items()):
            q, owner, code, script, pubs, variant = queries[i]
            qe = peer.query_entity(q)
            ranked = [(e, peer.score(algo, qe, e)) for e in cands]
            scores.append((i, owner_score(ranked, pubs), variant))
        result["peers"][name] = scores
    result["peer_idx"] = sorted(candidates)
    return result


def summarize(res: dict[str, Any], threshold: float) -> dict[str, Any]:
    every = res["ours"]
    ours = [r for r in every if r[4]]

    def rate(rows: list[tuple[str, str, str, float, bool]]) -> float:
        return sum(r[3] >= threshold for r in rows) / len(rows) if rows else 0.0

    per_list: dict[str, list[Any]] = {}
    per_script: dict[str, list[Any]] = {}
    for row in ours:
        per_list.setdefault(row[0], []).append(row)
        per_script.setdefault(row[1], []).append(row)
    sub = [every[i] for i in res["peer_idx"] if every[i][4]]
    out = {
        "recall": rate(ours), "n": len(ours), "training_queries": res.get("training_queries", 0), "recall_all": rate(every), "n_all": len(every),
        "per_list": {k: (rate(v), len(v)) for k, v in sorted(per_list.items())},
        "per_script": {k: (rate(v), len(v)) for k, v in sorted(per_script.items())},
        "ours_on_peer_sample": rate(sub), "peer_n": len(sub),
        "peers": {n: _peer_rate(v) for n, v in res["peers"].items()},
        "misses": [(q, code, round(s, 3)) for code, _, q, s, _ in ours if s < threshold][:25],
        "rounds": res.get("rounds", []),
    }
    return out


def _peer_rate(rows: list[tuple[int, float, bool]]) -> float:
    rows = [r for r in rows if r[2]]
    return sum(s >= peer.THRESHOLD for _, s, _ in rows) / len(rows) if rows else 0.0
