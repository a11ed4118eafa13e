"""Request and response bodies of retrospectives, fixes and interim releases (R-RCA, R-FIX)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from pydantic import BaseModel, Field

from escdesk.api.schemas.common import MAX_ID, ApiModel, Key, Moment, SafeStr
from escdesk.domain.fixes import Fix
from escdesk.domain.releases import Release
from escdesk.domain.retrospective import FollowUp, Share
from escdesk.services.fixes import LeadTimeView
from escdesk.services.releases import ReleaseView
from escdesk.services.retrospectives import RetrospectiveView, Shares

Id = Annotated[int, Field(ge=1, le=MAX_ID)]
Version = Annotated[int | None, Field(default=None, ge=0, description="The version you saw.")]


# ---------------------------------------------------------------------- retrospectives
class AnnotationIn(ApiModel):
    event_id: Id
    note: SafeStr
    version: Version = None


class MissedIn(ApiModel):
    text: SafeStr
    version: Version = None


class DescribeIn(ApiModel):
    root_cause: SafeStr | None = Field(
        None,
        description="education, product_bug, design, missing_capability or environment",
    )
    summary: SafeStr | None = None
    internal_notes: SafeStr | None = None
    version: Version = None


class FollowUpIn(ApiModel):
    title: SafeStr
    owner: Key = Field(description="The owner's e-mail or id.")
    due_at: Moment
    team: SafeStr | None = Field(None, description="Default: the owner's role.")
    tracker_url: SafeStr | None = Field(
        None, description="A tracker issue mirroring it; done when that issue closes."
    )
    version: Version = None


class TrackerIssueIn(ApiModel):
    tracker: SafeStr | None = Field(
        None, description="jira, github or gitlab; default: the one with a project setting."
    )
    project: SafeStr | None = Field(
        None,
        description="Jira project key, GitHub owner/repo or GitLab project id or path; "
        "default: ESCDESK_JIRA_PROJECT, ESCDESK_GITHUB_REPO or ESCDESK_GITLAB_PROJECT.",
    )
    version: Version = None


class FollowUpMarkIn(ApiModel):
    done: bool = True
    version: Version = None


class VersionIn(ApiModel):
    version: Version = None


class TimelineLineOut(BaseModel):
    event_id: int
    at: datetime
    actor: str
    what: str
    detail: str
    annotation: str | None


class FollowUpOut(BaseModel):
    number: int
    title: str
    owner_id: int
    owner: str | None
    team: str
    due_at: datetime
    done_at: datetime | None
    reminders_sent: int
    tracker_url: str | None = None
    tracker_requested_at: datetime | None = None
    """When a new tracker issue was asked for; the worker then fills `tracker_url`."""

    @classmethod
    def of(cls, number: int, item: FollowUp, owners: dict[int, str]) -> FollowUpOut:
        return cls(
            number=number,
            title=item.title,
            owner_id=item.owner_id,
            owner=owners.get(item.owner_id),
            team=item.team,
            due_at=item.due_at,
            done_at=item.done_at,
            reminders_sent=item.reminders_sent,
            tracker_url=item.tracker_url,
            tracker_requested_at=item.tracker_requested_at,
        )


class RetrospectiveOut(BaseModel):
    id: int
    version: int
    escalation_id: int
    title: str
    status: str
    opened_at: datetime
    due_at: datetime
    completed_at: datetime | None
    root_cause: str | None
    summary: str
    internal_notes: str | None = Field(description="Only for readers of internal text.")
    missed_opportunities: list[str]
    timeline: list[TimelineLineOut]
    follow_ups: list[FollowUpOut]

    @classmethod
    def of(cls, view: RetrospectiveView) -> RetrospectiveOut:
        r = view.retro
        assert r.id is not None
        return cls(
            id=r.id,
            version=r.version,
            escalation_id=r.escalation_id,
            title=view.title,
            status=r.status.value,
            opened_at=r.opened_at,
            due_at=r.due_at,
            completed_at=r.completed_at,
            root_cause=r.root_cause.value if r.root_cause else None,
            summary=r.summary,
            internal_notes=r.internal_notes if view.internal else None,
            missed_opportunities=list(r.missed_opportunities),
            timeline=[TimelineLineOut(**line.__dict__) for line in view.timeline],
            follow_ups=[
                FollowUpOut.of(n, f, view.owners) for n, f in enumerate(r.follow_ups, start=1)
            ],
        )


class RetrospectiveItem(BaseModel):
    id: int
    escalation_id: int
    title: str
    status: str
    due_at: datetime
    root_cause: str | None
    follow_ups_open: int


class RetrospectiveList(BaseModel):
    items: list[RetrospectiveItem]


class ShareOut(BaseModel):
    on_time: int
    due: int
    share: float | None

    @classmethod
    def of(cls, share: Share) -> ShareOut:
        return cls(on_time=share.on_time, due=share.due, share=share.share)


class SharesOut(BaseModel):
    by_team: dict[str, ShareOut]
    by_root_cause: dict[str, ShareOut]

    @classmethod
    def of(cls, shares: Shares) -> SharesOut:
        return cls(
            by_team={k: ShareOut.of(v) for k, v in shares.by_team.items()},
            by_root_cause={k: ShareOut.of(v) for k, v in shares.by_root_cause.items()},
        )


# ---------------------------------------------------------------------- fixes
class FixIn(ApiModel):
    title: SafeStr
    kind: SafeStr = Field(description="patch, pull_request or workaround")
    content: SafeStr | None = Field(None, description="The patch text or the workaround.")
    url: SafeStr | None = Field(None, description="The pull or merge request.")
    escalation_id: Id | None = None
    recurring_issue_id: Id | None = None
    request_id: Id | None = None


class ReviewIn(ApiModel):
    decision: SafeStr = Field(description="accept, ask_for_changes or reject")
    reason: SafeStr | None = None
    version: Version = None


class ReviseIn(ApiModel):
    content: SafeStr | None = None
    url: SafeStr | None = None
    version: Version = None


class FixOut(BaseModel):
    id: int
    version: int
    title: str
    kind: str
    content: str
    url: str | None
    author_id: int | None
    escalation_id: int | None
    recurring_issue_id: int | None
    request_id: int | None = None
    status: str
    review_note: str | None
    reviewed_at: datetime | None
    release_id: int | None
    submitted_at: datetime
    reported_at: datetime | None
    shipped_at: datetime | None
    lead_time_days: float | None

    @classmethod
    def of(cls, fix: Fix) -> FixOut:
        assert fix.id is not None
        lead = fix.lead_time
        return cls(
            id=fix.id,
            version=fix.version,
            title=fix.title,
            kind=fix.kind.value,
            content=fix.content,
            url=fix.url,
            author_id=fix.author_id,
            escalation_id=fix.escalation_id,
            recurring_issue_id=fix.recurring_issue_id,
            request_id=fix.request_id,
            status=fix.status.value,
            review_note=fix.review_note,
            reviewed_at=fix.reviewed_at,
            release_id=fix.release_id,
            submitted_at=fix.submitted_at,
            reported_at=fix.reported_at,
            shipped_at=fix.shipped_at,
            lead_time_days=lead.total_seconds() / 86_400 if lead is not None else None,
        )


class FixList(BaseModel):
    items: list[FixOut]


class LeadTimeOut(BaseModel):
    shipped: int
    median_days: float | None
    longest_days: float | None
    fixes: list[FixOut]

    @classmethod
    def of(cls, view: LeadTimeView) -> LeadTimeOut:
        s = view.summary
        return cls(
            shipped=s.shipped,
            median_days=s.median_days,
            longest_days=s.longest_days,
            fixes=[FixOut.of(f) for f in view.shipped],
        )


# ---------------------------------------------------------------------- releases
class ReleaseIn(ApiModel):
    version: SafeStr = Field(description="The release's version, e.g. 4.2.1")
    planned_on: date


class ReleaseFixIn(ApiModel):
    fix_id: Id
    revision: Version = None


class RankIn(ApiModel):
    fix_id: Id
    position: Annotated[int, Field(ge=1, le=10_000, description="1 ships first.")]
    revision: Version = None


class RevisionIn(ApiModel):
    revision: Version = None


class ReleaseOut(BaseModel):
    id: int
    revision: int
    version: str
    planned_on: date
    status: str
    shipped_at: datetime | None
    fix_ids: list[int]
    notes: str | None = None
    fixes: list[FixOut] | None = None

    @classmethod
    def of(cls, release: Release) -> ReleaseOut:
        assert release.id is not None
        return cls(
            id=release.id,
            revision=release.revision,
            version=release.version,
            planned_on=release.planned_on,
            status=release.status.value,
            shipped_at=release.shipped_at,
            fix_ids=list(release.fix_ids),
        )

    @classmethod
    def of_view(cls, view: ReleaseView) -> ReleaseOut:
        out = cls.of(view.release)
        out.notes = view.notes
        out.fixes = [FixOut.of(f) for f in view.fixes]
        return out


class ReleaseList(BaseModel):
    items: list[ReleaseOut]
