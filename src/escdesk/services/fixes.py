"""Support-written fix use cases (R-FIX-1, R-FIX-3): attach, review, revise, measure.

The review queue is the submitted fixes, oldest first; reviewing is Engineering's right
(review_fix) and the author is told the decision through the outbox.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from escdesk.domain.access import Actor, Permission
from escdesk.domain.accounts import parse_choice
from escdesk.domain.fixes import Decision, Fix, FixKind, FixStatus, LeadTimes, lead_times
from escdesk.services import subjects
from escdesk.services.listing import Order, Page, check_order, check_window
from escdesk.services.ports import UnitOfWork
from escdesk.services.runner import Context

P = Permission


@dataclass(frozen=True)
class SubmitFix:
    title: str
    kind: FixKind
    content: str | None = None
    url: str | None = None
    escalation_id: int | None = None
    recurring_issue_id: int | None = None
    request_id: int | None = None

    @classmethod
    def parse(cls, *, kind: str, **values: Any) -> SubmitFix:
        return cls(kind=parse_choice(FixKind, kind, "kind"), **values)


@dataclass(frozen=True)
class ReviewFix:
    fix_id: int
    decision: Decision
    reason: str | None = None
    version: int | None = None

    @classmethod
    def parse(cls, *, decision: str, **values: Any) -> ReviewFix:
        return cls(decision=parse_choice(Decision, decision, "decision"), **values)


@dataclass(frozen=True)
class ReviseFix:
    fix_id: int
    content: str | None = None
    url: str | None = None
    version: int | None = None


@dataclass(frozen=True)
class ListFixes:
    status: FixStatus | None = None
    escalation_id: int | None = None
    recurring_issue_id: int | None = None
    request_id: int | None = None

    @classmethod
    def parse(cls, *, status: str | None = None, **values: Any) -> ListFixes:
        return cls(status=parse_choice(FixStatus, status, "status") if status else None, **values)


FIX_ORDERS = ("id", "title", "status", "release")
"""What the list of reviewed fixes sorts by; without an order, the latest first."""


@dataclass(frozen=True)
class ReviewedFixes:
    """Every fix past its review (accepted, rejected, changes asked, shipped), a page at a time."""

    order: Order | None = None
    limit: int = 50
    offset: int = 0


@dataclass(frozen=True)
class ShowFix:
    fix_id: int


@dataclass(frozen=True)
class LeadTimeReport:
    """R-FIX-3: time from the first report to the fix in production, over shipped fixes."""


@dataclass(frozen=True)
class LeadTimeView:
    summary: LeadTimes
    shipped: list[Fix]


def submit_fix(uow: UnitOfWork, cmd: SubmitFix, actor: Actor, ctx: Context) -> Fix:
    actor.require(P.SUBMIT_FIX)
    fix = Fix.submit(
        title=cmd.title,
        kind=cmd.kind,
        content=cmd.content,
        url=cmd.url,
        escalation_id=cmd.escalation_id,
        recurring_issue_id=cmd.recurring_issue_id,
        request_id=cmd.request_id,
        by_id=actor.person_id,
        now=ctx.now,
    )
    for subject_type, subject_id in fix.subjects:
        subjects.require_exists(uow, subject_type, subject_id)
    uow.fixes.add(fix)
    return fix


def review_fix(uow: UnitOfWork, cmd: ReviewFix, actor: Actor, ctx: Context) -> Fix:
    """Accept, ask for changes or reject with a reason; the author hears by e-mail."""
    actor.require(P.REVIEW_FIX)
    fix = uow.fixes.get(cmd.fix_id, cmd.version)
    author = uow.people.get(fix.author_id).email if fix.author_id is not None else None
    fix.review(
        cmd.decision, reason=cmd.reason, author_address=author, by_id=actor.person_id, now=ctx.now
    )
    return fix


def revise_fix(uow: UnitOfWork, cmd: ReviseFix, actor: Actor, ctx: Context) -> Fix:
    actor.require(P.SUBMIT_FIX)
    fix = uow.fixes.get(cmd.fix_id, cmd.version)
    fix.revise(content=cmd.content, url=cmd.url, by_id=actor.person_id, now=ctx.now)
    return fix


def list_fixes(uow: UnitOfWork, query: ListFixes, actor: Actor, ctx: Context) -> list[Fix]:
    actor.require(P.READ)
    return uow.fixes.listing(
        status=query.status,
        escalation_id=query.escalation_id,
        recurring_issue_id=query.recurring_issue_id,
        request_id=query.request_id,
    )


def review_queue(uow: UnitOfWork, query: ListFixes, actor: Actor, ctx: Context) -> list[Fix]:
    """Engineering's queue: every fix waiting for a review, oldest first."""
    return list_fixes(uow, ListFixes(status=FixStatus.SUBMITTED), actor, ctx)


def reviewed_fixes(uow: UnitOfWork, query: ReviewedFixes, actor: Actor, ctx: Context) -> Page[Fix]:
    actor.require(P.READ)
    check_window(query.limit, query.offset)
    check_order(query.order, FIX_ORDERS)
    found, total = uow.fixes.reviewed(query.order, query.limit, query.offset)
    return Page(found, total, query.limit, query.offset)


def show_fix(uow: UnitOfWork, query: ShowFix, actor: Actor, ctx: Context) -> Fix:
    actor.require(P.READ)
    return uow.fixes.get(query.fix_id)


def lead_time_report(
    uow: UnitOfWork, query: LeadTimeReport, actor: Actor, ctx: Context
) -> LeadTimeView:
    actor.require(P.READ)
    shipped = uow.fixes.listing(status=FixStatus.SHIPPED)
    return LeadTimeView(lead_times(shipped), shipped)
