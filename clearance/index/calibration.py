"""Calibration of the grey band: a learned model decides the names the hand-built score is least sure of.

Why: the name score (:mod:`clearance.index.scorer`) is a formula with a handful of documented
factors. Far from the threshold it is reliable -- above 0.90, 0.02 % of real non-listed companies
score; below 0.70 few listed variants do -- but between the two, real variants ("Wisdom
Technology" / "Beijing Innovation Wisdom Technology Co., Ltd.", 0.74) and look-alikes ("Lion
Corp" / "Lion Technology") are mixed. Many small signals separate them: how heavy the unmatched
distinctive words are on each side, how many pairs agree, whether the one agreeing word is common
among real companies, the kinds. A logistic model over those signals (:data:`FEATURES`), trained on the lists' own alias hold-out and on real non-listed company names
(``python -m bench.calibrate``; the file records what it was trained on), weighs them jointly.

How it is used: only a result whose score falls in the band ``[low, high)`` (0.70-0.90) is
re-scored (:meth:`Calibration.applies`). A listed person's result is re-scored by a second model of
the same form, trained on person rows only (:attr:`Calibration.person`): the signals that tell a
namesake from a respelling are not those that tell a look-alike company, and one model over both
raised the US Congress members' false-positive rate from 0.67 % to 2 % (session 6). The model's probability ``p`` is mapped back into the band, piecewise linearly, so that
the model's operating point (the ``p`` at which the training non-listed names keep a
false-positive rate of 0.5 %) lands on the default threshold: scores above ``high`` and below
``low`` are untouched, 1.0 is still an exact name, and a user threshold keeps its meaning on both
sides of the band. The explanation reports the band score, ``p`` and the features.

The model is a logistic regression over standardized features: each feature's contribution to
the log-odds is its standardized value times its coefficient, so the explanation can say which
features moved a score. Gradient-boosted trees looked twice as good in a first experiment, but
the gain came from the hold-out index itself (held-out names shift the weights of their words)
and vanished when matches and non-matches were screened against one index; the logistic model's
gain held in every setting tried (session 7, docs/matching.md). It is stored as plain arrays
(``tables/calibration.json``) and evaluated with numpy: scikit-learn trains it, screening does
not need it.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

from clearance.index.nameindex import ARABIC_READING
from clearance.index.scorer import NameScore
from clearance.index.weights import TokenWeights
from clearance.model import Kind

CALIBRATION_FILE = Path(__file__).parent / "tables" / "calibration.json"
HOWS = ("exact", "merged", "translit", "phonetic", "fuzzy", "initial")
DISTINCTIVE = ("name", "place")
KINDS = ("person", "organization", "unknown", "vessel")
# a query read as written: the query itself, or its Latin reading (names/arabic.py), which the screener already
# scores x 0.95 and which the models never met in training; "query_derived" is any other variant (the parts
# of "X (a.k.a. Y)"), which the person model learned to distrust (session 16, docs/matching.md)
AS_WRITTEN = ("published", ARABIC_READING)
FEATURES = (
    "score", "query_coverage", "name_coverage", "coverage_min", "coverage_max", "query_words", "name_words",
    "query_weight", "name_weight", "query_unmatched", "name_unmatched", "query_unmatched_max", "name_unmatched_max",
    "query_unmatched_distinctive", "name_unmatched_distinctive", "query_unmatched_distinctive_words",
    "name_unmatched_distinctive_words", "query_matched", "name_matched",
    *(f"pairs_{h}" for h in HOWS),
    "pairs", "pairs_distinctive_both", "pairs_distinctive_any", "max_agreeing_weight", "single_common_word",
    "min_similarity", "pairs_distinctive_respelt",
    *(f"entry_{k}" for k in KINDS),
    "query_legal_form", "name_legal_form", "alias_published", "alias_acronym", "query_derived", "kind_conflict",
)


def features(score: float, q_tokens: Sequence[str], a_tokens: Sequence[str], ns: NameScore, weight: TokenWeights,
             org: frozenset[str], entry_kind: str, alias_how: str, q_how: str, kind_conflict: bool) -> list[float]:
    """The :data:`FEATURES` of one result: its score so far, the two token lists, their alignment."""
    kind, common = weight.kind, weight.common
    qt, at = list(dict.fromkeys(q_tokens)), list(dict.fromkeys(a_tokens))
    mq: set[str] = set()
    ma: set[str] = set()
    counts = dict.fromkeys(HOWS, 0)
    both = anyd = respelt = 0
    agreeing: list[list[str]] = []
    max_agree, min_sim = 0.0, 1.0
    for x, y, sim, how in ns.pairs:
        xs, ys = x.split(), y.split()
        mq.update(xs)
        ma.update(ys)
        counts[how if how in counts else "exact"] += 1
        toks = xs + ys
        dist = [t for t in toks if kind(t) in DISTINCTIVE]
        if dist:
            anyd += 1
            agreeing.append(dist)
            respelt += how not in ("exact", "merged")
        both += all(kind(t) in DISTINCTIVE for t in toks)
        max_agree = max(max_agree, max(weight(t) for t in toks))
        min_sim = min(min_sim, sim)
    uq = [t for t in qt if t not in mq]
    ua = [t for t in at if t not in ma]
    wq, wa = sum(weight(t) for t in qt), sum(weight(t) for t in at)
    uwq, uwa = sum(weight(t) for t in uq), sum(weight(t) for t in ua)
    cq, ca = ns.coverage_a, ns.coverage_b
    return [
        score, cq, ca, min(cq, ca), max(cq, ca), len(qt), len(at), wq, wa, uwq, uwa,
        max((weight(t) for t in uq), default=0.0), max((weight(t) for t in ua), default=0.0),
        sum(weight(t) for t in uq if kind(t) in DISTINCTIVE), sum(weight(t) for t in ua if kind(t) in DISTINCTIVE),
        sum(kind(t) in DISTINCTIVE for t in uq), sum(kind(t) in DISTINCTIVE for t in ua), wq - uwq, wa - uwa,
        *(counts[h] for h in HOWS),
        len(ns.pairs), both, anyd, max_agree,
        float(len(agreeing) == 1 and all(common(t) for t in agreeing[0])),
        min_sim if ns.pairs else 0.0, respelt,
        *(float(entry_kind == k) for k in KINDS),
        float(any(t in org for t in q_tokens)), float(any(t in org for t in at)),
        float(alias_how == "published"), float(alias_how == "acronym"), float(q_how not in AS_WRITTEN),
        float(kind_conflict),
    ]


@dataclass(frozen=True)
class Calibration:
    """A logistic model over standardized :data:`FEATURES`, its band and its operating point."""

    low: float
    high: float
    threshold: float  # the score the operating point maps to (the default threshold)
    operating_p: float
    mean: np.ndarray  # float64 [features]
    scale: np.ndarray
    coef: np.ndarray
    intercept: float
    meta: dict[str, Any]
    person: Calibration | None = None  # the model for listed persons' results; None: their formula score stands

    def model_for(self, entry_kind: Kind) -> Calibration | None:
        """The model that re-scores a result for an entry of this kind (:attr:`person` for a listed person)."""
        return self.person if entry_kind is Kind.PERSON else self

    def applies(self, score: float, entry_kind: Kind) -> bool:
        """Whether a result is re-scored: its entry's kind has a model, and the score is in that model's band."""
        model = self.model_for(entry_kind)
        return model is not None and model.low <= score < model.high

    def contributions(self, rows: np.ndarray) -> np.ndarray:
        """Each feature's share of the log-odds, per row ([n, len(FEATURES)])."""
        out: np.ndarray = (rows - self.mean) / self.scale * self.coef
        return out

    def probability(self, rows: np.ndarray) -> np.ndarray:
        """P(the result is the listed party) for each feature row."""
        out: np.ndarray = 1.0 / (1.0 + np.exp(-(self.contributions(rows).sum(axis=1) + self.intercept)))
        return out

    def band_score(self, p: float) -> float:
        """``p`` mapped into ``[low, high]``: the operating point onto :attr:`threshold`, linear on each side."""
        if p < self.operating_p:
            return self.low + (self.threshold - self.low) * p / self.operating_p
        return self.threshold + (self.high - self.threshold) * (p - self.operating_p) / (1.0 - self.operating_p)

    def floor(self, threshold: float, entry_kind: Kind | None = None) -> float:
        """The lowest score before calibration that can reach ``threshold`` after it, for an entry of
        ``entry_kind`` (None: this model)."""
        model = self if entry_kind is None else self.model_for(entry_kind)
        if model is None:
            return threshold
        return model.low if model.low < threshold <= model.high else threshold

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Calibration:
        if tuple(data["features"]) != FEATURES:
            raise ValueError("the calibration file was trained on other features; run python -m bench.calibrate")
        person = data.get("person")
        return cls(low=data["band"][0], high=data["band"][1], threshold=data["threshold"],
                   operating_p=data["operating_p"], mean=np.array(data["mean"]), scale=np.array(data["scale"]),
                   coef=np.array(data["coef"]), intercept=float(data["intercept"]), meta=data.get("meta", {}),
                   person=None if person is None else cls.from_dict({"features": data["features"], **person}))


@cache
def load_calibration(path: Path = CALIBRATION_FILE) -> Calibration | None:
    """The committed model, or None when there is none (the score is then the formula's alone)."""
    if not path.exists():
        return None
    return Calibration.from_dict(json.loads(path.read_text(encoding="utf-8")))
