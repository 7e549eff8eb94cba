"""The steps of a check (RULES.md § 5.2), each adding reasons to the :class:`Ctx`.

Kept apart from ``engine.py`` so each step reads as the digest's pipeline reads: party,
jurisdiction, OFAC, other regimes, owners, classification, BIS lists, Affiliates Rule,
embargoes, Country Chart. Every finding names the rule (from the packs) it rests on.
"""

from __future__ import annotations

from dataclasses import replace

from clearance.rules.context import Ctx
from clearance.rules.entity_list import evaluate_entry, group_key
from clearance.rules.ownership import OwnerNode, build_tree, capture
from clearance.rules.parties import Listing, Resolution
from clearance.rules.standards import item_fit, item_fit_9x515
from clearance.rules.types import Purpose, Status


def _where(x: Listing) -> str:
    match = f"; matched {x.matched_name!r} at score {x.score:.2f}" if x.score is not None and x.score < 0.995 else ""
    note = f"; {x.note}" if x.note else ""
    return f"{x.entry.name!r} ({x.list_code}, {x.describe_version()}, entry {x.entry.entry_id}{match}{note})"


def party(ctx: Ctx, res: Resolution, listings: list[Listing]) -> None:
    for x in res.listings:
        ref = x.ref()
        if x not in listings:
            ref = replace(ref, note="; ".join(n for n in (ref.note, "another list version governs this date") if n))
        ctx.entry(ref)
    rule = ctx.rule("screening.possible_match")
    weak = [x for x in res.listings if not x.is_strong(float(rule.params["strong_match"])) and x.applies is not False]
    if weak:
        ctx.add(rule, f"{rule.text} Possible matches: {'; '.join(_where(x) for x in weak)}.", Status.REQUIRES_ANALYSIS)
    if not res.screened:
        ctx.add(
            ctx.rule("screening.unavailable"),
            f"{res.problem}: {ctx.req.party!r} could not be screened.",
            Status.REQUIRES_ANALYSIS,
        )
    elif not weak and not any(x.applies is not False for x in listings):
        who = ctx.req.party or next((x.entry.name for x in res.listings), ctx.req.entry_id)
        later = [x for x in listings if x.applies is False]
        text = f"No list entry applies to {who!r} on {ctx.req.on.isoformat()}."
        if later:
            text += " Not yet (or no longer) listed: " + "; ".join(_where(x) for x in later) + "."
        ctx.add(ctx.rule("screening.no_match"), text)


def jurisdiction(ctx: Ctx) -> bool:
    """False when the item is not subject to the EAR (then only non-EAR regimes are checked)."""
    req = ctx.req
    if req.foreign_produced:
        rule = ctx.rule("jurisdiction.foreign_produced")
        ctx.add(rule, rule.text, Status.REQUIRES_ANALYSIS)
    if req.published and req.kind.value != "commodity":
        if req.kind.value == "software" and req.item.startswith("5D002"):
            rule = ctx.rule("published.encryption_5d002")
            ctx.add(rule, rule.text, Status.REQUIRES_ANALYSIS)
        else:
            rule = ctx.rule("published.not_subject")
            ctx.assume("The technology or software is published (§ 734.7(a)), as declared by the user.")
            ctx.add(rule, rule.text, Status.NOT_SUBJECT_TO_EAR)
            return False
    if req.purpose is Purpose.STANDARDS and (std := ctx.in_force("standards.not_subject_2024")):
        fit = item_fit(req, std.params)
        rule = std
        if not fit.ok and (r9 := ctx.in_force("standards.not_subject_9x515")):
            fit9 = item_fit_9x515(req, r9.params)
            if fit9.ok is not False:
                fit, rule = fit9, r9
        if fit.ok:
            for c in list(std.params.get("conditions", [])) + fit.conditions:
                ctx.assume(f"Condition of {rule.id}: {c}.")
            ctx.assume_release()
            reason = ctx.add(rule, f"{rule.text} Here: {fit.why}.", Status.NOT_SUBJECT_TO_EAR)
            return reason.status is not Status.NOT_SUBJECT_TO_EAR  # a [U] rule leaves the EAR checks running
        ctx.add(rule, f"{rule.title}: does not apply: {fit.why}.")
    return True


