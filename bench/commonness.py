"""Build ``clearance/names/tables/company_words.tsv``: how many real, non-listed companies use each word.

Why: the lists' own IDF sees only the lists, where "Lion", "Insight" or "Crystal" are as rare as
"Theorax" or "Sepanir". Among real companies they are not: a name that agrees with a listed one
only on such a word ("Lion Corporation" / EL "Lion Technology") is usually another firm. The
weights (:mod:`clearance.index.weights`) lower a name word by how many companies use it.

Source: the *training half* of the non-listed company names in ``shared/data/nonsanctioned``
(SEC company tickers, FinanceDatabase equities, pytickersymbols; see their PROVENANCE), after
the same "really listed" filter as the false-positive benchmark (bench/data.py). The half is
fixed by the name's SHA-256 (:func:`bench.data.is_training_name`); the benchmark measures false
positives on the *other* half only, so the table never saw a name it is judged on.

Run ``python -m bench.commonness`` after changing the normalizer or the source files; a test
(tests/test_commonness.py) rebuilds the counts and compares them with the committed table.
"""

from __future__ import annotations

import argparse
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from bench.data import load_pairs, nonsanctioned
from clearance.names import normalize_name
from clearance.names.tables import COMPANY_WORDS_FILE

MIN_COUNT = 2  # a word used by one company is not common (and its weight factor would be 1)


def count_words(names: Iterable[str]) -> Counter[str]:
    """Document frequency of normalized tokens over ``names``, words of two letters or more."""
    counts: Counter[str] = Counter()
    for name in names:
        counts.update({t for t in normalize_name(name).tokens if len(t) > 1 and not t.isdigit()})
    return counts


def render(counts: Counter[str], n_names: int) -> str:
    rows = sorted(((t, c) for t, c in counts.items() if c >= MIN_COUNT), key=lambda r: (-r[1], r[0]))
    head = [
        "# Words of real, non-listed company names, and how many of the names use them.",
        "# Built by `python -m bench.commonness` (see its docstring) from the training half of",
        "# shared/data/nonsanctioned (SEC company tickers 2025-08-24, public domain; FinanceDatabase",
        "# equities, MIT licence; pytickersymbols 1.17.10, MIT licence), names on the bundled lists removed.",
        f"# names: {n_names}; words used by {MIN_COUNT} or more names: {len(rows)}",
        "# word<TAB>names",
    ]
    return "\n".join([*head, *(f"{t}\t{c}" for t, c in rows)]) + "\n"


def build(db: Path | None = None) -> str:
    pairs, _ = load_pairs(db)
    train, _ = nonsanctioned(pairs, half="train")
    return render(count_words(train), len(train))


def main() -> None:
    ap = argparse.ArgumentParser(prog="python -m bench.commonness", description=__doc__)
    ap.add_argument("--db", type=Path, help="existing store (default: import the bundled lists into a temp store)")
    ap.add_argument("--out", type=Path, default=COMPANY_WORDS_FILE)
    args = ap.parse_args()
    text = build(args.db)
    args.out.write_text(text, encoding="utf-8")
    print(f"{args.out}: {text.count(chr(10)) - 6} words")


if __name__ == "__main__":
    main()
