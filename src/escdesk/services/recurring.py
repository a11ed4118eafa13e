"""Recurring-issue use cases (R-REC-1, R-REC-3, R-RCA-3): rank them, work them.

Clustering (`services.clustering`) finds candidate issues; people then confirm, rename, merge,
split, link and fix them. Each change is an audited event, and a person's name for an issue is
never replaced by clustering. After the fix, the prevention figure counts the tickets of that
cause that still arrive.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from datetime import datetime

from escdesk.domain.errors import InvalidInput, Need, RuleRefused
from escdesk.domain.issue_rank import RECENT_WEEKS, IssueImpact, rank_score
from escdesk.domain.people import check_text
from escdesk.domain.recurring_issue import (
    WEEK,
    IssueStatus,
    Prevention,
    RecurringIssue,
    prevention,
    trend,
    weekly_counts,
)
from escdesk.services.ports import UnitOfWork
from escdesk.services.ticket_views import (
    AffectedAccount,
    IssueDetail,
    IssueFigures,
    RankedIssue,
)


# ---------------------------------------------------------------------- reading
def list_issues(uow: UnitOfWork, *, now: datetime, limit: int = 50) -> list[RankedIssue]:
    """Live recurring issues, highest rank first (see `escdesk.domain.issue_rank`)."""
    if not 1 <= limit <= 10_000:
        raise InvalidInput("limit", f"is {limit}", "Ask for 1 to 10000 issues")
    with uow:
        return ranked_issues(uow, now)[:limit]


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


# ---------------------------------------------------------------------- changes
def confirm_issue(
    uow: UnitOfWork,
    issue_id: int,
    *,
    now: datetime,
    by: str | None = None,
    version: int | None = None,
) -> RecurringIssue:
    with uow:
        issue = uow.recurring.get(issue_id, expected_version=version)
        issue.confirm(by_id=_actor(uow, by), now=now)
        uow.commit()
        return issue


def rename_issue(
    uow: UnitOfWork,
    issue_id: int,
    label: str,
    *,
    now: datetime,
    by: str | None = None,
    version: int | None = None,
) -> RecurringIssue:
    with uow:
        issue = uow.recurring.get(issue_id, expected_version=version)
        issue.rename(label, by_id=_actor(uow, by), now=now)
        uow.commit()
        return issue


def merge_issues(
    uow: UnitOfWork, issue_id: int, *, into: int, now: datetime, by: str | None = None
) -> RecurringIssue:
    """Fold `issue_id` into `into`: its tickets and escalation links move; returns `into`."""
    with uow:
        source = uow.recurring.get(issue_id)
        target = uow.recurring.get(into)
        source.merge_into(target, by_id=_actor(uow, by), now=now)
        assert source.id is not None and target.id is not None
        uow.recurring.move_issue(source.id, target.id)
        uow.commit()
        return target


def split_issue(
    uow: UnitOfWork,
    issue_id: int,
    tickets: Iterable[str],
    *,
    label: str,
    now: datetime,
    by: str | None = None,
) -> RecurringIssue:
    """Move tickets of another cause out of an issue into a new, confirmed one named `label`."""
    keys = [k.strip() for k in tickets if k.strip()]
    if not keys:
        raise InvalidInput("TICKET", "no ticket was named", "Name the tickets to split off")
    name = check_text(label, "label")
    with uow:
        issue = uow.recurring.get(issue_id)
        found = uow.tickets.resolve(keys)
        ids = [found[k].id for k in keys]
        members = uow.recurring.members_of(issue_id, ids)
        outside = [k for k in keys if found[k].id not in members]
        if outside:
            verb = "is" if len(outside) == 1 else "are"
            raise InvalidInput(
                "TICKET",
                f"{', '.join(outside)} {verb} not in issue {issue_id}",
                f"See `escdesk recurring show {issue_id}`",
            )
        actor = _actor(uow, by)
        part = RecurringIssue(label=name, created_at=now, named=True, status=IssueStatus.CONFIRMED)
        uow.recurring.add(part)
        assert part.id is not None
        issue.split_off(part, len(ids), by_id=actor, now=now)
        uow.recurring.move_tickets(sorted(set(ids)), part.id, cluster_id=-part.id)
        uow.commit()
        return part


def link_escalation(
    uow: UnitOfWork, issue_id: int, escalation_id: int, *, now: datetime, by: str | None = None
) -> RecurringIssue:
    """R-REC-3: this issue caused (or is) that escalation."""
    with uow:
        issue = uow.recurring.get(issue_id)
        uow.recurring.escalation_exists(escalation_id)
        issue.link_escalation(escalation_id, by_id=_actor(uow, by), now=now)
        uow.commit()
        return issue


def record_fix(
    uow: UnitOfWork,
    issue_id: int,
    *,
    reference: str,
    now: datetime,
    release: str | None = None,
    fixed_at: datetime | None = None,
    by: str | None = None,
) -> RecurringIssue:
    """R-REC-3: the fix and its release; from `fixed_at` on, tickets of the cause should stop."""
    with uow:
        issue = uow.recurring.get(issue_id)
        issue.record_fix(
            reference=reference,
            release=release,
            fixed_at=fixed_at or now,
            by_id=_actor(uow, by),
            now=now,
        )
        uow.commit()
        return issue


def _actor(uow: UnitOfWork, by: str | None) -> int | None:
    return uow.people.find(by, "by").id if by else None
