"""Party linking: which entries of different lists describe the same real party.

Why: one person or company is often published by several lists under different entry ids and
spellings -- the UK's "Nikita Yurievich CHAPLIN" and OFAC's "CHAPLIN, Nikita Yuryevich" (both born
1982-07-28), the CSL's 2022 Entity List row and the 2026 Federal Register row of one company. The
screener can show such entries as one result (``Screener.screen(..., by_party=True)``,
:func:`clearance.index.screener.collapse_sources`).

Links are drawn from what the lists publish, never from the name scorer, and joined transitively
(union-find). Two entries are linked when

- **same identifier**: they publish the same value (upper case, only ``[0-9A-Z]``, 5+ characters)
  under compatible schemes (a passport with a passport, an IMO number with an IMO number:
  :data:`SCHEME_FAMILY`), and the value is on at most :data:`MAX_ID_LISTINGS` listings (a value
  on more is a placeholder or a shared registration, not an identity). Contact and descriptive
  fields (website, e-mail, phone, wallet, gender, sanctions notes ...) are not identifiers
  (:data:`NOT_IDENTIFIERS`). Never a person with a company or a vessel, nor two persons whose
  birth years all differ;
- **same birth date and name** (persons): one full birth date (``YYYY-MM-DD``) in common, and a
  name of each with two or more words (not particles or initials) of which the shorter has every
  word in the other, equal or equal once romanization alternations are folded
  (:func:`clearance.names.phonetic.translit_key`: Yuryevich / Yurievich, Vyacheslav / Viacheslav).
  With three or more words, one of them may be spelt differently -- the same consonants or a
  one-letter slip (:func:`is_same_person_name`: UK "Alexander Mikhailovich STRELYUHIN" / OFAC
  "STRELYUKHIN, Alexander Mikhailovich", both born 1958-07-04) -- or, with every word the same,
  the birth dates may differ by one day or one month (:func:`near_dates`: UK "Sergey Pavlovych
  TSEKOV", 1953-09-29 / OFAC 1953-09-28: one list's typo) or have day and month swapped
  (:func:`swapped_date`: UK "Sergey Vasilyevich GORNYAKOV" 1966-05-01 / OFAC 1966-01-05);
- **same full name, birth year and country** (persons that no list gives a full date for): a
  name of three or more words, every word the same once folded, a birth year and a country in
  common (UK "Alexander Mikhailovich STEPANOV" / OFAC "STEPANOV, Aleksandr Mikhailovich", 1976, RU);
- **same name** (companies, vessels, aircraft, "unknown" rows): a name identical once normalized
  and stripped of legal forms (word order aside), the primary name of at least one of the two,
  with a distinctive word in it (:func:`is_distinctive`), no two different legal forms ("LLC" /
  "OJSC"), compatible kinds (vessels only with vessels, aircraft only with aircraft), a country in
  common when both publish countries (always, for a one-word acronym such as "AST"), and no
  conflicting identifier (both publish numbers of one scheme family and share none). English
  function words aside ("THE ISLAMIC REPUBLIC OF IRAN SHIPPING LINES" / "ISLAMIC REPUBLIC ...");
- **two names in common** (companies ...): two of their names identical as above, whatever their
  roles and however generic, one of two words or more and one distinctive or primary, with the
  same checks and no two different legal forms ("SANCO Middle East, LLC" / "..., FZC"): UK
  "AEROSPACE INDUSTRIES ORGANISATION" ("AIO") and the ISN's "Aerospace Industries Organization (AIO)".

Whatever the rules, a party never holds two different publisher ids of one list (two OFAC
ent_nums, two UK Group IDs): a publisher that lists two entries means two parties, and the
stronger links (identifiers, then birth dates, then identical names) are made first.

The scheme tables live here rather than in YAML because they describe the identifier schemes the
parsers of the bundled sources produce, next to the code that reads them. The module is longer
than most (~520 lines) because the rules share the union-find and those tables.
"""

from __future__ import annotations

import contextlib
import datetime
import re
from collections.abc import Iterable, Sequence
from functools import cache, cached_property

import numpy as np

from clearance.index.scorer import pair_similarity
from clearance.model import Entry, Kind, NameRole
from clearance.names import load_tables, normalize_name, split_variants
from clearance.names.phonetic import translit_key

