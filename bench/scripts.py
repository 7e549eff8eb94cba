"""Native-script names against Latin names: does a name in Cyrillic, Arabic, Han or Hangul script
find its own entry when the lists carry that entry in Latin script only?

The alias hold-out (bench/recall.py) rarely asks this: a held-out name counts as a *variant* only
when it shares words with a remaining name, which a name in another script never does. Here every
listed name in one non-Latin script, of an entry that also has a Latin name, is a query against an
index from which *every* non-Latin name is removed, so only the Latin names can answer; it is found
when its entry (or an entry the lists link to it, :func:`clearance.index.parties.link_parties` on
the full lists) ranks first at or above the threshold. Reported per script, for information: the
issue's target is the hold-out's; this shows what a user typing a name in its own script gets.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from bench.data import Pair, party_members
from clearance.index.screener import Screener
from clearance.index.types import Query
from clearance.names import detect_scripts
from clearance.settings import Settings

SCRIPTS = ("Cyrl", "Arab", "Hani", "Hang")


def latin_only(pairs: list[Pair]) -> tuple[list[Pair], list[tuple[str, str, frozenset[str]]]]:
    """(the pairs with every non-Latin name removed -- entries left with none dropped --, the queries:
    (script, native name, the ids of its entry's linked party), for names in one of :data:`SCRIPTS`
    of entries that keep a Latin name)."""
    kept: list[Pair] = []
    queries: list[tuple[str, str, frozenset[str]]] = []
    for (version, entry), party in zip(pairs, party_members(pairs), strict=True):
        latin = tuple(n for n in entry.names if not detect_scripts(n.value))
        if not latin:
            continue
        kept.append((version, replace(entry, names=latin)))
        for n in entry.names:
            scripts = detect_scripts(n.value)
            if len(scripts) == 1 and (script := next(iter(scripts))) in SCRIPTS:
                queries.append((script, n.value, party))
    return kept, queries


def run(pairs: list[Pair], threshold: float) -> dict[str, Any]:
    """Per script: (names found first at or above ``threshold`` by their Latin names, names)."""
    kept, queries = latin_only(pairs)
    screener = Screener.build(kept, Settings.load({"threshold": threshold}, environ={}))
    out: dict[str, list[int]] = {s: [0, 0] for s in SCRIPTS}
    for script, name, publishers in queries:
        top = screener.screen(Query(name, limit=1), explain=False)
        out[script][0] += bool(top) and top[0].entry.entry_id in publishers
        out[script][1] += 1
    return {"threshold": threshold, "per_script": {s: tuple(v) for s, v in out.items() if v[1]}}
