"""Country names and codes as the lists spell them → ISO 3166-1 alpha-2.

The publishers do not agree on how to write a country: OFAC writes "Korea, North",
"Burma", "Bahamas, The", "Region: Crimea"; trade.gov's CSL and BIS's dpl.txt use
alpha-2 codes (and sometimes "PRC"); the Entity List heads entries "Crimea region of
Ukraine". The spellings live in ``tables/countries.yaml`` (generated from ISO 3166-1
plus the spellings found in the real list files, see ``tables/generate_countries.py``),
so adding one is a data change.

Rules: a two-letter input is taken as an alpha-2 code only if the table has it
(``XK`` Kosovo and the withdrawn ``AN`` included); three letters as an alpha-3 code;
anything else is matched on a normalized form (accents folded, case folded, "&" →
"and", "St." → "saint", the word "the" and punctuation ignored) and, failing that,
after dropping a "Region:" prefix or taking the country after "... region of".
Unknown or deliberately unresolvable text ("undetermined", "Region: Kafia Kingi")
gives ``None``; callers keep the verbatim text elsewhere.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path

import yaml

TABLE = Path(__file__).parent / "tables" / "countries.yaml"

_NON_ALNUM = re.compile(r"[^0-9a-z]+")
_REGION_OF = re.compile(r"\bregions? of (?P<country>.+)$", re.IGNORECASE)


def normalize_country(text: str) -> str:
    """The lookup key of a country spelling (see module doc)."""
    folded = unicodedata.normalize("NFKD", text)
    folded = "".join(ch for ch in folded if not unicodedata.combining(ch)).casefold()
    folded = folded.replace("&", " and ").replace("'", "")
    folded = re.sub(r"\bst\.?\s", "saint ", folded)
    words = [w for w in _NON_ALNUM.sub(" ", folded).split() if w != "the"]
    return " ".join(words)


@lru_cache(maxsize=1)
def _load() -> tuple[dict[str, str], frozenset[str], dict[str, str]]:
    raw = yaml.safe_load(TABLE.read_text(encoding="utf-8"))
    by_name: dict[str, str] = {}
    alpha3: dict[str, str] = {}
    for code, names in raw.items():
        code = str(code)
        if not re.fullmatch(r"[A-Z]{2}", code) or not isinstance(names, list) or not names:
            raise ValueError(f"{TABLE}: bad row {code!r}: expected an alpha-2 code and a list of names")
        for name in names:
            name = str(name)
            if re.fullmatch(r"[A-Z]{3}", name):
                alpha3[name] = code
            key = normalize_country(name)
            if by_name.get(key, code) != code:
                raise ValueError(f"{TABLE}: {name!r} is listed under both {by_name[key]} and {code}")
            by_name[key] = code
    return by_name, frozenset(str(c) for c in raw), alpha3


@lru_cache(maxsize=8192)
def to_iso2(text: str | None) -> str | None:
    """ISO alpha-2 code for a country name or code as written on a list, or None."""
    if not text:
        return None
    text = text.strip().strip(".,;").strip()
    if not text:
        return None
    by_name, codes, alpha3 = _load()
    if len(text) == 2 and text.isalpha():
        return text.upper() if text.upper() in codes else None
    if len(text) == 3 and text.isalpha() and text.isupper() and text in alpha3:
        return alpha3[text]
    key = normalize_country(text)
    if key in by_name:
        return by_name[key]
    if key.startswith("region "):
        return by_name.get(key.removeprefix("region "))
    m = _REGION_OF.search(text)
    if m:
        return by_name.get(normalize_country(m.group("country")))
    return None


def country_name(code: str) -> str | None:
    """The display name of an alpha-2 code (first spelling in the table)."""
    raw = yaml.safe_load(TABLE.read_text(encoding="utf-8"))
    names = raw.get(code.upper())
    return str(names[0]) if names else None