# the names a link may rest on (see clearance.names.split_variants); a parenthetical ("AIO" in
# "Aerospace Industries Organization (AIO)") is never a primary name
NAME_VARIANTS = ("published", "listed together", "without parenthetical", "parenthetical")
PRIMARY_VARIANTS = ("published", "listed together", "without parenthetical")
MAX_ID_LISTINGS = 4  # an identity is published by at most a few lists (SDN, UK, UN, the consolidated list)
MIN_ID_CHARS = 5
MAX_ACRONYM = 4  # a one-word name this short is an acronym: many unrelated firms share it
MAX_SHARED_NAME = 20  # a name published by more entries than this is a generic label, not evidence of one party
# English function words, which some lists print and others omit ("THE ISLAMIC REPUBLIC OF IRAN
# SHIPPING LINES" / "ISLAMIC REPUBLIC OF IRAN SHIPPING LINES"): not part of a company's name key
FUNCTION_WORDS = frozenset(("the", "of", "and", "for", "in", "on", "at", "to", "by"))
FULL_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_ID_KEEP = re.compile(r"[^0-9A-Z]")
DERIVED_ID = re.compile(r"[a-z0-9]+-[0-9a-f]{16}(-[0-9a-f]{6,8})?")  # stable_id() of a name: not the publisher's

# Schemes that are not identities of one party: contact data and wallets shared by associates,
# descriptions, dates, notes on sanctions programmes, the operator of an aircraft.
NOT_IDENTIFIERS = ("gender", "website", "email", "e-mail", "phone", "telephone", "digital currency",
                   "additional sanctions", "secondary sanctions", "transactions prohibited", "executive order",
                   "established date", "target type", "organization type", "aircraft model", "aircraft operator",
                   "manufacture date", "former vessel flag", "other vessel", "nationality of registration",
                   "registration country", "issuer name", "equity ticker", "listing date", "effective date",
                   "purchase/sales", "caatsa", "ifca", "peesa", "previous aircraft", "vessel type", "flag",
                   "un/locode", "micex")
# Publishers name one scheme differently (UK "National Identification Number", OFAC "National ID No.");
# the first matching keyword gives the family, otherwise the scheme is its own family.
SCHEME_FAMILY = (("passport", "passport"), ("company number imo", "imo company"), ("imo", "imo"),
                 ("vessel registration identification", "imo"),  # OFAC prints "IMO 9187629" there
                 ("national id", "national id"), ("national identification", "national id"),
                 ("personal id", "national id"), ("registration id", "registration"),
                 ("registration number", "registration"))


class Parties:
    """The party of each entry (``ids``), the direct links with their reasons, and the entries' positions."""

    def __init__(self, entries: Sequence[Entry], ids: np.ndarray, links: dict[tuple[int, int], str]) -> None:
        self.entries = entries
        self.ids = ids  # int32 per entry: the position of the first entry of its party
        self.links = links  # (i, j), i < j -> why the two entries were linked directly

    @cached_property
    def adjacent(self) -> dict[int, list[int]]:
        out: dict[int, list[int]] = {}
        for i, j in self.links:
            out.setdefault(i, []).append(j)
            out.setdefault(j, []).append(i)
        return out

    @cached_property
    def _positions(self) -> dict[tuple[str, str], int]:
        return {(e.source, e.entry_id): i for i, e in enumerate(self.entries)}

    def position(self, entry: Entry) -> int | None:
        """The position of an entry (entry ids are unique within a source)."""
        return self._positions.get((entry.source, entry.entry_id))

    def reason(self, a: int, b: int) -> str | None:
        """Why entries ``a`` and ``b`` are one party: their link, else the shortest chain of links."""
        if a == b or self.ids[a] != self.ids[b]:
            return None
        direct = self.links.get((min(a, b), max(a, b)))
        if direct is not None:
            return direct
        came: dict[int, int] = {a: a}
        todo = [a]
        for node in todo:  # breadth first
            for nxt in self.adjacent.get(node, ()):
                if nxt not in came:
                    came[nxt] = node
                    todo.append(nxt)
        steps, through = [], []
        node = b
        while node != a:
            prev = came[node]
            steps.append(self.links[min(node, prev), max(node, prev)])
            if prev != a:
                through.append(f"{self.entries[prev].list_code} {self.entries[prev].entry_id}")
            node = prev
        return f"{'; '.join(reversed(steps))} (through {', '.join(reversed(through))})"


@cache
def scheme_family(scheme: str) -> str | None:
    """The identifier family of a scheme (None: not an identifier of one party)."""
    s = scheme.casefold()
    if any(word in s for word in NOT_IDENTIFIERS):
        return None
    return next((family for word, family in SCHEME_FAMILY if word in s), s.strip(" :-#"))


