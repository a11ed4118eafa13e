"""Read models of the desk: the views that combine several queries, read in one transaction.

A support lead opens the dashboard every morning to see what needs attention: overdue updates,
missed or slipped ETAs, accounts at risk, and the escalations they own. Each view here is one
call for the interface that shows it, so a page never stitches queries together itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from escdesk.domain.account_risk import AccountRisk, risk_of
from escdesk.domain.accounts import Account
from escdesk.domain.clock import Audience
from escdesk.domain.people import Person
from escdesk.domain.records import Status
from escdesk.domain.severity import Severity, SeverityPolicy
from escdesk.services import lateness
from escdesk.services.accounts import AccountDetail, open_severities
from escdesk.services.auth import AccessUnitOfWork
from escdesk.services.lateness import Lateness
from escdesk.services.ports import UnitOfWork
from escdesk.services.tracker import TrackerState, gather_tracker
from escdesk.services.views import EscalationFilter, EscalationSummary, HistoryEntry

BOARD_LIMIT = 1000


@dataclass(frozen=True)
class BoardLine:
    """One open escalation and what is late about it at `now` (R-ESC-6, R-ESC-8)."""

    item: EscalationSummary
    late: Lateness

    @property
    def overdue(self) -> list[Audience]:
        return self.late.overdue

    @property
    def eta_missed(self) -> bool:
        return self.late.eta_missed

    @property
    def needs_attention(self) -> bool:
        return self.late.needs_attention


@dataclass(frozen=True)
class AccountAtRisk:
    account: Account
    open_escalations: int
    risk: AccountRisk


@dataclass(frozen=True)
class Dashboard:
    now: datetime
    lines: list[BoardLine]
    by_severity: dict[Severity, int]
    accounts_at_risk: list[AccountAtRisk]
    mine: list[BoardLine]

    @property
    def overdue(self) -> list[BoardLine]:
        return [line for line in self.lines if line.overdue]

    @property
    def eta_trouble(self) -> list[BoardLine]:
        return [line for line in self.lines if line.eta_missed or line.item.eta_slips]


@dataclass(frozen=True)
class Workspace:
    """An escalation's page: its tracker state, audit trail and the people who could own it."""

    tracker: TrackerState
    history: list[HistoryEntry]
    people: list[Person]
    status_token: str | None


@dataclass(frozen=True)
class Directory:
    """The accounts and people a form lets one choose from, and which accounts are at risk."""

    accounts: list[Account]
    people: list[Person]
    at_risk: frozenset[int] = frozenset()


@dataclass(frozen=True)
class AccountOverview:
    detail: AccountDetail
    escalations: list[BoardLine]
    risk: AccountRisk
    sentiment_set_by: Person | None = None


@dataclass(frozen=True)
class PersonOverview:
    person: Person
    escalations: list[BoardLine]


def dashboard(uow: UnitOfWork, *, now: datetime, person_id: int | None) -> Dashboard:
    """The morning view: every open escalation, what is late, and what `person_id` owns."""
    with uow:
        items = uow.escalations.page(EscalationFilter(limit=BOARD_LIMIT)).items
        accounts = uow.accounts.list()
        owned = (
            set()
            if person_id is None
            else {
                i.id
                for i in uow.escalations.page(
                    EscalationFilter(owner_id=person_id, limit=BOARD_LIMIT)
                ).items
            }
        )
    lines = [_line(item, now) for item in items]
    counts = dict.fromkeys(sorted(Severity, key=lambda s: -s.rank), 0)
    for item in items:
        counts[Severity(item.severity)] += 1
    open_per_account = open_severities(items)
    risks = [(a, open_per_account.get(a.id or 0, [])) for a in accounts]
    at_risk = [
        AccountAtRisk(a, len(severities), risk)
        for a, severities in risks
        if (risk := risk_of(a, severities)).at_risk
    ]
    mine = [line for line in lines if line.item.id in owned]
    return Dashboard(now, lines, counts, at_risk, mine)


def escalation_workspace(
    uow: AccessUnitOfWork,
    escalation_id: int,
    *,
    now: datetime,
    policy: SeverityPolicy,
    history_limit: int = 500,
) -> Workspace:
    with uow:
        tracker = gather_tracker(uow, escalation_id, now=now, policy=policy)
        history = uow.escalations.history(escalation_id, history_limit, 0)
        people = uow.people.list()
        status_token = uow.access.status_page_token(escalation_id)
    return Workspace(tracker, history, people, status_token)


def directory(uow: UnitOfWork) -> Directory:
    with uow:
        accounts = uow.accounts.list()
        people = uow.people.list()
        items = uow.escalations.page(EscalationFilter(limit=BOARD_LIMIT)).items
    severities = open_severities(items)
    at_risk = frozenset(
        a.id for a in accounts if a.id and risk_of(a, severities.get(a.id, [])).at_risk
    )
    return Directory(accounts, people, at_risk)


def account_overview(uow: UnitOfWork, key: str, *, now: datetime) -> AccountOverview:
    with uow:
        account = uow.accounts.find(key, "account")
        pm_id = account.services_project.pm_id if account.services_project else None
        ids = {i for i in (account.csm_id, pm_id, account.sentiment_set_by_id) if i is not None}
        people = uow.people.get_many(ids)
        page = uow.escalations.page(
            EscalationFilter(account_id=account.id, include_closed=True, limit=BOARD_LIMIT)
        )
    detail = AccountDetail(
        account,
        people.get(account.csm_id) if account.csm_id else None,
        people.get(pm_id) if pm_id else None,
    )
    open_now = [item.severity for item in page.items if item.status != Status.CLOSED]
    return AccountOverview(
        detail,
        [_line(item, now) for item in page.items],
        risk_of(account, open_now),
        people.get(account.sentiment_set_by_id) if account.sentiment_set_by_id else None,
    )


def person_overview(uow: UnitOfWork, key: str, *, now: datetime) -> PersonOverview:
    with uow:
        person = uow.people.find(key, "person")
        page = uow.escalations.page(
            EscalationFilter(owner_id=person.id, include_closed=True, limit=BOARD_LIMIT)
        )
    return PersonOverview(person, [_line(item, now) for item in page.items])


def _line(item: EscalationSummary, now: datetime) -> BoardLine:
    return BoardLine(item, lateness.of_summary(item, now))
