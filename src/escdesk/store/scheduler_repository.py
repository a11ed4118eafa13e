"""What the scheduler reads and writes in one pass, in a handful of set-based queries: the
clocks of every open escalation, reminders into the outbox (a repeat key is skipped, not an
error), and breaches recorded once."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from escdesk.domain.calendars import WorkingCalendar
from escdesk.domain.events import Event
from escdesk.domain.messages import DeliveryState
from escdesk.domain.reminders import SNOOZED, Snooze, snoozes_from
from escdesk.domain.standups import SET as STANDUP_SET
from escdesk.domain.standups import StandupPlan
from escdesk.services.scheduler import BreachSeen, ClockRow, Queued
from escdesk.store.calendar_repository import CalendarRepository
from escdesk.store.tables import BreachRow, EscalationRow, EventRow, OutboxRow, PersonRow

BATCH = 1000
SUBJECT = "reminder"
RECENT = timedelta(days=35)  # keys read back before inserting; older repeats meet the key


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
                PersonRow.timezone,
            )
            .join(PersonRow, PersonRow.id == EscalationRow.dri_id)
            .where(EscalationRow.status != "closed")
            .order_by(EscalationRow.id)
        )
        plans, snoozes = self._standups(), self._snoozes()
        return [
            ClockRow(*row, standup=plans.get(row[0]), snoozes=tuple(snoozes.get(row[0], ())))
            for row in self.session.execute(query)
        ]

    def _snoozes(self) -> dict[int, list[Snooze]]:
        """Snoozes still running (R-ESC-6): the reminders they hold back."""
        rows = self.session.execute(
            select(EventRow.subject_id, EventRow.occurred_at, EventRow.data)
            .where(EventRow.subject == "escalation", EventRow.type == SNOOZED)
            .order_by(EventRow.id)
        )
        out: dict[int, list[Snooze]] = {}
        for subject_id, at, data in rows:
            found = snoozes_from([Event(SNOOZED, at, None, data)])
            out.setdefault(subject_id, []).extend(found)
        return out

    def _standups(self) -> dict[int, StandupPlan]:
        """The standup cadence each escalation last set (R-ESC-10), in one query."""
        rows = self.session.execute(
            select(EventRow.subject_id, EventRow.data)
            .where(EventRow.subject == "escalation", EventRow.type == STANDUP_SET)
            .order_by(EventRow.id)
        )
        return {subject_id: StandupPlan.from_data(data) for subject_id, data in rows}

    def calendars(self, account_ids: set[int]) -> dict[int, WorkingCalendar]:
        return CalendarRepository(self.session).for_accounts(account_ids)

    def enqueue(self, queued: Sequence[Queued], now: datetime) -> int:
        """Insert the reminders whose key is new; the rest were sent for that due moment.

        The keys written lately are read first so a steady pass sends nothing to insert; the
        unique key, with ON CONFLICT DO NOTHING, is what guarantees "once" (across workers
        and restarts too).
        """
        if not queued:
            return 0
        seen = set(
            self.session.scalars(
                select(OutboxRow.idempotency_key).where(
                    OutboxRow.subject_type == SUBJECT, OutboxRow.created_at >= now - RECENT
                )
            )
        )
        rows = []
        for q in queued:
            key = q.message.key(SUBJECT, q.escalation_id, q.change, q.position)
            if key in seen:
                continue
            seen.add(key)
            rows.append(
                {
                    "idempotency_key": key,
                    "subject_type": SUBJECT,
                    "subject_id": q.escalation_id,
                    "escalation_id": q.escalation_id,
                    "kind": q.message.kind.value,
                    "destination": q.message.destination,
                    "payload": q.message.payload,
                    "created_at": now,
                    "next_attempt_at": now,
                    "attempts": 0,
                    "state": DeliveryState.PENDING.value,
                }
            )
        statement = self._insert(OutboxRow.__table__).on_conflict_do_nothing(
            index_elements=["idempotency_key"]
        )
        return self._many(statement.returning(OutboxRow.__table__.c.id), rows)

    def record_breaches(self, seen: Sequence[BreachSeen], now: datetime) -> int:
        known = {
            (e, a, d)
            for e, a, d in self.session.execute(
                select(BreachRow.escalation_id, BreachRow.audience, BreachRow.due_at).where(
                    BreachRow.resolved_at.is_(None)
                )
            )
        }
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
            if (b.escalation_id, b.audience, b.due_at) not in known
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
