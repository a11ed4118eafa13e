"""Which reminders are due at `now` (R-ESC-6, R-ESC-10, R-SLA-3): pure rules the scheduler asks.

- A **pre-breach warning** goes to whoever owes the next update when the working time left
  before its due moment is down to a lead — a fixed lead, or a share of the commitment (`20%` of
  a day is 4 h 48 min) — and only while the account's working hours run: a warning that falls
  outside them is held until they open, and dropped if the due moment comes first (the overdue
  notice then says it). In the default 24×7 calendar working time is wall time.
- An **overdue notice** once the due moment has passed.
- A **standup reminder** a lead (10 minutes by default) before each standup.
- A **daily nudge** to the DRI of a critical or high escalation, "update the tracker and the
  channel" (seed 004's tip), at a time of day in the DRI's own timezone.
- A **breach** is every due moment that passed without its update.
- The DRI may **snooze** the reminders about one due moment once, with a reason (at most a
  day); the snooze is a line of the audit trail.

Each reminder names the due moment it is about; the outbox key is derived from it, so a
reminder is sent once per due moment however often the scheduler runs or restarts.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from enum import StrEnum

from escdesk.domain.calendars import TWENTY_FOUR_SEVEN, WorkingCalendar, zone
from escdesk.domain.clock import Audience
from escdesk.domain.errors import InvalidInput, StateRefused
from escdesk.domain.events import Event
from escdesk.domain.people import check_text


class ReminderKind(StrEnum):
    WARNING = "warning"
    OVERDUE = "overdue"
    STANDUP = "standup"
    NUDGE = "nudge"


# The position of each reminder in its due moment's key: one message per kind and audience.
POSITION = {
    (ReminderKind.WARNING, Audience.INTERNAL): 0,
    (ReminderKind.WARNING, Audience.CUSTOMER): 1,
    (ReminderKind.OVERDUE, Audience.INTERNAL): 2,
    (ReminderKind.OVERDUE, Audience.CUSTOMER): 3,
    (ReminderKind.STANDUP, None): 4,
    (ReminderKind.NUDGE, None): 5,
}
NUDGE_WINDOW = timedelta(hours=1)  # a pass within an hour of the nudge's moment sends it


@dataclass(frozen=True)
class Lead:
    """How long before a due moment to warn: a duration, or a share of the commitment."""

    fixed: timedelta | None = timedelta(hours=1)
    share: float | None = None

    def before(self, every: timedelta) -> timedelta:
        if self.share is not None:
            return every * self.share
        return self.fixed or timedelta(0)

    @classmethod
    def parse(cls, text: str, field: str = "reminder_lead") -> Lead:
        """`45m`, `2h`, or `20%` of the commitment."""
        value = text.strip().lower()
        share = re.fullmatch(r"(\d+(?:\.\d+)?)\s*%", value)
        if share:
            percent = float(share.group(1))
            if not 0 < percent < 100:
                raise InvalidInput(field, f"{text!r} is not a share", "give 1% to 99%")
            return cls(fixed=None, share=percent / 100)
        match = re.fullmatch(r"(\d+)\s*(m|h)", value)
        if not match:
            raise InvalidInput(field, f"{text!r} is not a lead", "write it like 45m, 2h or 20%")
        amount = int(match.group(1))
        return cls(timedelta(minutes=amount) if match.group(2) == "m" else timedelta(hours=amount))


@dataclass(frozen=True)
class ReminderPolicy:
    lead: Lead = Lead()
    standup_lead: timedelta = timedelta(minutes=10)
    nudge_at: time | None = time(9, 0)


@dataclass(frozen=True)
class OpenClocks:
    """What the scheduler knows of one open escalation."""

    escalation_id: int
    severity: str
    customer: str
    channel: str
    dri_id: int
    internal_due: datetime | None
    customer_due: datetime | None
    internal_every: timedelta
    customer_every: timedelta
    next_standup: datetime | None = None
    calendar: WorkingCalendar = TWENTY_FOUR_SEVEN
    snoozes: tuple[Snooze, ...] = field(default=())
    dri_timezone: str = "UTC"


@dataclass(frozen=True)
class Reminder:
    escalation_id: int
    kind: ReminderKind
    audience: Audience | None
    due: datetime

    @property
    def position(self) -> int:
        return POSITION[(self.kind, self.audience)]


def reminders_due(clocks: OpenClocks, now: datetime, policy: ReminderPolicy) -> list[Reminder]:
    """The reminders of one escalation that are due at `now` (each once per due moment)."""
    out: list[Reminder] = []
    for audience, due, every in (
        (Audience.INTERNAL, clocks.internal_due, clocks.internal_every),
        (Audience.CUSTOMER, clocks.customer_due, clocks.customer_every),
    ):
        if due is None:  # closed, or paused while waiting on the customer
            continue
        if due <= now:
            out.append(Reminder(clocks.escalation_id, ReminderKind.OVERDUE, audience, due))
        elif _warn(clocks.calendar, now, due, policy.lead.before(every)):
            out.append(Reminder(clocks.escalation_id, ReminderKind.WARNING, audience, due))
    out = [r for r in out if not snoozed(r, clocks.snoozes, now)]
    standup = clocks.next_standup
    if standup is not None and standup - policy.standup_lead <= now < standup:
        out.append(Reminder(clocks.escalation_id, ReminderKind.STANDUP, None, standup))
    nudge = _nudge_moment(clocks, now, policy)
    if nudge is not None:
        out.append(Reminder(clocks.escalation_id, ReminderKind.NUDGE, None, nudge))
    return out


def _nudge_moment(clocks: OpenClocks, now: datetime, policy: ReminderPolicy) -> datetime | None:
    if policy.nudge_at is None or clocks.severity not in ("critical", "high"):
        return None
    tz = zone(clocks.dri_timezone)
    moment = datetime.combine(now.astimezone(tz).date(), policy.nudge_at, tzinfo=tz)
    moment = moment.astimezone(UTC)
    return moment if moment <= now < moment + NUDGE_WINDOW else None


def _warn(calendar: WorkingCalendar, now: datetime, due: datetime, lead: timedelta) -> bool:
    if due - now <= lead:  # wall time bounds working time: no need to ask the calendar
        return calendar.is_open(now)
    return calendar.is_open(now) and calendar.between(now, due) <= lead


def reminder_text(clocks: OpenClocks, reminder: Reminder, dri: str, tracker_url: str) -> str:
    """What the escalation's channel reads; the DRI is named, since they owe the update."""
    label = f"ESC-{clocks.escalation_id} ({clocks.customer}, {clocks.severity})"
    due = f"{reminder.due:%Y-%m-%d %H:%M} UTC"
    audience = reminder.audience.value if reminder.audience else ""
    if reminder.kind is ReminderKind.WARNING:
        return f"{dri}: the next {audience} update of {label} is due {due}. Tracker: {tracker_url}"
    if reminder.kind is ReminderKind.OVERDUE:
        return f"{dri}: the {audience} update of {label} was due {due} and is overdue."
    if reminder.kind is ReminderKind.NUDGE:
        return f"{dri}: daily update of {label}: update the tracker and the channel. {tracker_url}"
    return f"Standup of {label} at {due}. Update the tracker first: {tracker_url}"