def clean_identifier(value: str, family: str) -> str | None:
    """The comparable form of an identifier value, or None when too short to identify anyone."""
    v = _ID_KEEP.sub("", value.upper())
    if family.startswith("imo") and v.startswith("IMO"):
        v = v[3:]
    return v if len(v) >= MIN_ID_CHARS else None


def is_distinctive(tokens: Iterable[str]) -> bool:
    """Whether a name has a word that can tell one company from another (2+ letters; not a legal
    form, generic word, place or particle): "Trading Co" or "Iran" names nobody in particular."""
    skip = _common_words()
    return any(len(x) > 1 and not x.isdigit() and x not in skip for x in tokens)


@cache
def _common_words() -> frozenset[str]:
    t = load_tables()
    return t.org_tokens | t.generic | t.places | t.stopwords


_KIND_GROUP = {Kind.VESSEL: "vessel", Kind.AIRCRAFT: "aircraft", Kind.PERSON: "person"}


def _kind_group(kind: Kind) -> str:
    return _KIND_GROUP.get(kind, "organization")


class _Links:
    """Union-find over entry positions (path halving; the root is the smallest position) that
    records each link and refuses a link that would put two entries of one list with two different
    publisher ids in one party: a publisher that lists a party twice means two parties (OFAC's
    "STROYTRANSGAZ LLC" and "STROYTRANSGAZ OJSC"). Ids the parsers derive from a name
    (``el-<hash>``, one CSL row per address) are not publisher ids."""

    def __init__(self, entries: Sequence[Entry]) -> None:
        self.entries = entries
        self.parent = list(range(len(entries)))
        self.links: dict[tuple[int, int], str] = {}
        self.listed: dict[int, dict[str, str]] = {}  # root -> list code -> publisher id, for merged parties

    def _listed(self, root: int) -> dict[str, str]:
        found = self.listed.get(root)
        if found is None:  # a root not merged yet is a single entry
            e = self.entries[root]
            found = {} if DERIVED_ID.fullmatch(e.entry_id) else {e.list_code: e.entry_id}
        return found

    def find(self, i: int) -> int:
        parent = self.parent
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def link(self, i: int, j: int, reason: str) -> None:
        if i == j:
            return
        a, b = self.find(i), self.find(j)
        if a > b:
            a, b = b, a
        if a != b:
            listed_a, listed_b = self._listed(a), self._listed(b)
            if any(listed_a.get(code, entry_id) != entry_id for code, entry_id in listed_b.items()):
                return
            self.parent[b] = a
            self.listed[a] = {**listed_a, **listed_b}
            self.listed.pop(b, None)
        self.links.setdefault((min(i, j), max(i, j)), reason)


def link_parties(entries: Sequence[Entry], names: Iterable[tuple[int, tuple[str, ...], bool]] | None = None) -> Parties:
    """The party of each entry. ``names`` are (entry position, normalized tokens, is a primary
    name) of each published name and its :data:`NAME_VARIANTS`; when None they are computed here
    (the index passes the ones it already has)."""
    if names is None:
        names = [(i, normalize_name(text).tokens, is_primary(n.role, how)) for i, e in enumerate(entries)
                 for n in e.names for text, how in split_variants(n.value) if how in NAME_VARIANTS]
    per_entry: dict[int, list[tuple[tuple[str, ...], bool]]] = {}
    for i, tokens, primary in names:
        if tokens:
            per_entry.setdefault(i, []).append((tokens, primary))
    idents = {i: found for i, e in enumerate(entries) if e.identifiers and (found := _identifiers(e))}
    uf = _Links(entries)
    _link_identifiers(entries, idents, uf)
    _link_persons(entries, per_entry, uf)
    _link_names(entries, per_entry, idents, uf)
    ids = np.fromiter((uf.find(i) for i in range(len(entries))), dtype=np.int32, count=len(entries))
    return Parties(entries, ids, uf.links)


def is_primary(role: NameRole, how: str) -> bool:
    """Whether a name (or one of its :data:`NAME_VARIANTS`) counts as its entry's primary name."""
    return role is NameRole.PRIMARY and how in PRIMARY_VARIANTS


def _identifiers(entry: Entry) -> list[tuple[str, str, str]]:
    """(family, comparable value, as published) of each identifier of an entry."""
    out = []
    for ident in entry.identifiers:
        family = scheme_family(ident.scheme)
        value = clean_identifier(ident.value, family) if family else None
        if family and value:
            out.append((family, value, f"{ident.scheme} {ident.value}"))
    return out


