"""Fixes attached to escalation requests, and follow-ups mirrored as new tracker issues.

A support-written fix may now be attached to a request (`fixes.request_id`); a follow-up records
when a new tracker issue was asked for (`follow_ups.tracker_requested_at`), so it is asked once
while the worker creates it.

Revision ID: 0017
Revises: 0018
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import escdesk.store.types

revision = "0017"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("fixes", schema=None) as batch_op:
        batch_op.add_column(sa.Column("request_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_fixes_request_id"), ["request_id"], unique=False)
        batch_op.create_foreign_key(
            "fk_fixes_request_id", "escalation_requests", ["request_id"], ["id"]
        )
    with op.batch_alter_table("follow_ups", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "tracker_requested_at",
                escdesk.store.types.UTCDateTime(timezone=True),
                nullable=True,
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("follow_ups", schema=None) as batch_op:
        batch_op.drop_column("tracker_requested_at")
    with op.batch_alter_table("fixes", schema=None) as batch_op:
        batch_op.drop_constraint("fk_fixes_request_id", type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_fixes_request_id"))
        batch_op.drop_column("request_id")
