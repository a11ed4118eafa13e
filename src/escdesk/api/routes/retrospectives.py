"""Retrospectives and their follow-ups (R-RCA-1, R-RCA-2): one route, one handler each."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query
from fastapi.responses import PlainTextResponse

from escdesk.api.schemas.after import (
    AnnotationIn,
    DescribeIn,
    FollowUpIn,
    FollowUpMarkIn,
    MissedIn,
    RetrospectiveItem,
    RetrospectiveList,
    RetrospectiveOut,
    SharesOut,
    TrackerIssueIn,
    VersionIn,
)
from escdesk.api.schemas.common import MAX_ID
from escdesk.domain.access import Permission, Principal
from escdesk.http.deps import RunnerDep, SettingsDep, require
from escdesk.services import retrospectives as service
from escdesk.services.retrospectives import RetroRef
from escdesk.services.runner import Runner

router = APIRouter(tags=["retrospectives"])

Reader = Annotated[Principal, Depends(require(Permission.READ))]
Writer = Annotated[Principal, Depends(require(Permission.WRITE_RETROSPECTIVE))]
RetroId = Annotated[int, Path(ge=1, le=MAX_ID, description="The retrospective's id.")]
EscalationId = Annotated[int, Path(ge=1, le=MAX_ID, description="The escalation's id.")]


def _shown(run: Runner, ref: RetroRef, principal: Principal) -> RetrospectiveOut:
    query = service.ShowRetrospective(ref)
    return RetrospectiveOut.of(run.read(service.show_retrospective, query, principal.actor))


@router.get("/retrospectives", response_model=RetrospectiveList)
def list_retrospectives(
    principal: Reader, run: RunnerDep, all: Annotated[bool, Query()] = False
) -> RetrospectiveList:
    """Open retrospectives (all with `all=true`), the one due soonest first."""
    query = service.ListRetrospectives(include_completed=all)
    found = run.read(service.list_retrospectives, query, principal.actor)
    return RetrospectiveList(
        items=[
            RetrospectiveItem(
                id=r.id or 0,
                escalation_id=r.escalation_id,
                title=title,
                status=r.status.value,
                due_at=r.due_at,
                root_cause=r.root_cause.value if r.root_cause else None,
                follow_ups_open=sum(1 for f in r.follow_ups if not f.done),
            )
            for r, title in found
        ]
    )


@router.get("/follow-ups/shares", response_model=SharesOut)
def follow_up_shares(principal: Reader, run: RunnerDep) -> SharesOut:
    """R-RCA-2: the share of follow-ups done on time, per team and per root-cause category."""
    found = run.read(service.follow_up_shares, service.FollowUpShares(), principal.actor)
    return SharesOut.of(found)


@router.get("/escalations/{escalation_id}/retrospective", response_model=RetrospectiveOut)
def retrospective_of(
    escalation_id: EscalationId, principal: Reader, run: RunnerDep
) -> RetrospectiveOut:
    return _shown(run, RetroRef(escalation_id, by_escalation=True), principal)


@router.get("/retrospectives/{retro_id}", response_model=RetrospectiveOut)
def show(retro_id: RetroId, principal: Reader, run: RunnerDep) -> RetrospectiveOut:
    """The retrospective with its timeline read from the audit trail; internal text only for
    readers of internal notes."""
    return _shown(run, RetroRef(retro_id), principal)


@router.get("/retrospectives/{retro_id}/export", response_class=PlainTextResponse)
def export(retro_id: RetroId, principal: Reader, run: RunnerDep) -> PlainTextResponse:
    """Markdown for sharing (text/markdown)."""
    query = service.ShowRetrospective(RetroRef(retro_id))
    view = run.read(service.show_retrospective, query, principal.actor)
    return PlainTextResponse(view.markdown, media_type="text/markdown; charset=utf-8")


@router.post("/retrospectives/{retro_id}/annotations", response_model=RetrospectiveOut)
def annotate(
    retro_id: RetroId, body: AnnotationIn, principal: Writer, run: RunnerDep
) -> RetrospectiveOut:
    cmd = service.AnnotateTimeline(RetroRef(retro_id), body.event_id, body.note, body.version)
    run.run(service.annotate_timeline, cmd, principal.actor)
    return _shown(run, RetroRef(retro_id), principal)


@router.post("/retrospectives/{retro_id}/missed-opportunities", response_model=RetrospectiveOut)
def add_missed(
    retro_id: RetroId, body: MissedIn, principal: Writer, run: RunnerDep
) -> RetrospectiveOut:
    cmd = service.AddMissedOpportunity(RetroRef(retro_id), body.text, body.version)
    run.run(service.add_missed_opportunity, cmd, principal.actor)
    return _shown(run, RetroRef(retro_id), principal)


@router.patch("/retrospectives/{retro_id}", response_model=RetrospectiveOut)
def describe(
    retro_id: RetroId, body: DescribeIn, principal: Writer, run: RunnerDep
) -> RetrospectiveOut:
    """Root-cause category, summary and internal notes."""
    cmd = service.DescribeRetrospective.parse(
        ref=RetroRef(retro_id),
        root_cause=body.root_cause,
        summary=body.summary,
        internal_notes=body.internal_notes,
        version=body.version,
    )
    run.run(service.describe_retrospective, cmd, principal.actor)
    return _shown(run, RetroRef(retro_id), principal)


@router.post("/retrospectives/{retro_id}/follow-ups", response_model=RetrospectiveOut)
def add_follow_up(
    retro_id: RetroId, body: FollowUpIn, principal: Writer, run: RunnerDep
) -> RetrospectiveOut:
    cmd = service.AddFollowUp(
        RetroRef(retro_id),
        body.title,
        body.owner,
        body.due_at,
        body.team,
        body.version,
        body.tracker_url,
    )
    run.run(service.add_follow_up, cmd, principal.actor)
    return _shown(run, RetroRef(retro_id), principal)


@router.post("/retrospectives/{retro_id}/follow-ups/{number}", response_model=RetrospectiveOut)
def mark_follow_up(
    retro_id: RetroId,
    number: Annotated[int, Path(ge=1, le=10_000)],
    body: FollowUpMarkIn,
    principal: Reader,
    run: RunnerDep,
) -> RetrospectiveOut:
    """Tick or untick a follow-up: its owner may, and whoever writes retrospectives."""
    cmd = service.MarkFollowUp(RetroRef(retro_id), number, body.done, body.version)
    run.run(service.mark_follow_up, cmd, principal.actor)
    return _shown(run, RetroRef(retro_id), principal)


@router.post(
    "/retrospectives/{retro_id}/follow-ups/{number}/tracker-issue",
    response_model=RetrospectiveOut,
    status_code=202,
)
def create_tracker_issue(
    retro_id: RetroId,
    number: Annotated[int, Path(ge=1, le=10_000)],
    body: TrackerIssueIn,
    principal: Writer,
    run: RunnerDep,
    settings: SettingsDep,
) -> RetrospectiveOut:
    """Mirror the follow-up in a new Jira, GitHub or GitLab issue: queued now, created by the
    worker, then the follow-up's `tracker_url`; done when that issue closes."""
    target = settings.issue_target(body.tracker, body.project)
    cmd = service.CreateTrackerIssue(RetroRef(retro_id), number, target, body.version)
    run.run(service.create_tracker_issue, cmd, principal.actor)
    return _shown(run, RetroRef(retro_id), principal)


@router.post("/retrospectives/{retro_id}/complete", response_model=RetrospectiveOut)
def complete(
    retro_id: RetroId, body: VersionIn, principal: Writer, run: RunnerDep
) -> RetrospectiveOut:
    cmd = service.CompleteRetrospective(RetroRef(retro_id), body.version)
    run.run(service.complete_retrospective, cmd, principal.actor)
    return _shown(run, RetroRef(retro_id), principal)
