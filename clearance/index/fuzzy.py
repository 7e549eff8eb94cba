"""Typo-tolerant token lookup: which list tokens are one or two edits away from a query token?

Why this design: a linear scan of ~60,000 list tokens with an edit-distance function costs
milliseconds per query token, too slow for the p99 <= 10 ms target. The symmetric-delete
method (Wolf Garbe, SymSpell, https://github.com/wolfgarbe/SymSpell) precomputes deletion forms
of each list token; two tokens share a form when each loses at most as many letters as the edits
between them (a substitution is one deletion on each side, a transposition too), so lookup is a
handful of probes. Candidates are then verified with rapidfuzz's optimal-string-alignment
similarity (C++), which counts a transposition as one edit.

Reach, which the scorer (:func:`clearance.index.scorer.pair_similarity`) must not exceed, since
the candidate bound relies on it: every pair of tokens of :data:`MIN_LEN`-:data:`MAX_LEN` letters
at most :data:`MAX_EDITS` edits apart whose similarity reaches :func:`min_similarity` of the
longer one. One-deletion forms of every list token live in a dict; two-deletion forms are needed
only for list tokens of :data:`TWO_EDITS` letters or more (a shorter pair may differ by one edit),
and there are ~470,000 of them, so they are kept as a sorted array of 32-bit CRCs pointing at
the token (about 4 MB instead of ~100 MB of dict entries); a CRC collision costs one wasted
verification, never a wrong answer.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable

import numpy as np
from rapidfuzz.distance import OSA

MIN_LEN = 4
MAX_LEN = 24  # longer tokens are joined words or codes; they are matched exactly
TWO_EDITS = 9  # min_similarity allows two edits from this length on
MAX_EDITS = 2  # "revolution" / "revolutionary" (3) is a different word, and beyond the index's reach


def min_similarity(length: int) -> float:
    """One edit in a 5-letter word (0.8) is a typo; shorter words must match exactly. ``length`` is
    the longer token's."""
    return 0.8 if length < TWO_EDITS else 0.75


def fuzzy_similarity(x: str, y: str, dist: int | None = None) -> float | None:
    """OSA similarity of two tokens when it makes them a typo pair within the index's reach, else
    None. ``dist``: their OSA distance, when the caller has it."""
    if not (MIN_LEN <= len(x) <= MAX_LEN and MIN_LEN <= len(y) <= MAX_LEN):
        return None
    if dist is None:
        dist = OSA.distance(x, y, score_cutoff=MAX_EDITS)
    if dist > MAX_EDITS:
        return None
    longer = max(len(x), len(y))
    sim = 1.0 - dist / longer
    return sim if sim >= min_similarity(longer) else None


def _crc(form: str) -> int:
    return zlib.crc32(form.encode())


class FuzzyVocab:
    def __init__(self, vocab: Iterable[str]) -> None:
        deletes: dict[str, list[str]] = {}
        get = deletes.get
        longs: list[str] = []
        keys: list[int] = []
        owners: list[int] = []
        for token in vocab:
            if len(token) < MIN_LEN or len(token) > MAX_LEN or token.isdigit():
                continue
            for i in range(len(token) + 1):
                form = token[:i] + token[i + 1 :]
                bucket = get(form)
                if bucket is None:
                    deletes[form] = [token]
                elif bucket[-1] != token:
                    bucket.append(token)
            if len(token) >= TWO_EDITS:
                n = len(longs)
                longs.append(token)
                for form in _exact_deletions2(token):
                    keys.append(_crc(form))
                    owners.append(n)
        self._deletes = deletes
        order = np.argsort(np.asarray(keys, dtype=np.uint32), kind="stable")
        self._keys2 = np.asarray(keys, dtype=np.uint32)[order]
        self._owners2 = np.asarray(owners, dtype=np.int32)[order]
        self._longs = longs

    def similar(self, token: str) -> list[tuple[str, float]]:
        """List tokens similar to ``token`` (excluding itself), with their similarity in (0, 1):
        every pair :func:`fuzzy_similarity` accepts."""
        if len(token) < MIN_LEN or len(token) > MAX_LEN or token.isdigit():
            return []
        seen: set[str] = {token}
        out: list[tuple[str, float]] = []

        def check(cand: str) -> None:
            if cand not in seen:
                seen.add(cand)
                if (sim := fuzzy_similarity(token, cand)) is not None:
                    out.append((cand, sim))

        # two edits are allowed from TWO_EDITS letters on (of the longer token): a query token that
        # long meets a list token that lost up to two letters through its own two-deletion forms
        # ("Henadzievich" / "Genadzevich", "Establissements" / "tablissements") ...
        forms = _deletions2(token) if len(token) >= TWO_EDITS else _deletions(token)
        for form in forms:
            for cand in self._deletes.get(form, ()):
                check(cand)
        # ... and a list token that long meets the query through its two-deletion forms (two
        # substitutions, or up to two letters more than the query: "revolutionar" / "revolutionary")
        if len(token) >= TWO_EDITS - MAX_EDITS and len(self._keys2):
            probes = np.unique(np.fromiter((_crc(f) for f in forms), dtype=np.uint32, count=len(forms)))
            lo = np.searchsorted(self._keys2, probes, side="left")
            hi = np.searchsorted(self._keys2, probes, side="right")
            for a, b in zip(lo.tolist(), hi.tolist(), strict=True):
                for i in self._owners2[a:b].tolist():
                    check(self._longs[i])
        return out


def _exact_deletions2(token: str) -> set[str]:
    """The forms of ``token`` with exactly two letters removed."""
    return {token[:i] + token[i + 1 : j] + token[j + 1 :] for i in range(len(token)) for j in range(i + 1, len(token))}


def _deletions2(token: str) -> set[str]:
    forms = _deletions(token)
    for form in list(forms):
        forms.update(form[:i] + form[i + 1 :] for i in range(len(form)))
    return forms


def _deletions(token: str) -> set[str]:
    forms = {token}
    forms.update(token[:i] + token[i + 1 :] for i in range(len(token)))
    return forms
