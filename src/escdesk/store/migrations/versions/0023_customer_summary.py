"""What the customer reads an escalation is about (R-OPS-2): a summary of its own, set by the
DRI, so the status page and the e-mails never show the team's internal summary.

Revision ID: 0023
Revises: 0022
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0023"
down_revision = "0022"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("escalations", sa.Column("customer_summary", sa.String(200), nullable=True))


def downgrade() -> None:
    # ALTER TABLE … DROP COLUMN in place (SQLite 3.35+ too): rebuilding the table, as a batch
    # operation would, cannot drop it while the escalation's children point at it.
    op.drop_column("escalations", "customer_summary")
