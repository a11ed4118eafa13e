"""Re-rankers the team trained on its own links (R-REC-2): weights and figures as JSON data.

Revision ID: 0025
Revises: 0019
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import escdesk.store.types

revision = "0025"
down_revision = "0019"
branch_labels = None
depends_on = None

Json = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def upgrade() -> None:
    op.create_table(
        "ranker_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("trained_at", escdesk.store.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("trained_by", sa.Integer(), nullable=True),
        sa.Column("model", Json, nullable=False),
        sa.Column("figures", Json, nullable=False),
        sa.Column("kept", sa.Boolean(), nullable=False),
        sa.Column("in_use", sa.Boolean(), nullable=False),
        sa.Column("replaced", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["trained_by"], ["people.id"]),
        sa.PrimaryKeyConstraint("id"),
    )


def downgrade() -> None:
    op.drop_table("ranker_versions")
