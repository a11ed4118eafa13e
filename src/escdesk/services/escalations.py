"""Escalation use cases (R-ESC-*): open, update, re-prioritise, re-own, set ETA, close, reopen.

Each handler runs inside the unit of work it is given (`services.runner` opens and commits it),
checks the actor's permission, lets the domain decide, and returns the changed aggregate; the
store saves state, audit events and outbox messages together at the one commit.
"""

from __future__ import annotations

from typing import Any

from escdesk.domain import escalation_clocks, escalation_opening
from escdesk.domain.access import Actor, Permission
from escdesk.domain.accounts import Account
from escdesk.domain.clock import Audience
from escdesk.domain.dri import OwnerRole, Owners, Route, dri_requirement
from escdesk.domain.errors import AlreadyOpen, InvalidInput, Need, RuleRefused
from escdesk.domain.escalation import Escalation
from escdesk.domain.people import Person
from escdesk.domain.records import Status
from escdesk.domain.severity import Severity
from escdesk.services.escalation_commands import (
    AssignOwner,
    ChangeExitCriteria,
    ChangeSeverity,
    CloseEscalation,
    DueEscalations,
    EscalationHistory,
    ListEscalations,
    MoveToMonitoring,
    OpenEscalation,
    PostUpdate,
    ReopenEscalation,
    SetCustomerSummary,
    SetEta,
    ShowEscalation,
)
from escdesk.services.listing import check_order, check_window
from escdesk.services.ports import UnitOfWork
from escdesk.services.runner import Context, Handler
from escdesk.services.views import (
    ESCALATION_ORDERS,
    EscalationDetail,
    EscalationFilter,
    EscalationPage,
    HistoryEntry,
)

P = Permission


def open_escalation(uow: UnitOfWork, cmd: OpenEscalation, actor: Actor, ctx: Context) -> Escalation:
    from escdesk.services import calendars  # imported by the changes that use it, not by reads

    actor.require(P.OPEN_ESCALATION)
    acct = uow.accounts.find(cmd.account, "account")
    if not cmd.also:  # first: adding to the open one may spare the rest of the form
        _refuse_a_second_one(uow, acct)
    person = _person(uow, actor)
    owners = _resolve_owners(
        uow,
        cmd.severity,
        cmd.route,
        acct,
        current=None,
        actor=person,
        dri=cmd.dri,
        product_dri=cmd.product_dri,
        product_leader=cmd.product_leader,
    )
    esc = escalation_opening.open_escalation(
        account=acct,
        kind=cmd.kind,
        severity=cmd.severity,
        route=cmd.route,
        summary=cmd.summary,
        initial_ask=cmd.initial_ask,
        required_skills=list(cmd.required_skills),
        product_related=cmd.product_related,
        owners=owners,
        exit_criteria=list(cmd.exit_criteria),
        eta=cmd.eta,
        by_id=actor.person_id,
        now=ctx.now,
        policy=ctx.policy,
        calendar=calendars.book(uow).for_account(acct.id or 0),
    )
    uow.escalations.add(esc)
    return esc


def post_update(uow: UnitOfWork, cmd: PostUpdate, actor: Actor, ctx: Context) -> Escalation:
    """R-ESC-6; an internal update is internal text, so it needs read_internal (R-OPS-2)."""
    esc = uow.escalations.get(cmd.escalation_id, cmd.version)
    actor.require(P.POST_UPDATE, esc.owners_with_powers)
    if cmd.audience is not Audience.CUSTOMER:
        actor.require(P.READ_INTERNAL, esc.owners_with_powers)
    contacts = uow.contacts.of_account(esc.account_id) if cmd.audience is Audience.CUSTOMER else []
    esc.post_update(
        cmd.audience,
        cmd.body,
        by_id=actor.person_id,
        now=ctx.now,
        policy=ctx.policy,
        contacts=contacts,
    )
    return esc


