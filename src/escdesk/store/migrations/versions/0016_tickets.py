"""Verdicts on pairs of similar tickets (R-REC-2): duplicate or not related, one per pair.

Revision ID: 0016
Revises: 0012
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import escdesk.store.types

revision = "0016"
down_revision = "0012"
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "ticket_judgements",
        sa.Column("id", BigId, nullable=False),
        sa.Column("ticket_id", BigId, nullable=False),
        sa.Column("other_id", BigId, nullable=False),
        sa.Column("verdict", sa.String(length=20), nullable=False),
        sa.Column("judged_at", escdesk.store.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("judged_by", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["ticket_id"], ["tickets.id"]),
        sa.ForeignKeyConstraint(["other_id"], ["tickets.id"]),
        sa.ForeignKeyConstraint(["judged_by"], ["people.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("ticket_id", "other_id", name="uq_ticket_judgements_pair"),
    )
    with op.batch_alter_table("ticket_judgements") as batch_op:
        batch_op.create_index("ix_ticket_judgements_other", ["other_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("ticket_judgements") as batch_op:
        batch_op.drop_index("ix_ticket_judgements_other")
    op.drop_table("ticket_judgements")
