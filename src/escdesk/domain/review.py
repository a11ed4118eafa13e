"""The weekly issues review (R-REC-4, seed 003): a strict agenda that never runs past its cap.

Three sections — chronic issues, problem customers, escalations at risk — each with a budget;
items get a time box in rank order until their section's budget is spent, and what does not
fit is listed as carried over rather than squeezed in.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from escdesk.domain.errors import InvalidInput


class Section(StrEnum):
    OPENING = "opening"
    CHRONIC_ISSUES = "chronic_issues"
    PROBLEM_CUSTOMERS = "problem_customers"
    ESCALATIONS_AT_RISK = "escalations_at_risk"


@dataclass(frozen=True)
class ReviewBudget:
    """Minutes per section and per item; the defaults fill exactly 60 minutes."""

    cap: int = 60
    opening: int = 5
    chronic_issues: int = 25
    per_chronic_issue: int = 5
    problem_customers: int = 15
    per_problem_customer: int = 5
    escalations_at_risk: int = 15
    per_escalation: int = 3

    def __post_init__(self) -> None:
        total = self.opening + self.chronic_issues + self.problem_customers
        total += self.escalations_at_risk
        if total > self.cap:
            raise InvalidInput(
                "review.cap",
                f"the sections add up to {total} minutes, more than the {self.cap}-minute cap",
                "Shrink a section's budget or raise the cap",
            )
        for name in ("per_chronic_issue", "per_problem_customer", "per_escalation"):
            if getattr(self, name) < 1:
                raise InvalidInput(f"review.{name}", "must be at least 1 minute", "Raise it")


@dataclass(frozen=True)
class Topic:
    """Something worth discussing, ranked by its section's own order before it reaches here."""

    ref: str
    title: str
    detail: str


@dataclass(frozen=True)
class AgendaItem:
    section: Section
    ref: str
    title: str
    detail: str
    minutes: int
    starts_at_minute: int


@dataclass(frozen=True)
class ReviewAgenda:
    items: list[AgendaItem]
    carried_over: list[tuple[Section, Topic]] = field(default_factory=list)
    left_out: list[Topic] = field(default_factory=list)
    """Ranked recurring issues not on the agenda, each with why (its `detail`), so the review
    and the ranked list never disagree in silence."""

    @property
    def total_minutes(self) -> int:
        return sum(item.minutes for item in self.items)


def weekly_review(
    chronic_issues: list[Topic],
    problem_customers: list[Topic],
    escalations_at_risk: list[Topic],
    budget: ReviewBudget | None = None,
    left_out: list[Topic] | None = None,
    figures: str | None = None,
) -> ReviewAgenda:
    """Build the agenda; the total never exceeds `budget.cap` minutes, whatever the input.
    `figures` is last week's numbers, read out in the opening item."""
    budget = budget or ReviewBudget()
    items = [
        AgendaItem(
            Section.OPENING,
            "opening",
            "Last week's figures and follow-ups",
            figures or "Tickets in, recurring issues fixed, actions due",
            budget.opening,
            0,
        )
    ]
    carried: list[tuple[Section, Topic]] = []
    clock = budget.opening
    sections = (
        (Section.CHRONIC_ISSUES, chronic_issues, budget.chronic_issues, budget.per_chronic_issue),
        (
            Section.PROBLEM_CUSTOMERS,
            problem_customers,
            budget.problem_customers,
            budget.per_problem_customer,
        ),
        (
            Section.ESCALATIONS_AT_RISK,
            escalations_at_risk,
            budget.escalations_at_risk,
            budget.per_escalation,
        ),
    )
    for section, topics, section_budget, per_item in sections:
        left = section_budget
        for topic in topics:
            if per_item > left:
                carried.append((section, topic))
                continue
            items.append(AgendaItem(section, topic.ref, topic.title, topic.detail, per_item, clock))
            clock += per_item
            left -= per_item
    return ReviewAgenda(items, carried, list(left_out or []))