def change_severity(uow: UnitOfWork, cmd: ChangeSeverity, actor: Actor, ctx: Context) -> Escalation:
    esc = uow.escalations.get(cmd.escalation_id, cmd.version)
    actor.require(P.CHANGE_SEVERITY, esc.owners_with_powers)
    acct = uow.accounts.get(esc.account_id)
    owners = _resolve_owners(
        uow,
        cmd.severity,
        esc.route,
        acct,
        current=_current_owners(uow, esc),
        actor=_person(uow, actor),
        dri=cmd.dri,
        product_dri=cmd.product_dri,
        product_leader=cmd.product_leader,
    )
    esc.change_severity(
        cmd.severity,
        owners=owners,
        account=acct,
        reason=cmd.reason,
        by_id=actor.person_id,
        now=ctx.now,
        policy=ctx.policy,
    )
    escalation_clocks.propose_cadence(esc, ctx.policy[esc.severity])
    return esc


def assign_owner(uow: UnitOfWork, cmd: AssignOwner, actor: Actor, ctx: Context) -> Escalation:
    """R-ESC-2/3: hand the DRI, product DRI or product leader role to another, with a reason."""
    actor.require(P.MANAGE_OWNERS)
    esc = uow.escalations.get(cmd.escalation_id, cmd.version)
    acct = uow.accounts.get(esc.account_id)
    current = _current_owners(uow, esc)
    new_person = uow.people.find(cmd.person, "person")
    owners = Owners(
        dri=new_person if cmd.role is OwnerRole.DRI else current.dri,
        product_dri=new_person if cmd.role is OwnerRole.PRODUCT_DRI else current.product_dri,
        product_leader=(
            new_person if cmd.role is OwnerRole.PRODUCT_LEADER else current.product_leader
        ),
    )
    esc.assign_owners(owners, account=acct, reason=cmd.reason, by_id=actor.person_id, now=ctx.now)
    return esc


def set_eta(uow: UnitOfWork, cmd: SetEta, actor: Actor, ctx: Context) -> Escalation:
    esc = uow.escalations.get(cmd.escalation_id, cmd.version)
    actor.require(P.SET_ETA, esc.owners_with_powers)
    esc.set_eta(cmd.eta, reason=cmd.reason, by_id=actor.person_id, now=ctx.now)
    return esc


def set_customer_summary(
    uow: UnitOfWork, cmd: SetCustomerSummary, actor: Actor, ctx: Context
) -> Escalation:
    """R-OPS-2: the words the customer reads, set by whoever runs the customer's page (the DRI,
    and the roles that publish status pages)."""
    esc = uow.escalations.get(cmd.escalation_id, cmd.version)
    actor.require(P.PUBLISH_STATUS_PAGE, esc.owners_with_powers)
    esc.set_customer_summary(cmd.text, by_id=actor.person_id, now=ctx.now)
    return esc


def change_exit_criteria(
    uow: UnitOfWork, cmd: ChangeExitCriteria, actor: Actor, ctx: Context
) -> Escalation:
    if not (cmd.add or cmd.done or cmd.undone):
        raise InvalidInput(
            "exit_criteria", "nothing to change", "Add a criterion, or tick or untick one"
        )
    esc = uow.escalations.get(cmd.escalation_id, cmd.version)
    actor.require(P.EDIT_EXIT_CRITERIA, esc.owners_with_powers)
    for text in cmd.add:
        esc.add_exit_criterion(text, by_id=actor.person_id, now=ctx.now)
    for number in cmd.done:
        esc.mark_exit_criterion(number, True, by_id=actor.person_id, now=ctx.now)
    for number in cmd.undone:
        esc.mark_exit_criterion(number, False, by_id=actor.person_id, now=ctx.now)
    return esc


def move_to_monitoring(
    uow: UnitOfWork, cmd: MoveToMonitoring, actor: Actor, ctx: Context
) -> Escalation:
    from escdesk.services import retrospectives

    esc = uow.escalations.get(cmd.escalation_id, cmd.version)
    actor.require(P.MONITOR, esc.owners_with_powers)
    esc.move_to_monitoring(note=cmd.note, by_id=actor.person_id, now=ctx.now)
    retrospectives.open_if_engineering(uow, esc, trigger="monitoring", actor=actor, ctx=ctx)
    return esc


