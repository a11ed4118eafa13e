"""Recurring-issue use cases (R-REC-1, R-REC-3, R-RCA-3): rank them, work them.

Clustering (`services.clustering`) finds candidate issues; people then confirm, rename, merge,
split, link and fix them (`services.recurring_changes`). After the fix, the prevention figure
counts the tickets of that cause that still arrive.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from escdesk.domain.errors import InvalidInput, Need, RuleRefused
from escdesk.domain.issue_rank import RECENT_WEEKS, IssueImpact, rank_score
from escdesk.domain.recurring_issue import (
    WEEK,
    Prevention,
    RecurringIssue,
    prevention,
    trend,
    weekly_counts,
)
from escdesk.services.listing import Order, Page, check_order, check_window
from escdesk.services.ports import UnitOfWork
from escdesk.services.ticket_views import (
    AffectedAccount,
    IssueDetail,
    IssueFigures,
    RankedIssue,
)


def list_issues(uow: UnitOfWork, *, now: datetime, limit: int = 50) -> list[RankedIssue]:
    """Live recurring issues, highest rank first (see `escdesk.domain.issue_rank`)."""
    if not 1 <= limit <= 10_000:
        raise InvalidInput("limit", f"is {limit}", "Ask for 1 to 10000 issues")
    with uow:
        return ranked_issues(uow, now)[:limit]


ISSUE_ORDERS = ("id", "issue", "tickets", "accounts", "arr", "trend", "seen", "rank")
"""What the recurring-issue list sorts by; without an order, highest rank first."""

_ISSUE_KEYS: dict[str, Callable[[RankedIssue], Any]] = {
    "id": lambda r: r.issue.id or 0,
    "issue": lambda r: r.issue.label.casefold(),
    "tickets": lambda r: r.figures.tickets,
    "accounts": lambda r: r.figures.accounts,
    "arr": lambda r: r.figures.arr,
    "trend": lambda r: r.trend,
    "seen": lambda r: r.figures.last_seen or datetime.min.replace(tzinfo=UTC),
    "rank": lambda r: r.rank.score,
}


def issues_page(
    uow: UnitOfWork, *, now: datetime, order: Order | None, limit: int, offset: int
) -> Page[RankedIssue]:
    """A page of live issues in one of ISSUE_ORDERS.

    Unlike the other lists this one is sorted after it is read: the rank is the domain's
    formula (`escdesk.domain.issue_rank`) over each issue's figures, which the store reads as
    one aggregate row per issue — never the tickets themselves — so ranking every live issue
    is what ordering by rank costs, and a sort by any figure costs nothing more.
    """
    check_window(limit, offset)
    check_order(order, ISSUE_ORDERS)
    with uow:
        ranked = ranked_issues(uow, now)
    if order is not None:
        key = _ISSUE_KEYS[order.key]
        ranked.sort(key=lambda r: (key(r), r.issue.id or 0), reverse=order.descending)
    return Page(ranked[offset : offset + limit], len(ranked), limit, offset)


def ranked_issues(uow: UnitOfWork, now: datetime) -> list[RankedIssue]:
    """Inside an open unit of work: every live issue with its figures, ranked."""
    issues = uow.recurring.issues()
    counts = uow.recurring.ticket_counts()
    arr_of = _arr_by_name(uow)
    names: dict[int, set[str]] = defaultdict(set)
    for issue_id, account, _ in uow.recurring.account_counts():
        names[issue_id].add(account.strip().lower())
    recent: dict[int, list[datetime]] = defaultdict(list)
    for issue_id, created in uow.recurring.created_since(now - RECENT_WEEKS * WEEK):
        recent[issue_id].append(created)
    ranked = []
    for issue in issues:
        assert issue.id is not None
        tickets, first, last = counts.get(issue.id, (0, None, None))
        weekly = weekly_counts(recent.get(issue.id, []), now, RECENT_WEEKS)
        accounts = names.get(issue.id, set())
        arr = sum(arr_of.get(name, 0) for name in accounts)
        slope = trend(weekly)
        figures = IssueFigures(issue, tickets, len(accounts), arr, first, last, weekly)
        impact = IssueImpact(tickets, sum(weekly), len(accounts), arr, slope)
        ranked.append(RankedIssue(figures, slope, rank_score(impact)))
    ranked.sort(key=lambda r: (-r.rank.score, r.issue.id or 0))
    return ranked


def _arr_by_name(uow: UnitOfWork) -> dict[str, int]:
    """escdesk accounts by the names a helpdesk may use for them: name or slug, any case."""
    out: dict[str, int] = {}
    for account in uow.accounts.list():
        out.setdefault(account.slug.lower(), account.arr)
        out[account.name.strip().lower()] = account.arr
    return out


def show_issue(uow: UnitOfWork, issue_id: int, *, now: datetime, tickets: int = 20) -> IssueDetail:
    with uow:
        issue = uow.recurring.get(issue_id)
        ranked = next((r for r in ranked_issues(uow, now) if r.issue.id == issue_id), None)
        if ranked is None:  # merged issues are not ranked; show them with their figures
            figures = IssueFigures(issue, 0, 0, 0, None, None, [0] * RECENT_WEEKS)
            impact = IssueImpact(0, 0, 0, 0, 0.0)
            ranked = RankedIssue(figures, 0.0, rank_score(impact))
        ids = uow.recurring.ticket_ids_of(issue_id, tickets)
        stored = uow.tickets.by_ids(ids)
        sample = [stored[i] for i in ids if i in stored]
        accounts = _accounts(uow, issue_id)
        linked = uow.recurring.escalations(issue.escalation_ids)
        figure = _prevention(uow, issue, now) if issue.fixed_at else None
        return IssueDetail(ranked, sample, accounts, linked, figure)


def _accounts(uow: UnitOfWork, issue_id: int) -> list[AffectedAccount]:
    known = {a.name.strip().lower(): a for a in uow.accounts.list()}
    known.update({a.slug.lower(): a for a in known.values()})
    per: Counter[str] = Counter()
    shown: dict[str, str] = {}
    for _, account, count in uow.recurring.account_counts(issue_id):
        per[account.strip().lower()] += count
        shown.setdefault(account.strip().lower(), account.strip())
    out = []
    for name, count in per.most_common():
        match = known.get(name)
        out.append(
            AffectedAccount(
                match.name if match else shown[name],
                count,
                match.id if match else None,
                match.arr if match else None,
            )
        )
    return out


def _prevention(uow: UnitOfWork, issue: RecurringIssue, now: datetime) -> Prevention:
    assert issue.id is not None and issue.fixed_at is not None
    return prevention(uow.recurring.created_times(issue.id), issue.fixed_at, now)


def issue_prevention(
    uow: UnitOfWork, issue_id: int, *, now: datetime
) -> tuple[RecurringIssue, Prevention]:
    """R-RCA-3: the tickets of this cause that arrived after its fix — the goal metric."""
    with uow:
        issue = uow.recurring.get(issue_id)
        if issue.fixed_at is None:
            raise RuleRefused(
                "R-RCA-3",
                f"recurring issue {issue_id} has no fix recorded, so nothing can be prevented yet",
                [Need("the fix recorded: its reference and release", ("fix_reference", "release"))],
            )
        return issue, _prevention(uow, issue, now)
