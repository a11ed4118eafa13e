"""Slack kept current and replays refused across processes: the opening message's ts and the
version it shows, and the signed Slack requests heard within the five-minute window.

Escalations opened before keep their opening message current too: its ts is read back from
the receipt of the delivered opening post (the outbox keeps what Slack answered).

Revision ID: 0018
Revises: 0020
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import escdesk.store.types

revision = "0018"
down_revision = "0020"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("slack_channels") as batch_op:
        batch_op.add_column(sa.Column("opening_ts", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("opening_version", sa.Integer(), nullable=True))
    _recorded_openings()
    op.create_table(
        "slack_requests_heard",
        sa.Column("signature", sa.String(length=100), nullable=False),
        sa.Column("stamp", sa.BigInteger(), nullable=False),
        sa.Column("heard_at", escdesk.store.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("signature"),
    )
    with op.batch_alter_table("slack_requests_heard") as batch_op:
        batch_op.create_index("ix_slack_requests_heard_stamp", ["stamp"], unique=False)


def _recorded_openings() -> None:
    json = escdesk.store.types.JsonColumn
    outbox = sa.table(
        "outbox",
        sa.column("id", sa.BigInteger()),
        sa.column("escalation_id", sa.Integer()),
        sa.column("kind", sa.String()),
        sa.column("state", sa.String()),
        sa.column("payload", json),
        sa.column("receipt", json),
    )
    channels = sa.table(
        "slack_channels", sa.column("escalation_id", sa.Integer()), sa.column("opening_ts")
    )
    bind = op.get_bind()
    delivered = bind.execute(
        sa.select(outbox.c.escalation_id, outbox.c.payload, outbox.c.receipt)
        .where(
            outbox.c.kind == "slack.post",
            outbox.c.state == "delivered",
            outbox.c.escalation_id.is_not(None),
        )
        .order_by(outbox.c.id)
    )
    for escalation_id, payload, receipt in delivered:
        if (payload or {}).get("template") != "opening" or not (receipt or {}).get("ts"):
            continue
        bind.execute(
            channels.update()
            .where(channels.c.escalation_id == escalation_id, channels.c.opening_ts.is_(None))
            .values(opening_ts=str(receipt["ts"]))
        )


def downgrade() -> None:
    with op.batch_alter_table("slack_requests_heard") as batch_op:
        batch_op.drop_index("ix_slack_requests_heard_stamp")
    op.drop_table("slack_requests_heard")
    with op.batch_alter_table("slack_channels") as batch_op:
        batch_op.drop_column("opening_version")
        batch_op.drop_column("opening_ts")