def close_escalation(
    uow: UnitOfWork, cmd: CloseEscalation, actor: Actor, ctx: Context
) -> Escalation:
    """R-ESC-9: refused, naming what is missing, until the customer agreed, every exit
    criterion is done or waived with a reason and, if product related, the retrospective is
    completed or an RCA is referenced (R-RCA-1)."""
    from escdesk.services import accounts, retrospectives, surveys

    esc = uow.escalations.get(cmd.escalation_id, cmd.version)
    actor.require(P.CLOSE, esc.owners_with_powers)
    assert esc.id is not None
    esc.close(
        agreement=cmd.agreement,
        rca_reference=cmd.rca_reference,
        by_id=actor.person_id,
        now=ctx.now,
        retrospective_completed=retrospectives.completed_for(uow, esc.id),
        waivers=cmd.waivers,
        sentiment=cmd.sentiment.value if cmd.sentiment else None,
    )
    if cmd.sentiment is not None:  # seed 004: the DRI updates the CSM sentiment at closing
        account = uow.accounts.get(esc.account_id)
        accounts.set_sentiment(uow, account, cmd.sentiment, actor, ctx, escalation_id=esc.id)
    retrospectives.open_if_engineering(uow, esc, trigger="closed", actor=actor, ctx=ctx)
    surveys.invite_at_closing(uow, esc, ctx.now)  # R-SLA-4, in the closing's transaction
    return esc


def reopen_escalation(
    uow: UnitOfWork, cmd: ReopenEscalation, actor: Actor, ctx: Context
) -> Escalation:
    esc = uow.escalations.get(cmd.escalation_id, cmd.version)
    actor.require(P.REOPEN, esc.owners_with_powers)
    esc.reopen(reason=cmd.reason, by_id=actor.person_id, now=ctx.now, policy=ctx.policy)
    return esc


def owners_of(
    uow: UnitOfWork, query: ShowEscalation, actor: Actor, ctx: Context
) -> tuple[int | None, ...]:
    """Who runs the escalation: what a face asks before it shows an owner's forms."""
    return uow.escalations.get(query.escalation_id).owners_with_powers


# ---------------------------------------------------------------------- queries
def list_escalations(
    uow: UnitOfWork, query: ListEscalations, actor: Actor, ctx: Context
) -> EscalationPage:
    actor.require(P.READ)
    check_window(query.limit, query.offset)
    check_order(query.order, ESCALATION_ORDERS)
    filters = EscalationFilter(
        severity=query.severity.value if query.severity else None,
        status=query.status.value if query.status else None,
        dri_id=uow.people.find(query.dri, "dri").id if query.dri else None,
        account_id=uow.accounts.find(query.account, "account").id if query.account else None,
        include_closed=query.include_closed or query.status is Status.CLOSED,
        due_before=query.overdue_at,
        limit=query.limit,
        offset=query.offset,
        order=query.order,
    )
    return uow.escalations.page(filters)


def due_escalations(
    uow: UnitOfWork, query: DueEscalations, actor: Actor, ctx: Context
) -> EscalationPage:
    """Open escalations with an update due before now + within, most urgent first (R-ESC-6)."""
    actor.require(P.READ)
    filters = EscalationFilter(
        dri_id=uow.people.find(query.dri, "dri").id if query.dri else None,
        due_before=ctx.now + query.within,
        limit=query.limit,
    )
    return uow.escalations.page(filters)


def show_escalation(
    uow: UnitOfWork, query: ShowEscalation, actor: Actor, ctx: Context
) -> EscalationDetail:
    esc = uow.escalations.get(query.escalation_id)
    actor.require(P.READ, esc.owners_with_powers)
    acct = uow.accounts.get(esc.account_id)
    ids = {esc.dri_id, esc.product_dri_id, esc.product_leader_id}
    ids |= {u.author_id for u in esc.updates}
    ids |= {c.new_id for c in esc.owner_changes} | {c.old_id for c in esc.owner_changes}
    ids |= {c.by_id for c in esc.owner_changes}
    ids |= {c.by_id for c in esc.eta_changes}
    ids |= {c.waived_by_id for c in esc.exit_criteria}
    people = uow.people.get_many({i for i in ids if i is not None})
    return EscalationDetail(esc, acct, people)


