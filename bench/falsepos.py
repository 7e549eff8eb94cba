"""False positives on real non-listed names (see bench/data.py for the filter).

A name is a false positive at threshold T when anything scores >= T for it. Our side screens
every name; the peer re-ranks our top candidates for a seeded sample of names.

Companies (the target population): SEC, FinanceDatabase and pytickersymbols names. Persons
(for information; no target in issue 3): the 1,317 members of the US Congress in
``shared/data/opensanctions/us_congress_senzing_2026-01-02.json.gz`` (public figures, not
sanctions targets; same "really listed" filter), screened without a type as an analyst
screening a meeting's participants would.
"""

from __future__ import annotations

import gzip
import json
import random
from typing import Any

from bench import peer
from bench.data import SEED, SHARED, Pair, core_key, nonsanctioned
from clearance.index.screener import Screener
from clearance.index.types import Query


def persons(pairs: list[Pair]) -> list[str]:
    """Distinct US Congress member names, minus any whose name key is a listed name's."""
    listed = {core_key(n.value) for _, e in pairs for n in e.names}
    out: dict[str, str] = {}
    with gzip.open(SHARED / "opensanctions" / "us_congress_senzing_2026-01-02.json.gz", "rt", encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            rec = json.loads(line)
            if rec.get("RECORD_TYPE") != "PERSON":
                continue
            for n in rec.get("NAMES", []):
                name = (n.get("NAME_FULL") or "").strip()
                if name and core_key(name) not in listed:
                    out.setdefault(name.casefold(), name)
    return list(out.values())


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
    people = persons(pairs)
    person_top: list[tuple[str, float, str]] = []
    person_peers: dict[str, list[float]] = {p: [] for p in algos}
    for name in people:
        ms = screener.screen(Query(name, threshold=0.0, limit=peer.CANDIDATES))
        person_top.append((name, ms[0].score if ms else 0.0, f"{ms[0].entry.list_code} {ms[0].matched_name}" if ms else ""))
        for pname, algo in algos.items():
            qe = peer.query_entity(name)
            person_peers[pname].append(max((peer.score(algo, qe, m.entry) for m in ms), default=0.0))
    return {"names": len(names), "dropped": dropped, "top": top, "peers": peers,
            "ours_on_peer_sample": [ours_sample[n] for n in sample], "person_top": person_top,
            "person_peers": person_peers}


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
        "person_n": len(res["person_top"]),
        "person_fpr": sum(s >= threshold for _, s, _ in res["person_top"]) / len(res["person_top"]) if res["person_top"] else 0.0,
        "person_peers": {n: sum(s >= peer.THRESHOLD for s in v) / len(v) if v else 0.0 for n, v in res["person_peers"].items()},
        "person_examples": sorted(((n, round(s, 3), hit) for n, s, hit in res["person_top"] if s >= threshold),
                                  key=lambda t: -t[1])[:10],
    }
