"""What delivery keeps beside the outbox (R-OPS-3): contacts, Slack channels, e-mail threads,
calendar series and feeds, webhooks, and the workers' heartbeats."""

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
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

import escdesk.store.tables.core  # noqa: F401  (tables its foreign keys name)
from escdesk.store.tables.base import Base, BigId
from escdesk.store.types import JsonColumn


class CustomerContactRow(Base):
    """Someone at a customer who receives customer-facing updates by e-mail."""

    __tablename__ = "customer_contacts"

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"))
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(320))
    language: Mapped[str] = mapped_column(String(35))
    created_at: Mapped[datetime]

    __table_args__ = (
        UniqueConstraint("account_id", "email", name="uq_customer_contacts_account_email"),
        # The e-mail transport asks "is this a customer's address?" before every internal mail.
        Index("ix_customer_contacts_email", "email"),
    )


class SlackChannelRow(Base):
    """R-ESC-12: the one Slack channel of an escalation, by the id Slack gave it."""

    __tablename__ = "slack_channels"

    escalation_id: Mapped[int] = mapped_column(
        ForeignKey("escalations.id"), primary_key=True, autoincrement=False
    )
    channel_id: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[datetime]
    archived_at: Mapped[datetime | None]
    # The pinned opening message, once Slack confirmed it, and the escalation version it shows.
    opening_ts: Mapped[str | None] = mapped_column(String(32))
    opening_version: Mapped[int | None] = mapped_column(Integer)


class DeliveryStepRow(Base):
    """A step of a delivery that talks to a peer several times (create, invite, post, pin)."""

    __tablename__ = "delivery_steps"

    message_id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=False)
    step: Mapped[str] = mapped_column(String(40), primary_key=True)
    started_at: Mapped[datetime]
    finished_at: Mapped[datetime | None]
    data: Mapped[dict[str, Any]]


class EmailThreadRow(Base):
    """The Message-ID each outbox message has in its thread (one escalation, one recipient)."""

    __tablename__ = "email_threads"

    thread: Mapped[str] = mapped_column(String(400), primary_key=True)
    message_id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=False)
    header_id: Mapped[str] = mapped_column(String(250), index=True)  # a reply names it
    placed_at: Mapped[datetime]


class CalendarSeriesRow(Base):
    """A standup's recurring event as last sent: its SEQUENCE and who holds the invitation."""

    __tablename__ = "calendar_series"

    uid: Mapped[str] = mapped_column(String(200), primary_key=True)
    escalation_id: Mapped[int | None] = mapped_column(ForeignKey("escalations.id"), index=True)
    sequence: Mapped[int] = mapped_column(Integer)
    last_message_id: Mapped[int] = mapped_column(BigInteger)
    cadence: Mapped[dict[str, Any]]
    attendees: Mapped[list[str]] = mapped_column(JsonColumn)
    previous_attendees: Mapped[list[str]] = mapped_column(JsonColumn)
    cancelled: Mapped[bool] = mapped_column(Boolean)
    updated_at: Mapped[datetime]


class CalendarFeedRow(Base):
    """A person's calendar feed of the standups they attend: the secret link is its only key."""

    __tablename__ = "calendar_feeds"

    person_id: Mapped[int] = mapped_column(
        ForeignKey("people.id"), primary_key=True, autoincrement=False
    )
    token: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime]


class WebhookSubscriptionRow(Base):
    """An endpoint that receives the event types it chose, signed with its own secret."""

    __tablename__ = "webhook_subscriptions"

    id: Mapped[int] = mapped_column(primary_key=True)
    url: Mapped[str] = mapped_column(String(2000))
    secret: Mapped[str] = mapped_column(String(100))
    event_types: Mapped[list[str]] = mapped_column(JsonColumn)
    description: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime]
    disabled_at: Mapped[datetime | None]
    disabled_reason: Mapped[str | None] = mapped_column(Text)


class WebhookDeliveryRow(Base):
    """One attempt to deliver one event to one subscription: the delivery log."""

    __tablename__ = "webhook_deliveries"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    subscription_id: Mapped[int] = mapped_column(ForeignKey("webhook_subscriptions.id"))
    message_id: Mapped[int] = mapped_column(BigInteger)
    webhook_id: Mapped[str] = mapped_column(String(64))
    event_type: Mapped[str] = mapped_column(String(100))
    attempted_at: Mapped[datetime]
    status_code: Mapped[int | None] = mapped_column(Integer)
    ok: Mapped[bool] = mapped_column(Boolean)
    error: Mapped[str | None] = mapped_column(Text)
    duration_ms: Mapped[int] = mapped_column(Integer)

    __table_args__ = (Index("ix_webhook_deliveries_subscription", "subscription_id", "id"),)


class WorkerHeartbeatRow(Base):
    """A delivery worker's last sign of life, written each poll; `/readyz` reads the newest."""

    __tablename__ = "worker_heartbeats"

    name: Mapped[str] = mapped_column(String(80), primary_key=True)
    started_at: Mapped[datetime]
    beat_at: Mapped[datetime]
