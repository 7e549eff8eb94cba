"""Load the name tables (``clearance/names/tables/*.yaml``) once, checking their meaning.

Domain knowledge lives in data, one concept per file (docs/matching.md explains each):

- ``org_types.yaml``      legal forms / organisation types -> canonical token (``Co., Ltd.`` -> ``co ltd``);
                          its ``spellings`` (the lists' other spellings of a form's words: ``obschestvo``)
                          are expanded into every combination at load
- ``abbreviations.yaml``  spelling variants of ordinary words, also in other languages (``Intl``,
                          ``internacional`` -> ``international``)
- ``generic_terms.yaml``  descriptive words that count little (``trading``, ``technology``); its ``bodies``
                          name a kind of organization (``fund``, ``ministry``): a query with one is an organization's name
- ``stopwords.yaml``      function words and name particles that count almost nothing
- ``places.yaml``         countries, provinces and cities that prefix organisation names
- ``chinese_terms.yaml``  Han-script business terms -> the English the lists print
- ``korean_terms.yaml``   Hangul business terms -> the English the lists print (DPRK entities)
- ``arabic_words.yaml``   Arabic-script particles and function words -> their Latin spelling on the lists;
                          the countries that write names in Arabic script
- ``russian_words.yaml``  romanized Russian adjectives (stem + every ending) and nouns -> the English
                          the lists print; read as part of ``abbreviations``
- ``theophoric.yaml``     the spellings of Arabic "Abd al-" names (Abd al-Aziz, Abdul Aziz, Abdelaziz)
- ``nasab.yaml``          patronymic particles ("bin", "ibn", "ben"): the words before the first are the person's own name
- ``east_slavic.yaml``    Russian, Ukrainian and Belarusian forms of one given name and its patronymics
                          (Nikolai / Mykola / Mikalai, Nikolaevich / Mykolayovych / Mikalaevich)
- ``company_words.tsv``   how many real, non-listed companies use each word (built by
                          ``python -m bench.commonness`` from the benchmark's training half)

Loading uses ``yaml.safe_load`` then pydantic, then cross-checks (keys already normalized, no
empty values, every spelling belongs to a form word and makes no two forms collide); every problem of
every file is reported in one :class:`ConfigError`.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Container
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from clearance.errors import ConfigError

COMPANY_WORDS_FILE = Path(__file__).resolve().parent / "tables" / "company_words.tsv"


class _Forms(BaseModel):
    model_config = ConfigDict(extra="forbid")
    factor: float = Field(ge=0, le=1)
    forms: dict[str, str]
    # word of a form -> other spellings the lists print it with; every form is read with each of them
    spellings: dict[str, list[str]] = Field(default_factory=dict)


class _Words(BaseModel):
    model_config = ConfigDict(extra="forbid")
    words: dict[str, str]


class _Weighted(BaseModel):
    model_config = ConfigDict(extra="forbid")
    factor: float = Field(ge=0, le=1)
    words: list[str]


class _Generic(_Weighted):
    bodies: list[str] = Field(default_factory=list)


class _Russian(BaseModel):
    model_config = ConfigDict(extra="forbid")
    endings: list[str]
    adjectives: dict[str, str]
    nouns: dict[str, str]


def _russian_words(table: _Russian, taken: Container[str], canonical: dict[str, str]) -> dict[str, str]:
    """``russian_words.yaml`` expanded: every adjective stem (and its i / j spellings of y) with every
    ending, and the nouns, each to its English read through ``canonical`` (abbreviations); words in
    ``taken`` (already in abbreviations or a legal form) are left to their own table. A phrase of
    ``canonical`` that holds the English word gets the Russian word's spelling too ("non state" ->
    nonstate, so "non gosudarstvennyy" -> nonstate in one pass, as normalization must be idempotent)."""
    out: dict[str, str] = {}

    def add(word: str, english: str) -> None:
        if word not in taken:
            out.setdefault(word, " ".join(canonical.get(w, w) for w in english.split()))

    for stem, english in table.adjectives.items():
        spellings = {stem, re.sub(r"y(?=[^aeiouy])", "i", stem), re.sub(r"y(?=[^aeiouy])", "j", stem)}
        for spelling in sorted(spellings):
            for ending in table.endings:
                add(spelling + ending, english)
    for word, english in table.nouns.items():
        add(word, english)
    phrases = [(key.split(), value) for key, value in canonical.items() if " " in key]
    for word, english in list(out.items()):
        for key, value in phrases:
            if english in key:
                add(" ".join(word if w == english else w for w in key), value)
    return out


class _Terms(BaseModel):
    model_config = ConfigDict(extra="forbid")
    terms: dict[str, str]
    omitted: list[str] = []


class _ArabicWords(_Terms):
    countries: list[str]  # ISO alpha-2 codes of the countries that write names in Arabic script


class _Theophoric(BaseModel):
    model_config = ConfigDict(extra="forbid")
    canonical: str
    prefixes: list[str]
    articles: list[str]
    whole: list[str]


@dataclass(frozen=True)
class Theophoric:
    """Arabic "Abd al-X" names (``theophoric.yaml``), read by :func:`clearance.names.normalize.theophoric`."""
    canonical: str
    prefixes: frozenset[str]
    articles: frozenset[str]
    whole: tuple[str, ...]


class _Nasab(BaseModel):
    model_config = ConfigDict(extra="forbid")
    particles: list[str]
    not_own: list[str]


@dataclass(frozen=True)
class Nasab:
    """Patronymic chains (``nasab.yaml``), read by :func:`clearance.index.scorer.own_name_unmatched`."""
    particles: frozenset[str]
    not_own: frozenset[str]  # particles and the words before the first one that are not an own name


class _SlavicName(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str
    patronymic: str | None = None
    female: str | None = None
    forms: list[str]
    stems: list[str] = Field(default_factory=list)


class _EastSlavic(BaseModel):
    model_config = ConfigDict(extra="forbid")
    masculine_suffixes: list[str]
    feminine_suffixes: list[str]
    names: list[_SlavicName]


_DOUBLED = re.compile(r"(.)\1+")
_Y_J_W = str.maketrans("yjw", "iiv")
_CH = re.compile(r"t?sch|tch|(?<=vi)c$|(?<=vi)ti$")  # after y/j -> i: Swedish -vitj reads -viti


def skeleton(word: str) -> str:
    """A romanized East Slavic name without its romanization's choices: y and j read as i, doubled
    letters once ("Nataliya", "Natallia" -> natalia; "Yuriy", "Iurii", "Jurij" -> iuri), and the German,
    French, Swedish and diacritic spellings of ch and v ("Wiktorowitsch", "Jakovlevitch",
    "Uladzimiravitj", "Viktorovič")."""
    return _DOUBLED.sub(r"\1", _CH.sub("ch", word.translate(_Y_J_W)))


def stem(skel: str) -> str:
    """A name's skeleton without final vowels, the part its patronymic is built on (mikola -> mikol)."""
    return skel.rstrip("aeiou")