SNOOZED = "reminder_snoozed"
SNOOZE_MAX = timedelta(days=1)


@dataclass(frozen=True)
class Snooze:
    """The DRI's one snooze of the reminders about one due moment, with a reason."""

    audience: Audience
    due: datetime
    until: datetime
    reason: str


def snoozes_from(events: Iterable[Event]) -> list[Snooze]:
    return [
        Snooze(
            Audience(e.data["audience"]),
            datetime.fromisoformat(e.data["due"]),
            datetime.fromisoformat(e.data["until"]),
            str(e.data.get("reason", "")),
        )
        for e in events
        if e.type == SNOOZED
    ]


def snooze(
    snoozes: list[Snooze],
    audience: Audience,
    due: datetime | None,
    reason: str,
    *,
    by_id: int | None,
    now: datetime,
    length: timedelta,
) -> Event:
    """One snooze per due moment: reminders about it wait until `now + length`."""
    if due is None:
        raise StateRefused(f"no {audience.value} update is due: there is nothing to snooze")
    if any(s.audience is audience and s.due == due for s in snoozes):
        raise StateRefused(f"the reminders about this {audience.value} update were snoozed once")
    if not timedelta(0) < length <= SNOOZE_MAX:
        raise InvalidInput("for", "must be more than nothing and at most a day", "e.g. 2h")
    text = check_text(reason, "reason").strip()
    if not text:
        raise InvalidInput("reason", "is missing", "say why the reminder can wait")
    until = now + length
    snoozes.append(Snooze(audience, due, until, text))
    data = {"audience": audience.value, "due": due.isoformat(), "until": until.isoformat()}
    return Event(SNOOZED, now, by_id, data | {"reason": text})


def snoozed(reminder: Reminder, snoozes: Iterable[Snooze], now: datetime) -> bool:
    return any(
        s.audience is reminder.audience and s.due == reminder.due and now < s.until for s in snoozes
    )
