"""The screener: one query in, the list entries it may refer to out, best first, explained.

Pipeline per query (docs/matching.md walks through an example):

1. validate (:func:`check_name`: empty, too long, nothing left after normalization ->
   :class:`~clearance.errors.InputError` with a clear message; never a silent empty result);
2. normalize with the index vocabulary (so pinyin re-joins into list words);
3. candidate generation from the inverted index: exact, merged and typo-tolerant token hits
   accumulate an upper bound of each alias's score; aliases that cannot reach the threshold are
   dropped before any detailed scoring (this is what keeps p99 latency in single milliseconds);
4. detailed scoring of the survivors (:func:`clearance.index.scorer.score_tokens`), invented
   acronyms discounted by :data:`ACRONYM_FACTOR`;
5. one result per entry (its best alias), adjusted by kind / country / birth date / identifier
   evidence (:mod:`clearance.index.evidence`), filtered by threshold and lists, cut to the limit.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import replace
from typing import Any

import numpy as np
from rapidfuzz import fuzz

from clearance.errors import InputError
from clearance.index.evidence import weigh_evidence
from clearance.index.nameindex import ACRONYM, NameIndex
from clearance.index.parties import Parties
from clearance.index.scorer import (
    COMPOUND_FACTOR,
    MAX_SHARE,
    MIN_MASS,
    PERSON_SHARE,
    pair_similarity,
    score_tokens,
    splits_a_compound,
)
from clearance.index.types import Match, Query
from clearance.model import Entry, Kind
from clearance.names import clean_text, hyphen_compounds, normalize_name
from clearance.names.phonetic import korean_key, skeleton
from clearance.settings import Settings
from clearance.sources.registry import LIST_CODES
from clearance.store.versions import ListVersion

LIST_RANK = {code: i for i, code in enumerate(LIST_CODES)}
MAX_NAME_CHARS = 1000
ACRONYM_FACTOR = 0.88  # an invented acronym is weaker evidence than a published name
# a short name in parentheses ("(ATS)") is published, but as a qualifier: slightly weaker evidence
DERIVED_FACTOR = {"acronym": ACRONYM_FACTOR, "parenthetical": 0.95}
MIN_GEN_WEIGHT = 1.5  # tokens lighter than this (legal forms, generic words) do not generate candidates
MAX_CANDIDATES = 250
CREDIT_CACHE = 200_000  # query tokens whose candidate credits are kept (a few KB each at most)
SLACK = 0.05


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


class Screener:
    def __init__(self, index: NameIndex, settings: Settings) -> None:
        self.index = index
        self.settings = settings
        self._local = threading.local()  # per-thread accumulators (the API screens from several threads)
        self._credits: dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]] = {}  # see _token_credits

    def _buffers(self) -> tuple[np.ndarray, np.ndarray]:
        """This thread's two score accumulators over every alias: allocated once, kept zeroed between queries."""
        bufs: tuple[np.ndarray, np.ndarray] | None = getattr(self._local, "bufs", None)
        if bufs is None:
            n = len(self.index.aliases)
            bufs = self._local.bufs = (np.zeros(n), np.zeros(n))
        return bufs

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
        org = w.tables.org_tokens
        kind = query.kind or (Kind.ORGANIZATION if any(t in org for t in norm.tokens) else None)
        lists = {c.upper() for c in query.lists} if query.lists else None
        best: dict[int, tuple[float, int, Any, tuple[str, ...]]] = {}
        memo: dict[tuple[tuple[str, ...], tuple[str, ...], bool, frozenset[frozenset[str]]], Any] = {}  # the same name is often on several lists
        found = [(a, norm.tokens) for a in self._candidates(norm.tokens, threshold,
                                                            PERSON_SHARE if kind in (None, Kind.PERSON) else MAX_SHARE)]
        if query.kind is not Kind.PERSON:
            found += self._query_acronyms(norm.tokens)
        for alias_id, q_tokens in found:
            alias = self.index.aliases[alias_id]
            version, entry = self.index.entries[alias.entry]
            if lists is not None and entry.list_code.upper() not in lists:
                continue
            if query.kind is Kind.PERSON and entry.kind not in (Kind.PERSON, Kind.UNKNOWN):
                continue
            if query.kind not in (None, Kind.PERSON, Kind.UNKNOWN) and entry.kind is Kind.PERSON:
                continue
            person = entry.kind is Kind.PERSON and kind in (None, Kind.PERSON)
            compounds = hyphen_compounds(alias.value) | hyphen_compounds(text)
            ns = memo.get((q_tokens, alias.tokens, person, compounds))
            if ns is None:
                ns = score_tokens(q_tokens, alias.tokens, w, PERSON_SHARE if person else MAX_SHARE)
                if compounds and splits_a_compound(ns, compounds):  # Smith is not Pridmore-Smith
                    ns = score_tokens(q_tokens, alias.tokens, w, MAX_SHARE)
                    ns = replace(ns, score=ns.score * COMPOUND_FACTOR)
                memo[q_tokens, alias.tokens, person, compounds] = ns
            # the query's acronym met a published short name: as weak as an invented acronym on the list side
            s = ns.score * DERIVED_FACTOR.get(alias.how if q_tokens is norm.tokens else ACRONYM, 1.0)
            prev = best.get(alias.entry)
            if prev is None or s > prev[0]:
                best[alias.entry] = (s, alias_id, ns, q_tokens)
        results: list[Match] = []
        for entry_idx, (name_score, alias_id, ns, q_tokens) in best.items():
            version, entry = self.index.entries[entry_idx]
            score, features = weigh_evidence(name_score, query, entry, kind)
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
                **({"query_acronym": q_tokens[0]} if q_tokens is not norm.tokens else {}),
                "normalized": {"query": norm.text, "name": " ".join(alias.tokens)},
                "transliteration": {
                    "query_scripts": sorted(norm.scripts),
                    "tables": sorted(norm.tables | alias.tables),
                },
                **features,
            }
            results.append(Match(entry, version, score, alias.value, explanation))
        # ties (the same name on several lists) show the export-control lists first, in LIST_CODES order
        results.sort(key=lambda m: (-m.score, LIST_RANK.get(m.entry.list_code, len(LIST_RANK)), m.entry.entry_id))
        return collapse_sources(results, self.index.parties if by_party else None)[:limit]

    def _query_acronyms(self, tokens: tuple[str, ...]) -> list[tuple[int, tuple[str, ...]]]:
        """Published one-word names equal to the query's acronym: "Iran Nuclear Regulatory
        Authority" meets the SDN alias "INRA". The mirror of the acronyms the index derives from
        listed names (:func:`clearance.names.acronyms`, four letters or more), so a long query
        finds an entry that is listed under its short name only."""
        tables = self.index.weights.tables
        core = [t for t in tokens if t not in tables.stopwords and t not in tables.org_tokens and not t.isdigit()]
        acr = "".join(t[0] for t in core)
        # four name words or more, legal forms left out: "Cubic Sensor and Instrument Co., Ltd" is not
        # "CSICL", and three-letter acronyms are shared by too many firms (measured: 111 false positives
        # among the 54,315 non-listed company names with legal-form letters, 3 without)
        if len(core) < 4 or acr in tokens or acr not in self.index.postings:
            return []
        return [(int(a), (acr,)) for a in self.index.postings[acr]
                if self.index.aliases[a].tokens == (acr,) and self.index.aliases[a].how != ACRONYM]

    def _candidates(self, tokens: tuple[str, ...], threshold: float, share: float) -> list[int]:
        """Alias ids whose score upper bound reaches ``threshold`` - SLACK, best bound first.

        Accumulation runs on numpy arrays over all aliases (postings are int32 arrays): the
        Python-level loop over postings was 70 % of batch time. The arrays are reused per thread
        and only the postings a query touched are read and reset (allocating and scanning two
        100,000-slot arrays per query was a fifth of batch time).
        """
        acc_q, acc_c = self._buffers()
        touched: list[np.ndarray] = []
        try:
            return self._accumulate(tokens, threshold, share, acc_q, acc_c, touched)
        finally:
            for p in touched:
                acc_q[p] = 0.0
                acc_c[p] = 0.0

    def _token_credits(self, t: str, wt: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """What one query token credits, as (alias ids, query mass, list-name mass), one row per alias.

        Its exact postings, the aliases where it is two adjacent words, and the list tokens one or
        two edits away, with the same romanization key, the same consonant skeleton or the other
        romanization of a Korean syllable. An alias reached several ways keeps its best credit:
        a query token aligns with one list token, so the best is the bound. Depends on the token
        and the index only, so it is computed once per token and cached (a batch repeats "co",
        "trading", "mohammad" thousands of times; the neighbour lookups were a third of its time).
        """
        idx, w = self.index, self.index.weights
        parts: list[tuple[np.ndarray, float, float]] = []
        if t in idx.postings:
            parts.append((idx.postings[t], wt, wt))
        if t in idx.joined:
            parts.append((idx.joined[t], wt, wt))
        if w.factor(t) == 1.0:
            # list tokens one or two edits away, with the same consonant skeleton or the other
            # romanization of a Korean syllable, credited what the scorer would give the pair
            near = {v for v, _ in idx.fuzzy.similar(t)}
            if (key := skeleton(t)) is not None:
                near.update(idx.phonetic.get(key, ()))
            if (key := korean_key(t)) is not None:
                near.update(idx.korean.get(key, ()))
            near.discard(t)
            for v in sorted(near):
                if (pair := pair_similarity(t, v)) is not None:
                    parts.append((idx.postings[v], wt * pair[0], w(v) * pair[0]))
        if not parts:
            out = (np.zeros(0, dtype=np.int32), np.zeros(0), np.zeros(0))
        elif len(parts) == 1:
            p, q, c = parts[0]
            out = (p, np.full(len(p), q), np.full(len(p), c))
        else:
            ids = np.concatenate([p for p, _, _ in parts])
            qs = np.concatenate([np.full(len(p), q) for p, q, _ in parts])
            cs = np.concatenate([np.full(len(p), c) for p, _, c in parts])
            order = np.lexsort((-qs, ids))  # by alias, best query credit first
            ids, qs, cs = ids[order], qs[order], cs[order]
            first = np.flatnonzero(np.r_[True, ids[1:] != ids[:-1]])
            out = (ids[first], qs[first], np.maximum.reduceat(cs, first))
        if len(self._credits) < CREDIT_CACHE:
            self._credits[t] = out
        return out

    def _accumulate(self, tokens: tuple[str, ...], threshold: float, share: float, acc_q: np.ndarray,
                    acc_c: np.ndarray, touched: list[np.ndarray]) -> list[int]:
        idx, w = self.index, self.index.weights
        uniq = list(dict.fromkeys(tokens))
        skipped = 0.0
        found = False

        def credit(posting: np.ndarray, q_mass: float | np.ndarray, c_mass: float | np.ndarray) -> None:
            nonlocal found
            acc_q[posting] += q_mass
            acc_c[posting] += c_mass
            touched.append(posting)
            found = True

        gen = []
        for t in uniq:
            wt = w(t)
            if wt < MIN_GEN_WEIGHT:
                skipped += wt
            else:
                gen.append((wt, t))
        gen.sort(reverse=True)
        total_q = sum(w(t) for t in uniq)
        # MaxScore-style pruning (Turtle & Flood 1995): an alias reached only through the
        # remaining, lighter tokens covers at most `rest / total_q` of the query, and needs
        # `q_min` to reach the floor even when it is fully covered itself; past that point the
        # long postings of common tokens ("mohammad", "ali") only credit aliases already found.
        q_min = max(0.0, (threshold - SLACK - share) / (1 - share))
        rest = sum(wt for wt, _ in gen) + skipped
        # split words first ("opto electronics" = "optoelectronics"), so the pruning below credits them
        for x, y in zip(tokens, tokens[1:], strict=False):
            if len(x) > 1 and len(y) > 1 and x + y in idx.postings:
                credit(idx.postings[x + y], w(x) + w(y), w(x + y))
        for wt, t in gen:
            if found and total_q and rest / total_q < q_min:
                rest -= wt
                if t in idx.postings:
                    p = idx.postings[t]
                    hit = p[acc_q[p] > 0]
                    acc_q[hit] += wt
                    acc_c[hit] += wt
                continue
            rest -= wt
            credits = self._credits.get(t)
            if credits is None:
                credits = self._token_credits(t, wt)
            if credits[0].size:
                credit(*credits)
        if not found or not total_q:
            return []
        need = max(q_min * total_q - skipped, 1e-12)  # query mass an alias needs before anything else
        if sum(len(p) for p in touched) > len(acc_q) // 8:  # long postings ("mohammad"): one scan is cheaper
            cand = np.flatnonzero(acc_q >= need)
        else:  # the usual case: sort only the few aliases the query reached
            cand = np.unique(np.concatenate(touched))
            cand = cand[acc_q[cand] >= need]
        mq = acc_q[cand]
        mc = acc_c[cand] + skipped
        ub_q = np.minimum(1.0, (mq + skipped) / total_q)
        ub_c = np.minimum(1.0, mc / idx.alias_weight[cand])
        ub = share * np.maximum(ub_q, ub_c) + (1 - share) * np.minimum(ub_q, ub_c)
        mass = (mq + mc) / 2
        ub = np.where(mass < MIN_MASS, ub * np.sqrt(np.clip(mass / MIN_MASS, 0.0, 1.0)), ub)
        keep = ub >= threshold - SLACK
        cand, ub = cand[keep], ub[keep]
        if len(cand) > MAX_CANDIDATES:
            top = np.argpartition(-ub, MAX_CANDIDATES)[:MAX_CANDIDATES]
            cand, ub = cand[top], ub[top]
        order = np.lexsort((cand, -ub))
        return [int(a) for a in cand[order]]
