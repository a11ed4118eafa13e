"""Inbound mail (R-SLA-2): customer replies are matched by the Message-IDs escdesk sent, so
those are looked up by value.

Revision ID: 0019
Revises: 0017
"""

from __future__ import annotations

from alembic import op

revision = "0019"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_email_threads_header_id", "email_threads", ["header_id"])


def downgrade() -> None:
    op.drop_index("ix_email_threads_header_id", table_name="email_threads")
