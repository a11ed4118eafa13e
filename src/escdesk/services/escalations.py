"""Escalation use cases (R-ESC-*): open, update, re-prioritise, re-own, set ETA, close, reopen.

Each function is one transaction: load, let the domain decide, commit state + events + outbox.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from escdesk.domain.accounts import Account, parse_choice
from escdesk.domain.clock import Audience
from escdesk.domain.dri import OwnerRole, Owners, Route, dri_requirement
from escdesk.domain.errors import InvalidInput, RuleRefused
from escdesk.domain.escalation import Escalation
from escdesk.domain.events import Event
from escdesk.domain.people import Person
from escdesk.domain.records import AgreementChannel, CustomerAgreement, EscalationKind, Status
from escdesk.domain.severity import Severity, SeverityPolicy, parse_severity
from escdesk.services.ports import UnitOfWork
from escdesk.services.views import (
    EscalationDetail,
    EscalationFilter,
    EscalationPage,
    HistoryEntry,
)


def open_escalation(
    uow: UnitOfWork,
    *,
    account: str,
    kind: str,
    severity: str,
    route: str,
    summary: str,
    initial_ask: str,
    required_skills: list[str],
    product_related: bool,
    exit_criteria: list[str],
    now: datetime,
    policy: SeverityPolicy,
    dri: str | None = None,
    product_dri: str | None = None,
    product_leader: str | None = None,
    eta: datetime | None = None,
    by: str | None = None,
) -> Escalation:
    kind_value = parse_choice(EscalationKind, kind, "kind")
    severity_value = parse_severity(severity)
    route_value = parse_choice(Route, route, "route")
    with uow:
        acct = uow.accounts.find(account, "account")
        actor = _actor(uow, by)
        owners = _resolve_owners(
            uow,
            severity_value,
            route_value,
            acct,
            current=None,
            actor=actor,
            dri=dri,
            product_dri=product_dri,
            product_leader=product_leader,
        )
        esc = Escalation.open(
            account=acct,
            kind=kind_value,
            severity=severity_value,
            route=route_value,
            summary=summary,
            initial_ask=initial_ask,
            required_skills=required_skills,
            product_related=product_related,
            owners=owners,
            exit_criteria=exit_criteria,
            eta=eta,
            by_id=actor.id if actor else None,
            now=now,
            policy=policy,
        )
        _mark_account_at_risk(uow, acct, severity_value, actor, now)
        uow.escalations.add(esc)
        uow.commit()
    return esc


def post_update(
    uow: UnitOfWork,
    escalation_id: int,
    *,
    audience: str,
    body: str,
    now: datetime,
    policy: SeverityPolicy,
    by: str | None = None,
    expected_version: int | None = None,
) -> Escalation:
    audience_value = parse_choice(Audience, audience, "audience")
    with uow:
        esc = uow.escalations.get(escalation_id, expected_version)
        actor = _actor(uow, by)
        esc.post_update(audience_value, body, by_id=_id(actor), now=now, policy=policy)
        uow.commit()
    return esc


def change_severity(
    uow: UnitOfWork,
    escalation_id: int,
    *,
    severity: str,
    reason: str,
    now: datetime,
    policy: SeverityPolicy,
    dri: str | None = None,
    product_dri: str | None = None,
    product_leader: str | None = None,
    by: str | None = None,
    expected_version: int | None = None,
) -> Escalation:
    severity_value = parse_severity(severity)
    with uow:
        esc = uow.escalations.get(escalation_id, expected_version)
        acct = uow.accounts.get(esc.account_id)
        actor = _actor(uow, by)
        owners = _resolve_owners(
            uow,
            severity_value,
            esc.route,
            acct,
            current=_current_owners(uow, esc),
            actor=actor,
            dri=dri,
            product_dri=product_dri,
            product_leader=product_leader,
        )
        esc.change_severity(
            severity_value,
            owners=owners,
            account=acct,
            reason=reason,
            by_id=_id(actor),
            now=now,
            policy=policy,
        )
        _mark_account_at_risk(uow, acct, severity_value, actor, now)
        uow.commit()
    return esc


def assign_owner(
    uow: UnitOfWork,
    escalation_id: int,
    *,
    role: str,
    person: str,
    reason: str,
    now: datetime,
    by: str | None = None,
    expected_version: int | None = None,
) -> Escalation:
    """R-ESC-2/3: hand the DRI, product DRI or product leader role to another, with a reason."""
    role_value = parse_choice(OwnerRole, role, "role")
    with uow:
        esc = uow.escalations.get(escalation_id, expected_version)
        acct = uow.accounts.get(esc.account_id)
        actor = _actor(uow, by)
        current = _current_owners(uow, esc)
        new_person = uow.people.find(person, "person")
        owners = Owners(
            dri=new_person if role_value is OwnerRole.DRI else current.dri,
            product_dri=new_person if role_value is OwnerRole.PRODUCT_DRI else current.product_dri,
            product_leader=(
                new_person if role_value is OwnerRole.PRODUCT_LEADER else current.product_leader
            ),
        )
        esc.assign_owners(owners, account=acct, reason=reason, by_id=_id(actor), now=now)
        uow.commit()
    return esc


def set_eta(
    uow: UnitOfWork,
    escalation_id: int,
    *,
    eta: datetime,
    reason: str,
    now: datetime,
    by: str | None = None,
    expected_version: int | None = None,
) -> Escalation:
    with uow:
        esc = uow.escalations.get(escalation_id, expected_version)
        esc.set_eta(eta, reason=reason, by_id=_id(_actor(uow, by)), now=now)
        uow.commit()
    return esc


def change_exit_criteria(
    uow: UnitOfWork,
    escalation_id: int,
    *,
    now: datetime,
    add: list[str] | None = None,
    done: list[int] | None = None,
    undone: list[int] | None = None,
    by: str | None = None,
    expected_version: int | None = None,
) -> Escalation:
    if not (add or done or undone):
        raise InvalidInput(
            "exit_criteria", "nothing to change", "Use --add TEXT, --done N or --undo N"
        )
    with uow:
        esc = uow.escalations.get(escalation_id, expected_version)
        by_id = _id(_actor(uow, by))
        for text in add or []:
            esc.add_exit_criterion(text, by_id=by_id, now=now)
        for number in done or []:
            esc.mark_exit_criterion(number, True, by_id=by_id, now=now)
        for number in undone or []:
            esc.mark_exit_criterion(number, False, by_id=by_id, now=now)
        uow.commit()
    return esc


def move_to_monitoring(
    uow: UnitOfWork,
    escalation_id: int,
    *,
    note: str,
    now: datetime,
    by: str | None = None,
    expected_version: int | None = None,
) -> Escalation:
    with uow:
        esc = uow.escalations.get(escalation_id, expected_version)
        esc.move_to_monitoring(note=note, by_id=_id(_actor(uow, by)), now=now)
        uow.commit()
    return esc


def close_escalation(
    uow: UnitOfWork,
    escalation_id: int,
    *,
    now: datetime,
    agreed_by: str | None = None,
    agreed_at: datetime | None = None,
    agreed_via: str | None = None,
    rca_reference: str | None = None,
    by: str | None = None,
    expected_version: int | None = None,
) -> Escalation:
    """R-ESC-9: refused, naming what is missing, until the customer agreed (and RCA if product)."""
    agreement = None
    given = [v for v in (agreed_by, agreed_at, agreed_via) if v]
    if given and len(given) < 3:
        absent = [
            f
            for f, v in (
                ("agreed_by", agreed_by),
                ("agreed_at", agreed_at),
                ("agreed_via", agreed_via),
            )
            if not v
        ]
        raise RuleRefused(
            "R-ESC-9",
            "the customer's agreement needs who, when and how",
            [f"--{f.replace('_', '-')}" for f in absent],
        )
    if agreed_by and agreed_at and agreed_via:
        agreement = CustomerAgreement(
            agreed_by.strip(), agreed_at, parse_choice(AgreementChannel, agreed_via, "agreed_via")
        )
    with uow:
        esc = uow.escalations.get(escalation_id, expected_version)
        esc.close(
            agreement=agreement, rca_reference=rca_reference, by_id=_id(_actor(uow, by)), now=now
        )
        uow.commit()
    return esc


def reopen_escalation(
    uow: UnitOfWork,
    escalation_id: int,
    *,
    reason: str,
    now: datetime,
    policy: SeverityPolicy,
    by: str | None = None,
    expected_version: int | None = None,
) -> Escalation:
    with uow:
        esc = uow.escalations.get(escalation_id, expected_version)
        esc.reopen(reason=reason, by_id=_id(_actor(uow, by)), now=now, policy=policy)
        uow.commit()
    return esc


# ---------------------------------------------------------------------- queries
def list_escalations(
    uow: UnitOfWork,
    *,
    severity: str | None = None,
    status: str | None = None,
    dri: str | None = None,
    account: str | None = None,
    include_closed: bool = False,
    overdue_at: datetime | None = None,
    limit: int = 100,
    offset: int = 0,
) -> EscalationPage:
    if limit < 1 or limit > 1000:
        raise InvalidInput("limit", f"{limit} is out of range", "Use 1 to 1000")
    if offset < 0:
        raise InvalidInput("offset", "must not be negative", "Use 0 or more")
    severity_value = parse_severity(severity).value if severity else None
    status_value = parse_choice(Status, status, "status").value if status else None
    with uow:
        filters = EscalationFilter(
            severity=severity_value,
            status=status_value,
            dri_id=uow.people.find(dri, "dri").id if dri else None,
            account_id=uow.accounts.find(account, "account").id if account else None,
            include_closed=include_closed or status_value == Status.CLOSED,
            due_before=overdue_at,
            limit=limit,
            offset=offset,
        )
        return uow.escalations.page(filters)


def due_escalations(
    uow: UnitOfWork,
    *,
    now: datetime,
    within: timedelta,
    dri: str | None = None,
    limit: int = 1000,
) -> EscalationPage:
    """Open escalations with an update due before now + within, most urgent first (R-ESC-6)."""
    with uow:
        filters = EscalationFilter(
            dri_id=uow.people.find(dri, "dri").id if dri else None,
            due_before=now + within,
            limit=limit,
        )
        return uow.escalations.page(filters)


def show_escalation(uow: UnitOfWork, escalation_id: int) -> EscalationDetail:
    with uow:
        esc = uow.escalations.get(escalation_id)
        acct = uow.accounts.get(esc.account_id)
        ids = {esc.dri_id, esc.product_dri_id, esc.product_leader_id}
        ids |= {u.author_id for u in esc.updates}
        ids |= {c.new_id for c in esc.owner_changes} | {c.old_id for c in esc.owner_changes}
        ids |= {c.by_id for c in esc.owner_changes}
        ids |= {c.by_id for c in esc.eta_changes}
        people = uow.people.get_many({i for i in ids if i is not None})
        return EscalationDetail(esc, acct, people)


def escalation_history(
    uow: UnitOfWork, escalation_id: int, *, limit: int = 1000, after_id: int = 0
) -> list[HistoryEntry]:
    if limit < 1 or limit > 10_000:
        raise InvalidInput("limit", f"{limit} is out of range", "Use 1 to 10000")
    with uow:
        uow.escalations.get(escalation_id)  # a clear NotFound instead of an empty history
        return uow.escalations.history(escalation_id, limit, after_id)


# ---------------------------------------------------------------------- helpers
def _actor(uow: UnitOfWork, by: str | None) -> Person | None:
    return uow.people.find(by, "by") if by else None


def _id(person: Person | None) -> int | None:
    return person.id if person else None


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
                    f"leave --dri out, or name {named.email}; hand over later with a reason "
                    "(escalations dri)"
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
            "R-ESC-2", requirement.rule, [f"a DRI with the {requirement.role} role (--dri EMAIL)"]
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


def _mark_account_at_risk(
    uow: UnitOfWork, account: Account, severity: Severity, actor: Person | None, now: datetime
) -> None:
    """R-ESC-4: a critical or high escalation marks the account at risk."""
    if severity.is_high_or_critical and account.mark_at_risk():
        uow.accounts.record(
            account,
            Event("marked_at_risk", now, _id(actor), {"severity": severity.value}),
        )
