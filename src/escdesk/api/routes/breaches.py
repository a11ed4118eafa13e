"""Breaches (R-SLA-3): `GET /api/breaches`, every missed due moment with how late."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel

from escdesk.api.schemas.common import Moment
from escdesk.domain.access import Permission, Principal
from escdesk.http.deps import RunnerDep, require
from escdesk.services import breaches as service

router = APIRouter(tags=["breaches"])
Reader = Annotated[Principal, Depends(require(Permission.READ))]


class Named(BaseModel):
    id: int
    name: str


class BreachOut(BaseModel):
    id: int
    escalation_id: int
    audience: str
    due_at: datetime
    resolved_at: datetime | None
    late_seconds: int
    severity: str
    dri: Named
    account: Named


class BreachReportOut(BaseModel):
    items: list[BreachOut]
    by_severity: dict[str, int]
    by_dri: dict[str, int]
    by_account: dict[str, int]
    open: int
    as_of: datetime


@router.get("/breaches", response_model=BreachReportOut)
def list_breaches(
    who: Reader,
    run: RunnerDep,
    since: Annotated[Moment | None, Query(description="Only due moments from then on.")] = None,
) -> BreachReportOut:
    report = run.read(service.list_breaches, service.ListBreaches(since=since), who.actor)
    return BreachReportOut(
        items=[
            BreachOut(
                id=b.id,
                escalation_id=b.escalation_id,
                audience=b.audience,
                due_at=b.due_at,
                resolved_at=b.resolved_at,
                late_seconds=int(b.late_by(report.now).total_seconds()),
                severity=b.severity,
                dri=Named(id=b.dri_id, name=b.dri_name),
                account=Named(id=b.account_id, name=b.account_name),
            )
            for b in report.items
        ],
        by_severity=report.by("severity"),
        by_dri=report.by("dri"),
        by_account=report.by("account"),
        open=len(report.open()),
        as_of=report.now,
    )
