"""Shapes of recurring issues, their changes and the weekly issues review (R-REC-*, R-RCA-3)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

from escdesk.api.schemas.common import ApiModel, Moment, SafeStr
from escdesk.api.schemas.tickets import LinkedEscalationOut, TicketOut
from escdesk.domain.limits import MAX_ID
from escdesk.domain.recurring_issue import Prevention, RecurringIssue
from escdesk.domain.review import ReviewAgenda
from escdesk.services.ticket_views import ClusterReport, IssueDetail, RankedIssue


class RankOut(BaseModel):
    """score = volume × reach × revenue × growth (see the README's ranking section)."""

    score: float
    volume: float
    reach: float
    revenue: float
    growth: float


class IssueOut(BaseModel):
    id: int
    version: int
    label: str
    status: str
    named: bool
    tickets: int
    accounts: int
    arr: int = Field(description="ARR of the escdesk accounts whose names the tickets carry.")
    first_seen: datetime | None
    last_seen: datetime | None
    weekly: list[int] = Field(description="Tickets per week, oldest first, the last 8 weeks.")
    trend: float = Field(description="Least-squares slope of `weekly`, tickets per week.")
    rank: RankOut
    escalations: list[int]
    fix: str | None
    release: str | None
    fixed_at: datetime | None
    merged_into: int | None

    @classmethod
    def of(cls, ranked: RankedIssue) -> IssueOut:
        issue, f, r = ranked.issue, ranked.figures, ranked.rank
        return cls(
            **_issue_fields(issue),
            tickets=f.tickets,
            accounts=f.accounts,
            arr=f.arr,
            first_seen=f.first_seen,
            last_seen=f.last_seen,
            weekly=f.weekly,
            trend=ranked.trend,
            rank=RankOut(
                score=r.score, volume=r.volume, reach=r.reach, revenue=r.revenue, growth=r.growth
            ),
        )


def _issue_fields(issue: RecurringIssue) -> dict[str, Any]:
    assert issue.id is not None
    return {
        "id": issue.id,
        "version": issue.version,
        "label": issue.label,
        "status": issue.status.value,
        "named": issue.named,
        "escalations": sorted(issue.escalation_ids),
        "fix": issue.fix_reference,
        "release": issue.release,
        "fixed_at": issue.fixed_at,
        "merged_into": issue.merged_into,
    }


class IssueState(BaseModel):
    """An issue after a change (figures are on GET)."""

    id: int
    version: int
    label: str
    status: str
    named: bool
    escalations: list[int]
    fix: str | None
    release: str | None
    fixed_at: datetime | None
    merged_into: int | None

    @classmethod
    def of(cls, issue: RecurringIssue) -> IssueState:
        return cls.model_validate(_issue_fields(issue))


class IssueList(BaseModel):
    items: list[IssueOut]


class AccountOut(BaseModel):
    name: str
    tickets: int
    account_id: int | None
    arr: int | None


class PreventionOut(BaseModel):
    """R-RCA-3: tickets of the cause after its fix."""

    tickets_after_fix: int
    per_week_before_fix: float
    per_week_after_fix: float
    weeks_since_fix: float
    stopped: bool

    @classmethod
    def of(cls, figure: Prevention | None) -> PreventionOut | None:
        if figure is None:
            return None
        return cls(
            tickets_after_fix=figure.after_fix,
            per_week_before_fix=figure.before_fix_per_week,
            per_week_after_fix=figure.after_fix_per_week,
            weeks_since_fix=figure.weeks_since_fix,
            stopped=figure.stopped,
        )


class IssueDetailOut(IssueOut):
    recent_tickets: list[TicketOut]
    affected_accounts: list[AccountOut]
    linked_escalations: list[LinkedEscalationOut]
    prevention: PreventionOut | None

    @classmethod
    def of_detail(cls, detail: IssueDetail) -> IssueDetailOut:
        return cls(
            **IssueOut.of(detail.ranked).model_dump(),
            recent_tickets=[TicketOut.of(t) for t in detail.tickets],
            affected_accounts=[
                AccountOut(name=a.name, tickets=a.tickets, account_id=a.account_id, arr=a.arr)
                for a in detail.accounts
            ],
            linked_escalations=[LinkedEscalationOut.of(e) for e in detail.escalations],
            prevention=PreventionOut.of(detail.prevention),
        )


class ClusterOut(BaseModel):
    clustered: int
    joined_issues: int
    new_issues: int
    relabelled: int
    seconds: float

    @classmethod
    def of(cls, report: ClusterReport) -> ClusterOut:
        return cls(
            clustered=report.clustered,
            joined_issues=report.joined_issues,
            new_issues=report.new_issues,
            relabelled=report.relabelled,
            seconds=report.seconds,
        )


class RebuildIn(ApiModel):
    full: bool = Field(
        default=False, description="Cluster again from scratch, keeping issues people touched."
    )


class VersionIn(ApiModel):
    version: int | None = Field(default=None, ge=0, description="A mismatch is a 409.")


class RenameIn(VersionIn):
    label: str = Field(min_length=1, max_length=200)


class MergeIn(ApiModel):
    into: int = Field(ge=1, le=MAX_ID, description="The issue to keep.")


class SplitIn(ApiModel):
    tickets: list[SafeStr] = Field(min_length=1, max_length=10_000)
    label: str = Field(min_length=1, max_length=200)


class LinkIn(ApiModel):
    escalation: int = Field(ge=1, le=MAX_ID)


class FixIn(ApiModel):
    reference: str = Field(min_length=1, max_length=500, description="PR, patch or workaround.")
    release: str | None = Field(default=None, max_length=200)
    fixed_at: Moment | None = Field(default=None, description="When it shipped; default now.")


class AgendaItemOut(BaseModel):
    section: str
    ref: str
    title: str
    detail: str
    minutes: int
    starts_at_minute: int


class CarriedOut(BaseModel):
    section: str
    ref: str
    title: str


class LeftOutOut(BaseModel):
    ref: str
    title: str
    why: str


class ReviewOut(BaseModel):
    """R-REC-4: the weekly issues review; `total_minutes` never exceeds the cap."""

    total_minutes: int
    items: list[AgendaItemOut]
    carried_over: list[CarriedOut]
    left_out: list[LeftOutOut] = Field(
        description="Ranked recurring issues not on the agenda, and why (no recent tickets)."
    )

    @classmethod
    def of(cls, agenda: ReviewAgenda) -> ReviewOut:
        return cls(
            total_minutes=agenda.total_minutes,
            items=[
                AgendaItemOut(
                    section=i.section.value,
                    ref=i.ref,
                    title=i.title,
                    detail=i.detail,
                    minutes=i.minutes,
                    starts_at_minute=i.starts_at_minute,
                )
                for i in agenda.items
            ],
            carried_over=[
                CarriedOut(section=s.value, ref=t.ref, title=t.title)
                for s, t in agenda.carried_over
            ],
            left_out=[LeftOutOut(ref=t.ref, title=t.title, why=t.detail) for t in agenda.left_out],
        )
