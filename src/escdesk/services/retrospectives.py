"""Retrospective use cases (R-RCA-1, R-RCA-2): opened with the escalation's move to monitoring
or its closing, written by the team, exported for sharing, its follow-ups tracked to done.

Who may see internal text is decided here from the actor (R-OPS-2): the timeline and the
Markdown export leave out internal updates and internal notes for a reader without
read_internal, whichever face asks.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from escdesk.domain.access import Actor, Permission
from escdesk.domain.accounts import parse_choice
from escdesk.domain.engineering_links import EngineeringLink
from escdesk.domain.errors import NotFound
from escdesk.domain.escalation import Escalation
from escdesk.domain.retrospective import (
    Retrospective,
    RootCause,
    Share,
    needs_retrospective,
    on_time_shares,
)
from escdesk.domain.timeline import TimelineLine, TrailEntry, build_timeline, to_markdown
from escdesk.domain.tracker_issues import IssueTarget
from escdesk.services.listing import Order, Page, check_order, check_window
from escdesk.services.ports import UnitOfWork
from escdesk.services.runner import Context

P = Permission


# ---------------------------------------------------------------------- commands
@dataclass(frozen=True)
class RetroRef:
    """A retrospective named by its id, or by its escalation's id (`by_escalation`)."""

    retro_id: int
    by_escalation: bool = False


@dataclass(frozen=True)
class ShowRetrospective:
    ref: RetroRef


@dataclass(frozen=True)
class ListRetrospectives:
    include_completed: bool = False
    order: Order | None = None
    """One of RETRO_ORDERS; without one, the soonest due first."""
    limit: int = 10_000
    offset: int = 0


RETRO_ORDERS = ("escalation", "status", "due", "root_cause")


@dataclass(frozen=True)
class AnnotateTimeline:
    ref: RetroRef
    event_id: int
    note: str
    version: int | None = None


@dataclass(frozen=True)
class AddMissedOpportunity:
    ref: RetroRef
    text: str
    version: int | None = None


@dataclass(frozen=True)
class DescribeRetrospective:
    ref: RetroRef
    root_cause: RootCause | None = None
    summary: str | None = None
    internal_notes: str | None = None
    version: int | None = None

    @classmethod
    def parse(cls, *, root_cause: str | None = None, **values: Any) -> DescribeRetrospective:
        cause = parse_choice(RootCause, root_cause, "root_cause") if root_cause else None
        return cls(root_cause=cause, **values)


@dataclass(frozen=True)
class AddFollowUp:
    ref: RetroRef
    title: str
    owner: str
    due_at: datetime
    team: str | None = None
    version: int | None = None
    tracker_url: str | None = None


@dataclass(frozen=True)
class MarkFollowUp:
    ref: RetroRef
    number: int
    done: bool = True
    version: int | None = None


@dataclass(frozen=True)
class CreateTrackerIssue:
    """R-RCA-2: mirror follow-up `number` in a new issue of `target` (the worker creates it)."""

    ref: RetroRef
    number: int
    target: IssueTarget
    version: int | None = None


@dataclass(frozen=True)
class RecordTrackerIssue:
    """The worker created the issue of follow-up `number` at `url`."""

    retro_id: int
    number: int
    url: str


@dataclass(frozen=True)
class CompleteRetrospective:
    ref: RetroRef
    version: int | None = None


@dataclass(frozen=True)
class FollowUpShares:
    """R-RCA-2: the share of follow-ups done on time, per team and per root-cause category."""


# ---------------------------------------------------------------------- views
@dataclass(frozen=True)
class RetrospectiveView:
    retro: Retrospective
    title: str
    timeline: list[TimelineLine]
    owners: dict[int, str]
    internal: bool
    markdown: str
    links: list[EngineeringLink] = field(default_factory=list)


@dataclass(frozen=True)
class Shares:
    by_team: dict[str, Share]
    by_root_cause: dict[str, Share]


