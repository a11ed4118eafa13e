"""Every due moment escdesk knows, computed from a `now` that is passed in.

Next internal and customer update, next standup, ETA missed, days open: all of them live here and
nowhere else. A commitment the policy measures in business time is counted in the account's
working calendar (`escdesk.domain.calendars`, R-SLA-1); in wall time (and in the default 24×7
calendar) it is plain arithmetic. The domain never reads the wall clock.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum

from escdesk.domain.calendars import TWENTY_FOUR_SEVEN, WorkingCalendar
from escdesk.domain.severity import Measure, SeverityLevel


class Audience(StrEnum):
    """Who an update is for: kept apart everywhere (R-OPS-2)."""

    INTERNAL = "internal"
    CUSTOMER = "customer"


def next_update_due(
    last_update_at: datetime,
    level: SeverityLevel,
    audience: Audience,
    calendar: WorkingCalendar = TWENTY_FOUR_SEVEN,
) -> datetime:
    """R-ESC-6: the next update of an audience is due one cadence after the last one, counted
    in working time when the policy measures that commitment in business time (R-SLA-1)."""
    internal = audience is Audience.INTERNAL
    every = level.internal_update_every if internal else level.customer_update_every
    measure = level.internal_update_clock if internal else level.customer_update_clock
    return after(last_update_at, every, measure, calendar)


def after(
    start: datetime, every: timedelta, measure: Measure, calendar: WorkingCalendar
) -> datetime:
    """`every` after `start`, in working time or in wall time as the commitment says.

    In business time whole days are working days ("by the next business day"), anything
    else is working hours and minutes.
    """
    if measure is not Measure.BUSINESS or calendar.is_always_open:
        return start + every
    if every % timedelta(days=1) == timedelta(0):
        return calendar.add_working_days(start, every // timedelta(days=1))
    return calendar.add_time(start, every)


def is_overdue(due: datetime | None, now: datetime) -> bool:
    return due is not None and due < now


def next_standup(opened_at: datetime, level: SeverityLevel, now: datetime) -> datetime | None:
    """R-ESC-4/10: standups run on the severity's cadence, the first within 24 h of opening."""
    every = level.standup_every
    if every is None:
        return None
    first = opened_at + min(every, timedelta(days=1))
    if now < first:
        return first
    periods = (now - first) // every + 1
    return first + periods * every


OPENING_STEPS_WITHIN = timedelta(hours=1)
STANDUP_SETUP_WITHIN = timedelta(hours=24)


def opening_step_due(
    opened_at: datetime,
    measure: Measure = Measure.WALL,
    calendar: WorkingCalendar = TWENTY_FOUR_SEVEN,
) -> datetime:
    """R-ESC-4: the "immediately" steps of opening are late an hour after the escalation opened
    (a working hour where the severity counts in business time)."""
    return after(opened_at, OPENING_STEPS_WITHIN, measure, calendar)


def standup_setup_due(
    opened_at: datetime,
    measure: Measure = Measure.WALL,
    calendar: WorkingCalendar = TWENTY_FOUR_SEVEN,
) -> datetime:
    """R-ESC-4: the internal standup cadence is set up within 24 h of opening (by the next
    business day where the severity counts in business time)."""
    return after(opened_at, STANDUP_SETUP_WITHIN, measure, calendar)


def eta_missed(eta: datetime | None, now: datetime) -> bool:
    return eta is not None and eta < now


def days_open(opened_at: datetime, until: datetime) -> int:
    return max(0, (until - opened_at).days)


@dataclass(frozen=True)
class DueSummary:
    """The due moments of one open escalation at `now`, as the board shows them."""

    internal_due: datetime | None
    customer_due: datetime | None
    now: datetime

    @property
    def next_due(self) -> datetime | None:
        dues = [d for d in (self.internal_due, self.customer_due) if d is not None]
        return min(dues) if dues else None

    @property
    def overdue_audiences(self) -> list[Audience]:
        return [
            audience
            for audience, due in (
                (Audience.INTERNAL, self.internal_due),
                (Audience.CUSTOMER, self.customer_due),
            )
            if is_overdue(due, self.now)
        ]


class Promise(StrEnum):
    """What the customer is told of a moment promised to them (R-OPS-2): never a time past."""

    BY = "by"  # the moment is ahead: shown as it is
    LATE = "late"  # it has passed and is still owed: the customer reads that it is coming now
    WAITING_ON_YOU = "waiting_on_you"  # the update clock waits on the customer (R-SLA-2)
    NONE = "none"  # nothing is promised (closed, or no ETA yet)


@dataclass(frozen=True)
class CustomerPromises:
    """The next update and the ETA as a customer may read them at `now`.

    A status page that printed the stored due moment would tell a customer, an hour after it
    passed, that their next update comes at a time already gone. The page says instead what
    is true: the update (or the new date) is owed now.
    """

    next_update: Promise
    next_update_by: datetime | None
    eta: Promise
    eta_by: datetime | None


def customer_promises(
    customer_due: datetime | None, eta: datetime | None, now: datetime, *, is_open: bool
) -> CustomerPromises:
    """R-ESC-6/8: an open escalation's next customer update (absent while the clock waits on
    the customer) and ETA, each still ahead (`BY`) or already owed (`LATE`)."""
    if not is_open:
        return CustomerPromises(Promise.NONE, None, Promise.NONE, None)
    if customer_due is None:
        update, update_by = Promise.WAITING_ON_YOU, None
    else:
        update, update_by = _kept_or_late(customer_due, is_overdue(customer_due, now))
    if eta is None:
        eta_promise, eta_by = Promise.NONE, None
    else:
        eta_promise, eta_by = _kept_or_late(eta, eta_missed(eta, now))
    return CustomerPromises(update, update_by, eta_promise, eta_by)


def _kept_or_late(moment: datetime, missed: bool) -> tuple[Promise, datetime | None]:
    """A moment still ahead is promised; a missed one is owed, and no longer shown as a date."""
    return (Promise.LATE, None) if missed else (Promise.BY, moment)


def utc(moment: datetime) -> datetime:
    """Naive datetimes are taken as UTC; aware ones are converted."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


RETROSPECTIVE_WITHIN = timedelta(days=5)
FOLLOW_UP_WARNING = timedelta(days=1)


def retrospective_due(opened_at: datetime) -> datetime:
    """R-RCA-1: the retrospective is written within five days, while the escalation is fresh."""
    return opened_at + RETROSPECTIVE_WITHIN


def follow_up_reminder(due_at: datetime, reminders_sent: int, now: datetime) -> str | None:
    """R-RCA-2: which reminder a follow-up is owed now — "due_soon" a day before its due
    moment, then "overdue" once past it — or None; each is sent once."""
    if reminders_sent < 2 and now > due_at:
        return "overdue"
    if reminders_sent < 1 and now >= due_at - FOLLOW_UP_WARNING:
        return "due_soon"
    return None
