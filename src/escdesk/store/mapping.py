"""Rows ↔ domain objects. The only place that knows both shapes."""

from __future__ import annotations

from escdesk.domain.accounts import Account, AccountStatus, Sentiment, ServicesProject, Tier
from escdesk.domain.clock import Audience
from escdesk.domain.dri import OwnerRole, Route
from escdesk.domain.escalation import Escalation
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
from escdesk.store.tables import AccountRow, EscalationRow, ExitCriterionRow, PersonRow


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
        id=row.id,
        version=row.version,
    )


def account_to_row(account: Account, row: AccountRow) -> None:
    row.name = account.name
    row.slug = account.slug
    row.tier = account.tier.value
    row.arr = account.arr
    row.status = account.status.value
    row.deal_size = account.deal_size
    row.csm_id = account.csm_id
    row.services_project = account.services_project.name if account.services_project else None
    row.services_pm_id = account.services_project.pm_id if account.services_project else None
    row.sentiment = account.sentiment.value


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
        exit_criteria=[ExitCriterion(c.text, c.done, c.done_at, c.id) for c in row.exit_criteria],
        eta_changes=[
            EtaChange(c.changed_at, c.old_eta, c.new_eta, c.reason, c.by_id)
            for c in row.eta_changes
        ],
        owner_changes=[
            OwnerChange(OwnerRole(c.role), c.old_id, c.new_id, c.reason, c.by_id, c.changed_at)
            for c in row.owner_changes
        ],
    )


def escalation_to_row(esc: Escalation, row: EscalationRow) -> None:
    """Copy scalar state; child records are appended by the repository."""
    row.account_id = esc.account_id
    row.customer = esc.customer
    row.channel = esc.channel
    row.kind = esc.kind.value
    row.severity = esc.severity.value
    row.route = esc.route.value
    row.status = esc.status.value
    row.summary = esc.summary
    row.initial_ask = esc.initial_ask
    row.required_skills = list(esc.required_skills)
    row.product_related = esc.product_related
    row.dri_id = esc.dri_id
    row.product_dri_id = esc.product_dri_id
    row.product_leader_id = esc.product_leader_id
    row.eta = esc.eta
    row.agreed_by = esc.agreement.who if esc.agreement else None
    row.agreed_at = esc.agreement.when if esc.agreement else None
    row.agreed_via = esc.agreement.how.value if esc.agreement else None
    row.rca_reference = esc.rca_reference
    row.opened_at = esc.opened_at
    row.cadence_start = esc.cadence_start or esc.opened_at
    row.closed_at = esc.closed_at
    row.updated_at = esc.updated_at or esc.opened_at
    row.next_internal_update_due = esc.next_internal_update_due
    row.next_customer_update_due = esc.next_customer_update_due


def criterion_to_row(criterion: ExitCriterion, row: ExitCriterionRow) -> None:
    row.text = criterion.text
    row.done = criterion.done
    row.done_at = criterion.done_at
