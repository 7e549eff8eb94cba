"""The screener: one query in, the list entries it may refer to out, best first, explained.

Pipeline per query (docs/matching.md walks through an example):

1. validate (:func:`check_name`: empty, too long, nothing left after normalization ->
   :class:`~clearance.errors.InputError` with a clear message; never a silent empty result);
2. normalize with the index vocabulary (so pinyin re-joins into list words); a query that packs
   several names ("X (a.k.a. Y)", "X (f.k.a. Y)", "X (XYZ)") is also screened under each
   (:func:`query_variants`), as the index does for listed strings;
3. candidate generation from the inverted index: exact, merged and typo-tolerant token hits
   accumulate an upper bound of each alias's score; aliases that cannot reach the threshold are
   dropped before any detailed scoring (this is what keeps p99 latency in single milliseconds);
4. detailed scoring of the survivors (:func:`clearance.index.scorer.score_tokens`), invented
   acronyms discounted by :data:`~clearance.index.nameindex.ACRONYM_FACTOR`;
5. one result per entry (its best alias), adjusted by the kinds' agreement
   (:func:`~clearance.index.evidence.weigh_kind`);
6. a result scored in the grey band 0.70-0.90 re-scored by the learned calibration
   (:mod:`clearance.index.calibration`: one model for listed persons, one for every other entry;
   the bound of step 3 prunes at each model's band floor);
7. adjusted by country / birth date / identifier evidence (:func:`~clearance.index.evidence.weigh_facts`),
   then filtered by threshold and lists, cut to the limit.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from typing import Any

import numpy as np
from rapidfuzz import fuzz

from clearance.errors import InputError
from clearance.index.calibration import FEATURES, Calibration, load_calibration
from clearance.index.calibration import features as calibration_features
from clearance.index.candidates import EPS, Candidates
from clearance.index.evidence import KIND_CONFLICT, kind_code, max_gain, weigh_facts, weigh_kind
from clearance.index.nameindex import ACRONYM, ARABIC_READING, DERIVED_FACTOR, NameIndex
from clearance.index.parties import Parties
from clearance.index.scorer import (
    COMPOUND_FACTOR,
    MAX_SHARE,
    NASAB_FACTOR,
    PERSON_SHARE,
    own_name_unmatched,
    score_tokens,
    splits_a_compound,
)
from clearance.index.types import Match, Query
from clearance.model import Entry, Kind
from clearance.names import clean_text, hyphen_compounds, natural_order, normalize_name, split_variants
from clearance.names.arabic import ARABIC, ArabicReader
from clearance.settings import Settings
from clearance.sources.registry import LIST_CODES
from clearance.store.versions import ListVersion

LIST_RANK = {code: i for i, code in enumerate(LIST_CODES)}
MAX_NAME_CHARS = 1000
UNBOUNDED = float("inf")  # the score bound of a candidate found without one (the query's acronym)


def collapse_sources(results: list[Match], parties: Parties | None = None) -> list[Match]:
    """One result per listed party: the same entry (list code + publisher id, e.g. SDN ent_num 20157)
    published by two sources (the CSL and OFAC's own file) is shown once, from the newest list version,
    with the other sources named in ``explanation["also_in"]``. With ``parties``, entries of one party
    (:mod:`clearance.index.parties`: the UK's and OFAC's entries of one person) are then shown once too,
    as their best result (ties: list order), the others in ``also_in`` with their score and the link
    reason. ``results`` is sorted best first."""
    groups: dict[tuple[str, str], list[Match]] = {}
    for m in results:
        groups.setdefault((m.entry.list_code, m.entry.entry_id), []).append(m)
    out = []
    for m in results:
        group = groups.pop((m.entry.list_code, m.entry.entry_id), None)
        if group is None:
            continue
        if len(group) == 1:
            out.append(m)
            continue
        best = max(group, key=lambda g: (g.score, g.version.as_of or ""))
        others = [{"source": g.entry.source, "version_id": g.version.version_id, "as_of": g.version.as_of}
                  for g in group if g is not best]
        out.append(Match(best.entry, best.version, best.score, best.matched_name,
                         {**best.explanation, "also_in": others} if best.explanation else best.explanation))
    return out if parties is None else _collapse_parties(out, parties)


def _collapse_parties(results: list[Match], parties: Parties) -> list[Match]:
    """Results of one party folded into the first (best) of them; see :func:`collapse_sources`."""
    where = [parties.position(m.entry) for m in results]
    members: dict[int, list[tuple[Match, int]]] = {}
    for m, pos in zip(results, where, strict=True):
        if pos is not None:
            members.setdefault(int(parties.ids[pos]), []).append((m, pos))
    out = []
    for m, pos in zip(results, where, strict=True):
        if pos is None:  # not an entry of this index: nothing to fold
            out.append(m)
            continue
        group = members.pop(int(parties.ids[pos]), None)
        if group is None:  # folded into a better result of its party
            continue
        if len(group) == 1 or not m.explanation:
            out.append(m)
            continue
        also = list(m.explanation.get("also_in", ()))
        for other, other_pos in group[1:]:
            item = {"list": other.entry.list_code, "entry_id": other.entry.entry_id, "name": other.entry.name,
                    "score": round(other.score, 4), "reason": parties.reason(pos, other_pos)}
            also.append({**item, "source": other.entry.source, "version_id": other.version.version_id,
                         "as_of": other.version.as_of})
            also.extend({**item, **dup} for dup in other.explanation.get("also_in", ()))
        out.append(Match(m.entry, m.version, m.score, m.matched_name, {**m.explanation, "also_in": also}))
    return out


def check_name(name: object) -> str:
    """The cleaned query name, or InputError saying what is wrong with it."""
    if not isinstance(name, str):
        raise InputError(f"name must be text, got {type(name).__name__}", field="name")
    if len(name) > MAX_NAME_CHARS:
        raise InputError(f"name is {len(name)} characters long; the limit is {MAX_NAME_CHARS}", field="name")
    text = clean_text(name)
    if not text:
        raise InputError("name is empty (or only whitespace / control characters)", field="name")
    return text


def query_variants(text: str) -> list[tuple[str, str]]:
    """The names packed into one query string, beyond the string itself, read as the lists' own
    strings are (:func:`clearance.names.split_variants`): "X (a.k.a. Y; Z)", "X (f.k.a. Y)", "X; Y",
    "X (XYZ)" with an acronym or leading words of X in parentheses, a web address. A plain name
    has none, so the common case costs nothing."""
    if "(" not in text and "." not in text and ":" not in text and ";" not in text:
        return []
    return [(v, how) for v, how in split_variants(text)[1:]]


class Screener:
    def __init__(self, index: NameIndex, settings: Settings) -> None:
        self.index = index
        self.settings = settings
        self.candidates = Candidates(index)
        # the grey band's learned model (clearance.index.calibration); None: the formula's score alone
        cal = load_calibration() if settings.calibration else None
        if cal is not None and not settings.person_calibration:
            cal = replace(cal, person=None)  # listed persons keep the formula's score
        self.calibration: Calibration | None = cal
        self._compounds: dict[int, frozenset[frozenset[str]]] = {}  # alias id -> hyphen_compounds of its text
        self._natural: dict[int, tuple[str, ...] | None] = {}  # alias id -> its words in natural order (persons)
        self._arabic: ArabicReader | None = None  # see arabic_reader

    def alias_compounds(self, alias_id: int) -> frozenset[frozenset[str]]:
        """The hyphenated compounds of an alias's text (:func:`hyphen_compounds`), computed once."""
        c = self._compounds.get(alias_id)
        if c is None:
            c = self._compounds[alias_id] = hyphen_compounds(self.index.aliases[alias_id].value)
        return c

    def arabic_reader(self) -> ArabicReader:
        """Latin readings of Arabic-script words from the index's words (built on first use, ~0.2 s),
        the spellings of entries tied to a country that writes Arabic script first.
        A word the abbreviation table rewrites ("saderat" -> export) is read as printed; the
        normalization that follows rewrites it."""
        if self._arabic is None:
            tables = self.index.weights.tables
            # word -> Latin list names using it, overall and among entries tied to Arabic-script
            # countries; a name in another script is no Latin spelling (anyascii's "mhmd", "akhwnd")
            counts: dict[str, int] = {}
            regional: dict[str, int] = {}
            for alias in self.index.aliases:
                if alias.scripts:
                    continue
                tied = bool(tables.arabic_countries.intersection(self.index.entries[alias.entry][1].countries))
                for t in set(alias.tokens):
                    counts[t] = counts.get(t, 0) + 1
                    if tied:
                        regional[t] = regional.get(t, 0) + 1
            for word, canonical in tables.abbreviations.items():
                if " " not in word:
                    for table in (counts, regional):
                        if canonical in table:
                            table.setdefault(word, table[canonical])
            self._arabic = ArabicReader(counts, tables.arabic_words, regional)
        return self._arabic

    def alias_natural_order(self, alias_id: int) -> tuple[str, ...] | None:
        """A listed person's alias printed surname first, in natural order (:func:`natural_order`), computed once."""
        if alias_id not in self._natural:
            self._natural[alias_id] = natural_order(self.index.aliases[alias_id].value, self.index.vocab)
        return self._natural[alias_id]

    def band_features(self, entry_idx: int, best: tuple[float, int, Any, tuple[str, ...], str],
                    weighed: tuple[float, dict[str, Any]], org: frozenset[str]) -> list[float]:
        """The calibration model's features of one entry's best alias (:func:`calibration.features`)."""
        _, alias_id, ns, q_tokens, q_how = best
        alias = self.index.aliases[alias_id]
        entry = self.index.entries[entry_idx][1]
        score, evidence = weighed
        return calibration_features(score, q_tokens, alias.tokens, ns, self.index.weights, org, entry.kind.value,
                                    alias.how, q_how, evidence.get("kind") == "conflict")

    @classmethod
    def build(cls, pairs: Iterable[tuple[ListVersion, Entry]], settings: Settings) -> Screener:
        return cls(NameIndex(pairs), settings)

    def screen(self, query: Query, *, explain: bool = True, by_party: bool = False) -> list[Match]:
        """Results for ``query``, best first. ``explain=False`` (batch) skips building explanations.
        ``by_party=True`` shows each linked party once (:func:`collapse_sources`). Off by default:
        the license check (``rules/parties.py`` ``resolve``) and the monitor's hit key read every
        listed entry from these results, and a folded SDN entry would drop its rules."""
        text = check_name(query.name)
        threshold = self.settings.threshold if query.threshold is None else query.threshold
        limit = self.settings.limit if query.limit is None else query.limit
        if not 0.0 <= threshold <= 1.0:
            raise InputError(f"threshold must be between 0 and 1, got {threshold}", field="threshold")
        if limit < 1:
            raise InputError(f"limit must be at least 1, got {limit}", field="limit")
        norm = normalize_name(text, self.index.vocab)
        if not norm.tokens:
            raise InputError(f"name {text!r} has no letters or digits to screen", field="name")
        w = self.index.weights
        org, nasab = w.tables.org_tokens, w.tables.nasab
        legal_form = any(t in org for t in norm.tokens)
        # a legal form or a word for a kind of body ("Fund", "Ministry") makes the query an organization's name
        kind = query.kind or (Kind.ORGANIZATION if legal_form or not w.tables.bodies.isdisjoint(norm.tokens) else None)
        lists = {c.upper() for c in query.lists} if query.lists else None
        best: dict[int, tuple[float, int, Any, tuple[str, ...], str]] = {}
        memo: dict[tuple[tuple[str, ...], tuple[str, ...], bool, tuple[str, ...] | None, frozenset[frozenset[str]]], Any] = {}  # the same name is often on several lists
        cal = self.calibration
        # the lowest name score that can still reach the threshold (calibration may lift one from its band)
        floor = (cal.floor(threshold) if cal is not None else threshold) / max_gain(query)
        person_floor = (cal.floor(threshold, Kind.PERSON) if cal is not None else threshold) / max_gain(query)
        # (alias, its score bound, the query's tokens, how they were read)
        found = [(a, ub, norm.tokens, "published") for a, ub in self.candidates.find_bounded(norm.tokens, floor, kind, person_floor)]
        if query.kind is not Kind.PERSON:
            found += [(a, UNBOUNDED, acr, ACRONYM) for a, acr in self.candidates.query_acronyms(norm.tokens)]
        # the names packed in the query, as the lists pack theirs ("Far East Trading Company, Inc. (a.k.a. FETCO,
        # Inc.)"), and Arabic script read in the Latin spellings the lists use (short vowels unwritten, names/arabic.py)
        variants = query_variants(text)
        if ARABIC.search(text):
            variants += [(reading, ARABIC_READING) for reading in self.arabic_reader().readings(text)]
        for variant, how in variants:
            tokens = normalize_name(variant, self.index.vocab).tokens
            if tokens and tokens != norm.tokens:
                found += [(a, ub, tokens, how) for a, ub in self.candidates.find_bounded(tokens, floor, kind, person_floor)]
        text_compounds = hyphen_compounds(text)
        q_natural: list[tuple[str, ...] | None] = []  # the query in natural order, read when a person's alias needs it
        query_kind, alias_kind = kind_code(kind), self.index.alias_kind
        for alias_id, bound, q_tokens, q_how in found:
            alias = self.index.aliases[alias_id]
            if legal_form and alias.how == ACRONYM:
                # "ISMT Limited" is a company registered under those letters, not EL "Integrated Scientific
                # Microwave Technology" abbreviated by us: 12 false positives at 0.80 (of 114), no hold-out query
                continue
            version, entry = self.index.entries[alias.entry]
            if lists is not None and entry.list_code.upper() not in lists:
                continue
            if query.kind is Kind.PERSON and entry.kind not in (Kind.PERSON, Kind.UNKNOWN):
                continue
            if query.kind not in (None, Kind.PERSON, Kind.UNKNOWN) and entry.kind is Kind.PERSON:
                continue
            prev = best.get(alias.entry)
            if prev is not None:
                # the bound covers the kind conflict (Candidates.find_bounded), the best so far does not yet
                conflict = KIND_CONFLICT if query_kind and alias_kind[alias_id] and alias_kind[alias_id] != query_kind else 1.0
                if bound + EPS < prev[0] * conflict:
                    continue  # another alias of this entry already scores more than this one can
            person = entry.kind is Kind.PERSON and kind in (None, Kind.PERSON)
            compounds = self.alias_compounds(alias_id) | text_compounds
            natural = self.alias_natural_order(alias_id) if person else None
            ns = memo.get((q_tokens, alias.tokens, person, natural, compounds))
            if ns is None:
                ns = score_tokens(q_tokens, alias.tokens, w, PERSON_SHARE if person else MAX_SHARE)
                if compounds and splits_a_compound(ns, compounds):  # Smith is not Pridmore-Smith
                    ns = score_tokens(q_tokens, alias.tokens, w, MAX_SHARE)
                    ns = replace(ns, score=ns.score * COMPOUND_FACTOR)
                if person and not q_natural:
                    q_natural.append(natural_order(text, self.index.vocab) if "," in text else None)
                if person and (own := own_name_unmatched(ns, q_tokens, alias.tokens, nasab,
                                                         (q_natural[0] if q_how == "published" else None,
                                                          natural))) is not None:
                    ns = replace(ns, score=ns.score * NASAB_FACTOR, own_name_unmatched=own)  # the son of a namesake
                memo[q_tokens, alias.tokens, person, natural, compounds] = ns
            # the query's acronym met a published short name: as weak as an invented acronym on the list side;
            # a name derived from the query is discounted like one derived from the list
            s = ns.score * (DERIVED_FACTOR.get(q_how, 1.0) if q_how == ACRONYM
                            else DERIVED_FACTOR.get(alias.how, 1.0) * DERIVED_FACTOR.get(q_how, 1.0))
            if prev is None or s > prev[0]:
                best[alias.entry] = (s, alias_id, ns, q_tokens, q_how)
        weighed = {i: weigh_kind(b[0], self.index.entries[i][1], kind) for i, b in best.items()}
        calibrated: dict[int, tuple[Calibration, float, float, list[float]]] = {}  # entry -> (model, score before, p, features)
        if cal is not None:
            by_model: dict[int, tuple[Calibration, list[int]]] = {}
            for i, (score, _) in weighed.items():
                entry_kind = self.index.entries[i][1].kind
                if cal.applies(score, entry_kind):
                    model = cal.model_for(entry_kind)
                    assert model is not None  # applies() says so
                    by_model.setdefault(id(model), (model, []))[1].append(i)
            for model, band in by_model.values():
                rows = [self.band_features(i, best[i], weighed[i], org) for i in band]
                for i, p, row in zip(band, model.probability(np.array(rows)).tolist(), rows, strict=True):
                    score, features = weighed[i]
                    calibrated[i] = (model, score, p, row)
                    weighed[i] = (model.band_score(p), features)
        weighed = {i: weigh_facts(score, query, self.index.entries[i][1], features) for i, (score, features) in weighed.items()}
        results: list[Match] = []
        for entry_idx, (name_score, alias_id, ns, q_tokens, q_how) in best.items():
            version, entry = self.index.entries[entry_idx]
            score, features = weighed[entry_idx]
            if score < threshold:
                continue
            alias = self.index.aliases[alias_id]
            if not explain:
                results.append(Match(entry, version, score, alias.value))
                continue
            explanation = {
                "name_score": round(name_score, 4),
                "token_agreement": ns.token_agreement(),
                "edit_similarity": round(fuzz.token_sort_ratio(norm.text, " ".join(alias.tokens)) / 100, 3),
                "alias": {"how": alias.how, "role": alias.role.value},
                **({"query_acronym": q_tokens[0]} if q_how == ACRONYM else {}),
                **({"query_variant": {"how": q_how, "name": " ".join(q_tokens)}}
                   if q_how not in ("published", ACRONYM) else {}),
                "normalized": {"query": norm.text, "name": " ".join(alias.tokens)},
                "transliteration": {
                    "query_scripts": sorted(norm.scripts),
                    "tables": sorted(norm.tables | alias.tables),
                },
                **features,
            }
            if entry_idx in calibrated:
                model, before, p, row = calibrated[entry_idx]
                explanation["calibration"] = {"score_before": round(before, 4), "probability": round(p, 4),
                                              "band": [model.low, model.high], "model": "person" if model is not cal else "default",
                                              "features": dict(zip(FEATURES, row, strict=True))}
            results.append(Match(entry, version, score, alias.value, explanation))
        # ties (the same name on several lists) show the export-control lists first, in LIST_CODES order
        results.sort(key=lambda m: (-m.score, LIST_RANK.get(m.entry.list_code, len(LIST_RANK)), m.entry.entry_id))
        return collapse_sources(results, self.index.parties if by_party else None)[:limit]
