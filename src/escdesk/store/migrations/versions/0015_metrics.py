"""Metrics (R-MET, R-SLA-4): the satisfaction survey sent at closing and its answers.

Revision ID: 0015
Revises: 0012
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import escdesk.store.types

revision = "0015"
down_revision = "0013"
branch_labels = None
depends_on = None


def _moment(name: str, nullable: bool = False) -> sa.Column:  # type: ignore[type-arg]
    return sa.Column(name, escdesk.store.types.UTCDateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "csat_surveys",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("escalation_id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        _moment("sent_at"),
        _moment("expires_at"),
        _moment("answered_at", nullable=True),
        sa.Column("score", sa.Integer(), nullable=True),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["escalation_id"], ["escalations.id"]),
        sa.ForeignKeyConstraint(["account_id"], ["accounts.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("token_hash"),
        sa.UniqueConstraint("escalation_id", "email"),
    )
    op.create_index("ix_csat_surveys_escalation_id", "csat_surveys", ["escalation_id"])
    op.create_index("ix_csat_surveys_sent_at", "csat_surveys", ["sent_at"])
    op.create_index("ix_csat_surveys_answered_at", "csat_surveys", ["answered_at"])


def downgrade() -> None:
    op.drop_index("ix_csat_surveys_answered_at", table_name="csat_surveys")
    op.drop_index("ix_csat_surveys_sent_at", table_name="csat_surveys")
    op.drop_index("ix_csat_surveys_escalation_id", table_name="csat_surveys")
    op.drop_table("csat_surveys")
