"""The metrics read model (R-MET): every figure is one or two aggregate queries.

Nothing here loads escalations, tickets or events to count them in Python: each query groups and
counts in the database and returns at most a row per week and severity. The figures' meanings
are in `domain.metrics.DEFINITIONS`.
"""

from __future__ import annotations

from datetime import date
from typing import Any, TypeVar

from sqlalchemy import Select, and_, case, func, literal, select, union_all
from sqlalchemy.orm import Session

from escdesk.domain.metrics import (
    PREVENTION_WINDOW,
    BreachWeek,
    CsatWeek,
    EtaAdherence,
    FirstContactWeek,
    FollowUps,
    Median,
    MetricsFilter,
    RecurringOutcome,
    RevenueAtRisk,
    WeekCount,
)
from escdesk.domain.survey import SATISFIED_FROM
from escdesk.store.metrics_sql import medians, seconds_between, week_of
from escdesk.store.role_views import RoleViewQueries
from escdesk.store.tables import (
    AccountRow,
    BreachRow,
    EscalationRequestRow,
    EscalationRow,
    EtaChangeRow,
    FixRow,
    FollowUpRow,
    IssueTicketRow,
    RecurringIssueRow,
    SurveyRow,
    TicketRow,
)

HOUR = 3600.0
AT_STAKE = ("high", "critical")
S = TypeVar("S", bound=Select[*tuple[Any, ...]])


def _escalations(stmt: S, f: MetricsFilter) -> S:
    """The filter's severity, tier and DRI, on a statement that selects from escalations."""
    if f.severity:
        stmt = stmt.where(EscalationRow.severity == f.severity)
    if f.dri_id is not None:
        stmt = stmt.where(EscalationRow.dri_id == f.dri_id)
    if f.tier:
        stmt = stmt.join(AccountRow, AccountRow.id == EscalationRow.account_id).where(
            AccountRow.tier == f.tier
        )
    return stmt


def _week(text: str) -> date:
    return date.fromisoformat(str(text)[:10])


def _median(row: Any) -> Median:
    return Median(str(row[0]), round(float(row[1]) / HOUR, 1), int(row[2]))