@dataclass(frozen=True)
class EastSlavic:
    """``east_slavic.yaml``, read by :func:`clearance.names.normalize.east_slavic`."""
    given: dict[str, str]  # skeleton of a form -> the Russian form
    stems: dict[str, tuple[str, str]]  # patronymic stem -> (masculine, feminine) patronymic
    masculine: tuple[str, ...]  # skeletons of the suffixes, longest first
    feminine: tuple[str, ...]

    def read(self, word: str) -> str:
        """The Russian form of a given name or patronymic in any of its forms; any other word as is.
        A patronymic is a known stem, then (after any vowels) a suffix: mikolai-ovich, siarh-eevich."""
        if len(word) < 3 or not word.isalpha():
            return word
        skel = skeleton(word)
        if (name := self.given.get(skel)) is not None:
            return name
        for which, suffixes in enumerate((self.masculine, self.feminine)):
            for suffix in suffixes:
                if skel.endswith(suffix) and (pair := self.stems.get(stem(skel[: -len(suffix)]))) is not None:
                    return pair[which]
        return word


def _east_slavic(raw: _EastSlavic, errors: list[str]) -> EastSlavic:
    """The lookup maps, checked: one meaning per skeleton and stem, every written word read as itself."""
    name = "east_slavic.yaml"
    given: dict[str, str] = {}
    stems: dict[str, tuple[str, str]] = {}
    for entry in raw.names:
        words = [entry.name, *entry.forms, *entry.stems, *(w for w in (entry.patronymic, entry.female) if w)]
        if bad := [w for w in words if not (w.isascii() and w.isalpha() and w == w.lower())]:
            errors.append(f"{name}: {entry.name}: {bad} not lower-case ASCII words")
            continue
        seen: set[str] = set()
        for form in (entry.name, *entry.forms):
            skel = skeleton(form)
            if skel in seen:
                errors.append(f"{name}: {entry.name}: {form!r} repeats a form (same skeleton {skel!r})")
            seen.add(skel)
            if given.setdefault(skel, entry.name) != entry.name:
                errors.append(f"{name}: {form!r} is a form of both {given[skel]!r} and {entry.name!r}")
        if (entry.patronymic is None) != (entry.female is None):
            errors.append(f"{name}: {entry.name}: give both patronymics or neither")
        if entry.patronymic and entry.female:
            for s in {stem(skeleton(f)) for f in (entry.name, *entry.forms)} | set(entry.stems):
                if len(s) < 3:
                    errors.append(f"{name}: {entry.name}: stem {s!r} is shorter than 3 letters")
                elif stems.setdefault(s, (entry.patronymic, entry.female)) != (entry.patronymic, entry.female):
                    errors.append(f"{name}: stem {s!r} belongs to {stems[s][0]!r} and {entry.patronymic!r}")
    table = EastSlavic(
        given, stems,
        tuple(sorted({skeleton(s) for s in raw.masculine_suffixes}, key=len, reverse=True)),
        tuple(sorted({skeleton(s) for s in raw.feminine_suffixes}, key=len, reverse=True)),
    )
    for word in sorted(set(given.values()) | {w for pair in stems.values() for w in pair}):  # every word it writes
        if table.read(word) != word:
            errors.append(f"{name}: {word!r} is written but reads as {table.read(word)!r}")
    return table


