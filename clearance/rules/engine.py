"""The rule engine: may I do this, on this date, and why?

``RuleEngine.check`` follows the pipeline of RULES.md § 5.2, evaluating only the rule
versions in force on the check date (RULES.md § 0: key on the *effective* date):

0. resolve the party (screening or entry id) and its owners; date each list entry;
1. jurisdiction: published technology/software (§ 734.7), a standards-related release
   (§ 734.10(b), from 2024-07-18), foreign-produced items (§ 734.4, § 734.9);
2. classification: unknown → REQUIRES_CLASSIFICATION (never EAR99 by default);
3. OFAC blocking and the OFAC 50 % rule, other regimes' lists (flagged);
4. denial orders (GP4), Unverified List, MEU List, Entity List with its authorizations,
   the Affiliates Rule; embargoed destinations (part 746);
5. the CCL and Country Chart (§ 738.4): EAR99 needs no license under it; an ECCN is
   left to the Country Chart, which the engine does not carry.

The rules themselves live in the YAML packs (``packs/``); this module only wires them.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from clearance.rules import steps
from clearance.rules.context import Ctx
from clearance.rules.loader import Rule, RuleBook, load_rulebook
from clearance.rules.parties import governing, resolve
from clearance.rules.types import CheckRequest, Determination

if TYPE_CHECKING:
    from clearance.app import Clearance

REQUIRED_FAMILIES = (
    "el.requirement",
    "huawei_tgl",
    "standards.none_2019",
    "standards.huawei_2020",
    "standards.entity_list_2022",
    "standards.not_subject_2024",
    "standards.not_subject_9x515",
    "fdp.footnote1",
    "affiliates",
    "affiliates.general_order_7",
    "ofac.sdn_blocking",
    "ofac.fifty_percent",
    "dpl.denial_order",
    "uvl.red_flag",
    "meu.requirement",
    "published.not_subject",
    "published.encryption_5d002",
    "classification.unknown",
    "ccl.country_chart",
    "embargo.part746",
    "other.us_lists",
    "other.us_flag",
    "other.foreign_lists",
    "screening.unavailable",
    "screening.no_match",
    "screening.possible_match",
    "jurisdiction.foreign_produced",
)


class RuleEngine:
    def __init__(self, book: RuleBook) -> None:
        self.book = book

    @classmethod
    def load(cls, paths: list[Path] | None = None) -> RuleEngine:
        """Load and validate the rule packs (the bundled ones unless ``paths`` is given)."""
        return cls(load_rulebook(paths, REQUIRED_FAMILIES))

    def rules_in_force(self, on: date) -> list[Rule]:
        return sorted(self.book.all_in_force(on), key=lambda r: r.id)

    def rule(self, rule_id: str) -> Rule:
        return self.book.get(rule_id)

    def check(self, request: CheckRequest, app: Clearance) -> Determination:
        ctx = Ctx(app, request, self.book)
        lag = int(ctx.rule("el.requirement").params.get("publication_lag_days", 10))
        strong = float(ctx.rule("screening.possible_match").params["strong_match"])
        resolution = resolve(app, request.party, request.entry_id, request.on, self.book, lag)
        listings = governing([x for x in resolution.listings if x.is_strong(strong)], request.on)
        steps.party(ctx, resolution, listings)
        subject = steps.jurisdiction(ctx)
        steps.ofac(ctx, listings)
        steps.other_lists(ctx, listings)
        tree = steps.owners(ctx, lag, strong)
        if subject:
            steps.classification(ctx)
            steps.bis_lists(ctx, listings, resolution.listings)
            steps.affiliates(ctx, tree, resolution.listings)
            steps.embargo(ctx)
            steps.country_chart(ctx)
        return ctx.determination()
