"""The benchmark's alias hold-out (bench/data.py ``holdout``) on the bundled lists."""

from __future__ import annotations

from pathlib import Path

from bench.data import core_key, holdout, load_pairs


def test_each_query_loses_its_own_name_and_nothing_else_of_its_party(bundled_db: Path) -> None:
    """Every query faces an index (its round's pairs) without its own name on any entry of its
    party, but with every other name of that party. The CSL prints SSI "ANGARSK REFINERY" and CONS
    "OJSC ANGARSK PETROCHEMICAL COMPANY" as one party under both names; the two entries hold out
    one name each, so the two queries must run against two indexes, each holding the other name."""
    pairs, _ = load_pairs(bundled_db)
    original = {e.entry_id: e for _, e in pairs}
    rounds = holdout(pairs, 3000)
    assert len(rounds) > 1 and len(rounds[0][1]) > 10 * sum(len(qs) for _, qs in rounds[1:])
    round_of: dict[str, int] = {}
    for r, (held, queries) in enumerate(rounds):
        present = {e.entry_id: {n.value for n in e.names} for _, e in held}
        for name, owner, *_, party, _variant in queries:
            round_of[name.casefold()] = r
            key = core_key(name)
            assert owner in party
            for entry_id in party:
                for n in original[entry_id].names:
                    kept = n.value in present.get(entry_id, set())
                    assert kept == (core_key(n.value) != key), (name, entry_id, n.value, r)
    assert round_of["angarsk refinery"] != round_of["ojsc angarsk petrochemical company"]
