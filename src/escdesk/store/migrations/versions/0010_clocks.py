"""Service clocks (R-SLA-1…3): working calendars, the calendar of each account, breaches.

Revision ID: 0010
Revises: 0009
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy import Text
from sqlalchemy.dialects import postgresql

import escdesk.store.types

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), "postgresql")


def _moment(name: str, nullable: bool = False) -> sa.Column:  # type: ignore[type-arg]
    return sa.Column(name, escdesk.store.types.UTCDateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "working_calendars",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("hours", JSON, nullable=False),
        sa.Column("holidays", sa.String(length=20), nullable=True),
        sa.Column("holiday_dates", JSON, nullable=False),
        sa.Column("closed_dates", JSON, nullable=False),
        sa.Column("is_default", sa.Boolean(), nullable=False),
        _moment("created_at"),
        _moment("updated_at"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("name"),
    )
    op.create_table(
        "account_calendars",
        sa.Column("account_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("calendar_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["account_id"], ["accounts.id"]),
        sa.ForeignKeyConstraint(["calendar_id"], ["working_calendars.id"]),
        sa.PrimaryKeyConstraint("account_id"),
    )
    op.create_table(
        "breaches",
        sa.Column("id", BIG_ID, nullable=False),
        sa.Column("escalation_id", sa.Integer(), nullable=False),
        sa.Column("audience", sa.String(length=20), nullable=False),
        _moment("due_at"),
        _moment("detected_at"),
        _moment("resolved_at", nullable=True),
        sa.Column("severity", sa.String(length=20), nullable=False),
        sa.Column("dri_id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["account_id"], ["accounts.id"]),
        sa.ForeignKeyConstraint(["dri_id"], ["people.id"]),
        sa.ForeignKeyConstraint(["escalation_id"], ["escalations.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("escalation_id", "audience", "due_at", name="uq_breaches_due"),
    )
    with op.batch_alter_table("breaches", schema=None) as batch_op:
        batch_op.create_index("ix_breaches_open", ["resolved_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("breaches", schema=None) as batch_op:
        batch_op.drop_index("ix_breaches_open")
    op.drop_table("breaches")
    op.drop_table("account_calendars")
    op.drop_table("working_calendars")
