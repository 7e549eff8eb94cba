"""Ownership arithmetic for the Affiliates Rule and the OFAC 50 percent rule.

Both rules count ownership, not control, "directly or indirectly, individually or in
aggregate", at 50 % or more, and cascade: an entity captured through ownership counts as
a restricted owner one tier up (Supplement No. 8(b) to part 744, RULES.md § 4.1 table;
FR Doc 2022-27564 abstract for OFAC). Stakes are added, not multiplied along a chain.

The answer is three-valued: True (captured), False (not captured) or None (cannot be
decided: a restricted owner's percentage is unknown, or an owner's listing date is). None
becomes REQUIRES_ANALYSIS (Red Flag 29 for the Affiliates Rule), never a guess.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from clearance.errors import InputError
from clearance.rules.loader import RuleBook
from clearance.rules.parties import Listing, governing, resolve
from clearance.rules.types import Owner

if TYPE_CHECKING:
    from clearance.app import Clearance


@dataclass
class OwnerNode:
    owner: Owner
    listings: list[Listing]  # the governing entries for the check date (see parties.governing)
    children: list[OwnerNode] = field(default_factory=list)
    screened: bool = True
    every: list[Listing] = field(default_factory=list)  # every matched entry (for references and review policies)
    possible: list[Listing] = field(default_factory=list)  # weak screening matches (identity to be confirmed)


@dataclass
class Capture:
    """Whether an entity is captured, and the listed roots (with their chains) that make it so."""

    captured: bool | None
    roots: list[tuple[str, Listing]] = field(default_factory=list)  # (chain text, listing of a listed owner)
    known_pct: float = 0.0
    unknown: list[str] = field(default_factory=list)  # what is unknown


def build_tree(
    app: Clearance, owners: tuple[Owner, ...], on: date, book: RuleBook, lag_days: int, strong: float = 0.0
) -> list[OwnerNode]:
    nodes = []
    for o in owners:
        res = resolve(app, None if o.entry_id else o.name, o.entry_id, on, book, lag_days)
        sure = [x for x in res.listings if x.is_strong(strong)]
        node = OwnerNode(
            o,
            governing(sure, on),
            build_tree(app, o.owners, on, book, lag_days, strong),
            res.screened,
            res.listings,
            [x for x in res.listings if not x.is_strong(strong)],
        )
        nodes.append(node)
    return nodes


def parse_owner_specs(specs: list[str]) -> tuple[Owner, ...]:
    """``NAME=PCT`` (PCT may be ``?``); ``PARENT > NAME=PCT`` says NAME owns PCT of the direct owner PARENT."""
    flat: list[tuple[list[str], float | None]] = []
    for spec in specs:
        if "=" not in spec:
            raise InputError(f"owner: {spec!r} is not NAME=PCT (PCT a number or ?)", field="owner", value=spec)
        path_text, pct_text = spec.rsplit("=", 1)
        path = [p.strip() for p in path_text.split(">")]
        if any(not p for p in path):
            raise InputError(f"owner: {spec!r} has an empty name", field="owner", value=spec)
        pct_text = pct_text.strip().rstrip("%").strip()
        if pct_text == "?":
            pct = None
        else:
            try:
                pct = float(pct_text)
            except ValueError:
                raise InputError(
                    f"owner: {spec!r}: percentage {pct_text!r} is not a number or ?", field="owner"
                ) from None
        flat.append((path, pct))

    def build(prefix: list[str]) -> tuple[Owner, ...]:
        level = [(p, pct) for p, pct in flat if p[:-1] == prefix]
        return tuple(Owner(p[-1], pct, build(p)) for p, pct in level)

    known = {tuple(p) for p, _ in flat}
    for p, _ in flat:
        if len(p) > 1 and tuple(p[:-1]) not in known:
            raise InputError(
                f"owner: {' > '.join(p)!r} names {' > '.join(p[:-1])!r}, which is not given as an owner", field="owner"
            )
    return build([])


def capture(nodes: list[OwnerNode], is_listed: Callable[[Listing], bool], threshold: float, chain: str = "") -> Capture:
    """Aggregate the stakes of restricted owners (listed, or captured in turn) in one entity."""
    result = Capture(False)
    possible = 0.0
    for node in nodes:
        here = f"{chain} ← {node.owner.name}" if chain else node.owner.name
        listed = [x for x in node.listings if is_listed(x) and x.applies is True]
        undecided = [x for x in node.listings if is_listed(x) and x.applies is None]
        undecided += [x for x in node.possible if is_listed(x) and x.applies is not False]
        sub = capture(node.children, is_listed, threshold, here)
        status: bool | None = True if listed or sub.captured else (None if undecided or sub.captured is None else False)
        if not node.screened:
            status = None if status is not True else True
            result.unknown.append(f"{here}: could not be screened")
        if status is False:
            continue
        roots = [(here, x) for x in listed] + sub.roots
        if status is None:
            result.unknown += (
                [f"{here}: listing undecided (listing date, or a possible match to confirm)"] if undecided else []
            )
            result.unknown += sub.unknown
            result.roots += roots
            possible += node.owner.percent if node.owner.percent is not None else 100.0
            continue
        result.roots += roots
        if node.owner.percent is None:
            result.unknown.append(f"{here}: restricted owner with unknown percentage")
            possible += 100.0
        else:
            result.known_pct += node.owner.percent
            possible += node.owner.percent
    if result.known_pct >= threshold:
        result.captured = True
    elif possible >= threshold and result.unknown:
        result.captured = None
    else:
        result.captured = False
    return result
