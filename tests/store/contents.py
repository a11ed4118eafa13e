"""What the database holds, table by table, to prove that a refused writer left nothing behind."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, select

from escdesk.store.tables import Base

CORE_TABLES = frozenset(
    {
        "people",
        "accounts",
        "escalations",
        "escalation_updates",
        "exit_criteria",
        "eta_changes",
        "owner_changes",
        "events",
        "outbox",
    }
)
"""An escalation's row and the tables its keys name: what naming it maps, and all that a
JSON list of escalations may map."""

WRITTEN_BY_CHANGES = (
    "accounts",
    "escalations",
    "escalation_updates",
    "exit_criteria",
    "eta_changes",
    "owner_changes",
    "events",
    "outbox",
    "recurring_issues",
    "issue_escalations",
    "issue_tickets",
)


def database_contents(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table a change can write, in primary-key order."""
    with engine.connect() as connection:
        return {
            name: [
                tuple(row)
                for row in connection.execute(select(table).order_by(*table.primary_key.columns))
            ]
            for name, table in Base.metadata.tables.items()
            if name in WRITTEN_BY_CHANGES
        }
