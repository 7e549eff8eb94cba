"""Score two normalized names: weighted token alignment, symmetric, in [0, 1].

Why this and not a string ratio: list names and customer names differ in word order ("HAIGE
GUANGZHOU"), legal-form noise ("Co., Ltd."), extra descriptive words and typos. A plain edit
ratio punishes all four equally and rewards generic overlap ("Trading Co" vs "Trading Co").
Here each token carries the list-derived weight of :mod:`clearance.index.weights`, and:

1. tokens are aligned one-to-one, best first: exact, then *merged* (``hik vision`` =
   ``hikvision``, ``al qaida`` = ``alqaida``), then *translit* (the same spelling once the usual
   romanization alternations are folded, :func:`~clearance.names.phonetic.translit_key`:
   Yevgeny / Evgeniy, Vasilievich / Vasilyevich, 0.95), then fuzzy (one or two edits, rapidfuzz
   OSA) or phonetic (same consonant skeleton, 0.85, less when the vowels are far apart too:
   :func:`~clearance.names.phonetic.phonetic_similarity`; preferred to a weaker fuzzy pair: Sayed /
   Seyed differ in a vowel, not by a typo), then initials (``j`` ~ ``john``, credit
   :data:`INITIAL_CREDIT`);
2. ``coverage_a`` / ``coverage_b`` = matched weight / total weight on each side, a fuzzy or
   initial pair counting its similarity squared (0.8 -> 0.64), a translit pair its similarity
   and, between person names, a phonetic pair too (romanizations of one name, not typos);
3. ``score = 0.6 * max(coverage) + 0.4 * min(coverage)`` -- one name contained in the other
   ("Hikvision" in "Hangzhou Hikvision Digital Technology Co., Ltd.") scores high as long as what
   the longer name adds is generic, and a distinctive extra word pulls the score down;
4. a name whose matched weight is below :data:`MIN_MASS` (about one distinctive word) is damped,
   so "CORP" or "The X Group" cannot score high whatever they are compared with;
5. two different names that agree on at most one distinctive word are multiplied by
   :data:`SINGLE_WORD_FACTOR` (:func:`single_word_factor`);
6. two names that both carry numbers, none of them in common ("33 LIGHT INFANTRY DIVISION" /
   "101 LIGHT INFANTRY DIVISION"), are multiplied by :data:`NUMBER_FACTOR` (:func:`numbers_differ`).

Every step is symmetric (ties broken on the sorted token pair), so ``score(a, b) == score(b, a)``;
a hypothesis test pins this and the [0, 1] bounds.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from rapidfuzz.distance import OSA

from clearance.index.fuzzy import MIN_LEN, fuzzy_similarity
from clearance.names.phonetic import (
    PHONETIC_SIMILARITY,
    ROMANIZATION_SIMILARITY,
    TRANSLIT_SIMILARITY,
    korean_key,
    phonetic_similarity,
    skeletons,
    translit_key,
    vowel_variant,
)
from clearance.names.tables import Nasab

INITIAL_CREDIT = 0.6
MIN_MASS = 6.0
MAX_SHARE = 0.6
PERSON_SHARE = 0.8  # person names are often listed or queried with parts missing (see score_tokens)
# Agreement on a single distinctive word ("Lion Corp" / "Lion Technology", "Baxter International" /
# "BAXTER"), the rest generic or missing, is weaker evidence than agreement on two: most company
# names share their one brand word with unrelated firms (see single_word_factor).
SINGLE_WORD_FACTOR = 0.9
# ... and weaker still when that one word is common among real companies ("NICE Ltd." / EL "O-Nice",
# "IBEX Ltd" / SDN "IBEX SHIPPING INC"): weights.common, company_words.tsv
COMMON_WORD_FACTOR = 0.95
# Agreement on three or more distinctive words ("Ili Kazakh Autonomous Prefecture Public Security
# Bureau" / "Yili Kazakh ...", "MINSK SPECIAL PURPOSE MOBILE UNIT" / "... POLICE UNIT") is strong
# evidence even when each name adds a word: the score moves this share of the way to 1 (company
# names only; see multi_word_lift)
MULTI_WORD_LIFT = 0.25
MULTI_WORD_MIN = 3
# a match that takes one half of a hyphenated name and leaves the other ("John Smith" / "John B.
# Pridmore-Smith", "SOVTEST" / "Sovtest-Service") is scored without the person allowance and damped
COMPOUND_FACTOR = 0.9
# two names whose numbers all differ name two different units, plants or institutes ("33 LIGHT INFANTRY
# DIVISION" / "101 LIGHT INFANTRY DIVISION" scored 0.87, above the right answer for "101ST ..." at 0.866):
# the score falls below the calibration band, where no other word can carry it back
NUMBER_FACTOR = 0.75
# a listed person met on the forefathers' names of a patronymic chain only: the son of a namesake
# ("Khalid bin Abdulaziz" / SDN "AZIZ, Abdul"; own_name_unmatched). Measured (session 14): the Saudi
# PEP test names meeting a listed person at 0.80 fell from 397 to 236 of 1,470, no hold-out query lost
NASAB_FACTOR = 0.8

Weight = Callable[[str], float]


@dataclass(slots=True)
class NameScore:
    score: float
    coverage_a: float
    coverage_b: float
    matched_weight: float
    pairs: list[tuple[str, str, float, str]] = field(default_factory=list)  # (a token, b token, similarity, how)
    numbers: tuple[tuple[str, ...], tuple[str, ...]] | None = None  # each side's numbers, when they all differ
    own_name_unmatched: tuple[str, ...] | None = None  # set by the screener (own_name_unmatched)

    def matched_words(self) -> set[str]:
        """Every word of either name that an aligned pair holds ("al qaida" / "alqaida": al, qaida, alqaida)."""
        return {t for a, b, _, _ in self.pairs for t in f"{a} {b}".split()}

    def token_agreement(self) -> dict[str, object]:
        return {
            "query_coverage": round(self.coverage_a, 3),
            "name_coverage": round(self.coverage_b, 3),
            "matched": [f"{a}={b}" if a == b else f"{a}~{b} ({how} {sim:.2f})" for a, b, sim, how in self.pairs],
            **({"numbers_differ": [" ".join(side) for side in self.numbers], "number_factor": NUMBER_FACTOR}
               if self.numbers else {}),
            **({"own_name_unmatched": " ".join(self.own_name_unmatched), "nasab_factor": NASAB_FACTOR}
               if self.own_name_unmatched else {}),
        }


def _dedup(tokens: Sequence[str]) -> list[str]:
    return list(dict.fromkeys(tokens))


def is_initial(token: str) -> bool:
    """A single letter ("A." in "AHMED, A."), which :func:`pair_similarity` aligns with any word of that letter."""
    return len(token) == 1 and not token.isdigit()


@lru_cache(maxsize=1 << 18)  # a batch meets the same token pairs ("mohammad" / "muhammad") over and over
def pair_similarity(x: str, y: str) -> tuple[float, str] | None:
    """How two different tokens may align, and their similarity; None when they may not.

    In order: the same romanization (``translit``, :data:`TRANSLIT_SIMILARITY`), one Korean
    syllable in two romanizations, the same consonant skeleton when the spelling differs in more
    than a typo (both ``phonetic``, :data:`PHONETIC_SIMILARITY`), a typo (``fuzzy``, the OSA
    similarity, at most two edits, :func:`~clearance.index.fuzzy.fuzzy_similarity`), an initial (``initial``,
    :data:`INITIAL_CREDIT`). The screener bounds candidate scores with the same function.
    """
    long_pair = len(x) >= MIN_LEN and len(y) >= MIN_LEN and not x.isdigit()
    if long_pair and (kx := translit_key(x)) is not None and kx == translit_key(y):
        return TRANSLIT_SIMILARITY, "translit"
    if (kx := korean_key(x)) is not None and kx == korean_key(y):
        # one Korean syllable in two romanizations (Jong / Chong, Shin / Sin, Kang-chin / Kang Jin)
        return ROMANIZATION_SIMILARITY, "phonetic"
    if long_pair:
        dist = OSA.distance(x, y)
        if dist / max(len(x), len(y)) > 1.0 - PHONETIC_SIMILARITY and (
                vowel_variant(x, y) or any(k in skeletons(y) for k in skeletons(x))):
            # a vowel-only difference (Sayed / Seyed) is a romanization variant before it is a typo
            return phonetic_similarity(x, y), "phonetic"
        if (sim := fuzzy_similarity(x, y, dist)) is not None:
            return sim, "fuzzy"
    elif is_initial(x) != is_initial(y) and x[0] == y[0] and not (x.isdigit() or y.isdigit()):
        return INITIAL_CREDIT, "initial"
    return None


def align(a: list[str], b: list[str]) -> list[tuple[list[str], list[str], float, str]]:
    """One-to-one alignment of token groups: ([a tokens], [b tokens], similarity, how)."""
    out: list[tuple[list[str], list[str], float, str]] = []
    bset = set(b)
    free_a = [t for t in a if t not in bset]
    aset = set(a)
    free_b = [t for t in b if t not in aset]
    out.extend(([t], [t], 1.0, "exact") for t in a if t in bset)
    for side_a, side_b, flip in ((free_a, free_b, False), (free_b, free_a, True)):
        # adjacent pair on one side == one token on the other
        i = 0
        while i < len(side_a) - 1 and side_b:
            joined = side_a[i] + side_a[i + 1]
            # not with a single letter: "ISS A/S" is not "Issa"
            if joined in side_b and len(side_a[i]) > 1 and len(side_a[i + 1]) > 1:
                pair = [side_a[i], side_a[i + 1]]
                out.append(([joined], pair, 1.0, "merged") if flip else (pair, [joined], 1.0, "merged"))
                side_b.remove(joined)
                del side_a[i : i + 2]
            else:
                i += 1
    cands: list[tuple[float, str, str, str, str, str]] = []
    for x in free_a:
        for y in free_b:
            if (sim_how := pair_similarity(x, y)) is not None:
                cands.append((-sim_how[0], min(x, y), max(x, y), x, y, sim_how[1]))
    used_a: set[str] = set()
    used_b: set[str] = set()
    for neg, _, _, x, y, how in sorted(cands):
        if x in used_a or y in used_b:
            continue
        used_a.add(x)
        used_b.add(y)
        out.append(([x], [y], -neg, how))
    return out


def score_tokens(a: Sequence[str], b: Sequence[str], weight: Weight, share: float = MAX_SHARE) -> NameScore:
    """Symmetric weighted similarity of two token sequences (see module docstring).

    ``share`` is the weight of the better-covered side. The screener passes
    :data:`PERSON_SHARE` for a person query against a listed person: "DIAZ, Francisco" and
    "DIAZ MADRIZ, Francisco Javier" are the same man written with fewer names -- a second
    family name, a patronymic or a middle name is routinely dropped -- while a company name
    with an extra distinctive word is usually another company.
    """
    ta, tb = _dedup(a), _dedup(b)
    if not ta or not tb:
        return NameScore(0.0, 0.0, 0.0, 0.0)
    total_a = sum(map(weight, ta))
    total_b = sum(map(weight, tb))
    mass_a = mass_b = 0.0
    pairs: list[tuple[str, str, float, str]] = []
    pair_tokens: list[list[str]] = []  # each pair's words, both sides (single_word_factor, multi_word_lift)
    person = share > MAX_SHARE
    for ga, gb, sim, how in align(ta, tb):
        # a typo is weaker evidence than agreement; a romanization alternation (Yevgeny / Evgeniy) is not a typo
        credit = sim if how in ("exact", "merged", "translit") or (person and how == "phonetic") else sim * sim
        mass_a += credit * (weight(ga[0]) if len(ga) == 1 else sum(map(weight, ga)))
        mass_b += credit * (weight(gb[0]) if len(gb) == 1 else sum(map(weight, gb)))
        pairs.append((ga[0] if len(ga) == 1 else " ".join(ga), gb[0] if len(gb) == 1 else " ".join(gb), sim, how))
        pair_tokens.append(ga if how == "exact" else ga + gb)
    cov_a = min(1.0, mass_a / total_a) if total_a else 0.0
    cov_b = min(1.0, mass_b / total_b) if total_b else 0.0
    hi, lo = max(cov_a, cov_b), min(cov_a, cov_b)
    if share > MAX_SHARE and len(pairs) < 2:
        share = MAX_SHARE  # one shared word ("JOHN") is not a person match, whatever else is missing
    score = share * hi + (1 - share) * lo
    mass = (mass_a + mass_b) / 2
    if mass < MIN_MASS:
        score *= (mass / MIN_MASS) ** 0.5
    score *= single_word_factor(ta, tb, pairs, weight, pair_tokens)
    if share <= MAX_SHARE and score > 0 and multi_word_lift(pairs, weight, pair_tokens):
        score += (1.0 - score) * MULTI_WORD_LIFT
    if (numbers := numbers_differ(ta, tb)) is not None:
        score *= NUMBER_FACTOR
    return NameScore(round(max(0.0, min(1.0, score)), 9), cov_a, cov_b, mass, pairs, numbers)  # rounded: 0.9999999999999999 is 1


def numbers_differ(a: list[str], b: list[str]) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
    """Each side's numbers when both names carry numbers and have none in common, else None.
    Numbers only ever align exactly (:func:`pair_similarity` never pairs digits), and ordinals are
    numbers once normalized ("101st" -> "101", :mod:`clearance.names.normalize`)."""
    na = tuple(t for t in a if t.isdigit())
    if not na:
        return None
    nb = tuple(t for t in b if t.isdigit())
    return (na, nb) if nb and not set(na) & set(nb) else None


def splits_a_compound(ns: NameScore, compounds: Iterable[frozenset[str]]) -> bool:
    """Whether a match takes one half of a hyphenated compound and leaves the other: "John Smith"
    against "John B. Pridmore-Smith". A hyphenated surname is one surname: its missing half is not
    a dropped middle name, so the partial-person-name allowance (:data:`PERSON_SHARE`) does not apply
    and the score is multiplied by :data:`COMPOUND_FACTOR`."""
    matched = ns.matched_words()
    return any(len(c & matched) == 1 for c in compounds)


def own_name_unmatched(ns: NameScore, a: Sequence[str], b: Sequence[str], nasab: Nasab,
                       natural: tuple[Sequence[str] | None, Sequence[str] | None] = (None, None)) -> tuple[str, ...] | None:
    """The own given name of a side written as a patronymic chain ("Khalid bin Abdulaziz": Khalid)
    when no word of it is matched, else None: the match is then with the forefathers' names only,
    and the screener multiplies it by :data:`NASAB_FACTOR` (``tables/nasab.yaml``). For listed
    persons only: "X bin Y" company names are not chains.

    ``natural`` gives a side's words in natural order when it was printed surname first
    (:func:`clearance.names.natural_order`): "BIN LADIN, Usama bin Muhammad bin Awad" is Usama,
    son of Muhammad bin Awad bin Ladin, and its own name is Usama."""
    matched: set[str] | None = None
    for printed, order in zip((a, b), natural, strict=True):
        side = printed if order is None else order
        if nasab.particles.isdisjoint(side):
            continue
        first = next(i for i, t in enumerate(side) if t in nasab.particles)
        own = [t for t in side[:first] if t not in nasab.not_own and len(t) > 1]
        if not own:
            continue  # "Bin Laden", "al-Sheikh ibn ...": no own name before the chain
        if matched is None:
            matched = ns.matched_words()
        if matched.isdisjoint(own):
            return tuple(own)
    return None


def single_word_factor(a: list[str], b: list[str], pairs: list[tuple[str, str, float, str]], weight: Weight,
                       pair_tokens: list[list[str]] | None = None) -> float:
    """:data:`SINGLE_WORD_FACTOR` when at most one aligned pair holds a distinctive word and the
    names differ in more than their legal form (a respelled word is a difference), else 1.

    Distinctive: a token the weights class as a name word or a place (not a legal form, generic
    business word, particle or initial): "HAIGE GUANGZHOU" agrees on two. Names equal but for a
    legal form ("Huawei Technology" / "Huawei Technologies Co., Ltd.") and a listed one-word name
    met exactly ("Hikvision") are not damped. Measured before the change (bench/results/latest.md
    of 2026-11-24 03:16): of the non-listed company names scoring >= 0.88, 91 % agreed with their
    match on one name word only, against 12 % of the alias hold-out's correct matches. When that
    one word is common among real companies (``weight.common``), :data:`COMMON_WORD_FACTOR` applies too.
    """
    kind = getattr(weight, "kind", None)
    if kind is None:
        return 1.0
    tokens = _pair_tokens(pairs) if pair_tokens is None else pair_tokens
    if all(how in ("exact", "merged") for _, _, _, how in pairs):
        matched = {t for ts in tokens for t in ts}
        if all(kind(t) == "org_type" for t in (*a, *b) if t not in matched):
            return 1.0  # the same words but for a legal form; a respelled one ("Sysco" / "SISCO") is not exempt
    # the distinctive words of each aligned pair that has any
    agreeing = [d for ts in tokens if (d := [t for t in ts if kind(t) in _DISTINCTIVE])]
    if len(agreeing) > 1:
        return 1.0
    common = getattr(weight, "common", None)
    if agreeing and common is not None and all(common(t) for t in agreeing[0]):
        return SINGLE_WORD_FACTOR * COMMON_WORD_FACTOR
    return SINGLE_WORD_FACTOR


_DISTINCTIVE = frozenset(("name", "place"))


def is_distinctive_word(weight: Weight, token: str) -> bool:
    """A name word or a place (not a legal form, generic business word, particle or initial)."""
    kind = getattr(weight, "kind", None)
    return kind is not None and kind(token) in _DISTINCTIVE


def multi_word_lift(pairs: list[tuple[str, str, float, str]], weight: Weight,
                    pair_tokens: list[list[str]] | None = None) -> bool:
    """Whether :data:`MULTI_WORD_MIN` or more aligned pairs are distinctive words on *both* sides.

    Measured on 2026-11-24 (session 4): of the non-listed company names scoring >= 0.6 against a
    listed name, 3 of 3,461 agreed with it on three or more distinctive words; of the alias
    hold-out's correct answers scoring 0.6-0.8, 22 of 207 did. Both sides, so that a query with
    fewer than three distinctive words can never be lifted and the candidate bound
    (:mod:`clearance.index.candidates`) knows it from the query alone."""
    kind = getattr(weight, "kind", None)
    if kind is None or len(pairs) < MULTI_WORD_MIN:
        return False
    n = 0
    for ts in _pair_tokens(pairs) if pair_tokens is None else pair_tokens:
        if all(kind(t) in _DISTINCTIVE for t in ts):
            n += 1
            if n >= MULTI_WORD_MIN:
                return True
    return False


def _pair_tokens(pairs: list[tuple[str, str, float, str]]) -> list[list[str]]:
    """Each aligned pair's words, both sides ("al qaida" / "alqaida" -> al, qaida, alqaida)."""
    return [f"{x} {y}".split() for x, y, _, _ in pairs]
