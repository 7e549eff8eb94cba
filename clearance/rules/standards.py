"""Does the item fit a standards regime, and which Huawei TGL activity applies?

Item conditions of the standards regimes (RULES.md § 3.0 table; § 3.1 "Technology only",
"Only EAR99 or AT-only items"; § 3.2 § 744.11(a)(1) text; § 3.3 § 734.10(b)(1)):

- B (85 FR 36719): technology; EAR99 or AT-only;
- C (FR Doc 2022-19415): technology and software; EAR99, AT-only, 5D002.b / 5D002.c.1
  software and 5E002 technology for cryptographic functionality;
- D (89 FR 58265): as C, plus 9D515 (not .d/.e) software and 9E515.a/.b/.f technology.

"AT-only" is a declared fact (``at_only``): the engine carries no CCL. An ECCN without
the paragraph that decides (5D002 vs 5D002.b) is not guessed: the answer is None.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from clearance.rules.types import CheckRequest


@dataclass
class Fit:
    ok: bool | None  # True fits, False does not, None cannot tell
    why: str
    conditions: list[str] = field(default_factory=list)


def _matches(item: str, paragraphs: list[str]) -> bool | None:
    for p in paragraphs:
        if item == p or item.startswith(p + "."):
            return True
    for p in paragraphs:
        if p.startswith(item + "."):
            return None
    return False


def item_fit(req: CheckRequest, params: dict[str, Any]) -> Fit:
    """Whether the request's item meets a standards regime's item conditions (``params`` from the pack)."""
    kinds = params.get("kinds", [])
    if req.kind.value not in kinds:
        return Fit(False, f"it covers {' and '.join(kinds)} only, not {req.kind.value}")
    classes = params.get("classifications", [])
    if req.item == "EAR99" and "EAR99" in classes:
        return Fit(True, "the item is designated EAR99")
    if req.item == "unknown":
        return Fit(None, "the item's classification is unknown")
    if req.at_only and "AT_only" in classes:
        return Fit(
            True,
            f"{req.item} is declared controlled for anti-terrorism reasons only",
            [f"{req.item} is controlled on the CCL for anti-terrorism reasons only (declared by the user)"],
        )
    crypto = (params.get("crypto_items") or {}).get(req.kind.value, [])
    hit = _matches(req.item, crypto)
    if hit:
        return Fit(True, f"{req.item} is a named cryptographic item", list(params.get("crypto_conditions", [])))
    if hit is None:
        return Fit(None, f"only paragraphs {', '.join(crypto)} of {req.item} qualify; give the paragraph")
    if req.item == "EAR99":
        return Fit(False, "EAR99 items are not covered")
    return Fit(False, f"{req.item} is neither EAR99, nor declared AT-only, nor a named cryptographic item")


def item_fit_9x515(req: CheckRequest, params: dict[str, Any]) -> Fit:
    """The § 734.10(b)(1)(iv) item: 9D515 software (not .d/.e), 9E515.a/.b/.f technology."""
    if req.kind.value == "software":
        if _matches(req.item, params.get("software_excluded", [])):
            return Fit(False, f"{req.item} is excluded from the 9D515 item")
        hit = _matches(req.item, params.get("software", []))
    elif req.kind.value == "technology":
        hit = _matches(req.item, params.get("technology", []))
    else:
        return Fit(False, "commodities are not covered")
    if hit:
        return Fit(
            True,
            f"{req.item} is in the 9x515 standards item",
            ["9E515.f technology is limited to technology for 9A515.a.4"] if req.item.startswith("9E515.f") else [],
        )
    return Fit(None if hit is None else False, f"{req.item} is not (or not shown to be) in the 9x515 standards item")


def tgl_activity(params: dict[str, Any], purpose: str | None) -> str | None:
    """The TGL activity text authorizing ``purpose``, if this TGL version has one."""
    return (params.get("activities") or {}).get(purpose) if purpose else None