def ofac(ctx: Ctx, listings: list[Listing]) -> None:
    for x in listings:
        if x.list_code != "SDN" or x.applies is False:
            continue
        rule = ctx.rule("ofac.sdn_blocking")
        if x.applies:
            ctx.add(
                rule,
                f"{_where(x)} is a Specially Designated National. {rule.text}",
                Status.PROHIBITED,
                policy="OFAC: blocked; no dealings without an OFAC license",
            )
        else:
            ctx.add(
                rule,
                f"{_where(x)}: on the SDN list, but whether it was listed on the check date is not known.",
                Status.REQUIRES_ANALYSIS,
            )


def other_lists(ctx: Ctx, listings: list[Listing]) -> None:
    for rid, status in (
        ("other.us_lists", Status.REQUIRES_ANALYSIS),
        ("other.us_flag", None),
        ("other.foreign_lists", None),
    ):
        rule = ctx.rule(rid)
        for x in listings:
            if x.list_code in rule.params.get("lists", []) and x.applies is not False:
                ctx.add(rule, f"{_where(x)}. {rule.text}", status)


def owners(ctx: Ctx, lag: int, strong: float) -> list[OwnerNode]:
    """Resolve the owners, then apply the OFAC 50 % rule (it binds whether or not the EAR does)."""
    tree = build_tree(ctx.app, ctx.req.owners, ctx.req.on, ctx.book, lag, strong)

    def walk(nodes: list[OwnerNode]) -> None:
        for n in nodes:
            for x in n.every:
                ctx.entry(x.ref(owner_of_party=True))
            walk(n.children)

    walk(tree)
    if not tree:
        return tree
    rule = ctx.rule("ofac.fifty_percent")
    cap = capture(tree, lambda x: x.list_code == "SDN", float(rule.params["threshold"]))
    chains = _chains(cap.roots)
    if cap.captured:
        ctx.add(
            rule,
            f"Blocked persons own {cap.known_pct:g} % of the party ({chains}). {rule.text}",
            Status.PROHIBITED,
            policy="OFAC: blocked; no dealings without an OFAC license",
        )
    elif cap.captured is None:
        ctx.add(
            rule,
            f"Blocked owners may hold 50 % or more but it cannot be decided ({'; '.join(cap.unknown)}; {chains}).",
            Status.REQUIRES_ANALYSIS,
        )
    return tree


def classification(ctx: Ctx) -> None:
    if ctx.req.item == "unknown":
        rule = ctx.rule("classification.unknown")
        ctx.add(rule, rule.text, Status.REQUIRES_CLASSIFICATION)


def bis_lists(ctx: Ctx, listings: list[Listing], every: list[Listing]) -> None:
    groups: dict[tuple[object, ...], list[Listing]] = {}
    for x in listings:
        if x.list_code == "EL" and x.applies:
            groups.setdefault(group_key(x), []).append(x)
    for group in groups.values():
        evaluate_entry(ctx, group[0], every, same=group)
    for x in listings:
        if x.applies is False:
            continue
        if x.applies is None and x.list_code in ("DPL", "UVL", "MEU", "EL"):
            ctx.add(
                ctx.rule(
                    "el.requirement"
                    if x.list_code == "EL"
                    else {"DPL": "dpl.denial_order", "UVL": "uvl.red_flag", "MEU": "meu.requirement"}[x.list_code]
                ),
                f"{_where(x)}: whether the entry applied on {ctx.req.on.isoformat()} cannot be decided.",
                Status.REQUIRES_ANALYSIS,
            )
            continue
        if x.list_code == "DPL":
            rule = ctx.rule("dpl.denial_order")
            ctx.add(rule, f"{_where(x)} is a denied person. {rule.text}", Status.PROHIBITED, policy="denial order")
        elif x.list_code == "UVL":
            rule = ctx.rule("uvl.red_flag")
            ctx.add(rule, f"{_where(x)}. {rule.text}", Status.REQUIRES_ANALYSIS)
        elif x.list_code == "MEU":
            rule = ctx.rule("meu.requirement")
            ctx.add(
                rule,
                f"{_where(x)}. {rule.text} {rule.params['supp2_unavailable']}, so whether the item is covered "
                "cannot be decided.",
                Status.REQUIRES_ANALYSIS,
            )


