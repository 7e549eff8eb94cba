"""Parse an Entity List entry's License Requirement column into a :class:`Scope`.

The column "decides which items need a license when the listed entity is a party to
the transaction" and applies in addition to every other EAR requirement (RULES.md
§ 1.1; § 744.16(a)). The wordings met in the bundled lists (CSL May 2022, nsfreg
2026 parse) are:

- "For all items subject to the EAR ..." → every item, EAR99 included;
- "For any item subject to the EAR listed in supplement no. 2 to part 744" (MEU
  entries, § 744.21) and "For items on the CCL and ... supplement no. 7 to part 746"
  → item-limited;
- "... when used in projects specified in § 746.5" → end-use-limited;
- the Huawei 2020 EXCEPT clause for EAR99 / AT-only technology released to members of a
  "standards organization" (85 FR 36719; RULES.md § 3.1);
- "except for food or medicine designated as EAR99" and other exceptions;
- footnote designations (RULES.md § 1.2): footnote 1 is cited as § 736.2(b)(3)(vi)
  before 2022 and as "§ 734.9(e) 1" / "§ 734.9(e)¹" after; footnote 3 as
  "§ 734.9(g),3"; footnote 4 as § 734.9(e)(2) (2024 numbering); footnote 2 as a bare
  "2" / "²" after "EAR" or "EXCEPT" (its meaning is [U], RULES.md § 9 item 4).

What the parser cannot read it keeps verbatim in ``other_exceptions`` so the engine
answers REQUIRES_ANALYSIS rather than guessing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

Coverage = Literal["all", "supp2_744", "ccl_supp7_746", "end_use", "unknown"]

_FN1 = re.compile(r"736\.2\(b\)\(3\)\(vi\)|734\.9\(e\)\s*,?\s*(?:1|¹)(?![\d)])")
_FN3 = re.compile(r"734\.9\(g\)\s*,?\s*(?:3|³)(?!\d)")
_FN4 = re.compile(r"734\.9\(e\)\(2\)")
_FN5 = re.compile(r"734\.9\(e\)\(3\)")
_FN2 = re.compile(r"(?:EAR|EXCEPT)\s*(?:2|²)(?!\d)")
_STANDARDS = re.compile(r"EXCEPT\W*(?:2|²)?\s*for technology .*standards organization", re.I | re.S)
_FOOD = re.compile(r"except for food or medicine designated as EAR99", re.I)
_OTHER_EXCEPT = re.compile(r"\b(except(?: for)?|apart from|unless)\b(.*)", re.I | re.S)
TRUNCATION_LENGTH = 199  # the nsfreg parse cuts the column at 200 characters


@dataclass(frozen=True)
class Scope:
    coverage: Coverage
    footnotes: frozenset[int]
    standards_except: bool  # Huawei 2020 EXCEPT clause (85 FR 36719)
    food_medicine_except: bool
    other_exceptions: tuple[str, ...]
    truncated: bool
    text: str

    def describe(self) -> str:
        what = {
            "all": "all items subject to the EAR",
            "supp2_744": "items listed in Supp. No. 2 to part 744",
            "ccl_supp7_746": "items on the CCL and items listed in Supp. No. 7 to part 746",
            "end_use": "items used in projects specified in § 746.5",
            "unknown": "a scope the engine cannot read",
        }[self.coverage]
        extra = []
        if self.standards_except:
            extra.append("EXCEPT EAR99/AT-only technology released to members of a standards organization")
        if self.food_medicine_except:
            extra.append("except EAR99 food or medicine")
        extra += [f"exception not evaluated: {x!r}" for x in self.other_exceptions]
        if self.footnotes:
            extra.append("footnote " + ", ".join(str(f) for f in sorted(self.footnotes)))
        return what + (f" ({'; '.join(extra)})" if extra else "")


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("“", '"').replace("”", '"')).strip()


def parse_license_requirement(text: str | None) -> Scope:
    """Read one License Requirement cell (verbatim from the list) into a Scope."""
    raw = _clean(text or "")
    low = raw.lower()
    if "supplement no. 2 to part 744" in low:
        coverage: Coverage = "supp2_744"
    elif "items on the ccl" in low and "supplement no. 7 to part 746" in low:
        coverage = "ccl_supp7_746"
    elif "projects specified in" in low and "746.5" in low:
        coverage = "end_use"
    elif re.search(r"\ball items subjects? to the ear\b|\bany item subject to the ear\b", low):
        coverage = "all"
    else:
        coverage = "unknown"
    footnotes = {n for n, rx in ((1, _FN1), (3, _FN3), (4, _FN4), (5, _FN5), (2, _FN2)) if rx.search(raw)}
    standards = bool(_STANDARDS.search(raw))
    food = bool(_FOOD.search(raw))
    rest = raw
    if standards:
        rest = rest[: _STANDARDS.search(rest).start()]  # type: ignore[union-attr]
    if food:
        rest = _FOOD.sub("", rest)
    rest = re.sub(r"This license requirement may be overcome by License Exception [A-Z]+[^.]*\.?", "", rest)
    other: list[str] = []
    m = _OTHER_EXCEPT.search(rest)
    if m and m.group(2).strip(" .,()"):
        clause = m.group(0).strip()
        if not re.fullmatch(r"(?i)(except|unless)\W*", clause):
            other.append(clause)
    elif food and re.search(r"or ECCN [0-9A-Z.]+ and [0-9A-Z.]+ unless", raw):
        other.append(raw[raw.lower().find("or eccn") :])
    return Scope(
        coverage=coverage,
        footnotes=frozenset(footnotes),
        standards_except=standards,
        food_medicine_except=food,
        other_exceptions=tuple(other),
        truncated=len(raw) >= TRUNCATION_LENGTH and len(raw) <= TRUNCATION_LENGTH + 2 and not raw.endswith((".", ")")),
        text=raw,
    )
