"""Entity List findings for one applicable entry, with the authorizations that overcome them.

Order of reasoning (RULES.md § 5.2 steps 4-5):

1. the entry's License Requirement column, parsed into a scope (``scope.py``); a license
   is required "in addition to" the CCL (§ 744.16(a)); no license exceptions (§ 744.16(b));
2. footnote 1: a foreign-produced item may be subject to the EAR under the FDP rule
   (§ 734.9(e)); the direct-product and knowledge tests need supply-chain facts →
   REQUIRES_ANALYSIS (RULES.md § 5.3);
3. authorizations that overcome ONLY the Entity List requirement, by date: the Huawei
   TGL (Supp. 7 to part 744, 2019-05-20..2020-08-13, (c)(4) 5G standards only until
   2019-08-18), the Huawei standards EXCEPT clause (85 FR 36719, 2020-06-18..2022-09-08),
   the § 744.11(a)(1) standards authorization (2022-09-09..2024-07-17).

Each finding names the list version it read. ``via`` is set when the entry is a listed
owner's and the requirement reaches the party through the Affiliates Rule.
"""

from __future__ import annotations

from clearance.rules.context import Ctx
from clearance.rules.loader import Rule
from clearance.rules.parties import Listing
from clearance.rules.scope import Scope, parse_license_requirement
from clearance.rules.standards import item_fit, tgl_activity
from clearance.rules.types import Purpose, Status


def group_key(x: Listing) -> tuple[object, ...]:
    """Entries that read the same (one CSL row per address group) give one reason, not several."""
    legal = x.entry.legal
    return (
        x.version.version_id,
        legal.license_requirement,
        legal.license_policy,
        x.listed_from,
        x.basis,
        x.applies,
        x.note,
    )


def _who(listing: Listing, via: tuple[Rule, str] | None, same: list[Listing] | None = None) -> str:
    since = (
        f"listed from {listing.listed_from.isoformat()} by {listing.basis}" if listing.listed_from else listing.basis
    )
    ids = [listing.entry.entry_id] + [x.entry.entry_id for x in same or [] if x is not listing]
    where = f"{listing.describe_version()}, {'entries ' + ', '.join(ids) if len(ids) > 1 else 'entry ' + ids[0]}"
    note = f"; {listing.note}" if listing.note else ""
    names = sorted({listing.entry.name} | {x.entry.name for x in same or []}, key=lambda n: n != listing.entry.name)
    listed = f"{' / '.join(repr(n) for n in names)} {'is' if len(names) == 1 else 'are'} on the Entity List"
    if via:
        listed = f"Owner {via[1]!r}: {listed}"
    return f"{listed} ({where}; {since}{note})"


def _policy(ctx: Ctx, listing: Listing, others: list[Listing]) -> str:
    if listing.entry.legal.license_policy:
        return listing.entry.legal.license_policy.strip().rstrip(".")
    for o in others:
        if o.list_code == "EL" and o.entry.legal.license_policy:
            ctx.assume(f"Review policy taken from {o.describe_version()}: {listing.version.source} does not carry it.")
            return o.entry.legal.license_policy.strip().rstrip(".")
    return "not carried by this list version; see the entry's License Review Policy column"


def _covered(ctx: Ctx, scope: Scope) -> tuple[bool | None, str]:
    item = ctx.req.item
    if scope.coverage == "all":
        if scope.food_medicine_except and item == "EAR99":
            return None, "the entry excepts EAR99 food or medicine; whether the item is food or medicine is not known"
        return True, ""
    if scope.coverage == "ccl_supp7_746":
        if item == "EAR99":
            return (
                None,
                "EAR99 items are covered only if listed in Supp. No. 7 to part 746, which the engine does not carry",
            )
        return (True, "") if item != "unknown" else (None, "the classification decides the scope")
    return None, {
        "supp2_744": "the scope is limited to items in Supp. No. 2 to part 744, which the engine does not carry",
        "end_use": "the scope is limited to an end use (projects specified in § 746.5)",
    }.get(scope.coverage, "the License Requirement column could not be read")


