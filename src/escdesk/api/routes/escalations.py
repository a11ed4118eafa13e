"""Escalations: the board (paginated, filtered), opening one, one escalation, its history."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Response, status

from escdesk.api.schemas.common import MAX_ID, Key, Sort
from escdesk.api.schemas.escalation_actions import EscalationIn
from escdesk.api.schemas.escalations import EscalationOut, HistoryOut, PageOut
from escdesk.domain.access import Permission, Principal
from escdesk.domain.records import Status
from escdesk.domain.severity import Severity
from escdesk.http.deps import NowDep, RunnerDep, require
from escdesk.services import escalations as service
from escdesk.services.escalation_commands import (
    DueEscalations,
    EscalationHistory,
    ListEscalations,
    OpenEscalation,
    ShowEscalation,
)
from escdesk.services.listing import parse_sort

router = APIRouter(prefix="/escalations", tags=["escalations"])

Reader = Annotated[Principal, Depends(require(Permission.READ))]
EscalationId = Annotated[int, Path(ge=1, le=MAX_ID)]


def etag(version: int) -> str:
    return f'"{version}"'


@router.get("", response_model=PageOut)
def list_escalations(
    principal: Reader,
    run: RunnerDep,
    now: NowDep,
    severity: Severity | None = None,
    status: Status | None = None,
    dri: Annotated[Key | None, Query(max_length=320, description="E-mail or id.")] = None,
    account: Annotated[Key | None, Query(max_length=200, description="Name, slug or id.")] = None,
    overdue: Annotated[bool, Query(description="Only those with an update overdue now.")] = False,
    include_closed: bool = False,
    limit: Annotated[int, Query(ge=1, le=1000)] = 50,
    offset: Annotated[int, Query(ge=0, le=10**9)] = 0,
    sort: Sort = None,
) -> PageOut:
    """Open escalations, most severe first (closed ones with `include_closed` or a status);
    `sort` by id, customer, severity, status, dri, opened, next_update or eta."""
    query = ListEscalations(
        severity=severity,
        status=status,
        dri=dri,
        account=account,
        include_closed=include_closed,
        overdue_at=now if overdue else None,
        limit=limit,
        offset=offset,
        order=parse_sort(sort),
    )
    return PageOut.of(run.read(service.list_escalations, query, principal.actor), now)


@router.post("", response_model=EscalationOut, status_code=status.HTTP_201_CREATED)
def open_escalation(
    body: EscalationIn,
    principal: Annotated[Principal, Depends(require(Permission.OPEN_ESCALATION))],
    run: RunnerDep,
    response: Response,
) -> EscalationOut:
    values = body.model_dump()
    for many in ("required_skills", "exit_criteria"):
        values[many] = tuple(values[many])
    esc = run.run(service.open_escalation, OpenEscalation(**values), principal.actor)
    response.headers["ETag"] = etag(esc.version)
    response.headers["Location"] = f"/api/escalations/{esc.id}"
    return EscalationOut.of(esc, internal=principal.can(Permission.READ_INTERNAL))


@router.get("/due", response_model=PageOut)
def due_escalations(
    principal: Reader,
    run: RunnerDep,
    now: NowDep,
    within_hours: Annotated[float, Query(ge=0, le=24 * 366)] = 24,
    dri: Annotated[Key | None, Query(max_length=320)] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 1000,
) -> PageOut:
    """Open escalations with an update due within the next hours, most urgent first (R-ESC-6)."""
    query = DueEscalations(timedelta(hours=within_hours), dri=dri, limit=limit)
    return PageOut.of(run.read(service.due_escalations, query, principal.actor), now)


@router.get("/{escalation_id}", response_model=EscalationOut)
def show_escalation(
    escalation_id: EscalationId,
    principal: Reader,
    run: RunnerDep,
    response: Response,
    now: NowDep,
) -> EscalationOut:
    """One escalation; internal updates only for those who may read internal notes."""
    detail = run.read(service.show_escalation, ShowEscalation(escalation_id), principal.actor)
    names = {pid: person.name for pid, person in detail.people.items()}
    response.headers["ETag"] = etag(detail.escalation.version)
    return EscalationOut.of(
        detail.escalation,
        internal=principal.can(Permission.READ_INTERNAL),
        names=names,
        now=now,
    )


@router.get("/{escalation_id}/history", response_model=HistoryOut)
def escalation_history(
    escalation_id: EscalationId,
    principal: Reader,
    run: RunnerDep,
    limit: Annotated[int, Query(ge=1, le=10_000)] = 1000,
    after_id: Annotated[int, Query(ge=0, le=2**63 - 1, description="Page on from here.")] = 0,
) -> HistoryOut:
    """The append-only audit trail (R-ESC-11), oldest first."""
    query = EscalationHistory(escalation_id, limit=limit, after_id=after_id)
    entries = run.read(service.escalation_history, query, principal.actor)
    return HistoryOut.of(entries, internal=principal.can(Permission.READ_INTERNAL))
