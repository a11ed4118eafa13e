"""Recurring issues and the weekly issues review (R-REC-1, R-REC-3, R-REC-4, R-RCA-3)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query

from escdesk.api.schemas.common import MAX_ID
from escdesk.api.schemas.recurring import (
    ClusterOut,
    FixIn,
    IssueDetailOut,
    IssueList,
    IssueOut,
    IssueState,
    LinkIn,
    MergeIn,
    PreventionOut,
    RebuildIn,
    RenameIn,
    ReviewOut,
    SplitIn,
    VersionIn,
)
from escdesk.domain.access import Permission, Principal
from escdesk.http.deps import IndexDep, NowDep, RunnerDep, UowDep, require
from escdesk.services import clustering
from escdesk.services import recurring as service
from escdesk.services import recurring_changes as change
from escdesk.services.review import weekly_issues_review

router = APIRouter(tags=["recurring issues"])

Reader = Annotated[Principal, Depends(require(Permission.READ))]
Keeper = Annotated[Principal, Depends(require(Permission.MANAGE_RECURRING))]
IssueKey = Annotated[int, Path(ge=1, le=MAX_ID, description="The recurring issue's id.")]


@router.get("/recurring", response_model=IssueList)
def list_issues(
    _: Reader, uow: UowDep, now: NowDep, limit: Annotated[int, Query(ge=1, le=10_000)] = 50
) -> IssueList:
    """Live recurring issues, highest rank first: score = volume × reach × revenue × growth."""
    return IssueList(items=[IssueOut.of(r) for r in service.list_issues(uow, now=now, limit=limit)])


@router.post("/recurring/rebuild", response_model=ClusterOut)
def rebuild(body: RebuildIn, _: Keeper, uow: UowDep, now: NowDep, index: IndexDep) -> ClusterOut:
    """Cluster the tickets not clustered yet (or, with `full`, all untouched ones again)."""
    return ClusterOut.of(clustering.update_issues(uow, index, now=now, full=body.full))


@router.get("/recurring/{key}", response_model=IssueDetailOut)
def show_issue(key: IssueKey, _: Reader, uow: UowDep, now: NowDep) -> IssueDetailOut:
    return IssueDetailOut.of_detail(service.show_issue(uow, key, now=now))


@router.post("/recurring/{key}/confirm", response_model=IssueState)
def confirm(key: IssueKey, body: VersionIn, who: Keeper, run: RunnerDep) -> IssueState:
    cmd = change.ConfirmIssue(key, body.version)
    return IssueState.of(run.run(change.confirm_issue, cmd, who.actor))


@router.post("/recurring/{key}/rename", response_model=IssueState)
def rename(key: IssueKey, body: RenameIn, who: Keeper, run: RunnerDep) -> IssueState:
    cmd = change.RenameIssue(key, body.label, body.version)
    return IssueState.of(run.run(change.rename_issue, cmd, who.actor))


@router.post("/recurring/{key}/merge", response_model=IssueState)
def merge(key: IssueKey, body: MergeIn, who: Keeper, run: RunnerDep) -> IssueState:
    """Fold this issue into `into`; returns the issue kept."""
    cmd = change.MergeIssues(key, body.into)
    return IssueState.of(run.run(change.merge_issues, cmd, who.actor))


@router.post("/recurring/{key}/split", response_model=IssueState)
def split(key: IssueKey, body: SplitIn, who: Keeper, run: RunnerDep) -> IssueState:
    """Move tickets of another cause into a new issue; returns the new issue."""
    cmd = change.SplitIssue(key, tuple(body.tickets), body.label)
    return IssueState.of(run.run(change.split_issue, cmd, who.actor))


@router.post("/recurring/{key}/links", response_model=IssueState)
def link(key: IssueKey, body: LinkIn, who: Keeper, run: RunnerDep) -> IssueState:
    """R-REC-3: link the issue to an escalation it caused."""
    cmd = change.LinkEscalation(key, body.escalation)
    return IssueState.of(run.run(change.link_escalation, cmd, who.actor))


@router.post("/recurring/{key}/fix", response_model=IssueState)
def fix(key: IssueKey, body: FixIn, who: Keeper, run: RunnerDep) -> IssueState:
    """R-REC-3: record the fix and its release."""
    cmd = change.RecordFix(key, body.reference, body.release, body.fixed_at)
    return IssueState.of(run.run(change.record_fix, cmd, who.actor))


@router.get("/recurring/{key}/prevention", response_model=PreventionOut)
def prevention(key: IssueKey, _: Reader, uow: UowDep, now: NowDep) -> PreventionOut:
    """R-RCA-3: tickets of the cause after its fix."""
    figure = service.issue_prevention(uow, key, now=now)[1]
    out = PreventionOut.of(figure)
    assert out is not None
    return out


@router.get("/review", response_model=ReviewOut)
def review(_: Reader, uow: UowDep, now: NowDep) -> ReviewOut:
    """R-REC-4: the weekly issues review, time-boxed, never over 60 minutes."""
    return ReviewOut.of(weekly_issues_review(uow, now=now).agenda)