def affiliates(ctx: Ctx, tree: list[OwnerNode], every: list[Listing]) -> None:
    """The Affiliates Rule (RULES.md § 4), by date: before 2025-09-29, in force, stayed, in force again."""
    rule = ctx.in_force("affiliates")
    if not tree:
        if rule is not None and rule.effect == "requirement":
            ctx.assume(
                "No ownership facts were given: the answer assumes no Entity List, MEU or SDN owners hold 50 % or "
                "more of the party (the Affiliates Rule creates a duty to determine ownership)."
            )
        return
    first = ctx.book.family("affiliates")[0]
    params = (rule if rule is not None and rule.effect == "requirement" else first).params
    cap = capture(tree, lambda x: x.list_code in params["owner_lists"], float(params["threshold"]))
    chains = _chains(cap.roots)
    if not cap.roots and cap.captured is False:
        return
    if rule is None or rule.effect != "requirement":
        text = (
            f"Listed owners ({chains}) do not extend Entity List restrictions to an unlisted party on "
            f"{ctx.req.on.isoformat()}: "
        )
        text += rule.text if rule is not None else f"the Affiliates Rule takes effect only on {first.effective_from}."
        ctx.add(rule or first, text)
        return
    if cap.captured is None:
        ctx.add(
            rule,
            f"Listed owners may hold 50 % or more but it cannot be decided ({'; '.join(cap.unknown)}; {chains}). "
            f"{params['red_flag']}",
            Status.REQUIRES_ANALYSIS,
        )
        return
    if not cap.captured:
        ctx.add(
            rule,
            f"Listed owners hold {cap.known_pct:g} % in aggregate ({chains}), below 50 %: the Affiliates Rule "
            "does not capture the party (significant minority ownership is a red flag for due diligence).",
        )
        return
    ctx.add(rule, f"Listed owners hold {cap.known_pct:g} % of the party in aggregate ({chains}). {rule.text}")
    if (go7 := ctx.in_force("affiliates.general_order_7")) is not None:
        ctx.add(go7, go7.text)
    groups: dict[tuple[object, ...], list[Listing]] = {}
    for chain, x in cap.roots:
        if x.list_code == "EL":
            groups.setdefault((chain, *group_key(x)), []).append(x)
    everything = [x for n in _nodes(tree) for x in n.every]
    for key, group in groups.items():
        evaluate_entry(ctx, group[0], everything, via=(rule, str(key[0])), same=group)
    for chain, x in cap.roots:
        if x.list_code != "EL":
            ctx.add(
                rule,
                f"Owner {chain!r} is listed as {_where(x)}: the party needs a license to the same degree "
                "as that owner, which this engine cannot scope.",
                Status.REQUIRES_ANALYSIS,
            )


def _nodes(tree: list[OwnerNode]) -> list[OwnerNode]:
    return [m for n in tree for m in (n, *_nodes(n.children))]


def _chains(roots: list[tuple[str, Listing]]) -> str:
    """Owner chains with the listed entries behind each, compactly."""
    by_chain: dict[str, list[Listing]] = {}
    for chain, x in roots:
        by_chain.setdefault(chain, []).append(x)
    parts = []
    for chain, xs in by_chain.items():
        lists = sorted({x.list_code for x in xs})
        versions = sorted({x.describe_version() for x in xs})
        names = sorted({x.entry.name for x in xs})[:3]
        parts.append(
            f"{chain}: {len(xs)} {'/'.join(lists)} entr{'y' if len(xs) == 1 else 'ies'} "
            f"({', '.join(repr(n) for n in names)}{', ...' if len({x.entry.name for x in xs}) > 3 else ''}; "
            f"{', '.join(versions)})"
        )
    return "; ".join(parts)


def embargo(ctx: Ctx) -> None:
    rule = ctx.rule("embargo.part746")
    if ctx.req.country in rule.params.get("countries", []):
        ctx.add(rule, f"Destination {ctx.req.country}: {rule.text}", Status.REQUIRES_ANALYSIS)


def country_chart(ctx: Ctx) -> None:
    rule = ctx.rule("ccl.country_chart")
    if ctx.req.item == "EAR99":
        ctx.add(
            rule,
            "The item is EAR99 (declared): no license is required under the CCL and Country Chart, provided "
            "General Prohibitions Four through Ten do not apply.",
            Status.NO_LICENSE_REQUIRED,
            authorization="NLR (EAR99)",
        )
        ctx.assume("The item is designated EAR99 (a classification by the user, not checked).")
    elif ctx.req.item != "unknown":
        ctx.add(
            rule,
            f"{ctx.req.item} to {ctx.req.country}: check each Reason for Control against the Country Chart "
            "(§ 738.4(a)(2)); the engine does not carry the CCL or the Country Chart.",
            Status.REQUIRES_ANALYSIS,
        )
