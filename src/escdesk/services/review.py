"""The weekly issues review (R-REC-4, seed 003): gather the three lists, let the domain time-box.

- Chronic issues: the recurring issues in the order `escdesk recurring list` ranks them, each
  with its rank, as long as they still receive tickets (fixed ones too, when tickets keep
  coming after the fix: the fix did not work). A ranked issue that had no ticket in the last
  8 weeks is left out, and the agenda says so and why, so the list and the review never
  disagree in silence.
- Problem customers: accounts with the most tickets in the last `CUSTOMER_DAYS` days and open
  escalations; an open escalation weighs as much as `ESCALATION_WEIGHT` tickets. An account at
  risk (`domain.account_risk`: an open critical or high escalation, or the sentiment its CSM
  set) says so and why.
- Escalations at risk: open escalations with a missed ETA, an overdue update or a slipped ETA,
  worst first (missed ETA, then overdue updates, then slips, then severity).

`escdesk.domain.review.weekly_review` turns them into an agenda that never runs past its cap.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from escdesk.domain.account_risk import risk_of
from escdesk.domain.review import ReviewAgenda, ReviewBudget, Topic, weekly_review
from escdesk.domain.severity import Severity
from escdesk.services import lateness
from escdesk.services.accounts import open_severities
from escdesk.services.metrics import last_week_figures
from escdesk.services.ports import UnitOfWork
from escdesk.services.recurring import ranked_issues
from escdesk.services.views import EscalationFilter, EscalationSummary

CUSTOMER_DAYS = 30
ESCALATION_WEIGHT = 5
LIST_LIMIT = 20  # per section: more than any budget fits; the rest are "carried over"


@dataclass(frozen=True)
class Review:
    now: datetime
    agenda: ReviewAgenda


def weekly_issues_review(
    uow: UnitOfWork, *, now: datetime, budget: ReviewBudget | None = None
) -> Review:
    with uow:
        chronic, left_out = _chronic(uow, now)
        open_items = uow.escalations.page(EscalationFilter(limit=1000)).items
        customers = _problem_customers(uow, now, open_items)
        figures = last_week_figures(uow, now)
    at_risk = _at_risk(open_items, now)
    return Review(
        now, weekly_review(chronic, customers, at_risk, budget, left_out, figures=figures)
    )


def _chronic(uow: UnitOfWork, now: datetime) -> tuple[list[Topic], list[Topic]]:
    """The chronic issues in rank order, and the ranked issues above the last of them (or
    among the first LIST_LIMIT) that were left out, with why."""
    topics: list[Topic] = []
    left_out: list[Topic] = []
    for place, ranked in enumerate(ranked_issues(uow, now), start=1):
        figures = ranked.figures
        recent = sum(figures.weekly)
        ref = f"issue-{ranked.issue.id}"
        if not recent:
            if len(left_out) < LIST_LIMIT and len(topics) < LIST_LIMIT:
                why = (
                    f"ranked #{place} on {figures.tickets} older tickets, but none in the "
                    f"last 8 weeks: quiet, so not discussed"
                )
                left_out.append(Topic(ref, ranked.issue.label, why))
            continue
        if len(topics) == LIST_LIMIT:
            continue
        fixed = " — still arriving after the fix" if ranked.issue.fixed_at else ""
        detail = (
            f"ranked #{place}: {recent} tickets in 8 weeks ({figures.tickets} in all), "
            f"{figures.accounts} accounts, ARR {figures.arr:,}, "
            f"trend {ranked.trend:+.1f}/week{fixed}"
        )
        topics.append(Topic(ref, ranked.issue.label, detail))
    return topics, left_out


def _problem_customers(
    uow: UnitOfWork, now: datetime, open_items: list[EscalationSummary]
) -> list[Topic]:
    accounts = {a.name.strip().lower(): a for a in uow.accounts.list()}
    accounts.update({a.slug.lower(): a for a in list(accounts.values())})
    tickets: dict[str, int] = {}
    names: dict[str, str] = {}
    for written, count in uow.recurring.recent_tickets_by_account(
        now - timedelta(days=CUSTOMER_DAYS)
    ):
        match = accounts.get(written.strip().lower())
        key = match.name.lower() if match else written.strip().lower()
        tickets[key] = tickets.get(key, 0) + count
        names.setdefault(key, match.name if match else written.strip())
    escalations: dict[str, int] = {}
    for item in open_items:
        key = item.customer.strip().lower()
        escalations[key] = escalations.get(key, 0) + 1
        names.setdefault(key, item.customer)
    severities = open_severities(open_items)
    scored = sorted(
        names,
        key=lambda k: (-(tickets.get(k, 0) + ESCALATION_WEIGHT * escalations.get(k, 0)), k),
    )
    topics = []
    for key in scored[:LIST_LIMIT]:
        known = accounts.get(key)
        arr = f", ARR {known.arr:,}" if known else ""
        risk = risk_of(known, severities.get(known.id or 0, [])) if known else None
        at_risk = f"; at risk: {' and '.join(risk.reasons)}" if risk and risk.at_risk else ""
        detail = (
            f"{tickets.get(key, 0)} tickets in {CUSTOMER_DAYS} days, "
            f"{escalations.get(key, 0)} open escalations{arr}{at_risk}"
        )
        ref = f"account-{known.id}" if known else f"account-{key}"
        topics.append(Topic(ref, names[key], detail))
    return topics


def _at_risk(open_items: list[EscalationSummary], now: datetime) -> list[Topic]:
    risky = []
    for item in open_items:
        late = lateness.of_summary(item, now)
        overdue = [a.value for a in late.overdue]
        missed = late.eta_missed
        if not (missed or overdue or item.eta_slips):
            continue
        reasons = (["ETA missed"] if missed else []) + [f"{a} update overdue" for a in overdue]
        if item.eta_slips:
            reasons.append(f"ETA slipped {item.eta_slips}×")
        rank = (not missed, -len(overdue), -item.eta_slips, -Severity(item.severity).rank)
        topic = Topic(
            f"ESC-{item.id}",
            f"{item.customer}: {item.summary}",
            f"{item.severity}; " + "; ".join(reasons),
        )
        risky.append((rank, item.id, topic))
    risky.sort(key=lambda r: (r[0], r[1]))
    return [topic for _, _, topic in risky[:LIST_LIMIT]]
