"""Typo-tolerant token lookup: which list tokens are one or two edits away from a query token?

Why this design: a linear scan of ~60,000 list tokens with an edit-distance function costs
milliseconds per query token, too slow for the p99 <= 10 ms target. The symmetric-delete
method (Wolf Garbe, SymSpell, https://github.com/wolfgarbe/SymSpell) precomputes every
one-character deletion of each list token; two tokens share a deletion form when they differ by
one insertion, deletion or substitution (and most transpositions), so lookup is a handful of
dict probes. Candidates are then verified with rapidfuzz's optimal-string-alignment similarity
(C++), which counts a transposition as one edit.
"""

from __future__ import annotations

from collections.abc import Iterable

from rapidfuzz.distance import OSA

MIN_LEN = 4
MAX_LEN = 24  # longer tokens are joined words or codes; they are matched exactly
TWO_EDITS = 9  # min_similarity allows two edits from this length on


def min_similarity(length: int) -> float:
    """One edit in a 5-letter word (0.8) is a typo; shorter words must match exactly."""
    return 0.8 if length < 9 else 0.75


class FuzzyVocab:
    def __init__(self, vocab: Iterable[str]) -> None:
        deletes: dict[str, list[str]] = {}
        get = deletes.get
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
        self._deletes = deletes

    def similar(self, token: str) -> list[tuple[str, float]]:
        """List tokens similar to ``token`` (excluding itself), with their similarity in (0, 1)."""
        if len(token) < MIN_LEN or len(token) > MAX_LEN or token.isdigit():
            return []
        seen: set[str] = {token}
        out: list[tuple[str, float]] = []
        cutoff = min_similarity(len(token))
        # two edits are allowed from TWO_EDITS letters on: the query's two-deletion forms also meet a
        # list token that lost one letter or none ("Henadzievich" / "Genadzevich", "Establissements"
        # / "tablissements"); a list token two letters longer is not reached (that would need every
        # list token's two-deletion forms in memory)
        forms = _deletions2(token) if len(token) >= TWO_EDITS else _deletions(token)
        for form in forms:
            for cand in self._deletes.get(form, ()):
                if cand in seen:
                    continue
                seen.add(cand)
                sim = OSA.normalized_similarity(token, cand)
                if sim >= cutoff:
                    out.append((cand, sim))
        return out


def _deletions2(token: str) -> set[str]:
    forms = _deletions(token)
    for form in list(forms):
        forms.update(form[:i] + form[i + 1 :] for i in range(len(form)))
    return forms


def _deletions(token: str) -> set[str]:
    forms = {token}
    forms.update(token[:i] + token[i + 1 :] for i in range(len(token)))
    return forms
