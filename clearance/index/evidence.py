"""Evidence beyond the name: kind, country, birth date and identifiers.

Why separate: the name score says how alike two names are; these features say whether the
two records can be the same party. They adjust the name score by small, documented factors and
are always reported in the explanation, agreeing or conflicting, so an analyst sees why a
score moved. Screening must stay recall-first, so a conflict lowers a score but never removes
a candidate on its own (a customer's country is often a branch, not the listing country).
"""

from __future__ import annotations

import re
from typing import Any

from clearance.index.types import Query
from clearance.model import Entry, Kind

KIND_CONFLICT = 0.85  # a company query against a listed person or vessel (or the reverse)
COUNTRY_AGREE = 1.03
COUNTRY_CONFLICT = 0.95
BIRTH_AGREE = 1.03
BIRTH_CONFLICT = 0.85
IDENTIFIER_SCORE = 0.97  # an identical identifier is strong evidence on its own
IDENTIFIER_REACH = 0.1  # with identifiers, names down to 10 % below the threshold are weighed (see max_gain)

_ID_CLEAN = re.compile(r"[^0-9a-z]")


def _kind_class(kind: Kind | None) -> str | None:
    """person / organization / craft (vessels and aircraft): a company is not a ship."""
    if kind in (None, Kind.UNKNOWN):
        return None
    return {Kind.PERSON: "person", Kind.VESSEL: "craft", Kind.AIRCRAFT: "craft"}.get(kind, "organization")


KIND_CLASSES = (None, "person", "organization", "craft")  # kind_code() indexes this
PERSON_CODE = 1


def kind_code(kind: Kind | None) -> int:
    """:func:`_kind_class` as a small integer (0: unknown), for per-alias arrays (``NameIndex.alias_kind``)."""
    return KIND_CLASSES.index(_kind_class(kind))


def _clean_id(value: str) -> str:
    return _ID_CLEAN.sub("", value.casefold())


def max_gain(query: Query) -> float:
    """The most :func:`weigh_kind` and :func:`weigh_facts` can raise a name score for this query: the candidate bound
    (:mod:`clearance.index.candidates`) prunes at ``threshold / max_gain``. An identifier can lift
    any name to :data:`IDENTIFIER_SCORE`, but only names the index reaches are weighed, so with
    identifiers the bound keeps names within :data:`IDENTIFIER_REACH` of the threshold."""
    gain = (COUNTRY_AGREE if query.countries else 1.0) * (BIRTH_AGREE if query.birth_date else 1.0)
    if query.identifiers:
        gain = max(gain, 1.0 / (1.0 - IDENTIFIER_REACH))
    return gain


def weigh_kind(score: float, entry: Entry, query_kind: Kind | None) -> tuple[float, dict[str, Any]]:
    """The non-name evidence, first step: the kinds' agreement or conflict, which the grey-band
    calibration reads as a feature (``kind_conflict``), so it comes before calibration."""
    features: dict[str, Any] = {}
    qk, ek = _kind_class(query_kind), _kind_class(entry.kind)
    if qk and ek:
        features["kind"] = "agree" if qk == ek else "conflict"
        if qk != ek:
            score *= KIND_CONFLICT
    return score, features


def weigh_facts(score: float, query: Query, entry: Entry, features: dict[str, Any]) -> tuple[float, dict[str, Any]]:
    """The non-name evidence, second step: country, birth date and identifiers, which the
    calibration never sees (the hold-outs it learns from carry none), so they apply after it: a
    conflicting birth date must lower the calibrated score, not a score the model then re-maps."""
    if query.countries and entry.countries:
        shared = sorted({c.upper() for c in query.countries} & {c.upper() for c in entry.countries})
        features["country"] = {"result": "agree" if shared else "conflict", "listed": list(entry.countries)}
        score *= COUNTRY_AGREE if shared else COUNTRY_CONFLICT
    if query.birth_date and entry.birth_dates:
        q = query.birth_date
        agree = any(d.startswith(q[: len(d)]) or q.startswith(d[: len(q)]) for d in entry.birth_dates)
        year_agree = any(d[:4] == q[:4] for d in entry.birth_dates)
        features["birth_date"] = {
            "result": "agree" if agree else ("year agrees" if year_agree else "conflict"),
            "listed": list(entry.birth_dates),
        }
        score *= BIRTH_AGREE if agree else (1.0 if year_agree else BIRTH_CONFLICT)
    if query.identifiers and entry.identifiers:
        listed = {_clean_id(i.value): i for i in entry.identifiers if _clean_id(i.value)}
        hits = [listed[c] for c in (_clean_id(v) for v in query.identifiers) if c in listed]
        features["identifier"] = (
            {"result": "agree", "matched": [f"{i.scheme}: {i.value}" for i in hits]} if hits else {"result": "none shared"}
        )
        if hits:
            score = max(score, IDENTIFIER_SCORE)
    return max(0.0, min(1.0, score)), features
