"""Rows ↔ domain objects. The only place that knows both shapes."""

from __future__ import annotations

from typing import Any

from escdesk.domain.accounts import Account, AccountStatus, Sentiment, ServicesProject, Tier
from escdesk.domain.clock import Audience
from escdesk.domain.dri import OwnerRole, Route
from escdesk.domain.escalation import Escalation
from escdesk.domain.events import Event
from escdesk.domain.people import Person, Role
from escdesk.domain.records import (
    AgreementChannel,
    CustomerAgreement,
    EscalationKind,
    EtaChange,
    ExitCriterion,
    OwnerChange,
    Status,
    Update,
)
from escdesk.domain.severity import Severity
from escdesk.store.tables import (
    AccountRow,
    EscalationRow,
    EtaChangeRow,
    EventRow,
    OwnerChangeRow,
    PersonRow,
    UpdateRow,
)


def person_from_row(row: PersonRow) -> Person:
    return Person(
        name=row.name,
        email=row.email,
        roles=frozenset(Role(r) for r in row.roles),
        timezone=row.timezone,
        id=row.id,
    )


def account_from_row(row: AccountRow) -> Account:
    project = None
    if row.services_project is not None and row.services_pm_id is not None:
        project = ServicesProject(row.services_project, row.services_pm_id)
    return Account(
        name=row.name,
        slug=row.slug,
        tier=Tier(row.tier),
        arr=row.arr,
        status=AccountStatus(row.status),
        deal_size=row.deal_size,
        csm_id=row.csm_id,
        services_project=project,
        sentiment=Sentiment(row.sentiment),
        sentiment_set_by_id=row.sentiment_set_by_id,
        sentiment_set_at=row.sentiment_set_at,
        id=row.id,
        version=row.version,
    )


def account_columns(account: Account) -> dict[str, Any]:
    """The account's column values, as saved (and compared, to tell whether it changed)."""
    project = account.services_project
    return {
        "name": account.name,
        "slug": account.slug,
        "tier": account.tier.value,
        "arr": account.arr,
        "status": account.status.value,
        "deal_size": account.deal_size,
        "csm_id": account.csm_id,
        "services_project": project.name if project else None,
        "services_pm_id": project.pm_id if project else None,
        "sentiment": account.sentiment.value,
        "sentiment_set_by_id": account.sentiment_set_by_id,
        "sentiment_set_at": account.sentiment_set_at,
    }


def escalation_from_row(row: EscalationRow) -> Escalation:
    agreement = None
    if row.agreed_by and row.agreed_at and row.agreed_via:
        agreement = CustomerAgreement(
            row.agreed_by, row.agreed_at, AgreementChannel(row.agreed_via)
        )
    return Escalation(
        id=row.id,
        version=row.version,
        account_id=row.account_id,
        customer=row.customer,
        channel=row.channel,
        kind=EscalationKind(row.kind),
        severity=Severity(row.severity),
        route=Route(row.route),
        status=Status(row.status),
        summary=row.summary,
        customer_summary=row.customer_summary,
        initial_ask=row.initial_ask,
        required_skills=list(row.required_skills),
        product_related=row.product_related,
        dri_id=row.dri_id,
        product_dri_id=row.product_dri_id,
        product_leader_id=row.product_leader_id,
        eta=row.eta,
        agreement=agreement,
        rca_reference=row.rca_reference,
        opened_at=row.opened_at,
        cadence_start=row.cadence_start,
        closed_at=row.closed_at,
        updated_at=row.updated_at,
        next_internal_update_due=row.next_internal_update_due,
        next_customer_update_due=row.next_customer_update_due,
        updates=[
            Update(Audience(u.audience), u.body, u.author_id, u.posted_at, u.id)
            for u in row.updates
        ],
        exit_criteria=[
            ExitCriterion(
                c.text, c.done, c.done_at, c.id, c.waived_reason, c.waived_at, c.waived_by_id
            )
            for c in row.exit_criteria
        ],
        eta_changes=[
            EtaChange(c.changed_at, c.old_eta, c.new_eta, c.reason, c.by_id)
            for c in row.eta_changes
        ],
        owner_changes=[
            OwnerChange(OwnerRole(c.role), c.old_id, c.new_id, c.reason, c.by_id, c.changed_at)
            for c in row.owner_changes
        ],
    )


def escalation_columns(esc: Escalation) -> dict[str, Any]:
    """Scalar state as column values; child records are written by the repository."""
    return {
        "account_id": esc.account_id,
        "customer": esc.customer,
        "channel": esc.channel,
        "kind": esc.kind.value,
        "severity": esc.severity.value,
        "route": esc.route.value,
        "status": esc.status.value,
        "summary": esc.summary,
        "customer_summary": esc.customer_summary,
        "initial_ask": esc.initial_ask,
        "required_skills": list(esc.required_skills),
        "product_related": esc.product_related,
        "dri_id": esc.dri_id,
        "product_dri_id": esc.product_dri_id,
        "product_leader_id": esc.product_leader_id,
        "eta": esc.eta,
        "agreed_by": esc.agreement.who if esc.agreement else None,
        "agreed_at": esc.agreement.when if esc.agreement else None,
        "agreed_via": esc.agreement.how.value if esc.agreement else None,
        "rca_reference": esc.rca_reference,
        "opened_at": esc.opened_at,
        "cadence_start": esc.cadence_start or esc.opened_at,
        "closed_at": esc.closed_at,
        "updated_at": esc.updated_at or esc.opened_at,
        "next_internal_update_due": esc.next_internal_update_due,
        "next_customer_update_due": esc.next_customer_update_due,
    }


def criterion_columns(criterion: ExitCriterion) -> dict[str, Any]:
    return {
        "text": criterion.text,
        "done": criterion.done,
        "done_at": criterion.done_at,
        "waived_reason": criterion.waived_reason,
        "waived_at": criterion.waived_at,
        "waived_by_id": criterion.waived_by_id,
    }


def event_row(subject: str, subject_id: int, event: Event) -> EventRow:
    """An audit-trail entry (R-ESC-11) about one subject."""
    return EventRow(
        subject=subject,
        subject_id=subject_id,
        type=event.type,
        occurred_at=event.at,
        actor_id=event.actor_id,
        data=event.data,
    )


def update_row(escalation_id: int, update: Update) -> UpdateRow:
    return UpdateRow(
        escalation_id=escalation_id,
        audience=update.audience.value,
        body=update.body,
        author_id=update.author_id,
        posted_at=update.posted_at,
    )


def eta_change_row(escalation_id: int, change: EtaChange) -> EtaChangeRow:
    return EtaChangeRow(
        escalation_id=escalation_id,
        changed_at=change.changed_at,
        old_eta=change.old_eta,
        new_eta=change.new_eta,
        reason=change.reason,
        by_id=change.by_id,
    )


def owner_change_row(escalation_id: int, change: OwnerChange) -> OwnerChangeRow:
    return OwnerChangeRow(
        escalation_id=escalation_id,
        role=change.role.value,
        old_id=change.old_id,
        new_id=change.new_id,
        reason=change.reason,
        by_id=change.by_id,
        changed_at=change.changed_at,
    )
