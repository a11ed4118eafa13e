"""Optimistic concurrency for every aggregate: a save claims the version it was loaded at.

A repository remembers, for each aggregate it handed out, the version and the column values it
was loaded with (`Tracked`). Saving a changed aggregate is one conditional statement,

    UPDATE <table> SET <columns>, version = v + 1 WHERE id = :id AND version = v

and exactly one row must change: none means another writer committed since this unit of work
loaded v, and the unit of work fails with a Conflict before it writes any child row, audit event
or outbox row. The check never depends on what the session happens to cache: the loaded version
is kept here, not re-read. On PostgreSQL the UPDATE takes the row lock, so a concurrent writer
waits for the winner and then finds the version gone; on SQLite the write lock does the same.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar, cast

from sqlalchemy import CursorResult, select, update
from sqlalchemy.orm import Session

from escdesk.domain.errors import Conflict

if TYPE_CHECKING:  # a save names its own table; this module maps none of them
    from escdesk.store.tables import (
        AccountRow,
        EscalationRequestRow,
        EscalationRow,
        FixRow,
        RecurringIssueRow,
        ReleaseRow,
        RetrospectiveRow,
    )

    VersionedTable = (
        type[AccountRow]
        | type[EscalationRow]
        | type[RecurringIssueRow]
        | type[EscalationRequestRow]
        | type[RetrospectiveRow]
        | type[FixRow]
        | type[ReleaseRow]
    )

A = TypeVar("A")


@dataclass
class Tracked(Generic[A]):
    """An aggregate as this unit of work loaded (or last saved) it."""

    aggregate: A
    version: int
    columns: dict[str, Any]
    children: Any = None
    fresh: bool = False
    """Inserted by this transaction, so no one else can have changed it yet."""


def claim_version(
    session: Session,
    table: VersionedTable,
    kind: str,
    key: int,
    loaded: int,
    columns: dict[str, Any],
) -> int:
    """Write `columns` over the row as it was at version `loaded`; the new version, or Conflict."""
    statement = (
        update(table)
        .where(table.id == key, table.version == loaded)
        .values({**columns, "version": loaded + 1})
        .execution_options(synchronize_session=False)
    )
    result = cast(CursorResult[Any], session.execute(statement))
    if result.rowcount != 1:
        current = session.scalar(select(table.version).where(table.id == key))
        raise Conflict(kind, key, current)
    return loaded + 1
