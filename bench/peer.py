"""The peer: nomenklatura's LogicV2 and LogicV1 scorers (the engine behind OpenSanctions' yente).

nomenklatura scores one *pair* of entities; it has no candidate index (yente uses
Elasticsearch for that). To compare scorers on equal terms, the peer re-ranks the same
candidate set clearance's index retrieves for the query (top :data:`CANDIDATES` entries at
threshold 0) plus, for the hold-out, the owning entry itself if the index missed it. Its
threshold is yente's default, 0.70; :func:`at_equal_fpr` also compares at the threshold
where each scorer spends the same false-positive budget as ours. Versions are pinned in pyproject's ``bench`` extra.
"""

from __future__ import annotations

import itertools
from typing import Any

from clearance.model import Entry, Kind

CANDIDATES = 10
THRESHOLD = 0.70
_ids = itertools.count()


def load() -> dict[str, Any]:
    try:
        from nomenklatura.matching import LogicV1, LogicV2
    except ImportError:
        raise SystemExit("the benchmark needs the bench extra: pip install -e '.[bench]'") from None
    return {"LogicV2": LogicV2, "LogicV1": LogicV1}


def versions() -> str:
    from importlib.metadata import version

    return f"nomenklatura {version('nomenklatura')}, rigour {version('rigour')}, followthemoney {version('followthemoney')}"


def _schema(kind: Kind | None) -> str:
    return {Kind.PERSON: "Person", Kind.ORGANIZATION: "Organization", Kind.VESSEL: "Vessel",
            Kind.AIRCRAFT: "Airplane"}.get(kind, "LegalEntity") if kind else "LegalEntity"


def query_entity(name: str) -> Any:
    from followthemoney import model

    e = model.make_entity("LegalEntity")
    e.id = f"q{next(_ids)}"  # nomenklatura caches name analysis by entity id: ids must be unique
    e.add("name", name)
    return e


_cache: dict[str, Any] = {}


def entry_entity(entry: Entry) -> Any:
    key = f"{entry.source}:{entry.entry_id}:{len(entry.names)}"
    if key in _cache:
        return _cache[key]
    from followthemoney import model

    e = model.make_entity(_schema(entry.kind))
    e.id = f"e{next(_ids)}"
    for i, n in enumerate(entry.names):
        e.add("name" if i == 0 else "alias", n.value)
    if entry.birth_dates and e.schema.name == "Person":
        e.add("birthDate", list(entry.birth_dates))
    _cache[key] = e
    return e


def at_equal_fpr(fp_scores: list[float], holdout: list[tuple[float, bool]], grid: list[float],
                 target: float) -> tuple[float, float, float] | None:
    """(threshold, false-positive rate, variant recall) at the lowest ``grid`` threshold whose
    false-positive rate on ``fp_scores`` is <= ``target``: a scorer's recall at the same
    false-positive budget as ours, whatever its own default threshold. ``holdout`` holds
    (owner score, is variant) per hold-out query."""
    variants = [s for s, v in holdout if v]
    for t in grid:
        fpr = sum(s >= t for s in fp_scores) / len(fp_scores) if fp_scores else 0.0
        if fpr <= target:
            return t, fpr, sum(s >= t for s in variants) / len(variants) if variants else 0.0
    return None


def score(algo: Any, query: Any, entry: Entry) -> float:
    return float(algo.compare(query, entry_entity(entry), algo.default_config()).score)
