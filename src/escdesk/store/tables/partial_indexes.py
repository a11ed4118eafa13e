"""The partial indexes of the tables every command maps, attached when the whole schema is.

A partial index is written with each dialect's own option (`sqlite_where`, `postgresql_where`),
and SQLAlchemy imports a dialect to check its options: declared on the class, they would import
the PostgreSQL dialect into every command on SQLite (and SQLite's into every one on PostgreSQL).
Only DDL and Alembic read an index, and both ask for the whole schema (`tables.Base`), which
imports this module.
"""

from __future__ import annotations

from sqlalchemy import Index, text

from escdesk.store.tables.core import OutboxRow

# Pending or failing: the rows a worker may still deliver (domain.messages.DeliveryState).
OPEN_ROWS = "state IN ('pending', 'failed')"

# The worker's "first in line per destination" reads open rows only.
OUTBOX_OPEN_LINE = Index(
    "ix_outbox_open_line",
    OutboxRow.__table__.c.destination,
    OutboxRow.__table__.c.id,
    postgresql_where=text(OPEN_ROWS),
    sqlite_where=text(OPEN_ROWS),
)
