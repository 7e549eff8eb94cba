"""Benchmark data: the bundled lists, the alias hold-out, and the non-listed company names.

- Lists: every bundled source, imported into a temporary store exactly as ``clearance`` does
  on first use (or an existing store with ``--db``).
- Alias hold-out: see :func:`holdout` (a seeded sample of entries; one name each, removed from
  every entry that publishes it) and :func:`is_variant` (which held-out names are variants of a
  remaining name, the population the recall target is about). A query's right answers are its
  owner, the entries that published one of the owner's names, and the entries the lists' own
  data link to the owner (:mod:`clearance.index.parties`: same identifier, same birth date and
  name, same company name), linked on the lists *before* the held-out name is removed.
- Non-listed names: SEC company tickers (US issuers), FinanceDatabase equities (worldwide) and
  pytickersymbols index constituents from ``shared/data/nonsanctioned``, split in two halves by
  the SHA-256 of the name (:func:`is_training_name`): the *training* half is counted into the
  company-word table the weights use (bench/commonness.py), the *test* half is what the
  false-positive rate is measured on, so no name the engine learned from is judged. Their PROVENANCE warns
  that some of these companies *are* listed (Gazprom, Mechel, China Mobile ...). Filter, stated
  plainly: a name is dropped when its normalized form *without legal-form tokens* equals the
  normalized form (without legal-form tokens) of any name or alias of any loaded entry, in any
  word order, or with the spaces removed ("Opto-electronic" = "Optoelectronic"). This
  removes every exact listing, and only those; a near-listing that survives and matches is
  counted as a false positive against us (conservative).
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import json
import random
import tempfile
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

import yaml

from clearance.app import Clearance
from clearance.index.parties import link_parties
from clearance.model import Entry
from clearance.names import detect_scripts, load_tables, normalize_name
from clearance.settings import Settings
from clearance.store.versions import ListVersion

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared" / "data"
SEED = 20261124

Pair = tuple[ListVersion, Entry]


def load_pairs(db: Path | None = None) -> tuple[list[Pair], Path]:
    """(version, entry) pairs of every bundled list (imported into a temporary store if no db), and the store."""
    if db is None:
        db = Path(tempfile.mkdtemp(prefix="clearance-bench-")) / "clearance.sqlite"
    app = Clearance.open(Settings.load({"db": db}, environ={}))
    try:
        return list(app.store.current_entries()), db
    finally:
        app.close()


def core_key(name: str) -> str:
    """Normalized name without legal-form tokens, in sorted order (the lists print persons both
    "KIM, Jong Un" and "Jong Un KIM"): the key of the 'really listed' filter and of name identity."""
    org = load_tables().org_tokens
    return " ".join(sorted({t for t in normalize_name(name, given_names=False).tokens if t not in org}))


def _significant(tokens: tuple[str, ...]) -> set[str]:
    t = load_tables()
    skip = t.org_tokens | t.stopwords | t.generic | t.places
    return {x for x in tokens if x not in skip and len(x) > 1}


def is_variant(held: tuple[str, ...], others: list[tuple[str, ...]]) -> bool:
    """Whether a held-out name is a *variant* of one of the remaining names of its entry.

    Variant: of the shorter name's significant tokens (not legal forms, particles, generic words
    or places), at least 60 % recur in the other name -- exactly or one or two edits away (OSA
    similarity >= 0.8, tokens of 4+ letters) -- or one name is the acronym of the other.
    "BRODSKI, Ilya Borisovich" / "BRODSKIY, Ilya Borisovich" and "ARAMBULA DE FLORES, Luz del
    Rocio" / "ARAMBULA GARCIA, Luz del Rocio" are variants; "Nilfam Khazar Co." / "Nilco Group"
    and "Peter Zhang" / "Pinzhe Zhang" are different names of one party, which no name matcher
    should connect on the name alone: they are reported separately ("every held-out name").
    """
    from rapidfuzz.distance import OSA

    from clearance.names import acronyms

    def near(x: str, ys: set[str]) -> bool:
        return x in ys or (len(x) >= 4 and any(len(y) >= 4 and OSA.normalized_similarity(x, y) >= 0.8 for y in ys))

    a = _significant(held)
    for other in others:
        if (len(held) == 1 and held[0] in acronyms(other)) or (len(other) == 1 and other[0] in acronyms(held)):
            return True
        b = _significant(other)
        short, long_ = (a, b) if len(a) <= len(b) else (b, a)
        if short and sum(near(x, long_) for x in short) >= 0.6 * len(short):
            return True
    return False


Query = tuple[str, str, str, str, frozenset[str], bool]  # (name, owner id, list, script, publisher ids, variant)
Round = tuple[list[Pair], list[Query]]  # (pairs with this round's held-out names removed, its queries)


def party_members(pairs: list[Pair]) -> list[frozenset[str]]:
    """Per pair, the entry ids of its linked party (:func:`clearance.index.parties.link_parties` on
    ``pairs``: the lists' own data say they are one party), its own id included."""
    linked = link_parties([e for _, e in pairs]).ids.tolist()
    members: dict[int, set[str]] = {}
    for (_, e), p in zip(pairs, linked, strict=True):
        members.setdefault(p, set()).add(e.entry_id)
    frozen = {p: frozenset(ids) for p, ids in members.items()}
    return [frozen[p] for p in linked]


def holdout(pairs: list[Pair], sample: int | None = None, seed: int = SEED) -> list[Round]:
    """The alias hold-out, as rounds of (pairs with the round's held-out names removed, its queries).

    For each sampled entry with two or more distinct names, one name is drawn (seeded) and
    removed from *every* entry that publishes it (same normalized form without legal forms):
    the same party is often listed several times (OFAC SDN and the CSL's copy of it, the UK and
    UN lists, one CSL row per address), and leaving a copy in the index would make the test
    trivial. The query's *party* is the owning entry, plus every entry that published any of the
    owner's names (before removal), plus every entry in the owner's linked party
    (:func:`clearance.index.parties.link_parties` on the original ``pairs``, before removal: the
    UK's and OFAC's entries of one person born on one date, two lists' entries with one passport
    number). Finding any of them first is a correct answer, because the lists themselves say they
    are one party; the screener shows them as one result.

    Each query must face an index that lacks its own name and nothing else of its party. When
    two sampled entries of one party hold out two different names (the CSL's SSI and CONS rows
    of one refinery, each drawing a different alias), removing both from one index would leave
    each query without the other name -- sometimes without any name of its party. Such queries
    go into separate *rounds*, each with its own index; the first round holds almost all of
    them. The queries themselves (names, parties, variant flags) do not depend on the rounds.
    """
    parties = party_members(pairs)
    rng = random.Random(seed)
    eligible = [i for i, (_, e) in enumerate(pairs) if len(e.names) > 1]
    chosen = sorted(rng.sample(eligible, min(sample, len(eligible))) if sample else eligible)
    keys = {i: [core_key(n.value) for n in pairs[i][1].names] for i in chosen}
    held: dict[int, int] = {}
    for i in chosen:
        options = [j for j, k in enumerate(keys[i]) if k and keys[i].count(k) == 1]
        if options:
            # one generator per entry: a table change that alters one entry's options does not
            # redraw every later entry's held-out name (which moved recall by a point between runs)
            held[i] = random.Random(f"{seed}:{pairs[i][1].source}:{pairs[i][1].entry_id}").choice(options)
    wanted = {k for i in held for k in keys[i] if k}
    publishers: dict[str, set[str]] = {}  # name key -> entries publishing it (before removal)
    entry_keys: list[list[str]] = []
    for _, entry in pairs:
        entry_keys.append([core_key(n.value) for n in entry.names])
        for k in entry_keys[-1]:
            if k in wanted:
                publishers.setdefault(k, set()).add(entry.entry_id)
    position = {e.entry_id: n for n, (_, e) in enumerate(pairs)}
    rounds: list[tuple[set[str], set[str], list[Query]]] = []  # (removed keys, their parties' keys, queries)
    for i, j in held.items():
        entry = pairs[i][1]
        name = entry.names[j]
        key = keys[i][j]
        scripts = detect_scripts(name.value)
        rest = [normalize_name(n.value, given_names=False).tokens for k, n in enumerate(entry.names) if k != j]
        variant = is_variant(normalize_name(name.value, given_names=False).tokens, rest)
        party = {entry.entry_id}.union(*(publishers.get(k, set()) for k in keys[i] if k), parties[i])
        query = (name.value, entry.entry_id, entry.list_code, "+".join(sorted(scripts)) if scripts else "Latn", frozenset(party), variant)
        party_keys = {k for e in party for k in entry_keys[position[e]] if k}
        fits = (r for r in rounds if not (r[0] - {key}) & party_keys and (key in r[0] or key not in r[1]))
        removed, covered, queries = next(fits, None) or (set(), set(), [])
        if not queries:
            rounds.append((removed, covered, queries))
        removed.add(key)
        covered.update(party_keys)
        queries.append(query)
    return [(_without(pairs, entry_keys, removed), queries) for removed, _, queries in rounds]


def _without(pairs: list[Pair], entry_keys: list[list[str]], removed: set[str]) -> list[Pair]:
    """The pairs with every name whose key is in ``removed`` dropped (and entries left nameless)."""
    out: list[Pair] = []
    for (version, entry), ks in zip(pairs, entry_keys, strict=True):
        names = tuple(n for n, k in zip(entry.names, ks, strict=True) if k not in removed)
        if names:
            out.append((version, entry if len(names) == len(entry.names) else replace(entry, names=names)))
    return out


def _nonsanctioned_raw() -> Iterable[str]:
    base = SHARED / "nonsanctioned"
    with gzip.open(base / "financedatabase_equities_names.csv.gz", "rt", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            yield row["name"]
    for rec in json.loads((base / "sec_company_tickers_2025-08-24.json").read_text()).values():
        yield rec["title"]
    with (base / "pytickersymbols_1.17.10_index_constituents.csv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            yield row["name"]


def compact_key(name: str) -> str:
    """Normalized name without legal forms and without spaces ("Opto-electronic" = "Optoelectronic")."""
    org = load_tables().org_tokens
    return "".join(t for t in normalize_name(name, given_names=False).tokens if t not in org)


def is_training_name(name: str) -> bool:
    """Whether a non-listed name is in the half the company-word table is built from (even first byte
    of the SHA-256 of its UTF-8 text): a fixed split that anyone can recompute."""
    return hashlib.sha256(name.encode("utf-8")).digest()[0] % 2 == 0


def is_training_party(publishers: frozenset[str]) -> bool:
    """Whether a hold-out query's party trains the calibration model (bench/calibrate.py) -- the
    benchmark then judges recall on the other parties only. Fixed by the SHA-256 of the party's
    smallest entry id (even first byte), so every name of one party falls on one side."""
    return hashlib.sha256(min(publishers).encode("utf-8")).digest()[0] % 2 == 0


LISTED_IN_CORPORA = Path(__file__).parent / "listed_in_corpora.yaml"


def listed_in_corpora() -> frozenset[str]:
    """The corpus names that are listed companies which the exact-name filter misses
    (bench/listed_in_corpora.yaml, each with the entry it was confirmed against)."""
    rows = yaml.safe_load(LISTED_IN_CORPORA.read_text(encoding="utf-8"))["listed"]
    return frozenset(r["name"] for r in rows)


def nonsanctioned(pairs: list[Pair], half: str = "test") -> tuple[list[str], int]:
    """(distinct non-listed names of one half -- "test", "train" or "all" --, how many were dropped
    as really listed)."""
    if half not in ("test", "train", "all"):
        raise ValueError(f"half must be test, train or all, got {half!r}")
    names = [n.value for _, e in pairs for n in e.names]
    listed = {core_key(n) for n in names} | {compact_key(n) for n in names}
    listed.discard("")
    adjudicated = listed_in_corpora()
    seen: set[str] = set()
    kept: list[str] = []
    dropped = 0
    for name in _nonsanctioned_raw():
        name = (name or "").strip()
        if not name or name.casefold() in seen:
            continue
        seen.add(name.casefold())
        key = core_key(name)
        if not key:
            continue
        if key in listed or compact_key(name) in listed or name in adjudicated:
            dropped += 1
            continue
        if half == "all" or is_training_name(name) == (half == "train"):
            kept.append(name)
    return kept, dropped
