"""What the scheduler reads and writes in one pass, in a handful of set-based queries: the
clocks of every open escalation, reminders into the outbox (a repeat key is skipped, not an
error), and breaches recorded once."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from escdesk.domain.calendars import WorkingCalendar
from escdesk.services.scheduler import BreachSeen, ClockRow, Queued
from escdesk.store.calendar_repository import CalendarRepository
from escdesk.store.outbox_repository import outbox_row
from escdesk.store.tables import BreachRow, EscalationRow, OutboxRow, PersonRow

BATCH = 1000


class SchedulerRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def open_clocks(self) -> list[ClockRow]:
        query = (
            select(
                EscalationRow.id,
                EscalationRow.severity,
                EscalationRow.customer,
                EscalationRow.channel,
                EscalationRow.dri_id,
                PersonRow.name,
                EscalationRow.account_id,
                EscalationRow.opened_at,
                EscalationRow.next_internal_update_due,
                EscalationRow.next_customer_update_due,
            )
            .join(PersonRow, PersonRow.id == EscalationRow.dri_id)
            .where(EscalationRow.status != "closed")
            .order_by(EscalationRow.id)
        )
        return [ClockRow(*row) for row in self.session.execute(query)]

    def calendars(self, account_ids: set[int]) -> dict[int, WorkingCalendar]:
        return CalendarRepository(self.session).for_accounts(account_ids)

    def enqueue(self, queued: Sequence[Queued], now: datetime) -> int:
        """Insert the reminders whose key is new; the rest were sent for that due moment."""
        if not queued:
            return 0
        rows = [
            _values(outbox_row(q.message, "reminder", q.escalation_id, q.change, q.position, now))
            | {"escalation_id": q.escalation_id}
            for q in queued
        ]
        statement = self._insert(OutboxRow.__table__).on_conflict_do_nothing(
            index_elements=["idempotency_key"]
        )
        return self._many(statement.returning(OutboxRow.__table__.c.id), rows)

    def record_breaches(self, seen: Sequence[BreachSeen], now: datetime) -> int:
        if not seen:
            return 0
        rows = [
            {
                "escalation_id": b.escalation_id,
                "audience": b.audience,
                "due_at": b.due_at,
                "detected_at": now,
                "resolved_at": None,
                "severity": b.severity,
                "dri_id": b.dri_id,
                "account_id": b.account_id,
            }
            for b in seen
        ]
        keys = ["escalation_id", "audience", "due_at"]
        statement = self._insert(BreachRow.__table__).on_conflict_do_nothing(index_elements=keys)
        return self._many(statement.returning(BreachRow.__table__.c.id), rows)

    def resolve_breaches(self, still_due: set[tuple[int, str, datetime]], now: datetime) -> int:
        """Breaches whose clock has moved on (an update came, or the escalation closed)."""
        open_rows = self.session.execute(
            select(
                BreachRow.id, BreachRow.escalation_id, BreachRow.audience, BreachRow.due_at
            ).where(BreachRow.resolved_at.is_(None))
        ).all()
        done = [i for i, e, a, d in open_rows if (e, a, d) not in still_due]
        if done:
            self.session.execute(
                update(BreachRow).where(BreachRow.id.in_(done)).values(resolved_at=now)
            )
        return len(done)

    def _many(self, statement: Any, rows: list[dict[str, Any]]) -> int:
        """One statement compiled once, executed for all rows; the number actually inserted."""
        connection = self.session.connection()
        return sum(
            len(connection.execute(statement, rows[i : i + BATCH]).all())
            for i in range(0, len(rows), BATCH)
        )

    def _insert(self, table: Any) -> Any:
        dialect = postgresql if self.session.get_bind().dialect.name == "postgresql" else sqlite
        statement: Insert = dialect.insert(table)
        return statement


def _values(row: OutboxRow) -> dict[str, Any]:
    return {
        "idempotency_key": row.idempotency_key,
        "subject_type": row.subject_type,
        "subject_id": row.subject_id,
        "kind": row.kind,
        "destination": row.destination,
        "payload": row.payload,
        "created_at": row.created_at,
        "next_attempt_at": row.next_attempt_at,
        "attempts": row.attempts,
        "state": row.state,
    }
