"""The working state of one check: the reasons found so far and how they combine.

Every finding is a :class:`Reason` tied to a rule of the packs. Two principles of the
issue are enforced here, in one place:

- a finding that rests on a rule marked [U] in the digest becomes REQUIRES_ANALYSIS,
  naming what is unverified (RULES.md § 0: "the engine must not rely on it");
- the final status is the most restrictive finding, and with no finding at all it is
  REQUIRES_ANALYSIS: NO_LICENSE_REQUIRED only ever comes from a rule that grants it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from clearance.rules.loader import Rule, RuleBook
from clearance.rules.types import CheckRequest, Determination, EntryRef, Reason, Status

if TYPE_CHECKING:
    from clearance.app import Clearance


@dataclass
class Ctx:
    app: Clearance
    req: CheckRequest
    book: RuleBook
    reasons: list[Reason] = field(default_factory=list)
    entries: list[EntryRef] = field(default_factory=list)
    policies: list[tuple[Status, str]] = field(default_factory=list)  # (status of the finding, policy)
    authorizations: list[str] = field(default_factory=list)
    assumptions: list[str] = field(default_factory=list)
    unverified: list[str] = field(default_factory=list)

    def rule(self, rule_id: str) -> Rule:
        return self.book.get(rule_id)

    def in_force(self, family: str) -> Rule | None:
        return self.book.in_force(family, self.req.on)

    def add(
        self,
        rule: Rule,
        text: str,
        status: Status | None = None,
        *,
        policy: str | None = None,
        authorization: str | None = None,
    ) -> Reason:
        """Record a finding (or, with status None, context) that rests on ``rule``."""
        notes = list(rule.caveats)
        if rule.marker == "U" and status is not None:
            what = "; ".join(rule.unverified)
            text = f"{text} This rule rests on an unverified digest item ({what}), so the engine does not rely on it."
            self.unverified += [f"{rule.id}: {u}" for u in rule.unverified if f"{rule.id}: {u}" not in self.unverified]
            status, policy, authorization = Status.REQUIRES_ANALYSIS, None, None
        if notes:
            text = f"{text} Caveat: {' '.join(notes)}"
        if rule.citation.note and status is not None:
            text = f"{text} (Citation note: {rule.citation.note})"
        reason = Reason(
            rule=rule.id,
            citation=str(rule.citation),
            effective_from=rule.effective_from.isoformat() if rule.effective_from else None,
            effective_to=rule.effective_to.isoformat() if rule.effective_to else None,
            text=text,
            status=status,
            marker=rule.marker,
        )
        if reason not in self.reasons:
            self.reasons.append(reason)
        if policy and status is not None and (status, policy) not in self.policies:
            self.policies.append((status, policy))
        if authorization and authorization not in self.authorizations:
            self.authorizations.append(authorization)
        return reason

    def assume_release(self) -> None:
        """The standards rules speak of a *release*; say so when another activity was declared."""
        act = self.req.activity.value
        if act != "release":
            self.assume(
                f"The standards rules speak of the release of technology or software; the declared {act} is "
                "treated as such a release (e.g. sending a contribution to the standards body)."
            )

    def assume(self, text: str) -> None:
        if text not in self.assumptions:
            self.assumptions.append(text)

    def entry(self, ref: EntryRef) -> None:
        if all(
            (e.source, e.entry_id, e.owner_of_party) != (ref.source, ref.entry_id, ref.owner_of_party)
            for e in self.entries
        ):
            self.entries.append(ref)

    def has(self, *statuses: Status) -> bool:
        return any(r.status in statuses for r in self.reasons)

    def determination(self) -> Determination:
        found = [r.status for r in self.reasons if r.status is not None]
        if not found:
            status = Status.REQUIRES_ANALYSIS
            self.reasons.append(
                Reason(
                    "engine.no_finding",
                    "-",
                    None,
                    None,
                    "No rule decided this transaction; the engine does not default to no license required.",
                    Status.REQUIRES_ANALYSIS,
                )
            )
        else:
            status = max(found, key=lambda s: s.rank)
        return Determination(
            status=status,
            reasons=self.reasons,
            entries=self.entries,
            review_policy="; ".join(p for s, p in self.policies if s is status) or None,
            request=self.req,
            authorization="; ".join(self.authorizations) if status is Status.NO_LICENSE_REQUIRED else None,
            assumptions=self.assumptions,
            unverified=self.unverified,
        )
