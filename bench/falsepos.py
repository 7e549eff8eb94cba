"""False positives on real non-listed names (see bench/data.py for the filter).

A name is a false positive at threshold T when anything scores >= T for it. Our side screens
every name; the peer re-ranks our top candidates for a seeded sample of names.

Companies (the target population): SEC, FinanceDatabase and pytickersymbols names. Persons
(for information; no target in issue 3), screened without a type as an analyst screening a
meeting's participants would, with the same "really listed" filter: the 1,317 members of the US
Congress in ``shared/data/opensanctions/us_congress_senzing_2026-01-02.json.gz`` (public figures,
not sanctions targets), reported in full and on the half no model learned from; and the test half
of the Saudi politically exposed persons' names (:func:`peps`), Arabic names of the kind the SDN
list is full of, in Latin, Arabic and other scripts.
"""

from __future__ import annotations

import gzip
import json
import random
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from bench import peer
from bench.data import SEED, SHARED, Pair, core_key, is_training_name, nonsanctioned
from clearance.index.screener import Screener
from clearance.index.types import Query
from clearance.names import normalize_name


def _not_listed(pairs: list[Pair], names: Iterable[str]) -> list[str]:
    """Distinct names (case-folded), minus any whose name key is a listed name's."""
    listed = {core_key(n.value) for _, e in pairs for n in e.names}
    out: dict[str, str] = {}
    for name in names:
        name = name.strip()
        if name and core_key(name) not in listed:
            out.setdefault(name.casefold(), name)
    return list(out.values())


def _jsonl(path: Path) -> Iterator[dict[str, Any]]:
    with gzip.open(path, "rt", encoding="utf-8") as f:
        yield from (json.loads(line) for line in f if line.strip())


def persons(pairs: list[Pair]) -> list[str]:
    """Distinct US Congress member names, minus any whose name key is a listed name's."""
    recs = (r for r in _jsonl(SHARED / "opensanctions" / "us_congress_senzing_2026-01-02.json.gz") if r.get("RECORD_TYPE") == "PERSON")
    return _not_listed(pairs, (n.get("NAME_FULL") or "" for r in recs for n in r.get("NAMES", [])))


def peps(pairs: list[Pair]) -> list[str]:
    """Distinct names and aliases of the 607 Saudi politically exposed persons in
    ``shared/data/opensanctions/sa_wiki_peps_entities`` (Wikidata; not sanctions targets), minus any
    whose name key is a listed name's: Arabic names, in Latin and Arabic script, as the SDN's are.
    A person one of whose names *is* listed (Usama bin Ladin) is left out with all their names, and
    so is a label of one word ("Maryam", "Saud", a Wikidata id): nobody screens a person by a given
    name alone."""
    listed = {core_key(n.value) for _, e in pairs for n in e.names}
    recs = (r for r in _jsonl(SHARED / "opensanctions" / "sa_wiki_peps_entities.ftm_2024-03.json.gz") if r.get("schema") == "Person")
    labels = ([n for key in ("name", "alias") for n in r["properties"].get(key, []) if len(normalize_name(n).tokens) >= 2]
              for r in recs)
    people = (names for names in labels if not any(core_key(n) in listed for n in names))
    return _not_listed(pairs, (n for names in people for n in names))


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
    populations = {}
    for label, people in (("person", persons(pairs)), ("pep", [n for n in peps(pairs) if not is_training_name(n)])):
        person_top: list[tuple[str, float, str]] = []
        person_peers: dict[str, list[float]] = {p: [] for p in algos}
        for name in people:
            ms = screener.screen(Query(name, threshold=0.0, limit=peer.CANDIDATES))
            person_top.append((name, ms[0].score if ms else 0.0, f"{ms[0].entry.list_code} {ms[0].matched_name}" if ms else ""))
            for pname, algo in algos.items():
                qe = peer.query_entity(name)
                person_peers[pname].append(max((peer.score(algo, qe, m.entry) for m in ms), default=0.0))
        populations[f"{label}_top"], populations[f"{label}_peers"] = person_top, person_peers
    return {"names": len(names), "dropped": dropped, "top": top, "peers": peers,
            "ours_on_peer_sample": [ours_sample[n] for n in sample], **populations}


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
        "person_test_n": sum(not is_training_name(n) for n, _, _ in res["person_top"]),
        "person_test_fpr": _rate([s for n, s, _ in res["person_top"] if not is_training_name(n)], threshold),
        "pep_n": len(res["pep_top"]), "pep_fpr": _rate([s for _, s, _ in res["pep_top"]], threshold),
        "pep_peers": {n: _rate(v, peer.THRESHOLD) for n, v in res["pep_peers"].items()},
        "pep_examples": sorted(((n, round(s, 3), hit) for n, s, hit in res["pep_top"] if s >= threshold), key=lambda t: -t[1])[:10],
    }


def _rate(scores: list[float], threshold: float) -> float:
    return sum(s >= threshold for s in scores) / len(scores) if scores else 0.0
