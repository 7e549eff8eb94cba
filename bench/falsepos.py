"""False positives on real non-listed company names (see bench/data.py for the filter).

A name is a false positive at threshold T when anything scores >= T for it. Our side screens
every name; the peer re-ranks our top candidates for a seeded sample of names.
"""

from __future__ import annotations

import random
from typing import Any

from bench import peer
from bench.data import SEED, Pair, nonsanctioned
from clearance.index.screener import Screener
from clearance.index.types import Query


def run(screener: Screener, pairs: list[Pair], peer_sample: int, floor: float) -> dict[str, Any]:
    names, dropped = nonsanctioned(pairs)
    top: list[tuple[str, float, str]] = []
    for name in names:
        m = screener.screen(Query(name, threshold=floor, limit=1))
        top.append((name, m[0].score if m else 0.0, f"{m[0].entry.list_code} {m[0].matched_name}" if m else ""))
    rng = random.Random(SEED)
    sample = rng.sample(names, min(peer_sample, len(names)))
    peers: dict[str, list[float]] = {}
    algos = peer.load()
    cands = {n: [m.entry for m in screener.screen(Query(n, threshold=0.0, limit=peer.CANDIDATES))] for n in sample}
    for pname, algo in algos.items():
        scores = []
        for n in sample:
            qe = peer.query_entity(n)
            scores.append(max((peer.score(algo, qe, e) for e in cands[n]), default=0.0))
        peers[pname] = scores
    ours_sample = {n: s for n, s, _ in top}
    return {"names": len(names), "dropped": dropped, "top": top, "peers": peers,
            "ours_on_peer_sample": [ours_sample[n] for n in sample]}


def summarize(res: dict[str, Any], threshold: float) -> dict[str, Any]:
    top = res["top"]
    fps = sorted((t for t in top if t[1] >= threshold), key=lambda t: -t[1])
    sample = res["ours_on_peer_sample"]
    return {
        "fpr": len(fps) / len(top) if top else 0.0, "n": len(top), "dropped": res["dropped"],
        "ours_on_peer_sample": sum(s >= threshold for s in sample) / len(sample) if sample else 0.0,
        "peer_n": len(sample),
        "peers": {n: sum(s >= peer.THRESHOLD for s in v) / len(v) if v else 0.0 for n, v in res["peers"].items()},
        "examples": [(n, round(s, 3), hit) for n, s, hit in fps[:25]],
    }
