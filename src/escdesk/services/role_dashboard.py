"""The role dashboards (R-MET): the panel above the common board that fits who is looking.

Every number comes from the metrics read model (aggregate queries); the board below it (open
escalations, what is late) stays the one every role shares.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from escdesk.domain.metrics import DEFAULT_PERIOD, CsatWeek, MetricsFilter, RevenueAtRisk
from escdesk.domain.people import Role
from escdesk.domain.role_views import AccountLine, CsmLoad, Lens, WorkCount, lens_for
from escdesk.services.ports import UnitOfWork

WEEK = timedelta(days=7)


@dataclass(frozen=True)
class RolePanels:
    lens: Lens | None
    revenue: RevenueAtRisk | None = None
    csat: list[CsatWeek] = field(default_factory=list)
    csat_percent: float | None = None
    triage_queue: int = 0
    breaches_last_week: int = 0
    accounts: list[AccountLine] = field(default_factory=list)
    csm_load: list[CsmLoad] = field(default_factory=list)
    work: list[WorkCount] = field(default_factory=list)


def _csat_percent(weeks: list[CsatWeek]) -> float | None:
    answers = sum(w.answers for w in weeks)
    return round(100.0 * sum(w.satisfied for w in weeks) / answers, 1) if answers else None


def role_panels(
    uow: UnitOfWork, *, now: datetime, person_id: int | None, roles: frozenset[Role]
) -> RolePanels:
    lens = lens_for(roles)
    if lens is None:
        return RolePanels(None)
    period = MetricsFilter(now - DEFAULT_PERIOD, now)
    with uow:
        m = uow.metrics
        if lens is Lens.EXECUTIVE:
            csat = m.csat(period)
            return RolePanels(lens, m.revenue(period), csat, _csat_percent(csat))
        if lens is Lens.MANAGER:
            week = MetricsFilter(now - WEEK, now)
            missed = sum(b.breaches for b in m.breaches(week))
            return RolePanels(lens, triage_queue=m.triage_queue(), breaches_last_week=missed)
        if lens is Lens.CSM_LEADER:
            return RolePanels(lens, m.revenue(period), csm_load=m.load_per_csm())
        if person_id is None:
            return RolePanels(None)
        if lens is Lens.SALES:
            return RolePanels(lens, accounts=m.accounts_requested_by(person_id))
        return RolePanels(lens, work=m.work_of(person_id))
