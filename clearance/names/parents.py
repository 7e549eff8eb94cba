"""Parent acronyms: the short names of large groups, learned from the lists, spelled out in their subsidiaries' names.

The lists name many subsidiaries after their parent's acronym, and the same subsidiary is known
in the world under either form: "CSSC Offshore & Marine Engineering (Group)" is China State
Shipbuilding Corporation's listed subsidiary, "AECC Shenyang Liming Aero Engine Co., Ltd." Aero
Engine Corporation of China's, "CCCC Dredging (Group)" China Communications Construction
Company's. A supplier file writes "China State Shipbuilding Corporation Offshore and Marine
Engineering"; the word-by-word score cannot meet four words with one.

The acronyms come from the lists themselves: an organisation entry that publishes both a
one-word name of four or more letters and a longer name whose initials it is, function words
and digits aside, with or without its legal forms ("CSSC" and "China State Shipbuilding
Corporation, Limited"; "SBIG" and "Shahid Bagheri Industry Group"). The acronym is not used when it is ambiguous:
- it is also a word of a listed person's name ("MIRA", "RIM", "ANA"), a legal form, a function
  word, a generic or place word, or a word that real companies use ("NATA": Suzhou Nata
  Optoelectronic is not the National Aerospace Technology Administration);
- two entries give it two different expansions ("CNEC": China Nuclear / China National
  Engineering and Construction). Spellings of one expansion ("Shahid Bagheri / Baheri / Bakeri
  Industry Group", "Aero / Aeronautical Engine Corporation of China") count as one: they differ
  in one word, spelt two ways; and one entry may publish two ("Islamic Revolutionary Guard
  Corps" / "Iran's Revolutionary Guard Corps"), as long as every entry publishes the most
  published one.

The index then adds, for each organisation name that uses an acronym next to other words, the
name with the acronym spelled out ("china state shipbuilding corp offshore and marine
engineering group co ltd"), and for each name that spells a parent out next to other words, the
name with the acronym ("casic 3rd academy"): :func:`ParentAcronyms.variants`.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz.distance import OSA

from clearance.names.tables import NameTables, load_tables
from clearance.names.variants import ACRONYM_FORMS

MIN_LETTERS = 4  # three-letter acronyms collide with too much ("PKK Milandr" is no Kurdish party)
SPELLING = 0.7  # OSA similarity of two spellings of one word in two expansions of one acronym
COMMON_COMPANY_WORD = 3  # a word this many real companies use is a word, not an acronym


def expansion(acronym: str, tokens: tuple[str, ...], tables: NameTables) -> tuple[str, ...] | None:
    """The words of a name that its acronym stands for: the name less the leading and trailing
    words that give no letter -- function words, numbers, legal forms other than those the acronym
    spells ("CSSC" / "China State Shipbuilding Corporation, Limited" -> "china state shipbuilding
    corp"; "SBIG" / "Shahid Bagheri Industry Group" keeps "group")."""
    for lettered in (tables.org_tokens, ACRONYM_FORMS, frozenset[str]()):  # the legal forms that give a letter
        letters = [t not in tables.stopwords and not t.isdigit() and (t not in tables.org_tokens or t in lettered)
                   for t in tokens]
        if "".join(t[0] for t, x in zip(tokens, letters, strict=True) if x) == acronym:
            start, end = letters.index(True), len(letters) - letters[::-1].index(True)
            return tokens[start:end]
    return None


def _spellings(a: str, b: str) -> bool:
    """Two spellings of one word: Bagheri / Baheri, Aero / Aeronautical -- not Nuclear / National."""
    return a.startswith(b) or b.startswith(a) or OSA.normalized_similarity(a, b) >= SPELLING


def _same_name(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """One expansion written two ways: the same words but for one, spelt two ways."""
    if len(a) != len(b):
        return False
    differ = [(x, y) for x, y in zip(a, b, strict=True) if x != y]
    return len(differ) <= 1 and all(_spellings(x, y) for x, y in differ)


def _one_name(forms: dict[int, set[tuple[str, ...]]]) -> tuple[str, ...] | None:
    """The most published expansion, when every entry publishing the acronym also publishes it
    (or a spelling of it): an entry may give its acronym two expansions ("Islamic Revolutionary
    Guard Corps", "Iran's Revolutionary Guard Corps"), two entries may not give it two different
    ones ("CNEC")."""
    counts = Counter(f for fs in forms.values() for f in fs)
    first = min(counts, key=lambda f: (-counts[f], f))
    if all(any(_same_name(first, f) for f in fs) for fs in forms.values()):
        return first
    return None


@dataclass(frozen=True)
class ParentAcronyms:
    expand: dict[str, tuple[str, ...]]  # acronym -> the words it stands for
    sources: dict[str, frozenset[int]]  # acronym -> the entries that publish it (the parents)
    starting: dict[str, tuple[str, ...]]  # first word of an expansion -> its acronyms
    plain: frozenset[str]  # legal forms and function words: a name needs another word beside its parent

    @classmethod
    def learn(cls, org_names: Iterable[tuple[int, tuple[str, ...]]], person_words: set[str],
              tables: NameTables | None = None) -> ParentAcronyms:
        """From (entry, normalized tokens) of every published organisation name, and the words of
        every listed person's names."""
        t = tables or load_tables()
        by_entry: dict[int, list[tuple[str, ...]]] = {}
        for entry, tokens in org_names:
            by_entry.setdefault(entry, []).append(tokens)
        blocked = person_words | t.org_tokens | t.stopwords | t.generic | t.places | set(t.abbreviations)
        forms: dict[str, dict[int, set[tuple[str, ...]]]] = {}  # acronym -> entry -> its expansions
        for entry, names in by_entry.items():
            shorts = {n[0] for n in names if len(n) == 1 and len(n[0]) >= MIN_LETTERS and n[0].isalpha()}
            for short in shorts - blocked:
                if t.company_words.get(short, 0) >= COMMON_COMPANY_WORD:
                    continue
                for n in names:
                    if len(n) >= 3 and (words := expansion(short, n, t)) is not None:
                        forms.setdefault(short, {}).setdefault(entry, set()).add(words)
        expand = {a: e for a, f in forms.items() if (e := _one_name(f)) is not None and len(e) >= 3}
        starting: dict[str, list[str]] = {}
        for acronym, words in sorted(expand.items()):
            starting.setdefault(words[0], []).append(acronym)
        return cls(expand, {a: frozenset(forms[a]) for a in expand}, {w: tuple(a) for w, a in starting.items()},
                   t.org_tokens | t.stopwords)

    def variants(self, entry: int, tokens: tuple[str, ...], written: str) -> list[tuple[str, ...]]:
        """The name with its parent's acronym spelled out, and the name with its spelled-out parent
        as the acronym (at most one of each). ``written`` is the name as published: an acronym is
        spelled out only where it is written in capitals ("Ulanqab Nata Microelectronics" has no
        NATA in it). Names of the parent itself, names that are nothing but the parent, and names
        that already spell it out ("China State Shipbuilding Corporation, Limited (CSSC) 709th
        Research Institute") give none."""
        if len(tokens) < 2:
            return []
        out: list[tuple[str, ...]] = []
        for i, token in enumerate(tokens):
            words = self.expand.get(token)
            if (words is not None and entry not in self.sources[token] and not _contains(tokens, words)
                    and self._beside(tokens[:i] + tokens[i + 1:]) and re.search(rf"(?<![A-Za-z]){token.upper()}(?![A-Za-z])", written)):
                out.append(tokens[:i] + words + tokens[i + 1:])
                break
        for i, token in enumerate(tokens):
            for acronym in self.starting.get(token, ()):
                n = len(self.expand[acronym])
                if (tokens[i:i + n] == self.expand[acronym] and self._beside(tokens[:i] + tokens[i + n:])
                        and acronym not in tokens and entry not in self.sources[acronym]):
                    out.append(tokens[:i] + (acronym,) + tokens[i + n:])
                    return out
        return out

    def _beside(self, rest: tuple[str, ...]) -> bool:
        return any(t not in self.plain for t in rest)


def _contains(tokens: tuple[str, ...], words: tuple[str, ...]) -> bool:
    n = len(words)
    return any(tokens[i:i + n] == words for i in range(len(tokens) - n + 1))
