"""One pass of the scheduler (R-ESC-6, R-ESC-10, R-SLA-3): reminders and breaches at `now`.

The worker runs this every 20 seconds or so. The rules are the domain's (`domain.reminders`); this
module reads every open escalation's clocks at once, asks the rules, and writes what is due:
reminders into the outbox — keyed by the due moment they are about, so a reminder already
written (by this worker before a restart, or by another worker) is skipped — and each missed
due moment into the breaches, once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from escdesk.domain import clock
from escdesk.domain.calendars import TWENTY_FOUR_SEVEN, WorkingCalendar
from escdesk.domain.clock import Audience
from escdesk.domain.messages import MessageKind, OutboxMessage
from escdesk.domain.reminders import (
    OpenClocks,
    ReminderPolicy,
    Snooze,
    reminder_text,
    reminders_due,
)
from escdesk.domain.severity import Severity, SeverityPolicy
from escdesk.domain.standups import StandupPlan


@dataclass(frozen=True)
class ClockRow:
    escalation_id: int
    severity: str
    customer: str
    channel: str
    dri_id: int
    dri_name: str
    account_id: int
    opened_at: datetime
    internal_due: datetime | None
    customer_due: datetime | None
    dri_timezone: str = "UTC"
    standup: StandupPlan | None = None
    snoozes: tuple[Snooze, ...] = ()


@dataclass(frozen=True)
class Queued:
    message: OutboxMessage
    escalation_id: int
    change: int  # the due moment, in seconds since the epoch: the key says which one
    position: int


@dataclass(frozen=True)
class BreachSeen:
    escalation_id: int
    audience: str
    due_at: datetime
    severity: str
    dri_id: int
    account_id: int


class SchedulerStore(Protocol):
    def open_clocks(self) -> list[ClockRow]: ...
    def calendars(self, account_ids: set[int]) -> dict[int, WorkingCalendar]: ...
    def enqueue(self, queued: Sequence[Queued], now: datetime) -> int: ...
    def record_breaches(self, seen: Sequence[BreachSeen], now: datetime) -> int: ...
    def resolve_breaches(self, still_due: set[tuple[int, str, datetime]], now: datetime) -> int: ...


@dataclass(frozen=True)
class PassReport:
    open_escalations: int
    reminders_due: int
    reminders_written: int
    breaches_recorded: int
    breaches_resolved: int


def scheduler_pass(
    store: SchedulerStore,
    now: datetime,
    policy: SeverityPolicy,
    reminders: ReminderPolicy,
    base_url: str,
) -> PassReport:
    rows = store.open_clocks()
    calendars = store.calendars({r.account_id for r in rows}) if rows else {}
    queued: list[Queued] = []
    breaches: list[BreachSeen] = []
    still_due: set[tuple[int, str, datetime]] = set()
    for row in rows:
        level = policy[Severity(row.severity)]
        clocks = OpenClocks(
            escalation_id=row.escalation_id,
            severity=row.severity,
            customer=row.customer,
            channel=row.channel,
            dri_id=row.dri_id,
            internal_due=row.internal_due,
            customer_due=row.customer_due,
            internal_every=level.internal_update_every,
            customer_every=level.customer_update_every,
            next_standup=(
                row.standup.next_after(now)
                if row.standup
                else clock.next_standup(row.opened_at, level, now)
            ),
            calendar=calendars.get(row.account_id, TWENTY_FOUR_SEVEN),
            snoozes=row.snoozes,
            dri_timezone=row.dri_timezone,
        )
        dues = ((Audience.INTERNAL, row.internal_due), (Audience.CUSTOMER, row.customer_due))
        for audience, due in dues:
            if due is not None and due <= now:  # a breach, snoozed reminder or not
                still_due.add((row.escalation_id, audience.value, due))
                breaches.append(
                    BreachSeen(
                        row.escalation_id,
                        audience.value,
                        due,
                        row.severity,
                        row.dri_id,
                        row.account_id,
                    )
                )
        tracker = f"{base_url.rstrip('/')}/escalations/{row.escalation_id}/tracker"
        for reminder in reminders_due(clocks, now, reminders):
            text = reminder_text(clocks, reminder, row.dri_name, tracker)
            payload = {
                "text": text,
                "reminder": reminder.kind.value,
                "audience": reminder.audience.value if reminder.audience else None,
                "due": reminder.due.isoformat(),
                "dri_id": row.dri_id,
                "escalation_id": row.escalation_id,
                "tracker_url": tracker,
            }
            message = OutboxMessage(MessageKind.POST, row.channel, payload)
            change = int(reminder.due.timestamp())
            queued.append(Queued(message, row.escalation_id, change, reminder.position))
    written = store.enqueue(queued, now)
    recorded = store.record_breaches(breaches, now)
    resolved = store.resolve_breaches(still_due, now)
    return PassReport(len(rows), len(queued), written, recorded, resolved)