@dataclass(frozen=True)
class NameTables:
    org_types: dict[str, str]
    org_factor: float
    abbreviations: dict[str, str]
    generic: frozenset[str]
    generic_factor: float
    bodies: frozenset[str]  # words naming a kind of organization: a query with one is an organization's name
    stopwords: frozenset[str]
    stopword_factor: float
    chinese_terms: dict[str, str]
    chinese_omitted: frozenset[str]  # Han characters the lists leave out of their English (市 "city" after a place)
    korean_terms: dict[str, str]
    arabic_words: dict[str, str]
    arabic_countries: frozenset[str]  # where names are written in Arabic script (ISO alpha-2)

    places: frozenset[str]
    place_factor: float
    org_tokens: frozenset[str]  # every canonical org-type token (values of org_types.yaml, split)
    company_words: dict[str, int]  # word -> non-listed company names using it (company_words.tsv)
    theophoric: Theophoric
    east_slavic: EastSlavic
    nasab: Nasab


def _read(name: str, errors: list[str]) -> Any:
    path = resources.files("clearance.names") / "tables" / name
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        errors.append(f"{name}: cannot read: {exc}")
        return None


def _validate(name: str, model: type[BaseModel], raw: Any, errors: list[str]) -> Any:
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        for e in exc.errors():
            errors.append(f"{name}: {'.'.join(str(p) for p in e['loc'])}: {e['msg']}")
        return None


MAX_SPELLED = 1000  # spelled-out keys per form: a cap against a runaway combination in the table


def _expand_forms(forms: _Forms, errors: list[str]) -> dict[str, str]:
    """The forms with every combination of the listed spellings of their words (``obschestvo s
    ogranichennoy otvetstvennostyu`` from ``obshchestvo s ogranichennoi otvetstvennostyu``)."""
    out = dict(forms.forms)
    words = {w for key in forms.forms for w in key.split()}
    for word, spellings in forms.spellings.items():
        if word not in words:
            errors.append(f"org_types.yaml: spellings.{word}: no form contains this word")
        for sp in spellings:
            if sp in words or sp == word or " " in sp or sp != unicodedata.normalize("NFKC", sp).casefold():
                errors.append(f"org_types.yaml: spellings.{word}: {sp!r} is a form word, repeated or not one normalized word")
    for key, value in forms.forms.items():
        options = [[w, *forms.spellings.get(w, [])] for w in key.split()]
        spelled = [" ".join(c) for c in itertools.product(*options)]
        if len(spelled) > MAX_SPELLED:
            errors.append(f"org_types.yaml: forms.{key}: {len(spelled)} spellings (more than {MAX_SPELLED})")
            continue
        for alt in spelled:
            if out.setdefault(alt, value) != value:
                errors.append(f"org_types.yaml: forms.{key}: spelling {alt!r} already maps to {out[alt]!r}")
    return out


def _check_keys(name: str, mapping: dict[str, str], errors: list[str], *, ascii_keys: bool = True) -> None:
    for key, value in mapping.items():
        if not value.strip():
            errors.append(f"{name}: {key!r}: empty value")
        if ascii_keys and key != unicodedata.normalize("NFKC", key).casefold():
            errors.append(f"{name}: {key!r}: key is not normalized (NFKC, case-folded)")


