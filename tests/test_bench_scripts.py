"""bench/scripts.py: native-script names are queried against an index of Latin names only."""

from __future__ import annotations

from bench.scripts import latin_only
from clearance.app import Clearance
from clearance.names import detect_scripts


def test_queries_are_native_names_and_the_index_keeps_latin_names_only(bundled_app: Clearance) -> None:
    pairs = list(bundled_app.store.current_entries())
    kept, queries = latin_only(pairs)
    assert all(not detect_scripts(n.value) for _, e in kept for n in e.names)
    scripts = {s for s, _, _ in queries}
    assert {"Cyrl", "Arab", "Hani", "Hang"} <= scripts
    # a real one: UK's Hangul alias of RI CHANG HO, whose entry keeps its Latin name
    ri = next(p for s, name, p in queries if name == "리창호")
    kept_ids = {e.entry_id for _, e in kept}
    assert ri & kept_ids
    assert len(queries) > 3000
