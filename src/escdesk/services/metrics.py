"""The metrics query (R-MET): one filter in, every figure out, computed by the store."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from escdesk.domain.access import Actor, Permission
from escdesk.domain.accounts import Tier
from escdesk.domain.errors import InvalidInput
from escdesk.domain.metrics import MetricsFilter, MetricsReport
from escdesk.domain.severity import parse_severity
from escdesk.services.ports import UnitOfWork
from escdesk.services.runner import Context


@dataclass(frozen=True)
class ShowMetrics:
    since: datetime | None = None
    until: datetime | None = None
    severity: str | None = None
    tier: str | None = None
    dri: str | None = None

    @classmethod
    def parse(
        cls,
        since: datetime | None = None,
        until: datetime | None = None,
        severity: str | None = None,
        tier: str | None = None,
        dri: str | None = None,
    ) -> ShowMetrics:
        level = parse_severity(severity).value if severity else None
        if tier and tier not in {t.value for t in Tier}:
            raise InvalidInput(
                "tier", f"{tier!r} is not a tier", f"Use one of: {', '.join(t.value for t in Tier)}"
            )
        return cls(since, until, level, tier or None, dri or None)


def show_metrics(uow: UnitOfWork, query: ShowMetrics, actor: Actor, ctx: Context) -> MetricsReport:
    actor.require(Permission.READ)
    dri_id = uow.people.find(query.dri, "dri").id if query.dri else None
    f = MetricsFilter.parse(
        ctx.now,
        since=query.since,
        until=query.until,
        severity=query.severity,
        tier=query.tier,
        dri_id=dri_id,
    )
    m = uow.metrics
    return MetricsReport(
        filter=f,
        csat=m.csat(f),
        volume=m.volume(f),
        time_to_close=m.time_to_close(f),
        time_to_decision=m.time_to_decision(f),
        eta=m.eta(f),
        revenue=m.revenue(f),
        fix_lead_time=m.fix_lead_time(f),
        recurring=m.recurring(f),
        follow_ups=m.follow_ups(f),
        breaches=m.breaches(f),
        first_contact=m.first_contact(f),
    )


def last_week_figures(uow: UnitOfWork, now: datetime) -> str:
    """The weekly issues review's opening (R-REC-4): the last 7 days in one line, from the
    same read model as every other figure. Runs inside the caller's open unit of work."""
    m = uow.metrics
    week = MetricsFilter(now - timedelta(days=7), now)
    opened = sum(w.opened for w in m.volume(week))
    closed = sum(w.closed for w in m.volume(week))
    csat = m.csat(week)
    answers = sum(w.answers for w in csat)
    satisfied = sum(w.satisfied for w in csat)
    follow_ups = m.follow_ups(week)
    recurring = m.recurring(week)
    missed = sum(b.breaches for b in m.breaches(week))
    contact = m.first_contact(week)
    tickets = sum(w.tickets for w in contact)
    first = sum(w.first_contact for w in contact)
    parts = [
        f"Last 7 days: {opened} escalations opened, {closed} closed",
        f"CSAT {round(100 * satisfied / answers)} % of {answers} answers"
        if answers
        else "no survey answers",
        f"{missed} missed updates",
        *(
            [f"first-contact resolution {round(100 * first / tickets)} % of {tickets} tickets"]
            if tickets
            else []
        ),
        f"follow-ups {follow_ups.on_time} of {follow_ups.due} done on time",
        f"recurring issues: {recurring.eliminated} of {recurring.fixed} fixed ones eliminated",
    ]
    return "; ".join(parts)
