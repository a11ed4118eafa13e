"""How an imported ticket was answered: resolved at the first contact, and the customer's
satisfaction rating, for the first-contact and CSAT figures (R-MET).

Both are nullable: tickets imported before, and exports that do not say, are "unknown" and
left out of the figures rather than counted as failures.

Revision ID: 0027
Revises: 0025
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0027"
down_revision = "0025"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("tickets") as batch:
        batch.add_column(sa.Column("first_contact", sa.Boolean(), nullable=True))
        batch.add_column(sa.Column("satisfied", sa.Boolean(), nullable=True))
    for column in ("first_contact", "satisfied"):
        where = sa.text(f"{column} IS NOT NULL")
        op.create_index(
            f"ix_tickets_{column}",
            "tickets",
            ["solved_at"],
            postgresql_where=where,
            sqlite_where=where,
        )


def downgrade() -> None:
    op.drop_index("ix_tickets_satisfied", "tickets")
    op.drop_index("ix_tickets_first_contact", "tickets")
    with op.batch_alter_table("tickets") as batch:
        batch.drop_column("satisfied")
        batch.drop_column("first_contact")