@cache
def load_tables() -> NameTables:
    """Read, validate and cross-check every table; raise one ConfigError listing all problems."""
    errors: list[str] = []
    forms = _validate("org_types.yaml", _Forms, _read("org_types.yaml", errors), errors)
    abbr = _validate("abbreviations.yaml", _Words, _read("abbreviations.yaml", errors), errors)
    russian = _validate("russian_words.yaml", _Russian, _read("russian_words.yaml", errors), errors)
    generic = _validate("generic_terms.yaml", _Generic, _read("generic_terms.yaml", errors), errors)
    stop = _validate("stopwords.yaml", _Weighted, _read("stopwords.yaml", errors), errors)
    places = _validate("places.yaml", _Weighted, _read("places.yaml", errors), errors)
    zh = _validate("chinese_terms.yaml", _Terms, _read("chinese_terms.yaml", errors), errors)
    ko = _validate("korean_terms.yaml", _Terms, _read("korean_terms.yaml", errors), errors)
    ar = _validate("arabic_words.yaml", _ArabicWords, _read("arabic_words.yaml", errors), errors)
    theo = _validate("theophoric.yaml", _Theophoric, _read("theophoric.yaml", errors), errors)
    nasab = _validate("nasab.yaml", _Nasab, _read("nasab.yaml", errors), errors)
    slavic_raw = _validate("east_slavic.yaml", _EastSlavic, _read("east_slavic.yaml", errors), errors)
    slavic = _east_slavic(slavic_raw, errors) if slavic_raw else None
    for name, words in (("theophoric.yaml", (theo.canonical, *theo.prefixes, *theo.articles, *theo.whole) if theo else ()),
                        ("nasab.yaml", (*nasab.particles, *nasab.not_own) if nasab else ()),
                        ("generic_terms.yaml", generic.bodies if generic else ())):
        for word in words:
            if not (word.isascii() and word.isalpha() and word == word.lower()):
                errors.append(f"{name}: {word!r} is not one lower-case ASCII word")
    org_types: dict[str, str] = {}
    if forms:
        _check_keys("org_types.yaml", forms.forms, errors)
        org_types = _expand_forms(forms, errors)
    abbreviations: dict[str, str] = {}
    if abbr:
        _check_keys("abbreviations.yaml", abbr.words, errors)
        abbreviations = dict(abbr.words)
        if russian:
            for word in (*russian.adjectives, *russian.nouns, *russian.endings):
                if not (word.isascii() and word.isalpha() and word == word.lower()):
                    errors.append(f"russian_words.yaml: {word!r} is not one lower-case ASCII word")
            abbreviations.update(_russian_words(russian, abbreviations.keys() | org_types.keys(), abbr.words))
    for name, table in (("chinese_terms.yaml", zh), ("korean_terms.yaml", ko), ("arabic_words.yaml", ar)):
        if table is None:
            continue
        _check_keys(name, table.terms, errors, ascii_keys=False)
        for key, value in table.terms.items():
            if not value.isascii():
                errors.append(f"{name}: {key!r}: English value {value!r} is not ASCII")
        for key in table.omitted:
            if key in table.terms or key.isascii():
                errors.append(f"{name}: omitted {key!r} must be native-script text with no English value")
    for code in ar.countries if ar else ():
        if not (len(code) == 2 and code.isascii() and code.isalpha() and code.isupper()):
            errors.append(f"arabic_words.yaml: country {code!r} is not an ISO alpha-2 code")
    company_words = _read_counts("company_words.tsv", errors)
    if errors or not (forms and abbr and generic and stop and zh and ko and ar and russian and places and theo and slavic and nasab):
        raise ConfigError("invalid name tables: " + "; ".join(errors), problems=errors)
    return NameTables(
        org_types=org_types,
        org_factor=forms.factor,
        abbreviations=abbreviations,
        generic=frozenset(generic.words),
        generic_factor=generic.factor,
        bodies=frozenset(generic.bodies),
        stopwords=frozenset(stop.words),
        stopword_factor=stop.factor,
        chinese_terms=zh.terms,
        chinese_omitted=frozenset(zh.omitted),
        korean_terms=ko.terms,
        arabic_words=ar.terms,
        arabic_countries=frozenset(ar.countries),
        places=frozenset(places.words),
        place_factor=places.factor,
        org_tokens=frozenset(t for v in org_types.values() for t in v.split()),
        company_words=company_words,
        theophoric=Theophoric(theo.canonical, frozenset(theo.prefixes), frozenset(theo.articles), tuple(theo.whole)),
        east_slavic=slavic,
        nasab=Nasab(frozenset(nasab.particles), frozenset((*nasab.particles, *nasab.not_own))),
    )


def _read_counts(name: str, errors: list[str]) -> dict[str, int]:
    """``word<TAB>count`` lines (``#`` comments), counts >= 2."""
    path = resources.files("clearance.names") / "tables" / name
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        errors.append(f"{name}: cannot read: {exc}")
        return {}
    out: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line or line.startswith("#"):
            continue
        word, _, count = line.partition("\t")
        if not word or not count.isdigit() or int(count) < 2:
            errors.append(f"{name}: line {number}: expected 'word<TAB>count' with a count >= 2, got {line!r}")
            continue
        out[word] = int(count)
    return out
