"""Triage use cases (R-TRI-1…4): decide a request, build the meeting's agenda, record a meeting.

A decision to escalate runs the open-escalation handler *inside this unit of work*, so the
escalation, the request's decision and the requester's notice are committed together or not at
all: a failure anywhere leaves neither an orphan escalation nor a decision nobody was told of.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from escdesk.domain import clock
from escdesk.domain.access import Actor, Permission
from escdesk.domain.accounts import Account
from escdesk.domain.dri import Route, dri_requirement
from escdesk.domain.errors import InvalidInput, Need, RuleRefused
from escdesk.domain.people import Person, Role
from escdesk.domain.request import Decision, EscalationRequest, RequestStatus, need
from escdesk.domain.request_notice import notice
from escdesk.domain.triage_meeting import Agenda, EscalationProgress, build_agenda
from escdesk.services import escalations
from escdesk.services.escalation_commands import OpenEscalation
from escdesk.services.ports import UnitOfWork
from escdesk.services.request_commands import (
    DecideRequest,
    RecordMeeting,
    ShowMeeting,
    TriageAgenda,
)
from escdesk.services.request_ports import MeetingRecord
from escdesk.services.requests import views_of
from escdesk.services.runner import Context, Handler
from escdesk.services.views import EscalationFilter

P = Permission
AGENDA_LIMIT = 10_000  # pending requests on one agenda: far beyond any meeting's patience


def decide_request(
    uow: UnitOfWork, cmd: DecideRequest, actor: Actor, ctx: Context
) -> EscalationRequest:
    """R-TRI-3/4: record the decision with its rationale, create what it calls for, and queue
    the requester's notice — one transaction."""
    actor.require(P.DECIDE_REQUEST)
    request = uow.requests.get(cmd.request_id, cmd.version)
    rationale = request.check_decidable(cmd.rationale)
    account = uow.accounts.get(request.account_id)
    decision = Decision(cmd.outcome, rationale, actor.person_id, ctx.now, meeting_id=cmd.meeting_id)
    eta: datetime | None = None
    education_due: datetime | None = None
    if cmd.outcome is RequestStatus.ESCALATED:
        esc = escalations.open_escalation(uow, _opening(uow, request, account, cmd), actor, ctx)
        uow.escalations.save_seen()  # its number, for the decision and the notice
        decision.escalation_id, eta = esc.id, esc.eta
    elif cmd.outcome is RequestStatus.SCHEDULED:
        release = (cmd.release or "").strip()
        if not release:
            raise InvalidInput("release", "must name the release", "Give e.g. 2027.1")
        if len(release) > 100:
            raise InvalidInput("release", "is longer than 100 characters", "Shorten it")
        decision.release = release
    elif cmd.outcome is RequestStatus.EDUCATION:
        decision.education_id, education_due = _education_item(uow, request, cmd, ctx)
    requester = uow.people.get(request.requester_id) if request.requester_id else None
    message = (
        notice(
            request,
            decision,
            requester_email=requester.email,
            customer=account.name,
            next_meeting=cmd.triage.schedule.next_meeting(ctx.now),
            eta=eta,
            education_due=education_due,
        )
        if requester is not None
        else None
    )
    request.decide(decision, message)
    return request


def _opening(
    uow: UnitOfWork, request: EscalationRequest, account: Account, cmd: DecideRequest
) -> OpenEscalation:
    """The escalation the request becomes: severity, ask and skills carried over, the DRI by
    rule (the requesting support engineer where the rule asks for Support), the tickets along."""
    requester = uow.people.get(request.requester_id) if request.requester_id else None
    roles = requester.roles if requester else frozenset()
    route = (
        Route.SALES
        if Role.SALES in roles and Role.SUPPORT not in roles
        else Route.CSM
        if Role.CSM in roles and Role.SUPPORT not in roles
        else Route.SUPPORT
    )
    severity = cmd.severity or request.proposed_severity
    dri = cmd.dri
    if dri is None and requester is not None:
        rule = dri_requirement(severity, route, account)
        if rule.person_id is None and requester.has(rule.role):
            dri = requester.email
    tickets = ", ".join(t.url or t.label for t in request.tickets)
    ask = cmd.initial_ask or (
        f"{request.problem}\n\nWorkarounds tried: {request.workarounds}"
        + (f"\n\nTickets: {tickets}" if tickets else "")
    )
    skills = cmd.skills or tuple(request.skills)
    if not skills:
        raise RuleRefused(
            "R-ESC-5",
            "the escalation needs the skills the work requires",
            [Need("at least one required skill: the request names none", ("skills",))],
        )
    return OpenEscalation(
        account=str(account.id),
        kind=request.kind,
        severity=severity,
        route=route,
        summary=request.summary,
        initial_ask=ask,
        required_skills=skills,
        dri=dri,
        eta=cmd.eta,
        # The meeting decided to escalate with the customer's open escalations on its agenda
        # (a request that adds to one is recorded as its duplicate instead): a second is meant.
        also=True,
    )


