"""Shapes of escalations: the board line, the full escalation and its history.

Internal updates are part of the shape only for principals who may read them: `of(...,
internal=False)` leaves them out, so a route cannot forget to filter.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

from escdesk.api.schemas.lateness import LateOut
from escdesk.domain.clock import Audience
from escdesk.domain.escalation import Escalation
from escdesk.domain.visibility import visible_data
from escdesk.services import lateness
from escdesk.services.views import EscalationPage, EscalationSummary, HistoryEntry


class PersonRef(BaseModel):
    id: int
    name: str | None


class CriterionOut(BaseModel):
    number: int
    text: str
    done: bool
    done_at: datetime | None
    waived_reason: str | None = None  # R-ESC-9: left open at closing, and why
    waived_at: datetime | None = None
    waived_by: PersonRef | None = None


class UpdateOut(BaseModel):
    id: int | None
    audience: str
    body: str
    author: PersonRef | None
    posted_at: datetime


class EtaChangeOut(BaseModel):
    changed_at: datetime
    old_eta: datetime | None
    new_eta: datetime
    reason: str | None = Field(description="Internal: null without read_internal.")
    slipped: bool


class OwnerChangeOut(BaseModel):
    role: str
    old: PersonRef | None
    new: PersonRef | None
    reason: str | None = Field(description="Internal: null without read_internal.")
    changed_at: datetime


class AgreementOut(BaseModel):
    agreed_by: str | None = Field(description="Internal: null without read_internal.")
    agreed_at: datetime
    agreed_via: str | None = Field(description="Internal: null without read_internal.")


class EscalationOut(BaseModel):
    id: int
    version: int
    account_id: int
    customer: str
    channel: str
    kind: str
    severity: str
    route: str
    status: str
    summary: str
    customer_summary: str | None = Field(
        default=None, description="What the customer reads it is about; null until set."
    )
    initial_ask: str
    required_skills: list[str]
    product_related: bool
    dri: PersonRef
    product_dri: PersonRef | None
    product_leader: PersonRef | None
    opened_at: datetime
    eta: datetime | None
    eta_slips: int
    closed_at: datetime | None
    next_internal_update_due: datetime | None
    next_customer_update_due: datetime | None
    exit_criteria: list[CriterionOut]
    updates: list[UpdateOut]
    eta_changes: list[EtaChangeOut]
    owner_changes: list[OwnerChangeOut]
    agreement: AgreementOut | None
    rca_reference: str | None
    late: LateOut | None = None

    @classmethod
    def of(
        cls,
        esc: Escalation,
        *,
        internal: bool,
        names: dict[int, str] | None = None,
        now: datetime | None = None,
    ) -> EscalationOut:
        names = names or {}

        def ref(person_id: int | None) -> PersonRef | None:
            return PersonRef(id=person_id, name=names.get(person_id)) if person_id else None

        assert esc.id is not None
        dri = ref(esc.dri_id)
        assert dri is not None
        agreement = esc.agreement
        return cls(
            late=None if now is None else LateOut.of(lateness.of_escalation(esc, now)),
            id=esc.id,
            version=esc.version,
            account_id=esc.account_id,
            customer=esc.customer,
            channel=esc.channel,
            kind=esc.kind.value,
            severity=esc.severity.value,
            route=esc.route.value,
            status=esc.status.value,
            summary=esc.summary,
            customer_summary=esc.customer_summary,
            initial_ask=esc.initial_ask,
            required_skills=list(esc.required_skills),
            product_related=esc.product_related,
            dri=dri,
            product_dri=ref(esc.product_dri_id),
            product_leader=ref(esc.product_leader_id),
            opened_at=esc.opened_at,
            eta=esc.eta,
            eta_slips=esc.eta_slips,
            closed_at=esc.closed_at,
            next_internal_update_due=esc.next_internal_update_due,
            next_customer_update_due=esc.next_customer_update_due,
            exit_criteria=[
                CriterionOut(
                    number=n,
                    text=c.text,
                    done=c.done,
                    done_at=c.done_at,
                    waived_reason=c.waived_reason,
                    waived_at=c.waived_at,
                    waived_by=ref(c.waived_by_id),
                )
                for n, c in enumerate(esc.exit_criteria, start=1)
            ],
            updates=[
                UpdateOut(
                    id=u.id,
                    audience=u.audience.value,
                    body=u.body,
                    author=ref(u.author_id),
                    posted_at=u.posted_at,
                )
                for u in esc.updates
                if internal or u.audience is Audience.CUSTOMER
            ],
            eta_changes=[
                EtaChangeOut(
                    changed_at=c.changed_at,
                    old_eta=c.old_eta,
                    new_eta=c.new_eta,
                    reason=c.reason if internal else None,
                    slipped=c.slipped,
                )
                for c in esc.eta_changes
            ],
            owner_changes=[
                OwnerChangeOut(
                    role=c.role.value,
                    old=ref(c.old_id),
                    new=ref(c.new_id),
                    reason=c.reason if internal else None,
                    changed_at=c.changed_at,
                )
                for c in esc.owner_changes
            ],
            agreement=AgreementOut(
                agreed_by=agreement.who if internal else None,
                agreed_at=agreement.when,
                agreed_via=agreement.how.value if internal else None,
            )
            if agreement
            else None,
            rca_reference=esc.rca_reference if internal else None,
        )


class SummaryOut(BaseModel):
    id: int
    version: int
    customer: str
    account_id: int
    kind: str
    severity: str
    status: str
    summary: str
    dri: PersonRef
    opened_at: datetime
    eta: datetime | None
    eta_slips: int
    next_internal_update_due: datetime | None
    next_customer_update_due: datetime | None
    late: LateOut | None = None

    @classmethod
    def of(cls, item: EscalationSummary, now: datetime | None = None) -> SummaryOut:
        return cls(
            late=None if now is None else LateOut.of(lateness.of_summary(item, now)),
            id=item.id,
            version=item.version,
            customer=item.customer,
            account_id=item.account_id,
            kind=item.kind,
            severity=item.severity,
            status=item.status,
            summary=item.summary,
            dri=PersonRef(id=item.dri_id, name=item.dri_name),
            opened_at=item.opened_at,
            eta=item.eta,
            eta_slips=item.eta_slips,
            next_internal_update_due=item.next_internal_update_due,
            next_customer_update_due=item.next_customer_update_due,
        )


class PageOut(BaseModel):
    items: list[SummaryOut]
    total: int
    limit: int
    offset: int

    @classmethod
    def of(cls, page: EscalationPage, now: datetime | None = None) -> PageOut:
        return cls(
            items=[SummaryOut.of(i, now) for i in page.items],
            total=page.total,
            limit=page.limit,
            offset=page.offset,
        )


class HistoryEntryOut(BaseModel):
    id: int
    type: str
    at: datetime
    actor: PersonRef | None
    data: dict[str, Any]


class HistoryOut(BaseModel):
    items: list[HistoryEntryOut]

    @classmethod
    def of(cls, entries: list[HistoryEntry], *, internal: bool) -> HistoryOut:
        """Without read_internal, internal updates are left out of the trail as well, and
        internal text (reasons, notes, the agreement's details) out of every event."""
        return cls(
            items=[
                HistoryEntryOut(
                    id=e.id,
                    type=e.type,
                    at=e.at,
                    actor=PersonRef(id=e.actor_id, name=e.actor_name) if e.actor_id else None,
                    data=visible_data(e.type, e.data, internal),
                )
                for e in entries
                if internal or not _is_internal(e)
            ]
        )


def _is_internal(entry: HistoryEntry) -> bool:
    return entry.type == "update_posted" and entry.data.get("audience") != Audience.CUSTOMER.value
