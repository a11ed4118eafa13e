"""Intake and triage (R-INT-1, R-TRI-1…3): escalation requests, their linked tickets and
decisions, education items and triage meetings.

Revision ID: 0011
Revises: 0009
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy import Text
from sqlalchemy.dialects import postgresql

import escdesk.store.types

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), "postgresql")


def _moment(name: str, nullable: bool = False) -> sa.Column:  # type: ignore[type-arg]
    return sa.Column(name, escdesk.store.types.UTCDateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "escalation_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("problem", sa.Text(), nullable=False),
        sa.Column("problem_type", sa.String(length=20), nullable=False),
        sa.Column("proposed_severity", sa.String(length=20), nullable=False),
        sa.Column("workarounds", sa.Text(), nullable=False),
        sa.Column("difficulty", sa.String(length=20), nullable=False),
        sa.Column("dependencies", sa.Text(), nullable=False),
        sa.Column("business_status", sa.String(length=20), nullable=False),
        sa.Column("arr", sa.BigInteger(), nullable=False),
        sa.Column("deal_size", sa.BigInteger(), nullable=True),
        sa.Column("expected_close", sa.String(length=10), nullable=True),
        sa.Column("other_customers", sa.Integer(), nullable=False),
        sa.Column("happiness_confirmed", sa.Boolean(), nullable=False),
        sa.Column("similar_accounts", sa.Integer(), nullable=False),
        sa.Column("skills", JSON, nullable=False),
        sa.Column("requester_id", sa.Integer(), nullable=True),
        _moment("filed_at"),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("withdrawn_reason", sa.Text(), nullable=True),
        _moment("first_decided_at", nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["account_id"], ["accounts.id"]),
        sa.ForeignKeyConstraint(["requester_id"], ["people.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_escalation_requests_status", "escalation_requests", ["status", "filed_at"])
    op.create_index("ix_escalation_requests_account", "escalation_requests", ["account_id"])
    op.create_table(
        "request_tickets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("ticket_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("external_id", sa.String(length=200), nullable=True),
        sa.Column("url", sa.String(length=1000), nullable=True),
        sa.ForeignKeyConstraint(["request_id"], ["escalation_requests.id"]),
        sa.ForeignKeyConstraint(["ticket_id"], ["tickets.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_request_tickets_request_id", "request_tickets", ["request_id"])
    op.create_table(
        "education_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("gap", sa.Text(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        _moment("due"),
        _moment("created_at"),
        _moment("done_at", nullable=True),
        sa.ForeignKeyConstraint(["request_id"], ["escalation_requests.id"]),
        sa.ForeignKeyConstraint(["owner_id"], ["people.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_education_items_request_id", "education_items", ["request_id"])
    op.create_table(
        "triage_meetings",
        sa.Column("id", sa.Integer(), nullable=False),
        _moment("held_at"),
        sa.Column("attendees", JSON, nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("recorded_by", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["recorded_by"], ["people.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "request_decisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("outcome", sa.String(length=20), nullable=False),
        sa.Column("rationale", sa.Text(), nullable=False),
        sa.Column("by_id", sa.Integer(), nullable=True),
        _moment("decided_at"),
        sa.Column("release", sa.String(length=100), nullable=True),
        sa.Column("escalation_id", sa.Integer(), nullable=True),
        sa.Column("education_id", sa.Integer(), nullable=True),
        sa.Column("meeting_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["request_id"], ["escalation_requests.id"]),
        sa.ForeignKeyConstraint(["by_id"], ["people.id"]),
        sa.ForeignKeyConstraint(["escalation_id"], ["escalations.id"]),
        sa.ForeignKeyConstraint(["education_id"], ["education_items.id"]),
        sa.ForeignKeyConstraint(["meeting_id"], ["triage_meetings.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_request_decisions_request_id", "request_decisions", ["request_id"])
    op.create_index("ix_request_decisions_escalation_id", "request_decisions", ["escalation_id"])


def downgrade() -> None:
    op.drop_table("request_decisions")
    op.drop_table("triage_meetings")
    op.drop_table("education_items")
    op.drop_table("request_tickets")
    op.drop_table("escalation_requests")
