"""Metrics (R-MET, R-FIX-3, R-SLA-4): `GET /api/metrics` and `GET /api/metrics/{figure}.csv`.

Every figure comes with its one-sentence definition, its columns and its rows: the numbers
behind the charts of the `/metrics` page, computed by the database.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from fastapi.responses import PlainTextResponse
from pydantic import BaseModel

from escdesk.api.schemas.common import Moment
from escdesk.domain.access import Permission, Principal
from escdesk.domain.metrics import MetricsReport, csv_text, report_json
from escdesk.http.deps import RunnerDep, require
from escdesk.services.metrics import ShowMetrics, show_metrics

router = APIRouter(tags=["metrics"])
Reader = Annotated[Principal, Depends(require(Permission.READ))]


class FigureOut(BaseModel):
    definition: str
    columns: list[str]
    rows: list[list[Any]]


class MetricsFilterOut(BaseModel):
    since: str
    until: str
    severity: str | None
    tier: str | None
    dri_id: int | None


class MetricsOut(BaseModel):
    filter: MetricsFilterOut
    csat_percent: float | None
    csat_goal_percent: float
    first_contact_percent: float | None
    first_contact_goal_percent: float
    figures: dict[str, FigureOut]


def _report(
    who: Principal,
    run: RunnerDep,
    since: Moment | None,
    until: Moment | None,
    severity: str | None,
    tier: str | None,
    dri: str | None,
) -> MetricsReport:
    query = ShowMetrics.parse(since=since, until=until, severity=severity, tier=tier, dri=dri)
    return run.read(show_metrics, query, who.actor)


Since = Annotated[Moment | None, Query(description="Start of the period; 12 weeks ago.")]
Until = Annotated[Moment | None, Query(description="End of the period; now.")]
Severity = Annotated[str | None, Query(description="Only this severity.")]
TierQ = Annotated[str | None, Query(description="Only accounts of this tier.")]
Dri = Annotated[str | None, Query(description="Only this DRI's escalations (e-mail or id).")]


@router.get("/metrics", response_model=MetricsOut)
def get_metrics(
    who: Reader,
    run: RunnerDep,
    since: Since = None,
    until: Until = None,
    severity: Severity = None,
    tier: TierQ = None,
    dri: Dri = None,
) -> MetricsOut:
    report = _report(who, run, since, until, severity, tier, dri)
    return MetricsOut.model_validate(report_json(report))


@router.get("/metrics/{figure}.csv", response_class=PlainTextResponse)
def get_metric_csv(
    figure: str,
    who: Reader,
    run: RunnerDep,
    since: Since = None,
    until: Until = None,
    severity: Severity = None,
    tier: TierQ = None,
    dri: Dri = None,
) -> PlainTextResponse:
    report = _report(who, run, since, until, severity, tier, dri)
    return PlainTextResponse(csv_text(report, figure), media_type="text/csv; charset=utf-8")
