"""The worker's queue at scale: a partial index of the outbox rows still to deliver.

Finding the oldest open row of each destination scanned every delivered row of that
destination; with this index it reads the backlog only.

Revision ID: 0020
Revises: 0015
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0015"
branch_labels = None
depends_on = None

OPEN_ROWS = "state IN ('pending', 'failed')"


def upgrade() -> None:
    op.create_index(
        "ix_outbox_open_line",
        "outbox",
        ["destination", "id"],
        postgresql_where=sa.text(OPEN_ROWS),
        sqlite_where=sa.text(OPEN_ROWS),
    )


def downgrade() -> None:
    op.drop_index("ix_outbox_open_line", "outbox")
