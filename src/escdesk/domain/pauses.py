"""Paused clocks (R-SLA-2): an escalation waiting on the customer stops its customer-update clock.

A pause is two lines of the audit trail — `clock_paused` (a reason, who, when) and
`clock_resumed` (who, when: a person recording the customer's answer, or a customer e-mail reply)
— and nothing else. The due moment of the next customer update is recomputed from those lines
every time (`customer_update_due`), so no counter of "time paused so far" can drift from what
the trail says happened.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from escdesk.domain.calendars import WorkingCalendar
from escdesk.domain.clock import after
from escdesk.domain.errors import InvalidInput, StateRefused
from escdesk.domain.events import Event
from escdesk.domain.people import check_text
from escdesk.domain.severity import Measure

PAUSED = "clock_paused"
RESUMED = "clock_resumed"


@dataclass(frozen=True)
class Pause:
    """The customer-update clock stood still from `start` until `end` (None: it still does)."""

    start: datetime
    reason: str
    by_id: int | None
    end: datetime | None = None
    resumed_by_id: int | None = None
    via: str | None = None

    def ended(self, at: datetime, by_id: int | None, via: str) -> Pause:
        return Pause(self.start, self.reason, self.by_id, at, by_id, via)


def pauses_from(events: Iterable[Event]) -> list[Pause]:
    """The pauses the audit trail records, oldest first."""
    out: list[Pause] = []
    for event in events:
        if event.type == PAUSED:
            out.append(Pause(event.at, str(event.data.get("reason", "")), event.actor_id))
        elif event.type == RESUMED and out and out[-1].end is None:
            out[-1] = out[-1].ended(event.at, event.actor_id, str(event.data.get("via", "")))
    return out


def open_pause(pauses: list[Pause]) -> Pause | None:
    return pauses[-1] if pauses and pauses[-1].end is None else None


def start_pause(pauses: list[Pause], reason: str, by_id: int | None, now: datetime) -> Event:
    if open_pause(pauses) is not None:
        raise StateRefused("the escalation is already waiting on the customer")
    text = check_text(reason, "reason").strip()
    if not text:
        raise InvalidInput("reason", "is missing", "say what the customer is asked for")
    pauses.append(Pause(now, text, by_id))
    return Event(PAUSED, now, by_id, {"reason": text})


def end_pause(
    pauses: list[Pause], by_id: int | None, now: datetime, via: str, sender: str | None = None
) -> Event:
    """The customer answered; `sender` names them when nobody of ours recorded it (an e-mail)."""
    current = open_pause(pauses)
    if current is None:
        raise StateRefused("the escalation is not waiting on the customer")
    pauses[-1] = current.ended(now, by_id, via)
    data: dict[str, object] = {"via": via, "paused_for_s": _seconds(now - current.start)}
    if sender:
        data["from"] = sender
    return Event(RESUMED, now, by_id, data)


def customer_update_due(
    last_update_at: datetime,
    every: timedelta,
    measure: Measure,
    calendar: WorkingCalendar,
    pauses: Iterable[Pause],
) -> datetime | None:
    """R-SLA-2: one cadence after the last update, pushed back by the time the clock stood
    still after it (working time in business measure); None while it stands still."""
    due = after(last_update_at, every, measure, calendar)
    for pause in pauses:
        if pause.end is None:
            return None
        start = max(pause.start, last_update_at)
        if pause.end <= start or start >= due:
            continue
        due = _push(due, start, pause.end, measure, calendar)
    return due


def _push(
    due: datetime, start: datetime, end: datetime, measure: Measure, calendar: WorkingCalendar
) -> datetime:
    if measure is Measure.BUSINESS and not calendar.is_always_open:
        stood = calendar.between(start, end)
        # what was left at the pause is what is left at the resume, in working time
        left = calendar.between(start, due)
        return calendar.add_time(end, left) if stood else due
    return due + (end - start)


def _seconds(delta: timedelta) -> int:
    return int(delta.total_seconds())