def escalation_history(
    uow: UnitOfWork, query: EscalationHistory, actor: Actor, ctx: Context
) -> list[HistoryEntry]:
    actor.require(P.READ)
    if query.limit < 1 or query.limit > 10_000:
        raise InvalidInput("limit", f"{query.limit} is out of range", "Use 1 to 10000")
    uow.escalations.get(query.escalation_id)  # a clear NotFound instead of an empty history
    return uow.escalations.history(query.escalation_id, query.limit, query.after_id)


# ---------------------------------------------------------------------- helpers
def _person(uow: UnitOfWork, actor: Actor) -> Person | None:
    return uow.people.get(actor.person_id) if actor.person_id is not None else None


def _current_owners(uow: UnitOfWork, esc: Escalation) -> Owners:
    ids = {i for i in (esc.dri_id, esc.product_dri_id, esc.product_leader_id) if i is not None}
    people = uow.people.get_many(ids)
    return Owners(
        dri=people[esc.dri_id],
        product_dri=people.get(esc.product_dri_id) if esc.product_dri_id else None,
        product_leader=people.get(esc.product_leader_id) if esc.product_leader_id else None,
    )


def _resolve_owners(
    uow: UnitOfWork,
    severity: Severity,
    route: Route,
    account: Account,
    *,
    current: Owners | None,
    actor: Person | None,
    dri: str | None,
    product_dri: str | None,
    product_leader: str | None,
) -> Owners:
    """R-ESC-2: the DRI the rule names, unless one is given (or the current one still fits)."""
    requirement = dri_requirement(severity, route, account)
    if dri is not None:
        dri_person = uow.people.find(dri, "dri")
        if current is None and requirement.person_id not in (None, dri_person.id):
            named = uow.people.get(requirement.person_id)
            raise RuleRefused(
                "R-ESC-2",
                requirement.rule,
                [
                    Need(
                        f"no DRI given, or {named.email}; hand over later with a reason",
                        ("dri",),
                    )
                ],
            )
    elif current is not None and current.dri.has(requirement.role):
        dri_person = current.dri
    elif requirement.person_id is not None:
        dri_person = uow.people.get(requirement.person_id)
    elif current is None and actor is not None and actor.has(requirement.role):
        dri_person = actor
    else:
        raise RuleRefused(
            "R-ESC-2",
            requirement.rule,
            [Need(f"a DRI with the {requirement.role} role", ("dri",))],
        )
    return Owners(
        dri=dri_person,
        product_dri=(
            uow.people.find(product_dri, "product_dri")
            if product_dri
            else current.product_dri
            if current
            else None
        ),
        product_leader=(
            uow.people.find(product_leader, "product_leader")
            if product_leader
            else current.product_leader
            if current
            else None
        ),
    )


def _refuse_a_second_one(uow: UnitOfWork, account: Account) -> None:
    """Seed 004: one escalation per customer situation, unless a second one is meant. The
    account is held first, so two openings at once cannot both find none open."""
    uow.accounts.hold(account.id or 0)
    found = uow.escalations.page(EscalationFilter(account_id=account.id, limit=1)).items
    if found:
        first = found[0]
        raise AlreadyOpen(account.name, first.id, first.severity, first.summary)


HANDLERS: dict[type, Handler[Any, Any]] = {
    OpenEscalation: open_escalation,
    PostUpdate: post_update,
    ChangeSeverity: change_severity,
    AssignOwner: assign_owner,
    SetEta: set_eta,
    SetCustomerSummary: set_customer_summary,
    ChangeExitCriteria: change_exit_criteria,
    MoveToMonitoring: move_to_monitoring,
    CloseEscalation: close_escalation,
    ReopenEscalation: reopen_escalation,
}
"""Each escalation command's handler, for faces that dispatch by command (chat, scripts)."""
