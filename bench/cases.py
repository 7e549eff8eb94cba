"""Hard cases (``bench/cases/*.yaml``): a query and the entry it must find, or ``null`` for none.

A case with an expected name passes when the first result scores >= the threshold and that
entry publishes a name whose normalized form without legal-form tokens equals the expected
name's (the same party may be listed on several lists; any of them is right). A ``null`` case
passes when nothing reaches the threshold. The peer re-ranks our top candidates plus every
entry publishing the expected name, at its own threshold (0.70).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from bench import peer
from bench.data import Pair, core_key
from clearance.index.screener import Screener
from clearance.index.types import Query
from clearance.model import Kind
from clearance.names import split_variants

CASES = Path(__file__).parent / "cases"


def load_cases() -> list[dict[str, Any]]:
    out = []
    for path in sorted(CASES.glob("*.yaml")):
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        for case in doc["cases"]:
            if "query" not in case or "expect" not in case:
                raise SystemExit(f"{path.name}: every case needs 'query' and 'expect' (got {case})")
            out.append({**case, "file": path.name})
    return out


def _kind(case: dict[str, Any]) -> Kind | None:
    return {"person": Kind.PERSON, "company": Kind.ORGANIZATION}.get(case.get("type") or "")


def _publishes(entry: Any, key: str) -> bool:
    """Whether the entry publishes the name (or a variant of one: "X (NUDT)" publishes "X")."""
    return any(core_key(v) == key for n in entry.names for v, _ in split_variants(n.value))


def at(row: dict[str, Any], threshold: float) -> dict[str, Any]:
    """The case row judged at ``threshold`` ("ours": passed, "got": what a user sees)."""
    hit = bool(row["top"]) and row["raw_score"] >= threshold
    ok = hit and row["top_expected"] if row["expect"] else not hit
    return {**row, "ours": ok, "got": row["top"] if hit else "no match"}


def run(screener: Screener, pairs: list[Pair], threshold: float) -> list[dict[str, Any]]:
    algos = peer.load()
    rows = []
    for case in load_cases():
        q = Query(case["query"], kind=_kind(case), birth_date=case.get("birth_date"), threshold=0.0, limit=peer.CANDIDATES)
        matches = screener.screen(q)
        key = core_key(case["expect"]) if case["expect"] else None
        top = matches[0] if matches else None
        row = at({**case, "score": round(top.score, 3) if top else 0.0, "raw_score": top.score if top else 0.0,
                  "top_expected": top is not None and key is not None and _publishes(top.entry, key),
                  "top": f"{top.entry.list_code} {top.entry.name}" if top else ""}, threshold)
        cands = [m.entry for m in matches]
        if key:
            cands += [e for _, e in pairs if _publishes(e, key) and e not in cands]
        for name, algo in algos.items():
            qe = peer.query_entity(case["query"])
            ranked = sorted(((peer.score(algo, qe, e), i) for i, e in enumerate(cands)), reverse=True)
            best, i = ranked[0] if ranked else (0.0, -1)
            if key is None:
                row[name] = (best < peer.THRESHOLD, round(best, 3))
            else:
                own = max((s for s, j in ranked if _publishes(cands[j], key)), default=0.0)
                row[name] = (own >= peer.THRESHOLD and own >= best - 1e-9, round(own, 3))
        rows.append(row)
    return rows
