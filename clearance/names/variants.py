"""Name variants indexed for one published name: parentheticals, affiliates, acronyms.

Why: the lists pack several names into one string. The CSL prints "Huawei Technologies Co., Ltd.
(Huawei)" and "Semiconductor Manufacturing International Corporation (SMIC)", and Entity List
rows name an affiliate after "Affiliated Entity:". A query for "Huawei", "SMIC" or the affiliate
must meet these names, so each such string is indexed as several variants:

- the full string;
- the parenthetical itself, when it is a short name of the rest (an acronym of it, or its
  leading words) -- not when it is a place ("... International (Beijing) Corporation");
- the string without its parentheticals, when all of them are such short names (without
  "(UK)" or "(Shanghai)" the name would be another party's);
- the affiliate after "Affiliated Entity:" (15 CFR 744 Supp. 4 layout, as printed by the CSL);
- a former or other name given in the string ("Gazprom Russkaya, OOO (f.k.a., Obshchestvo S
  Ogranichennoi Otvetstvennostyu Kovyktneftegaz)", "Far East Trading Company, Inc. (a.k.a. FETCO,
  Inc.)"): each such name, and the name without them;
- each name of a string that lists several separated by semicolons, as the UN prints spellings
  ("Fazel Rahim; Fazil Rahim", "a) X b) Y"), and what each gives (:func:`listed_together`);
- the name without a trailing qualifier the Federal Register prints after it ("..., and its
  sub-units and successors", "..., a.k.a., the following two aliases:"): the qualifier is not
  part of anybody's name, and its words would count against every query.

Acronyms of multi-word organisation names ("Semiconductor Manufacturing International
Corporation" -> "smic") are generated separately (:func:`acronyms`) and scored with a discount,
because an invented acronym is weaker evidence than a published one.
"""

from __future__ import annotations

import re
from functools import lru_cache

from clearance.names.normalize import normalize_name
from clearance.names.tables import load_tables
from clearance.sources.countries import to_iso2  # the lists' country spellings and ISO codes

_PAREN = re.compile(r"\(([^()]{1,80})\)")
_AFFILIATE = re.compile(r"affiliated entit(?:y|ies)\s*:\s*", re.IGNORECASE)
_FORMER = re.compile(r"(?:^|\(|,)\s*f\.\s*k\.\s*a\.?\s*,?\s*([^()]{2,200})\)?\s*$", re.IGNORECASE)
_ALSO_KNOWN = re.compile(r"\(\s*a\.?\s*k\.?\s*a\.?\s*,?\s*([^()]{2,200})(?:\)|$)", re.IGNORECASE)
# a web address published as a name ("WWW.SERCUBA.COM", "SYNAPTIX.NET", "WWW.AEROCONTINENTE.COM.PE"):
# its second-level label is the name. Only with "www." or a generic top-level domain: "DOM.RF" and
# "VEB.RF" are brand names written with a dot, not addresses.
_DOMAIN = re.compile(r"^\s*(?:https?://)?(www\.)?([^\W_][\w-]{2,})\.(com|net|org|info|biz|io|[a-z]{2})(?:\.[a-z]{2})?/?\s*$",
                     re.IGNORECASE)
_GENERIC_TLD = frozenset({"com", "net", "org", "info", "biz", "io"})
_QUALIFIER = re.compile(r",?\s*(?:a\.k\.a\.?,?\s*the following\b.*|and (?:its|all) (?:sub-?units|subordinate|successors)\b.*)$",
                        re.IGNORECASE)


MAX_TOGETHER_WORDS = 10  # a part longer than this is a description, not a name
_ENUMERATED = re.compile(r"(?<!\S)[a-h]\)\s+")  # "a) X b) Y": the UN's numbering of names