def _link_identifiers(entries: Sequence[Entry], idents: dict[int, list[tuple[str, str, str]]], uf: _Links) -> None:
    holders: dict[tuple[str, str], dict[int, str]] = {}
    for i, found in idents.items():
        for family, value, shown in found:
            holders.setdefault((family, value), {}).setdefault(i, shown)
    for group in holders.values():
        if len(group) < 2 or len({(entries[i].list_code, entries[i].entry_id) for i in group}) > MAX_ID_LISTINGS:
            continue
        members = sorted(group)
        for x, i in enumerate(members):
            for j in members[x + 1 :]:
                if _compatible(entries[i], entries[j]):
                    uf.link(i, j, f"same identifier {group[i]}")


def _compatible(a: Entry, b: Entry) -> bool:
    """Same kind of party ("unknown" goes with anything), and for persons birth years that can agree."""
    if Kind.UNKNOWN not in (a.kind, b.kind) and _kind_group(a.kind) != _kind_group(b.kind):
        return False
    if a.kind is Kind.PERSON and a.birth_dates and b.birth_dates:
        return bool({d[:4] for d in a.birth_dates} & {d[:4] for d in b.birth_dates})
    return True


def fold_name(tokens: Iterable[str], stop: frozenset[str] | None = None) -> frozenset[str]:
    """The words of a person name (2+ letters, not particles), spelled by
    :func:`~clearance.names.phonetic.translit_key` where it applies: Yuryevich and Yurievich,
    Vyacheslav and Viacheslav are one word."""
    stop = load_tables().stopwords if stop is None else stop
    return frozenset(translit_key(t) or t for t in tokens if len(t) > 1 and t not in stop)


def is_same_person_name(a: frozenset[str], b: frozenset[str], respelt: bool = False) -> bool:
    """Two or more words in common, and every word of the shorter name (:func:`fold_name`) in the
    other. "KUZNETSOV, Artem" / "Artem Konstantinovich KUZNETSOV" agree; "IVANOV, Sergey
    Borisovich" / "Sergey Pavlovich IVANOV", or "Kamal Mustafa Abdallah Sultan" / "Jamal Mustafa
    Abdallah Sultan" (two brothers of one birth date on the SDN list), do not.

    ``respelt``: a shorter name of three or more words may have one word missing from the other
    if the other has a *spelling* of it (:func:`is_respelling`): "Alexander Mikhailovich
    STRELYUHIN" / "STRELYUKHIN, Alexander Mikhailovich". Kamal / Jamal is a different name, not
    a respelling."""
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    if len(short) < 2:
        return False
    if short <= long_:
        return True
    if not respelt or len(short) < 3:
        return False
    missing = short - long_
    if len(missing) != 1:
        return False
    word = next(iter(missing))
    return any(is_respelling(word, other) for other in long_ - short)


def is_respelling(x: str, y: str) -> bool:
    """Two folded words that spell one name: the same consonant skeleton or vowels only
    (romanization), or one edit in six or more letters (a typo). Not one edit in five letters:
    Kamal / Jamal, Hasan / Hasin."""
    found = pair_similarity(x, y)
    if found is None:
        return False
    sim, how = found
    return how != "initial" and (how != "fuzzy" or (min(len(x), len(y)) >= 6 and sim >= 0.85))


def near_dates(date: str) -> list[str]:
    """The full dates one slip away from ``date`` (``YYYY-MM-DD``): a day before or after, and
    the same day a month before or after, within the year (1 January is often a placeholder
    for an unknown date). Lists copy one another's birth dates by hand."""
    try:
        d = datetime.date.fromisoformat(date)
    except ValueError:
        return []
    out = [n.isoformat() for n in (d - datetime.timedelta(days=1), d + datetime.timedelta(days=1)) if n.year == d.year]
    for month in (d.month - 1, d.month + 1):
        if 1 <= month <= 12:
            with contextlib.suppress(ValueError):  # 31 March -> no 31 February
                out.append(d.replace(month=month).isoformat())
    return out


def swapped_date(date: str) -> str | None:
    """The date with day and month swapped ("1966-05-01" -> "1966-01-05"), when that is another
    valid date: a list that copied a birth date between the day-first and the month-first
    conventions (UK "Sergey Vasilyevich GORNYAKOV" 1966-05-01 / OFAC "GORNYAKOV, Sergei
    Vasilyevich" 1966-01-05)."""
    try:
        d = datetime.date.fromisoformat(date)
    except ValueError:
        return None
    if d.day > 12 or d.day == d.month:
        return None
    return d.replace(month=d.day, day=d.month).isoformat()