def evaluate_entry(
    ctx: Ctx,
    listing: Listing,
    others: list[Listing],
    via: tuple[Rule, str] | None = None,
    same: list[Listing] | None = None,
) -> None:
    """Add the findings of one applicable Entity List entry (``same``: entries that read identically)."""
    req = ctx.req
    base = via[0] if via else ctx.rule("el.requirement")
    scope = parse_license_requirement(listing.entry.legal.license_requirement)
    head = f"{_who(listing, via, same)}. License requirement: {scope.describe()}."
    if scope.truncated:
        head += " The column text is truncated in this list version."
    b = ctx.book.family("standards.huawei_2020")[0]
    if scope.standards_except and not b.in_force(req.on):
        head += f" Its standards EXCEPT clause is in force only {b.span()} ({b.id}), not on {req.on.isoformat()}."
    if 2 in scope.footnotes:
        ctx.assume(
            "Entity List footnote 2 on this entry is not interpreted: its text is unverified (RULES.md § 9 item 4)."
        )
    if req.foreign_produced and 1 in scope.footnotes and (fdp := ctx.in_force("fdp.footnote1")):
        ctx.add(
            fdp,
            f"{head} The item is foreign-produced and the entry carries footnote 1: whether it is a direct product "
            "of the specified US technology or software, and what is known of its destination, decide whether it is "
            "subject to the EAR.",
            Status.REQUIRES_ANALYSIS,
        )
    elif req.foreign_produced and scope.footnotes & {3, 4, 5}:
        ctx.add(
            base,
            f"{head} The item is foreign-produced and the entry carries an FDP footnote "
            f"({', '.join(str(f) for f in sorted(scope.footnotes & {3, 4, 5}))}) that this engine does not evaluate.",
            Status.REQUIRES_ANALYSIS,
        )
    covered, why = _covered(ctx, scope)
    if covered is None:
        ctx.add(base, f"{head} Cannot decide whether the item is covered: {why}.", Status.REQUIRES_ANALYSIS)
        return
    granted = find_authorization(ctx, listing, scope)
    if granted is not None:
        rule, text = granted
        if rule.marker == "U":
            ctx.add(
                base,
                f"{head} The requirement is overcome only if {rule.id} applies, and that rule rests on an "
                "unverified digest item.",
            )
        else:
            ctx.add(base, f"{head} The requirement is overcome for this transaction (see {rule.id}).")
        ctx.add(rule, text, Status.NO_LICENSE_REQUIRED, authorization=f"{rule.title} ({rule.citation})")
        return
    policy = _policy(ctx, listing, others)
    extra = (
        f" Exceptions in the column not evaluated: {'; '.join(scope.other_exceptions)}."
        if scope.other_exceptions
        else ""
    )
    lead = (
        f"Through the Affiliates Rule the party needs a license to the same degree as its owner. {head}"
        if via
        else head
    )
    ctx.add(
        base,
        f"{lead} A license is required; no license exceptions are available (§ 744.16(b)); review policy: "
        f"{policy}.{extra}",
        Status.LICENSE_REQUIRED,
        policy=policy,
    )


def find_authorization(ctx: Ctx, listing: Listing, scope: Scope) -> tuple[Rule, str] | None:
    """The authorization in force that overcomes this entry's requirement, or None (with context reasons)."""
    req = ctx.req
    tranche = listing.listing_rule.id if listing.listing_rule else None
    purpose = req.purpose.value if req.purpose else None
    tgl = ctx.in_force("huawei_tgl")
    if tgl is not None and tranche in tgl.params.get("tranches", []):
        activity = tgl_activity(tgl.params, purpose)
        if activity:
            conds = list(tgl.params.get("conditions", []))
            for c in conds:
                ctx.assume(f"Condition of {tgl.id}: {c}.")
            ctx.assume(f"The transaction is {activity} (declared purpose {purpose!r}).")
            return tgl, (
                f"The Huawei Temporary General License in force on {req.on.isoformat()} authorizes {activity}; "
                "it overcomes only the Entity List requirement and is subject to the other provisions of the EAR."
            )
        if purpose:
            ctx.add(
                tgl,
                f"The Huawei Temporary General License in force on {req.on.isoformat()} ({tgl.title}) does not "
                f"cover the declared purpose {purpose!r}.",
            )
    elif tgl is not None and tgl.id == "huawei_tgl.gap" and tranche:
        ctx.add(tgl, tgl.text)
    if req.purpose is not Purpose.STANDARDS:
        return None
    if (none_rule := ctx.in_force("standards.none_2019")) and tranche:
        ctx.add(none_rule, none_rule.text)
    for family in ("standards.huawei_2020", "standards.entity_list_2022"):
        rule = ctx.in_force(family)
        if rule is None:
            continue
        if rule.params.get("huawei_entries_only") and not (
            scope.standards_except or (tranche or "").startswith("huawei_")
        ):
            continue
        fit = item_fit(req, rule.params)
        if fit.ok:
            for c in list(rule.params.get("conditions", [])) + fit.conditions:
                ctx.assume(f"Condition of {rule.id}: {c}.")
            ctx.assume_release()
            return rule, (
                f"{rule.title}: {fit.why}; the release is for a standards purpose (declared). "
                "It overcomes only the Entity List requirement; other EAR requirements still apply."
            )
        ctx.add(
            rule,
            f"{rule.title} is in force but does not apply: {fit.why}.",
            Status.REQUIRES_ANALYSIS if fit.ok is None and req.item != "unknown" else None,
        )
    return None