def listed_together(value: str) -> list[str]:
    """The names of a string that lists several separated by semicolons, as the UN list prints
    spellings ("Fazel Rahim; Fazil Rahim") and names ("COMPAGNIE AERIENNE DES GRANDS LACS (CAGL) ;
    GREAT LAKES BUSINESS COMPANY (GLBC)"); [] for anything else. Not when the string holds a digit
    (an address: "APEX Ltd., 26 General Belov St ...; and 53 Sherbakovskaya Street"), not a
    semicolon inside parentheses (an a.k.a. list, read by :func:`split_variants`), not when a part
    is empty, opens with "and" or a parenthesis ("...; (all of preceding located in ...)"), or is
    longer than :data:`MAX_TOGETHER_WORDS` words."""
    if any(c.isdigit() for c in value):
        return []
    value = _ENUMERATED.sub("; ", value)  # UN "Mohammed Sabet; Mohammad Sabet b) M. Javad Kareemi Sabet"
    parts, depth, start = [], 0, 0
    for k, c in enumerate(value):
        depth += (c == "(") - (c == ")")
        if c == ";" and depth == 0:
            parts.append(value[start:k])
            start = k + 1
    parts = [p.strip(" ,.;\u2014-") for p in [*parts, value[start:]]]
    if len(parts) < 2 or any(not any(c.isalpha() for c in p) or p[0] == "(" or p.casefold().startswith("and ")
                             or len(p.split()) > MAX_TOGETHER_WORDS for p in parts):
        return []
    return parts


def _initials(words: list[str]) -> str:
    return "".join(w[0] for w in words if w)


def is_short_name_of(short: list[str], full: list[str]) -> bool:
    """True when ``short`` (normalized tokens) is an acronym of ``full`` or its leading words.

    "Huawei Technologies Co., Ltd. (Huawei)" and "... Corporation (SMIC)" qualify; "(Beijing)" in
    "Semiconductor Manufacturing International (Beijing) Corporation" does not.
    """
    if not short or not full:
        return False
    if len(full) > len(short) and tuple(full[: len(short)]) == tuple(short):
        return True
    return len(short) == 1 and len(short[0]) >= 2 and short[0] in acronyms(full)


def acronyms(tokens: list[str] | tuple[str, ...], forms: frozenset[str] | None = None) -> set[str]:
    """Acronyms of a normalized organisation name: initials with and without function words / legal forms.

    Only names of three or more significant words give an acronym (two-letter acronyms collide
    with everything). With ``forms``, only those legal forms give a letter to the first acronym
    (:func:`invented_acronyms`).
    """
    if len(tokens) < 3:
        return set()
    tables = load_tables()
    words = [t for t in tokens if t not in tables.stopwords and not t.isdigit()]
    full = words if forms is None else [t for t in words if t not in tables.org_tokens or t in forms]
    core = [t for t in words if t not in tables.org_tokens]
    return {_initials(kept) for kept in (full, core) if len(kept) >= 3}


# legal forms whose initial the lists' own acronyms keep: SMIC = Semiconductor Manufacturing
# International Corporation, CSSC = China State Shipbuilding Corporation, KNIC = ... Company
ACRONYM_FORMS = frozenset({"corp", "co"})


def invented_acronyms(tokens: list[str] | tuple[str, ...]) -> set[str]:
    """The acronyms the index derives for a listed organisation name: :func:`acronyms`, except that
    a legal form other than "Corporation" / "Company" gives no letter. Nobody abbreviates "Gurgen
    House Co Ltd" as "GHCL" or "Atlantic Ship Management LLC" as "ASML", and such acronyms met
    unrelated firms of that name (measured on the non-listed names: 6 of 129 false positives at
    0.80, for 1 of 1,478 hold-out queries). Published short names are read with :func:`acronyms`."""
    return acronyms(tokens, ACRONYM_FORMS)