def _link_persons(entries: Sequence[Entry], per_entry: dict[int, list[tuple[tuple[str, ...], bool]]], uf: _Links) -> None:
    born: dict[str, list[int]] = {}
    for i, entry in enumerate(entries):
        if entry.kind is Kind.PERSON and entry.birth_dates:
            for d in sorted(set(entry.birth_dates)):
                if len(d) == 10 and FULL_DATE.fullmatch(d):
                    born.setdefault(d, []).append(i)
    stop = load_tables().stopwords
    folded: dict[tuple[str, ...], frozenset[str]] = {}  # names recur across lists
    words: dict[int, tuple[frozenset[str], list[frozenset[str]]]] = {}  # entry -> (all its words, each name's)

    def words_of(i: int) -> tuple[frozenset[str], list[frozenset[str]]]:
        if i not in words:
            names = []
            for tokens, _ in per_entry.get(i, ()):
                if tokens not in folded:
                    folded[tokens] = fold_name(tokens, stop)
                names.append(folded[tokens])
            words[i] = (frozenset().union(*names), names)
        return words[i]

    for date, group in born.items():
        if len(group) < 2:
            continue
        for x, i in enumerate(group):
            every_i, names_i = words_of(i)
            for j in group[x + 1 :]:
                every_j, names_j = words_of(j)
                if len(every_i & every_j) >= 2 and any(is_same_person_name(a, b, respelt=True)
                                                       for a in names_i for b in names_j):
                    uf.link(i, j, f"same birth date {date} and name")
    # one day or one month apart, or day and month swapped: every word the same, three words or more
    for date, group in born.items():
        swap = swapped_date(date)
        for other in [*near_dates(date), *([swap] if swap else [])]:
            if other <= date or other not in born:
                continue  # each unordered pair of dates once
            slip = "day and month swapped" if other == swap else "one day or month apart"
            for i in group:
                for j in born[other]:
                    if i != j and any(min(len(a), len(b)) >= 3 and is_same_person_name(a, b)
                                      for a in words_of(i)[1] for b in words_of(j)[1]):
                        uf.link(i, j, f"same name, birth dates {date} and {other} {slip}")
    # a birth year only, and a country in common: every word the same, three words or more
    by_year: dict[tuple[str, str], list[int]] = {}
    for i, entry in enumerate(entries):
        if entry.kind is Kind.PERSON and entry.birth_dates:
            for key in sorted({(d[:4], c) for d in entry.birth_dates for c in entry.countries}):  # one reason, every run
                by_year.setdefault(key, []).append(i)
    for (year, country), group in by_year.items():
        for x, i in enumerate(group):
            for j in group[x + 1 :]:
                if not _both_full_dates(entries[i], entries[j]) and any(
                        min(len(a), len(b)) >= 3 and a == b for a in words_of(i)[1] for b in words_of(j)[1]):
                    uf.link(i, j, f"same name, birth year {year} and country {country}")


def _both_full_dates(a: Entry, b: Entry) -> bool:
    """Whether both entries publish full birth dates: the rules on full dates decide those pairs."""
    da = {d for d in a.birth_dates if FULL_DATE.fullmatch(d)}
    db = {d for d in b.birth_dates if FULL_DATE.fullmatch(d)}
    return bool(da and db)


