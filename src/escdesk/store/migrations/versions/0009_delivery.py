"""Delivery (R-OPS-3): customer contacts, Slack channels per escalation, delivery steps, e-mail
threads, standup calendar series and feeds, webhook subscriptions and their delivery log.

Revision ID: 0009
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy import Text
from sqlalchemy.dialects import postgresql

import escdesk.store.types

revision = "0009"
down_revision = "0004"
branch_labels = None
depends_on = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), "postgresql")


def _moment(name: str, nullable: bool = False) -> sa.Column:  # type: ignore[type-arg]
    return sa.Column(name, escdesk.store.types.UTCDateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "customer_contacts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("language", sa.String(length=35), nullable=False),
        _moment("created_at"),
        sa.ForeignKeyConstraint(["account_id"], ["accounts.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("account_id", "email", name="uq_customer_contacts_account_email"),
    )
    with op.batch_alter_table("customer_contacts", schema=None) as batch_op:
        batch_op.create_index("ix_customer_contacts_email", ["email"], unique=False)
    op.create_table(
        "slack_channels",
        sa.Column("escalation_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("channel_id", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        _moment("created_at"),
        _moment("archived_at", nullable=True),
        sa.ForeignKeyConstraint(["escalation_id"], ["escalations.id"]),
        sa.PrimaryKeyConstraint("escalation_id"),
        sa.UniqueConstraint("channel_id"),
    )
    op.create_table(
        "delivery_steps",
        sa.Column("message_id", BIG_ID, autoincrement=False, nullable=False),
        sa.Column("step", sa.String(length=40), nullable=False),
        _moment("started_at"),
        _moment("finished_at", nullable=True),
        sa.Column("data", JSON, nullable=False),
        sa.PrimaryKeyConstraint("message_id", "step"),
    )
    op.create_table(
        "email_threads",
        sa.Column("thread", sa.String(length=400), nullable=False),
        sa.Column("message_id", BIG_ID, autoincrement=False, nullable=False),
        sa.Column("header_id", sa.String(length=250), nullable=False),
        _moment("placed_at"),
        sa.PrimaryKeyConstraint("thread", "message_id"),
    )
    op.create_table(
        "calendar_series",
        sa.Column("uid", sa.String(length=200), nullable=False),
        sa.Column("escalation_id", sa.Integer(), nullable=True),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("last_message_id", sa.BigInteger(), nullable=False),
        sa.Column("cadence", JSON, nullable=False),
        sa.Column("attendees", JSON, nullable=False),
        sa.Column("previous_attendees", JSON, nullable=False),
        sa.Column("cancelled", sa.Boolean(), nullable=False),
        _moment("updated_at"),
        sa.ForeignKeyConstraint(["escalation_id"], ["escalations.id"]),
        sa.PrimaryKeyConstraint("uid"),
    )
    with op.batch_alter_table("calendar_series", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_calendar_series_escalation_id"), ["escalation_id"], unique=False
        )
    op.create_table(
        "calendar_feeds",
        sa.Column("person_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("token", sa.String(length=64), nullable=False),
        _moment("created_at"),
        sa.ForeignKeyConstraint(["person_id"], ["people.id"]),
        sa.PrimaryKeyConstraint("person_id"),
        sa.UniqueConstraint("token"),
    )
    op.create_table(
        "webhook_subscriptions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("url", sa.String(length=2000), nullable=False),
        sa.Column("secret", sa.String(length=100), nullable=False),
        sa.Column("event_types", JSON, nullable=False),
        sa.Column("description", sa.String(length=200), nullable=False),
        _moment("created_at"),
        _moment("disabled_at", nullable=True),
        sa.Column("disabled_reason", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "webhook_deliveries",
        sa.Column("id", BIG_ID, nullable=False),
        sa.Column("subscription_id", sa.Integer(), nullable=False),
        sa.Column("message_id", sa.BigInteger(), nullable=False),
        sa.Column("webhook_id", sa.String(length=64), nullable=False),
        sa.Column("event_type", sa.String(length=100), nullable=False),
        _moment("attempted_at"),
        sa.Column("status_code", sa.Integer(), nullable=True),
        sa.Column("ok", sa.Boolean(), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("duration_ms", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["subscription_id"], ["webhook_subscriptions.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("webhook_deliveries", schema=None) as batch_op:
        batch_op.create_index(
            "ix_webhook_deliveries_subscription", ["subscription_id", "id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("webhook_deliveries", schema=None) as batch_op:
        batch_op.drop_index("ix_webhook_deliveries_subscription")
    op.drop_table("webhook_deliveries")
    op.drop_table("webhook_subscriptions")
    op.drop_table("calendar_feeds")
    with op.batch_alter_table("calendar_series", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_calendar_series_escalation_id"))
    op.drop_table("calendar_series")
    op.drop_table("email_threads")
    op.drop_table("delivery_steps")
    op.drop_table("slack_channels")
    with op.batch_alter_table("customer_contacts", schema=None) as batch_op:
        batch_op.drop_index("ix_customer_contacts_email")
    op.drop_table("customer_contacts")
