"""Slack kept current and replays refused across processes: the opening message's ts and the
version it shows, and the signed Slack requests heard within the five-minute window.

Revision ID: 0018
Revises: 0015
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import escdesk.store.types

revision = "0018"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("slack_channels") as batch_op:
        batch_op.add_column(sa.Column("opening_ts", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("opening_version", sa.Integer(), nullable=True))
    op.create_table(
        "slack_requests_heard",
        sa.Column("signature", sa.String(length=100), nullable=False),
        sa.Column("stamp", sa.BigInteger(), nullable=False),
        sa.Column("heard_at", escdesk.store.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("signature"),
    )
    with op.batch_alter_table("slack_requests_heard") as batch_op:
        batch_op.create_index("ix_slack_requests_heard_stamp", ["stamp"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("slack_requests_heard") as batch_op:
        batch_op.drop_index("ix_slack_requests_heard_stamp")
    op.drop_table("slack_requests_heard")
    with op.batch_alter_table("slack_channels") as batch_op:
        batch_op.drop_column("opening_version")
        batch_op.drop_column("opening_ts")