def _link_names(entries: Sequence[Entry], per_entry: dict[int, list[tuple[tuple[str, ...], bool]]],
                idents: dict[int, list[tuple[str, str, str]]], uf: _Links) -> None:
    """Same name, legal forms and function words aside, and the primary name of at least one of
    the two (two lists that share only an alias often list two related companies under it). Pairs
    whose names are identical *with* their legal forms are linked first, so "Stroytransgaz Group"
    (EL) joins OFAC's "STROYTRANSGAZ GROUP" before its alias "Stroytransgaz" could join
    "STROYTRANSGAZ HOLDING"; two different legal forms ("LLC" / "OJSC") are two companies. A name
    that is only an acronym ("AST", "BAZ") needs a country in common.

    Or **two names in common**, whatever their roles and however generic their words, one of them
    of two words or more: UK "AEROSPACE INDUSTRIES ORGANISATION" (alias "AIO") and the ISN's
    "Aerospace Industries Organization (AIO)" publish one name and its acronym; "Aerospace
    Industries Organization" alone names nobody in particular."""
    org = load_tables().org_tokens
    named: dict[tuple[str, ...], dict[int, list[tuple[frozenset[str], bool]]]] = {}
    shared: dict[tuple[str, ...], dict[int, tuple[frozenset[str], bool]]] = {}  # every name -> entry -> (legal forms, strong)
    keys: dict[tuple[str, ...], tuple[tuple[str, ...], frozenset[str], bool] | None] = {}  # names recur across lists
    for i, all_tokens in per_entry.items():
        if entries[i].kind is Kind.PERSON:
            continue
        for tokens, primary in all_tokens:
            if tokens in keys:
                key = keys[tokens]
            else:
                key = keys[tokens] = _name_key(tokens, org)
            if key is None:
                continue
            forms, strong = shared.setdefault(key[0], {}).get(i, (frozenset(), False))
            shared[key[0]][i] = (forms | key[1], strong or primary or key[2])
            if key[2]:
                named.setdefault(key[0], {}).setdefault(i, []).append((key[1], primary))
    pairs: list[tuple[bool, int, int, bool]] = []
    for core, group in named.items():
        if len(group) < 2:
            continue
        acronym = len(core) == 1 and len(core[0]) <= MAX_ACRONYM
        members = sorted(group)
        for x, i in enumerate(members):
            for j in members[x + 1 :]:
                agree = [f == g for f, p in group[i] for g, q in group[j] if (p or q) and (not (f and g) or f & g)]
                if agree:
                    pairs.append((not any(agree), i, j, acronym))
    pairs.sort()
    for _, i, j, acronym in pairs:
        if _may_link(entries[i], entries[j], acronym, idents.get(i), idents.get(j)):
            uf.link(i, j, "same name")
    in_common: dict[tuple[int, int], list[tuple[int, bool, bool]]] = {}  # (words, strong, legal forms conflict)
    for core, holders in shared.items():
        if 1 < len(holders) <= MAX_SHARED_NAME:
            ordered = sorted(holders)
            for x, i in enumerate(ordered):
                fi, si = holders[i]
                for j in ordered[x + 1 :]:
                    fj, sj = holders[j]
                    in_common.setdefault((i, j), []).append((len(core), si or sj, bool(fi and fj and not fi & fj)))
    for (i, j), found in sorted(in_common.items()):
        # two names, one of two words or more, one of them distinctive or a primary name, no "LLC" / "FZC"
        if (len(found) >= 2 and any(n >= 2 for n, _, _ in found) and any(s for _, s, _ in found)
                and not any(c for _, _, c in found)
                and _may_link(entries[i], entries[j], False, idents.get(i), idents.get(j))):
            uf.link(i, j, "two names in common")


def _may_link(a: Entry, b: Entry, acronym: bool, ids_a: list[tuple[str, str, str]] | None,
              ids_b: list[tuple[str, str, str]] | None) -> bool:
    """Whether two entries that share a name may be one party: one kind group, a country in
    common when both publish countries (always, for an acronym), no conflicting identifier."""
    if _kind_group(a.kind) != _kind_group(b.kind):
        return False
    if (a.countries and b.countries or acronym) and not set(a.countries) & set(b.countries):
        return False
    return not (ids_a and ids_b and _conflict(ids_a, ids_b))  # both publish e.g. an IMO number, not the same one


def _name_key(tokens: tuple[str, ...], org: frozenset[str]) -> tuple[tuple[str, ...], frozenset[str], bool] | None:
    """(the name's words without legal forms and function words, in sorted order; its legal forms;
    whether it is distinctive), None when nothing is left."""
    core = tuple(sorted(t for t in tokens if t not in org))
    if len(bare := [t for t in core if t not in FUNCTION_WORDS]) >= 2:
        core = tuple(bare)  # not down to one word: "HTOO GROUP OF COMPANIES" is no acronym "HTOO"
    if not core:
        return None
    return core, org.intersection(tokens), is_distinctive(core)


def _conflict(a: list[tuple[str, str, str]], b: list[tuple[str, str, str]]) -> bool:
    """Whether two entries publish identifiers of one family and share none of them."""
    fa: dict[str, set[str]] = {}
    fb: dict[str, set[str]] = {}
    for family, value, _ in a:
        fa.setdefault(family, set()).add(value)
    for family, value, _ in b:
        fb.setdefault(family, set()).add(value)
    return any(not fa[f] & fb[f] for f in fa.keys() & fb.keys())