# ---------------------------------------------------------------------- opening
def open_if_engineering(
    uow: UnitOfWork, esc: Escalation, *, trigger: str, actor: Actor, ctx: Context
) -> Retrospective | None:
    """R-RCA-1: called by the move to monitoring and the closing, inside their unit of work."""
    assert esc.id is not None
    links = uow.links.count("escalation", esc.id)
    if not needs_retrospective(product_related=esc.product_related, engineering_links=links):
        return None
    found = uow.retrospectives.for_escalation(esc.id)
    if found is not None:
        return found
    dri = uow.people.get(esc.dri_id).email
    retro = Retrospective.open(
        esc.id, trigger=trigger, by_id=actor.person_id, now=ctx.now, dri_address=dri
    )
    uow.retrospectives.add(retro)
    return retro


def completed_for(uow: UnitOfWork, escalation_id: int) -> bool:
    """What the closing guard needs to know: is this escalation's retrospective completed?"""
    retro = uow.retrospectives.for_escalation(escalation_id)
    return retro is not None and retro.completed


# ---------------------------------------------------------------------- handlers
def _get(uow: UnitOfWork, ref: RetroRef, version: int | None = None) -> Retrospective:
    if ref.by_escalation:
        uow.escalations.get(ref.retro_id)  # a clear NotFound for a wrong escalation
        retro = uow.retrospectives.for_escalation(ref.retro_id)
        if retro is None:
            raise NotFound("retrospective of escalation", ref.retro_id)
        return uow.retrospectives.get(retro.id or 0, version)
    return uow.retrospectives.get(ref.retro_id, version)


def show_retrospective(
    uow: UnitOfWork, query: ShowRetrospective, actor: Actor, ctx: Context
) -> RetrospectiveView:
    actor.require(P.READ)
    retro = _get(uow, query.ref)
    esc = uow.escalations.get(retro.escalation_id)
    internal = actor.can(P.READ_INTERNAL, esc.owners_with_powers)
    trail = [
        TrailEntry(h.id, h.type, h.at, h.actor_name, h.data)
        for h in uow.escalations.history(retro.escalation_id, 10_000, 0)
    ]
    timeline = build_timeline(trail, retro.annotations, internal=internal)
    people = uow.people.get_many({f.owner_id for f in retro.follow_ups})
    owners = {i: p.name for i, p in people.items()}
    markdown = to_markdown(
        retro, title=esc.summary, timeline=timeline, owners=owners, internal=internal, now=ctx.now
    )
    links = uow.links.of("escalation", retro.escalation_id)
    return RetrospectiveView(retro, esc.summary, timeline, owners, internal, markdown, links)


def list_retrospectives(
    uow: UnitOfWork, query: ListRetrospectives, actor: Actor, ctx: Context
) -> list[tuple[Retrospective, str]]:
    return retrospectives_page(uow, query, actor, ctx).items


def retrospectives_page(
    uow: UnitOfWork, query: ListRetrospectives, actor: Actor, ctx: Context
) -> Page[tuple[Retrospective, str]]:
    """One page of retrospectives with their escalation's summary, sorted by the database."""
    actor.require(P.READ)
    check_window(query.limit, query.offset, most=10_000)
    check_order(query.order, RETRO_ORDERS)
    found, total = uow.retrospectives.listing(
        include_completed=query.include_completed,
        order=query.order,
        limit=query.limit,
        offset=query.offset,
    )
    return Page(found, total, query.limit, query.offset)


def annotate_timeline(
    uow: UnitOfWork, cmd: AnnotateTimeline, actor: Actor, ctx: Context
) -> Retrospective:
    actor.require(P.WRITE_RETROSPECTIVE)
    retro = _get(uow, cmd.ref, cmd.version)
    trail = {h.id for h in uow.escalations.history(retro.escalation_id, 10_000, 0)}
    retro.annotate(cmd.event_id, cmd.note, trail=trail, by_id=actor.person_id, now=ctx.now)
    return retro


def add_missed_opportunity(
    uow: UnitOfWork, cmd: AddMissedOpportunity, actor: Actor, ctx: Context
) -> Retrospective:
    actor.require(P.WRITE_RETROSPECTIVE)
    retro = _get(uow, cmd.ref, cmd.version)
    retro.add_missed_opportunity(cmd.text, by_id=actor.person_id, now=ctx.now)
    return retro


