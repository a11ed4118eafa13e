"""The account's sentiment is a person's word (seed 004): who set it and when.

Revision ID: 0022
Revises: 0027

Until now an account's sentiment turned `at_risk` by itself when a critical or high escalation
opened (the `marked_at_risk` event), and nothing turned it back. "At risk" is now computed from
an open critical or high escalation and the sentiment a person set, so the stored values that
escdesk set by itself are sorted once:

- an account with an open critical or high escalation keeps `at_risk`, dated by the
  `marked_at_risk` event that set it: it still describes that running escalation, and its
  opening checklist stays done. Nobody is named as its author, since no person chose it;
- every other `at_risk` (its escalation has ended or was lowered) becomes `yellow`: the account
  did have serious trouble, so `green` would claim a recovery nobody confirmed, while `at_risk`
  would keep it on the board for ever. The CSM confirms it on the account's page.

Downgrading drops the two columns; the sentiments stay as they are.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import escdesk.store.types

revision = "0022"
down_revision = "0027"
branch_labels = None
depends_on = None

HIGH_OPEN = (
    "EXISTS (SELECT 1 FROM escalations e WHERE e.account_id = accounts.id "
    "AND e.status != 'closed' AND e.severity IN ('critical', 'high'))"
)
MARKED_AT = (
    "(SELECT max(ev.occurred_at) FROM events ev WHERE ev.subject = 'account' "
    "AND ev.subject_id = accounts.id AND ev.type = 'marked_at_risk')"
)


def upgrade() -> None:
    # Plain ADD/DROP COLUMN, not a batch rebuild: SQLite cannot drop and recreate `accounts`
    # while escalations refer to it. The person is an id as in the audit trail's `actor_id`.
    moment = escdesk.store.types.UTCDateTime(timezone=True)
    op.add_column("accounts", sa.Column("sentiment_set_by_id", sa.Integer(), nullable=True))
    op.add_column("accounts", sa.Column("sentiment_set_at", moment, nullable=True))
    op.execute(
        f"UPDATE accounts SET sentiment = 'yellow' WHERE sentiment = 'at_risk' AND NOT {HIGH_OPEN}"
    )
    op.execute(f"UPDATE accounts SET sentiment_set_at = {MARKED_AT} WHERE sentiment = 'at_risk'")


def downgrade() -> None:
    op.drop_column("accounts", "sentiment_set_at")
    op.drop_column("accounts", "sentiment_set_by_id")