class MetricsRepository(RoleViewQueries):
    def __init__(self, session: Session) -> None:
        self.session = session

    def csat(self, f: MetricsFilter) -> list[CsatWeek]:
        week = week_of(SurveyRow.answered_at)
        satisfied = func.sum(case((SurveyRow.score >= SATISFIED_FROM, 1), else_=0))
        stmt = (
            select(week, func.count(), satisfied)
            .join(EscalationRow, EscalationRow.id == SurveyRow.escalation_id)
            .where(SurveyRow.answered_at >= f.since, SurveyRow.answered_at < f.until)
            .group_by(week)
            .order_by(week)
        )
        rows = self.session.execute(_escalations(stmt, f))
        weeks = [CsatWeek(_week(w), "survey", int(n), int(s)) for w, n, s in rows]
        if f.severity or f.tier or f.dri_id is not None:
            return weeks  # an imported ticket belongs to no escalation, severity or DRI
        return sorted(weeks + self._ticket_ratings(f), key=lambda w: (w.week, w.source))

    def _ticket_ratings(self, f: MetricsFilter) -> list[CsatWeek]:
        """Imported tickets' satisfaction ratings, by the week they were solved."""
        week = week_of(TicketRow.solved_at)
        satisfied = func.sum(case((TicketRow.satisfied.is_(True), 1), else_=0))
        stmt = (
            select(week, TicketRow.source, func.count(), satisfied)
            .where(
                TicketRow.satisfied.is_not(None),
                TicketRow.solved_at >= f.since,
                TicketRow.solved_at < f.until,
            )
            .group_by(week, TicketRow.source)
        )
        return [
            CsatWeek(_week(w), str(source), int(n), int(s))
            for w, source, n, s in self.session.execute(stmt)
        ]

    def first_contact(self, f: MetricsFilter) -> list[FirstContactWeek]:
        """Imported tickets solved in the period whose export says how they were answered."""
        week = week_of(TicketRow.solved_at)
        resolved = func.sum(case((TicketRow.first_contact.is_(True), 1), else_=0))
        stmt = (
            select(week, TicketRow.source, func.count(), resolved)
            .where(
                TicketRow.first_contact.is_not(None),
                TicketRow.solved_at >= f.since,
                TicketRow.solved_at < f.until,
            )
            .group_by(week, TicketRow.source)
            .order_by(week, TicketRow.source)
        )
        return [
            FirstContactWeek(_week(w), str(source), int(n), int(r))
            for w, source, n, r in self.session.execute(stmt)
        ]

    def volume(self, f: MetricsFilter) -> list[WeekCount]:
        opened = _escalations(
            select(
                week_of(EscalationRow.opened_at).label("week"),
                EscalationRow.severity.label("severity"),
                literal(1).label("opened"),
                literal(0).label("closed"),
            ).where(EscalationRow.opened_at >= f.since, EscalationRow.opened_at < f.until),
            f,
        )
        closed = _escalations(
            select(
                week_of(EscalationRow.closed_at).label("week"),
                EscalationRow.severity.label("severity"),
                literal(0).label("opened"),
                literal(1).label("closed"),
            ).where(
                EscalationRow.status == "closed",
                EscalationRow.closed_at >= f.since,
                EscalationRow.closed_at < f.until,
            ),
            f,
        )
        both = union_all(opened, closed).subquery()
        stmt = (
            select(both.c.week, both.c.severity, func.sum(both.c.opened), func.sum(both.c.closed))
            .group_by(both.c.week, both.c.severity)
            .order_by(both.c.week, both.c.severity)
        )
        return [
            WeekCount(_week(w), str(s), int(o), int(c)) for w, s, o, c in self.session.execute(stmt)
        ]

    def time_to_close(self, f: MetricsFilter) -> list[Median]:
        values = _escalations(
            select(
                EscalationRow.severity,
                seconds_between(EscalationRow.opened_at, EscalationRow.closed_at),
            ).where(
                EscalationRow.status == "closed",
                EscalationRow.closed_at >= f.since,
                EscalationRow.closed_at < f.until,
            ),
            f,
        )
        return [_median(row) for row in self.session.execute(medians(values))]

    def time_to_decision(self, f: MetricsFilter) -> Median | None:
        r = EscalationRequestRow
        values = select(literal("all"), seconds_between(r.filed_at, r.first_decided_at)).where(
            r.first_decided_at >= f.since, r.first_decided_at < f.until
        )
        if f.severity:
            values = values.where(r.proposed_severity == f.severity)
        row = self.session.execute(medians(values)).first()
        return None if row is None else _median(row)

    def eta(self, f: MetricsFilter) -> EtaAdherence:
        first_id = select(func.min(EtaChangeRow.id)).group_by(EtaChangeRow.escalation_id)
        first = (
            select(EtaChangeRow.escalation_id, EtaChangeRow.new_eta)
            .where(EtaChangeRow.id.in_(first_id))
            .subquery()
        )
        closed_in_period = and_(
            EscalationRow.status == "closed",
            EscalationRow.closed_at >= f.since,
            EscalationRow.closed_at < f.until,
        )
        adherence = _escalations(
            select(
                func.count(),
                func.coalesce(
                    func.sum(case((EscalationRow.closed_at <= first.c.new_eta, 1), else_=0)), 0
                ),
            )
            .select_from(EscalationRow)
            .join(first, first.c.escalation_id == EscalationRow.id)
            .where(closed_in_period),
            f,
        )
        closed, on_time = self.session.execute(adherence).one()
        slips = _escalations(
            select(func.count(), func.count(func.distinct(EtaChangeRow.escalation_id)))
            .select_from(EtaChangeRow)
            .join(EscalationRow, EscalationRow.id == EtaChangeRow.escalation_id)
            .where(
                closed_in_period,
                EtaChangeRow.old_eta.is_not(None),
                EtaChangeRow.new_eta > EtaChangeRow.old_eta,
            ),
            f,
        )
        count, slipped = self.session.execute(slips).one()
        return EtaAdherence(int(closed), int(on_time), int(count), int(slipped))

    def revenue(self, f: MetricsFilter) -> RevenueAtRisk:
        # Uncorrelated, so the database hashes it once instead of probing per account.
        open_at_stake = AccountRow.id.in_(
            select(EscalationRow.account_id).where(
                EscalationRow.status != "closed", EscalationRow.severity.in_(AT_STAKE)
            )
        )
        pending = case((AccountRow.status == "pending_deal", AccountRow.deal_size), else_=0)
        stmt = select(
            func.count(),
            func.coalesce(func.sum(AccountRow.arr), 0),
            func.coalesce(func.sum(pending), 0),
        ).where((AccountRow.sentiment == "at_risk") | open_at_stake)
        if f.tier:
            stmt = stmt.where(AccountRow.tier == f.tier)
        accounts, arr, deals = self.session.execute(stmt).one()
        return RevenueAtRisk(int(accounts), int(arr), int(deals))

    def fix_lead_time(self, f: MetricsFilter) -> Median | None:
        reported = func.coalesce(FixRow.reported_at, FixRow.submitted_at)
        values = select(literal("all"), seconds_between(reported, FixRow.shipped_at)).where(
            FixRow.shipped_at >= f.since, FixRow.shipped_at < f.until
        )
        row = self.session.execute(medians(values)).first()
        return None if row is None else _median(row)

    def recurring(self, f: MetricsFilter) -> RecurringOutcome:
        """One pass over the fixed issues' tickets: per issue, tickets since the fix and in the
        windows either side of it; then the totals over issues."""
        issue = RecurringIssueRow
        window = PREVENTION_WINDOW.total_seconds()
        offset = seconds_between(issue.fixed_at, TicketRow.created_at)

        def tickets_where(condition: Any) -> Any:
            return func.sum(case((condition, 1), else_=0))

        old_enough = case((issue.fixed_at <= f.until - PREVENTION_WINDOW, 1), else_=0)
        per_issue = (
            select(
                tickets_where(offset > 0).label("since"),
                tickets_where(and_(offset >= -window, offset < 0)).label("before"),
                tickets_where(and_(offset >= 0, offset < window)).label("after"),
                func.max(old_enough).label("old_enough"),
            )
            .select_from(issue)
            .outerjoin(IssueTicketRow, IssueTicketRow.issue_id == issue.id)
            .outerjoin(TicketRow, TicketRow.id == IssueTicketRow.ticket_id)
            .where(issue.status == "fixed", issue.fixed_at.is_not(None))
            .group_by(issue.id)
            .subquery()
        )
        p = per_issue.c
        gain = case((and_(p.old_enough == 1, p.before > p.after), p.before - p.after), else_=0)
        totals = select(
            func.count(),
            func.coalesce(func.sum(case((p.since == 0, 1), else_=0)), 0),
            func.coalesce(func.sum(gain), 0),
        )
        count, eliminated, prevented = self.session.execute(totals).one()
        return RecurringOutcome(int(count), int(eliminated), int(prevented))

    def follow_ups(self, f: MetricsFilter) -> FollowUps:
        on_time = case(
            (and_(FollowUpRow.done_at.is_not(None), FollowUpRow.done_at <= FollowUpRow.due_at), 1),
            else_=0,
        )
        stmt = select(func.count(), func.coalesce(func.sum(on_time), 0)).where(
            FollowUpRow.due_at >= f.since, FollowUpRow.due_at < f.until
        )
        due, done = self.session.execute(stmt).one()
        return FollowUps(int(due), int(done))

    def breaches(self, f: MetricsFilter) -> list[BreachWeek]:
        week = week_of(BreachRow.due_at)
        stmt = select(week, BreachRow.severity, func.count()).where(
            BreachRow.due_at >= f.since, BreachRow.due_at < f.until
        )
        if f.severity:
            stmt = stmt.where(BreachRow.severity == f.severity)
        if f.dri_id is not None:
            stmt = stmt.where(BreachRow.dri_id == f.dri_id)
        if f.tier:
            stmt = stmt.join(AccountRow, AccountRow.id == BreachRow.account_id).where(
                AccountRow.tier == f.tier
            )
        stmt = stmt.group_by(week, BreachRow.severity).order_by(week, BreachRow.severity)
        return [BreachWeek(_week(w), str(s), int(n)) for w, s, n in self.session.execute(stmt)]
