"""Outbox delivery (R-OPS-3): any subject, a delivery state, retries and dead letters.

Revision ID: 0004
Revises: 0003

Messages may now belong to any subject (a request, a retrospective, a meeting), not only an
escalation; the worker keeps each row's state (pending, failed, dead, delivered), when to try
next, who holds it and what the peer confirmed. Kinds move to the `<transport>.<action>`
catalogue of `escdesk.domain.messages`.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import escdesk.store.types

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

KINDS = {
    "create_channel": "slack.create_channel",
    "post": "slack.post",
    "archive_channel": "slack.archive",
    "email": "email.internal",
}
SHARED_CHANNEL = "#escalated_customers"


def upgrade() -> None:
    moment = escdesk.store.types.UTCDateTime(timezone=True)
    with op.batch_alter_table("outbox") as batch:
        batch.add_column(
            sa.Column("subject_type", sa.String(40), nullable=False, server_default="escalation")
        )
        batch.add_column(sa.Column("subject_id", sa.BigInteger(), nullable=True))
        batch.add_column(
            sa.Column("state", sa.String(16), nullable=False, server_default="pending")
        )
        batch.add_column(sa.Column("next_attempt_at", moment, nullable=True))
        batch.add_column(sa.Column("claimed_by", sa.String(80), nullable=True))
        batch.add_column(sa.Column("receipt", escdesk.store.types.JsonColumn, nullable=True))
    outbox = sa.table(
        "outbox",
        sa.column("kind", sa.String),
        sa.column("destination", sa.String),
        sa.column("state", sa.String),
        sa.column("delivered_at", moment),
        sa.column("created_at", moment),
        sa.column("next_attempt_at", moment),
        sa.column("subject_id", sa.BigInteger),
        sa.column("escalation_id", sa.Integer),
    )
    for old, new in KINDS.items():
        op.execute(outbox.update().where(outbox.c.kind == old).values(kind=new))
    op.execute(outbox.update().where(outbox.c.delivered_at.is_not(None)).values(state="delivered"))
    op.execute(
        outbox.update().values(
            subject_id=outbox.c.escalation_id, next_attempt_at=outbox.c.created_at
        )
    )
    # The worker's question: what is due, oldest first, per destination.
    op.create_index("ix_outbox_due", "outbox", ["state", "next_attempt_at"])
    op.create_index("ix_outbox_destination", "outbox", ["destination", "id"])
    op.create_index("ix_outbox_subject", "outbox", ["subject_type", "subject_id"])


def downgrade() -> None:
    op.drop_index("ix_outbox_subject", "outbox")
    op.drop_index("ix_outbox_destination", "outbox")
    op.drop_index("ix_outbox_due", "outbox")
    outbox = sa.table("outbox", sa.column("kind", sa.String))
    op.execute(outbox.update().where(outbox.c.kind == "slack.announce").values(kind="post"))
    for old, new in KINDS.items():
        op.execute(outbox.update().where(outbox.c.kind == new).values(kind=old))
    with op.batch_alter_table("outbox") as batch:
        for name in ("receipt", "claimed_by", "next_attempt_at", "state", "subject_id"):
            batch.drop_column(name)
        batch.drop_column("subject_type")
