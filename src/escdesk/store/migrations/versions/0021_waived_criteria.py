"""Waived exit criteria (R-ESC-9): an open criterion let go at closing keeps its reason, when it
was waived and by whom, so the customer's status page can say so beside the item.

Revision ID: 0021
Revises: 0023
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import escdesk.store.types

revision = "0021"
down_revision = "0023"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("exit_criteria", schema=None) as batch_op:
        batch_op.add_column(sa.Column("waived_reason", sa.String(length=500), nullable=True))
        batch_op.add_column(
            sa.Column("waived_at", escdesk.store.types.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(sa.Column("waived_by_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            "fk_exit_criteria_waived_by_id", "people", ["waived_by_id"], ["id"]
        )


def downgrade() -> None:
    with op.batch_alter_table("exit_criteria", schema=None) as batch_op:
        batch_op.drop_constraint("fk_exit_criteria_waived_by_id", type_="foreignkey")
        batch_op.drop_column("waived_by_id")
        batch_op.drop_column("waived_at")
        batch_op.drop_column("waived_reason")
