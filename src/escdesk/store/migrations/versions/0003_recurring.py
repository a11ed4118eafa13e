"""Recurring issues (R-REC): imported tickets, import runs, clusters, issues and their links.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy import Text
from sqlalchemy.dialects import postgresql

import escdesk.store.types

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), "postgresql")


def _moment(name: str, nullable: bool = False) -> sa.Column:  # type: ignore[type-arg]
    return sa.Column(name, escdesk.store.types.UTCDateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "recurring_issues",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(length=200), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("named", sa.Boolean(), nullable=False),
        sa.Column("fix_reference", sa.String(length=500), nullable=True),
        sa.Column("release", sa.String(length=200), nullable=True),
        _moment("fixed_at", nullable=True),
        sa.Column("merged_into", sa.Integer(), nullable=True),
        _moment("created_at"),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["merged_into"], ["recurring_issues.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "ticket_imports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=100), nullable=False),
        sa.Column("format", sa.String(length=20), nullable=False),
        sa.Column("file_name", sa.String(length=500), nullable=False),
        _moment("started_at"),
        sa.Column("written", sa.Integer(), nullable=False),
        sa.Column("skipped", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "tickets",
        sa.Column("id", BIG_ID, nullable=False),
        sa.Column("source", sa.String(length=100), nullable=False),
        sa.Column("external_id", sa.String(length=200), nullable=False),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("account", sa.Text(), nullable=True),
        sa.Column("product_area", sa.Text(), nullable=True),
        sa.Column("component", sa.Text(), nullable=True),
        sa.Column("priority", sa.Text(), nullable=True),
        sa.Column("status", sa.Text(), nullable=True),
        _moment("created_at"),
        _moment("solved_at", nullable=True),
        sa.Column("tags", JSON, nullable=False),
        sa.Column("import_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["import_id"], ["ticket_imports.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("source", "external_id", name="uq_tickets_source_external_id"),
    )
    with op.batch_alter_table("tickets", schema=None) as batch_op:
        batch_op.create_index("ix_tickets_created", ["created_at"], unique=False)
        batch_op.create_index("ix_tickets_external_id", ["external_id"], unique=False)
        batch_op.create_index("ix_tickets_import", ["import_id"], unique=False)
    op.create_table(
        "issue_tickets",
        sa.Column("ticket_id", BIG_ID, autoincrement=False, nullable=False),
        sa.Column("cluster_id", BIG_ID, nullable=False),
        sa.Column("issue_id", sa.Integer(), nullable=True),
        sa.Column("neighbour_id", BIG_ID, nullable=True),
        sa.Column("similarity", sa.Float(), nullable=True),
        sa.ForeignKeyConstraint(["issue_id"], ["recurring_issues.id"]),
        sa.ForeignKeyConstraint(["ticket_id"], ["tickets.id"]),
        sa.PrimaryKeyConstraint("ticket_id"),
    )
    with op.batch_alter_table("issue_tickets", schema=None) as batch_op:
        batch_op.create_index("ix_issue_tickets_cluster", ["cluster_id"], unique=False)
        batch_op.create_index("ix_issue_tickets_issue", ["issue_id"], unique=False)
    op.create_table(
        "issue_escalations",
        sa.Column("issue_id", sa.Integer(), nullable=False),
        sa.Column("escalation_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["escalation_id"], ["escalations.id"]),
        sa.ForeignKeyConstraint(["issue_id"], ["recurring_issues.id"]),
        sa.PrimaryKeyConstraint("issue_id", "escalation_id"),
    )
    with op.batch_alter_table("issue_escalations", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_issue_escalations_escalation_id"), ["escalation_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("issue_escalations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_issue_escalations_escalation_id"))
    op.drop_table("issue_escalations")
    with op.batch_alter_table("issue_tickets", schema=None) as batch_op:
        batch_op.drop_index("ix_issue_tickets_issue")
        batch_op.drop_index("ix_issue_tickets_cluster")
    op.drop_table("issue_tickets")
    with op.batch_alter_table("tickets", schema=None) as batch_op:
        batch_op.drop_index("ix_tickets_import")
        batch_op.drop_index("ix_tickets_external_id")
        batch_op.drop_index("ix_tickets_created")
    op.drop_table("tickets")
    op.drop_table("ticket_imports")
    op.drop_table("recurring_issues")