def _education_item(
    uow: UnitOfWork, request: EscalationRequest, cmd: DecideRequest, ctx: Context
) -> tuple[int, datetime]:
    """Seed 001: an education problem is a training or documentation gap, owned and dated."""
    missing = [
        name
        for name, value in (("gap", cmd.gap), ("owner", cmd.owner), ("due", cmd.due))
        if not (value.strip() if isinstance(value, str) else value)
    ]
    if missing:
        raise RuleRefused(
            "R-TRI-3",
            "an education item names the gap, its owner and a due date",
            [need(name) for name in missing],
        )
    assert cmd.gap and cmd.owner and cmd.due and request.id is not None
    if cmd.due <= ctx.now:
        raise InvalidInput("due", "is in the past", "Give a future date")
    owner = uow.people.find(cmd.owner, "owner")
    assert owner.id is not None
    gap = cmd.gap.strip()
    if len(gap) > 2000:
        raise InvalidInput("gap", "is longer than 2000 characters", "Shorten it")
    return uow.requests.add_education_item(request.id, gap, owner.id, cmd.due, ctx.now), cmd.due


def triage_agenda(uow: UnitOfWork, query: TriageAgenda, actor: Actor, ctx: Context) -> Agenda:
    """R-TRI-1: the next meeting's agenda, from one query per kind of row."""
    actor.require(P.READ)
    pending = uow.requests.listing(statuses=(RequestStatus.PENDING,), limit=AGENDA_LIMIT)
    views = views_of(uow, pending, query.triage.weights)
    open_items = uow.escalations.page(EscalationFilter(limit=1000)).items
    progress = uow.requests.exit_progress([i.id for i in open_items])
    reviewed = []
    for item in open_items:
        due = clock.DueSummary(
            item.next_internal_update_due, item.next_customer_update_due, ctx.now
        )
        done, total = progress.get(item.id, (0, 0))
        reviewed.append(
            EscalationProgress(
                id=item.id,
                customer=item.customer,
                summary=item.summary,
                severity=item.severity,
                status=item.status,
                dri_name=item.dri_name,
                eta=item.eta,
                eta_slips=item.eta_slips,
                criteria_done=done,
                criteria_total=total,
                overdue_updates=tuple(a.value for a in due.overdue_audiences),
                days_open=clock.days_open(item.opened_at, ctx.now),
                eta_missed=clock.eta_missed(item.eta, ctx.now),
            )
        )
    return build_agenda(
        ctx.now,
        query.triage.schedule,
        [(v.request, v.customer, v.requester, v.score) for v in views],
        reviewed,
    )


def record_meeting(uow: UnitOfWork, cmd: RecordMeeting, actor: Actor, ctx: Context) -> int:
    """Meeting mode: the meeting as held now, with who attended; its decisions name it."""
    actor.require(P.DECIDE_REQUEST)
    if not cmd.attendees:
        raise InvalidInput("attendees", "nobody attended", "Name who is in the meeting")
    ids = sorted({p.id for p in (uow.people.find(a, "attendees") for a in cmd.attendees) if p.id})
    if len(cmd.notes) > 10_000:
        raise InvalidInput("notes", "are longer than 10000 characters", "Shorten them")
    return uow.requests.add_meeting(ctx.now, ids, cmd.notes.strip(), actor.person_id)


@dataclass(frozen=True)
class MeetingView:
    """Meeting mode: the meeting as recorded, who attended, and what it decided so far."""

    record: MeetingRecord
    attendees: tuple[Person, ...]
    decided: tuple[EscalationRequest, ...]


def show_meeting(uow: UnitOfWork, query: ShowMeeting, actor: Actor, ctx: Context) -> MeetingView:
    actor.require(P.READ)
    record = uow.requests.meeting(query.meeting_id)
    people = uow.people.get_many(set(record.attendee_ids))
    decided = uow.requests.listing_of(record.decided_request_ids)
    return MeetingView(
        record, tuple(people[i] for i in record.attendee_ids if i in people), tuple(decided)
    )


HANDLERS: dict[type, Handler[Any, Any]] = {
    DecideRequest: decide_request,
    RecordMeeting: record_meeting,
}
