"""After the escalation (R-RCA-1/2, R-FIX-1/2/3): retrospectives and their follow-up actions,
support-written fixes, the interim releases that ship them, and engineering links.

Revision ID: 0012
Revises: 0009
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy import Text
from sqlalchemy.dialects import postgresql

import escdesk.store.types

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), "postgresql")


def _moment(name: str, nullable: bool = False) -> sa.Column:  # type: ignore[type-arg]
    return sa.Column(name, escdesk.store.types.UTCDateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "retrospectives",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("escalation_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        _moment("opened_at"),
        _moment("due_at"),
        sa.Column("root_cause", sa.String(length=30), nullable=True),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("internal_notes", sa.Text(), nullable=False),
        sa.Column("missed", JSON, nullable=False),
        sa.Column("annotations", JSON, nullable=False),
        _moment("completed_at", nullable=True),
        sa.Column("overdue_told", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["escalation_id"], ["escalations.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("escalation_id"),
    )
    op.create_table(
        "follow_ups",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("retrospective_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=500), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("team", sa.String(length=80), nullable=False),
        _moment("due_at"),
        _moment("created_at"),
        _moment("done_at", nullable=True),
        sa.Column("reminders_sent", sa.Integer(), nullable=False),
        sa.Column("tracker_url", sa.String(length=2000), nullable=True),
        sa.ForeignKeyConstraint(["owner_id"], ["people.id"]),
        sa.ForeignKeyConstraint(["retrospective_id"], ["retrospectives.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("follow_ups", schema=None) as batch_op:
        batch_op.create_index("ix_follow_ups_open", ["done_at", "due_at"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_follow_ups_retrospective_id"), ["retrospective_id"], unique=False
        )
    op.create_table(
        "releases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("release_version", sa.String(length=40), nullable=False),
        sa.Column("planned_on", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        _moment("created_at"),
        _moment("shipped_at", nullable=True),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("release_version"),
    )
    op.create_table(
        "fixes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("url", sa.String(length=2000), nullable=True),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("escalation_id", sa.Integer(), nullable=True),
        sa.Column("recurring_issue_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("review_note", sa.Text(), nullable=True),
        sa.Column("reviewed_by", sa.Integer(), nullable=True),
        _moment("reviewed_at", nullable=True),
        sa.Column("release_id", sa.Integer(), nullable=True),
        sa.Column("position", sa.Integer(), nullable=True),
        _moment("submitted_at"),
        _moment("reported_at", nullable=True),
        _moment("shipped_at", nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["author_id"], ["people.id"]),
        sa.ForeignKeyConstraint(["escalation_id"], ["escalations.id"]),
        sa.ForeignKeyConstraint(["recurring_issue_id"], ["recurring_issues.id"]),
        sa.ForeignKeyConstraint(["release_id"], ["releases.id"]),
        sa.ForeignKeyConstraint(["reviewed_by"], ["people.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("fixes", schema=None) as batch_op:
        for column in ("escalation_id", "recurring_issue_id", "release_id", "status"):
            batch_op.create_index(batch_op.f(f"ix_fixes_{column}"), [column], unique=False)

    op.create_table(
        "engineering_links",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("subject_type", sa.String(length=20), nullable=False),
        sa.Column("subject_id", sa.Integer(), nullable=False),
        sa.Column("url", sa.String(length=2000), nullable=False),
        sa.Column("tracker", sa.String(length=10), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("key", sa.String(length=300), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("remote_status", sa.String(length=80), nullable=True),
        _moment("created_at"),
        sa.Column("created_by", sa.Integer(), nullable=True),
        _moment("checked_at", nullable=True),
        _moment("closed_at", nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["created_by"], ["people.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint(
            "subject_type", "subject_id", "url", name="uq_engineering_links_subject"
        ),
    )
    with op.batch_alter_table("engineering_links", schema=None) as batch_op:
        batch_op.create_index("ix_engineering_links_state", ["state"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("engineering_links", schema=None) as batch_op:
        batch_op.drop_index("ix_engineering_links_state")
    op.drop_table("engineering_links")
    with op.batch_alter_table("fixes", schema=None) as batch_op:
        for column in ("escalation_id", "recurring_issue_id", "release_id", "status"):
            batch_op.drop_index(batch_op.f(f"ix_fixes_{column}"))
    op.drop_table("fixes")
    op.drop_table("releases")
    with op.batch_alter_table("follow_ups", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_follow_ups_retrospective_id"))
        batch_op.drop_index("ix_follow_ups_open")
    op.drop_table("follow_ups")
    op.drop_table("retrospectives")
