"""Support-written fixes and Engineering's review queue (R-FIX-1, R-FIX-3)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query

from escdesk.api.schemas.after import FixIn, FixList, FixOut, LeadTimeOut, ReviewIn, ReviseIn
from escdesk.api.schemas.common import MAX_ID
from escdesk.domain.access import Permission, Principal
from escdesk.http.deps import RunnerDep, require
from escdesk.services import fixes as service

router = APIRouter(tags=["fixes"])

Reader = Annotated[Principal, Depends(require(Permission.READ))]
Author = Annotated[Principal, Depends(require(Permission.SUBMIT_FIX))]
Reviewer = Annotated[Principal, Depends(require(Permission.REVIEW_FIX))]
FixId = Annotated[int, Path(ge=1, le=MAX_ID, description="The fix's id.")]
Filter = Annotated[int | None, Query(ge=1, le=MAX_ID)]


@router.post("/fixes", response_model=FixOut, status_code=201)
def submit(body: FixIn, principal: Author, run: RunnerDep) -> FixOut:
    """Attach a patch, a pull/merge request or a workaround to a request, an escalation or a
    recurring issue."""
    cmd = service.SubmitFix.parse(
        title=body.title,
        kind=body.kind,
        content=body.content,
        url=body.url,
        escalation_id=body.escalation_id,
        recurring_issue_id=body.recurring_issue_id,
        request_id=body.request_id,
    )
    return FixOut.of(run.run(service.submit_fix, cmd, principal.actor))


@router.get("/fixes", response_model=FixList)
def list_fixes(
    principal: Reader,
    run: RunnerDep,
    status: Annotated[str | None, Query(max_length=40)] = None,
    escalation_id: Filter = None,
    recurring_issue_id: Filter = None,
    request_id: Filter = None,
) -> FixList:
    query = service.ListFixes.parse(
        status=status,
        escalation_id=escalation_id,
        recurring_issue_id=recurring_issue_id,
        request_id=request_id,
    )
    return FixList(
        items=[FixOut.of(f) for f in run.read(service.list_fixes, query, principal.actor)]
    )


@router.get("/fixes/queue", response_model=FixList)
def review_queue(principal: Reader, run: RunnerDep) -> FixList:
    """Engineering's review queue: submitted fixes, oldest first."""
    found = run.read(service.review_queue, service.ListFixes(), principal.actor)
    return FixList(items=[FixOut.of(f) for f in found])


@router.get("/fixes/lead-time", response_model=LeadTimeOut)
def lead_time(principal: Reader, run: RunnerDep) -> LeadTimeOut:
    """R-FIX-3: from the first report to the release that shipped the fix."""
    found = run.read(service.lead_time_report, service.LeadTimeReport(), principal.actor)
    return LeadTimeOut.of(found)


@router.get("/fixes/{fix_id}", response_model=FixOut)
def show(fix_id: FixId, principal: Reader, run: RunnerDep) -> FixOut:
    return FixOut.of(run.read(service.show_fix, service.ShowFix(fix_id), principal.actor))


@router.post("/fixes/{fix_id}/review", response_model=FixOut)
def review(fix_id: FixId, body: ReviewIn, principal: Reviewer, run: RunnerDep) -> FixOut:
    """Accept, ask for changes or reject (the last two with a reason); the author is told."""
    cmd = service.ReviewFix.parse(
        fix_id=fix_id, decision=body.decision, reason=body.reason, version=body.version
    )
    return FixOut.of(run.run(service.review_fix, cmd, principal.actor))


@router.post("/fixes/{fix_id}/revise", response_model=FixOut)
def revise(fix_id: FixId, body: ReviseIn, principal: Author, run: RunnerDep) -> FixOut:
    cmd = service.ReviseFix(fix_id, body.content, body.url, body.version)
    return FixOut.of(run.run(service.revise_fix, cmd, principal.actor))
