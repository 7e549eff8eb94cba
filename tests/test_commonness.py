"""Company-word commonness (clearance/names/tables/company_words.tsv, bench/commonness.py)."""

from __future__ import annotations

from pathlib import Path

from bench.commonness import build
from bench.data import is_training_name, load_pairs, nonsanctioned
from clearance.app import Clearance
from clearance.index.types import Query
from clearance.names.tables import COMPANY_WORDS_FILE


def test_the_table_is_built_from_the_training_half_only(bundled_db: Path) -> None:
    """The committed table is exactly what the training half of the non-listed names gives, so
    the false-positive benchmark (the other half) never judges a name the weights learned from."""
    pairs, _ = load_pairs(bundled_db)
    train, _ = nonsanctioned(pairs, half="train")
    test, _ = nonsanctioned(pairs, half="test")
    assert train and test and not set(train) & set(test)
    assert all(is_training_name(n) for n in train) and not any(is_training_name(n) for n in test)
    assert COMPANY_WORDS_FILE.read_text(encoding="utf-8") == build(bundled_db), \
        "company_words.tsv is stale: run `python -m bench.commonness`"


def test_a_common_word_is_weaker_evidence_than_an_invented_one(bundled_app: Clearance) -> None:
    """"NICE Ltd." (a real Israeli software firm) and "Lion Corporation" (a Japanese consumer-goods
    maker) share one word with EL "O-Nice" and EL "Lion Technology"; a dozen real companies use
    "lion". EL "Theorax" and SDN "SEPANIR" are met exactly and keep full scores."""
    weights = bundled_app.screener().index.weights
    assert weights.common("lion") and weights.commonness("lion") < 0.7
    assert not weights.common("theorax") and weights.commonness("theorax") == 1.0
    threshold = bundled_app.settings.threshold
    for query in ("NICE Ltd.", "Lion Corporation"):
        assert not bundled_app.screen(Query(query, threshold=threshold)), query
    for query, listed in (("Theorax", "Theorax"), ("SEPANIR", "SEPANIR")):
        top = bundled_app.screen(Query(query, threshold=threshold))[0]
        assert top.matched_name == listed and top.score == 1.0