def describe_retrospective(
    uow: UnitOfWork, cmd: DescribeRetrospective, actor: Actor, ctx: Context
) -> Retrospective:
    actor.require(P.WRITE_RETROSPECTIVE)
    if cmd.internal_notes is not None:
        actor.require(P.READ_INTERNAL)
    retro = _get(uow, cmd.ref, cmd.version)
    retro.describe(
        root_cause=cmd.root_cause,
        summary=cmd.summary,
        internal_notes=cmd.internal_notes,
        by_id=actor.person_id,
        now=ctx.now,
    )
    return retro


def add_follow_up(uow: UnitOfWork, cmd: AddFollowUp, actor: Actor, ctx: Context) -> Retrospective:
    """R-RCA-2: the owner is a person escdesk knows; the team defaults to the owner's role."""
    actor.require(P.WRITE_RETROSPECTIVE)
    retro = _get(uow, cmd.ref, cmd.version)
    owner = uow.people.find(cmd.owner, "owner")
    assert owner.id is not None
    team = cmd.team or (min(owner.roles) if owner.roles else "unassigned")
    retro.add_follow_up(
        cmd.title,
        owner_id=owner.id,
        team=team,
        due_at=cmd.due_at,
        by_id=actor.person_id,
        now=ctx.now,
        tracker_url=cmd.tracker_url,
    )
    return retro


def mark_follow_up(uow: UnitOfWork, cmd: MarkFollowUp, actor: Actor, ctx: Context) -> Retrospective:
    retro = _get(uow, cmd.ref, cmd.version)
    owners = [f.owner_id for f in retro.follow_ups]
    mine = 1 <= cmd.number <= len(owners) and owners[cmd.number - 1] == actor.person_id
    if not mine:  # the owner ticks their own action; others need the retrospective's rights
        actor.require(P.WRITE_RETROSPECTIVE)
    retro.mark_follow_up(cmd.number, cmd.done, by_id=actor.person_id, now=ctx.now)
    return retro


def create_tracker_issue(
    uow: UnitOfWork, cmd: CreateTrackerIssue, actor: Actor, ctx: Context
) -> Retrospective:
    """Queue the creation (an outbox message of this change); nothing is sent here."""
    actor.require(P.WRITE_RETROSPECTIVE)
    retro = _get(uow, cmd.ref, cmd.version)
    owner = uow.people.get(retro.follow_up(cmd.number).owner_id).name
    retro.ask_tracker_issue(cmd.number, cmd.target, owner=owner, by_id=actor.person_id, now=ctx.now)
    return retro


def record_tracker_issue(
    uow: UnitOfWork, cmd: RecordTrackerIssue, actor: Actor, ctx: Context
) -> Retrospective:
    """The worker's half: the created issue becomes the follow-up's engineering link, which
    the tracker sync reads (`links.sync_follow_ups`); recording it twice changes nothing."""
    actor.require(P.WRITE_RETROSPECTIVE)
    retro = uow.retrospectives.get(cmd.retro_id)
    retro.record_tracker_issue(cmd.number, cmd.url, now=ctx.now)
    return retro


def complete_retrospective(
    uow: UnitOfWork, cmd: CompleteRetrospective, actor: Actor, ctx: Context
) -> Retrospective:
    actor.require(P.WRITE_RETROSPECTIVE)
    retro = _get(uow, cmd.ref, cmd.version)
    retro.complete(by_id=actor.person_id, now=ctx.now)
    return retro


def follow_up_shares(uow: UnitOfWork, query: FollowUpShares, actor: Actor, ctx: Context) -> Shares:
    actor.require(P.READ)
    rows = uow.retrospectives.all_follow_ups()
    by_team = on_time_shares([(f.team, f) for _, f in rows], ctx.now)
    by_cause = on_time_shares([(cause or "not named yet", f) for cause, f in rows], ctx.now)
    return Shares(by_team, by_cause)
