"""The metrics page (R-MET): charts drawn on the server, filters, numbers and CSV per figure."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import PlainTextResponse, Response

from escdesk.domain.access import Permission, Principal
from escdesk.domain.accounts import Tier
from escdesk.domain.metrics import (
    CSAT_GOAL,
    DEFINITIONS,
    FIRST_CONTACT_GOAL,
    MetricsReport,
    csv_text,
)
from escdesk.domain.severity import Severity
from escdesk.http.deps import NowDep, RunnerDep, UowDep
from escdesk.services.desk import directory
from escdesk.services.metrics import ShowMetrics, show_metrics
from escdesk.web.errors import PageRoute
from escdesk.web.metrics_view import charts_of, day
from escdesk.web.pages import render
from escdesk.web.viewer import allowed_to

router = APIRouter(route_class=PageRoute)
Reader = Annotated[Principal, Depends(allowed_to(Permission.READ))]
Text = Annotated[str, Query()]


def _report(
    run: RunnerDep, who: Principal, since: str, until: str, severity: str, tier: str, dri: str
) -> MetricsReport:
    query = ShowMetrics.parse(
        since=day(since, "since", who.timezone),
        until=day(until, "until", who.timezone, end=True),
        severity=severity or None,
        tier=tier or None,
        dri=dri or None,
    )
    return run.read(show_metrics, query, who.actor)


@router.get("/figures")
def metrics_page(
    request: Request,
    principal: Reader,
    run: RunnerDep,
    uow: UowDep,
    now: NowDep,
    since: Text = "",
    until: Text = "",
    severity: Text = "",
    tier: Text = "",
    dri: Text = "",
) -> Response:
    report = _report(run, principal, since, until, severity, tier, dri)
    query = {"since": since, "until": until, "severity": severity, "tier": tier, "dri": dri}
    context = {
        "report": report,
        "charts": charts_of(report, query),
        "query": query,
        "severities": [s.value for s in sorted(Severity, key=lambda s: -s.rank)],
        "tiers": [t.value for t in Tier],
        "people": directory(uow).people,
        "goal": CSAT_GOAL,
        "first_contact_goal": FIRST_CONTACT_GOAL,
        "definitions": DEFINITIONS,
    }
    return render(request, "metrics.html", context, now=now)


@router.get("/figures/{figure}.csv")
def metrics_csv(
    figure: str,
    principal: Reader,
    run: RunnerDep,
    since: Text = "",
    until: Text = "",
    severity: Text = "",
    tier: Text = "",
    dri: Text = "",
) -> Response:
    report = _report(run, principal, since, until, severity, tier, dri)
    return PlainTextResponse(
        csv_text(report, figure),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{figure}.csv"'},
    )