def split_variants(value: str) -> list[tuple[str, str]]:
    """(variant text, how it was derived) for one published name; the full string comes first."""
    out = [(value, "published")]
    if ";" in value and (names := listed_together(value)):
        for name in names:  # each name as if published alone, and what it gives
            out.extend((v, "listed together" if how == "published" else how) for v, how in split_variants(name))
        return out
    base = value
    if (web := _DOMAIN.match(value)) is not None and (web.group(1) or web.group(3).casefold() in _GENERIC_TLD):
        out.append((web.group(2), "web address"))
        return out
    parts = _AFFILIATE.split(value, maxsplit=1)
    if len(parts) == 2 and parts[1].strip(" .;,"):
        # the row lists the affiliate; the parent's own name is its own entry, so it is not
        # indexed here (it would make every affiliate answer a query for the parent).
        base = parts[1].strip(" .;,")
        out.append((base, "affiliate"))
    if (aka := _ALSO_KNOWN.search(base)) is not None:  # "X (a.k.a. Y; Z)" or "X (aka Y) (DPRK individual)"
        out.extend((name.strip(" ,.;"), "also known as") for name in aka.group(1).split(";") if name.strip(" ,.;"))
        current = " ".join(f"{base[: aka.start()]} {base[aka.end() :]}".split()).strip(" ,.;")
        if current:
            out.append((current, "without also-known-as"))
            base = current
    former = _FORMER.search(base)
    if former:
        current = base[: former.start()].strip(" ,.;")
        out.append((former.group(1).strip(" ,.;"), "former name"))
        if current:
            out.append((current, "without former name"))
            base = current
    qualifier = _QUALIFIER.search(base)
    if qualifier and qualifier.start() > 0 and base[: qualifier.start()].strip(" ,.;"):
        base = base[: qualifier.start()].strip(" ,.;")
        out.append((base, "without qualifier"))
    if _PAREN.search(base):
        stripped = " ".join(_PAREN.sub(" ", base).split()).strip(" ,.")
        rest = list(normalize_name(stripped).tokens)
        short: list[str] = []  # parentheticals indexed on their own
        whole = False  # a parenthetical the name is not the same without
        for m in _PAREN.finditer(base):
            p = m.group(1).strip()
            if is_short_name_of(list(normalize_name(p).tokens), rest):
                short.append(p)
            elif not is_published_acronym(p, stripped):
                whole = True
            elif closes_name(base[m.end() :]):
                short.append(p)
            # else an acronym inside the name is its parent's ("... Group Co., Ltd. (CSIC) 712th Research
            # Institute"): the name means the same without it, but it is not indexed on its own
        if stripped and stripped != base and not whole:
            # only when every parenthetical is a short name: "(UK)" or "(Shanghai)" name another party
            out.append((stripped, "without parenthetical"))
        out.extend((p, "parenthetical") for p in short)
    return out


_PUBLISHED_ACRONYM = re.compile(r"[A-Z][A-Z0-9]{2,11}(?:-[A-Z0-9]{1,6})?")


def is_published_acronym(paren: str, outside: str) -> bool:
    """Whether a parenthetical is an acronym as its publisher wrote it: one word in capitals (3-12
    characters, digits and one hyphen allowed) in a name written in mixed case, and not a country,
    a place or a legal form. The CSL prints Russian and Chinese acronyms that the English words do not
    give: "All-Russian Scientific Research Institute of Experimental Physics (VNIIEF)", "Russian Space
    Systems (RKS)", "Avin Electronics Technology Co., Ltd. (AETC)" (237 such strings on the bundled
    lists). In a name written all in capitals the capitals say nothing -- "VOLAT (GIANT)", "QODS
    (JERUSALEM) FORCE", "SBERBANK (SWITZERLAND) AG" -- so there only :func:`is_short_name_of` counts."""
    if _PUBLISHED_ACRONYM.fullmatch(paren) is None or not any(c.islower() for c in outside):
        return False
    tables = load_tables()
    tokens = normalize_name(paren).tokens
    return to_iso2(paren) is None and not any(t in tables.places or t in tables.org_tokens for t in tokens)


def closes_name(after: str) -> bool:
    """Whether what follows a parenthetical is only legal forms and punctuation ("..., Ltd. (AETC)",
    "Petersburg Electronic Company (PEC), LLC"): the parenthetical then names the whole."""
    org = load_tables().org_tokens
    return all(t in org for t in normalize_name(after).tokens)


_COMPOUND = re.compile(r"(?<![^\W\d_])([^\W\d_]{3,})-([^\W\d_]{3,})(?![^\W\d_])")


@lru_cache(maxsize=200_000)
def hyphen_compounds(text: str) -> frozenset[frozenset[str]]:
    """The hyphenated compounds of a name, as pairs of normalized tokens: "JOHN B. PRIDMORE-SMITH"
    -> {{pridmore, smith}}, "Sovtest-Service LLC" -> {{sovtest, service}}. Particles are not
    compounds ("al-Assad", "Abu-Bakr"). The scorer does not let a match take one half of a
    compound for the whole (:func:`clearance.index.scorer.splits_a_compound`)."""
    particles = load_tables().stopwords
    out = set()
    for m in _COMPOUND.finditer(text):
        a, b = normalize_name(m.group(1)).tokens, normalize_name(m.group(2)).tokens
        if len(a) == 1 and len(b) == 1 and a[0] not in particles and b[0] not in particles and a != b:
            out.add(frozenset((a[0], b[0])))
    return frozenset(out)
