"""People, accounts and escalations with their updates, ETA and owner history, the audit trail and
the outbox: the tables every change touches."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from escdesk.services.request_context import current_request_id
from escdesk.store.tables.base import Base, BigId
from escdesk.store.types import JsonColumn


class PersonRow(Base):
    __tablename__ = "people"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(320), unique=True)
    roles: Mapped[list[str]] = mapped_column(JsonColumn)
    timezone: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime]


class AccountRow(Base):
    __tablename__ = "accounts"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    tier: Mapped[str] = mapped_column(String(20))
    arr: Mapped[int] = mapped_column(BigInteger)
    status: Mapped[str] = mapped_column(String(20))
    deal_size: Mapped[int | None] = mapped_column(BigInteger)
    csm_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    services_project: Mapped[str | None] = mapped_column(String(200))
    services_pm_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    sentiment: Mapped[str] = mapped_column(String(20))
    sentiment_set_by_id: Mapped[int | None] = mapped_column(Integer)  # as events.actor_id
    sentiment_set_at: Mapped[datetime | None]
    created_at: Mapped[datetime]
    version: Mapped[int] = mapped_column(Integer)

    __mapper_args__ = {"version_id_col": version}


class EscalationRow(Base):
    __tablename__ = "escalations"

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"))
    customer: Mapped[str] = mapped_column(String(200))
    channel: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(40))
    severity: Mapped[str] = mapped_column(String(20))
    route: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20))
    summary: Mapped[str] = mapped_column(String(200))
    customer_summary: Mapped[str | None] = mapped_column(String(200))
    initial_ask: Mapped[str] = mapped_column(Text)
    required_skills: Mapped[list[str]] = mapped_column(JsonColumn)
    product_related: Mapped[bool] = mapped_column(Boolean)
    dri_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    product_dri_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    product_leader_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    eta: Mapped[datetime | None]
    agreed_by: Mapped[str | None] = mapped_column(String(200))
    agreed_at: Mapped[datetime | None]
    agreed_via: Mapped[str | None] = mapped_column(String(20))
    rca_reference: Mapped[str | None] = mapped_column(String(500))
    opened_at: Mapped[datetime]
    cadence_start: Mapped[datetime]
    closed_at: Mapped[datetime | None]
    updated_at: Mapped[datetime]
    next_internal_update_due: Mapped[datetime | None]
    next_customer_update_due: Mapped[datetime | None]
    version: Mapped[int] = mapped_column(Integer)

    updates: Mapped[list[UpdateRow]] = relationship(order_by="UpdateRow.id")
    exit_criteria: Mapped[list[ExitCriterionRow]] = relationship(order_by="ExitCriterionRow.id")
    eta_changes: Mapped[list[EtaChangeRow]] = relationship(order_by="EtaChangeRow.id")
    owner_changes: Mapped[list[OwnerChangeRow]] = relationship(order_by="OwnerChangeRow.id")

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        Index("ix_escalations_status_severity", "status", "severity"),
        Index("ix_escalations_account", "account_id"),
        Index("ix_escalations_dri", "dri_id"),
    )


class UpdateRow(Base):
    __tablename__ = "escalation_updates"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    escalation_id: Mapped[int] = mapped_column(ForeignKey("escalations.id"), index=True)
    audience: Mapped[str] = mapped_column(String(20))
    body: Mapped[str] = mapped_column(Text)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    posted_at: Mapped[datetime]


class ExitCriterionRow(Base):
    __tablename__ = "exit_criteria"

    id: Mapped[int] = mapped_column(primary_key=True)
    escalation_id: Mapped[int] = mapped_column(ForeignKey("escalations.id"), index=True)
    text: Mapped[str] = mapped_column(String(200))
    done: Mapped[bool] = mapped_column(Boolean)
    done_at: Mapped[datetime | None]
    # R-ESC-9: an open criterion let go at closing, why, when and by whom (cleared on reopen).
    waived_reason: Mapped[str | None] = mapped_column(String(500))
    waived_at: Mapped[datetime | None]
    waived_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))


class EtaChangeRow(Base):
    __tablename__ = "eta_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    escalation_id: Mapped[int] = mapped_column(ForeignKey("escalations.id"), index=True)
    changed_at: Mapped[datetime]
    old_eta: Mapped[datetime | None]
    new_eta: Mapped[datetime]
    reason: Mapped[str] = mapped_column(Text)
    by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))


class OwnerChangeRow(Base):
    __tablename__ = "owner_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    escalation_id: Mapped[int] = mapped_column(ForeignKey("escalations.id"), index=True)
    role: Mapped[str] = mapped_column(String(20))
    old_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    new_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    reason: Mapped[str] = mapped_column(Text)
    by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    changed_at: Mapped[datetime]


class EventRow(Base):
    """The append-only audit trail; triggers refuse UPDATE and DELETE (see the migration)."""

    __tablename__ = "events"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    subject: Mapped[str] = mapped_column(String(20))
    subject_id: Mapped[int] = mapped_column(Integer)
    type: Mapped[str] = mapped_column(String(40))
    occurred_at: Mapped[datetime]
    actor_id: Mapped[int | None] = mapped_column(Integer)
    data: Mapped[dict[str, Any]]

    __table_args__ = (Index("ix_events_subject", "subject", "subject_id", "id"),)


class OutboxRow(Base):
    """Notifications waiting for delivery, written in the transaction of the change (R-OPS-3)."""

    __tablename__ = "outbox"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    idempotency_key: Mapped[str] = mapped_column(String(64), unique=True)
    escalation_id: Mapped[int | None] = mapped_column(ForeignKey("escalations.id"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    destination: Mapped[str] = mapped_column(String(320))
    payload: Mapped[dict[str, Any]]
    created_at: Mapped[datetime]
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    claimed_at: Mapped[datetime | None]
    delivered_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    subject_type: Mapped[str] = mapped_column(String(40), default="escalation")
    subject_id: Mapped[int | None] = mapped_column(BigInteger)
    state: Mapped[str] = mapped_column(String(16), default="pending")
    next_attempt_at: Mapped[datetime | None]
    claimed_by: Mapped[str | None] = mapped_column(String(80))
    receipt: Mapped[dict[str, Any] | None]
    # The request that queued the message, for the worker's log lines (written by default).
    request_id: Mapped[str | None] = mapped_column(String(64), default=current_request_id)

    __table_args__ = (
        Index("ix_outbox_due", "state", "next_attempt_at"),
        Index("ix_outbox_destination", "destination", "id"),
        Index("ix_outbox_subject", "subject_type", "subject_id"),
        # ix_outbox_open_line, a partial index, is in `partial_indexes`.
    )
