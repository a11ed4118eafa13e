"""The internal standup cadence of an escalation (R-ESC-10), as a real object.

Set up from the escalation (page, API or CLI): the weekdays, a time of day in a timezone, and
who attends. Setting it is a line of the audit trail (`standup_set`), read back when the
escalation is loaded, and it asks for the calendar invitation the delivery side sends; the
opening checklist's "standup cadence within 24 h" step is done once it exists, and the next
standup (and its reminder) follow it instead of the severity's default rhythm.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from typing import Any

from escdesk.domain.calendars import WEEKDAYS, zone
from escdesk.domain.errors import InvalidInput
from escdesk.domain.events import Event
from escdesk.domain.people import check_email

SET = "standup_set"
ICAL_DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


@dataclass(frozen=True)
class StandupPlan:
    days: tuple[int, ...]  # 0 is Monday
    at: time
    timezone: str
    attendees: tuple[str, ...]  # e-mail addresses

    @classmethod
    def parse(cls, *, days: str, at: str, timezone: str, attendees: Sequence[str]) -> StandupPlan:
        """`days="mon,thu"`, `at="09:15"`, an IANA timezone, attendees' e-mail addresses."""
        names = [d.strip().lower()[:3] for d in days.split(",") if d.strip()]
        if not names or any(n not in WEEKDAYS for n in names):
            raise InvalidInput("days", f"'{days}' are not weekdays", "write e.g. mon,thu")
        try:
            moment = time.fromisoformat(at.strip())
        except ValueError:
            raise InvalidInput("time", f"'{at}' is not a time of day", "write HH:MM") from None
        zone(timezone.strip())
        emails = tuple(check_email(a.strip(), "attendees") for a in attendees if a.strip())
        day_numbers = tuple(sorted({WEEKDAYS.index(n) for n in names}))
        return cls(day_numbers, moment.replace(second=0, microsecond=0), timezone.strip(), emails)

    def next_after(self, now: datetime) -> datetime:
        """The next standup strictly after `now` (UTC), at the plan's local wall time."""
        tz = zone(self.timezone)
        day = now.astimezone(tz).date()
        for offset in range(8):
            candidate = day + timedelta(days=offset)
            if candidate.weekday() not in self.days:
                continue
            moment = datetime.combine(candidate, self.at, tzinfo=tz).astimezone(UTC)
            if moment > now:
                return moment
        raise AssertionError("a plan with a weekday meets within eight days")

    def describe(self) -> str:
        days = ", ".join(WEEKDAYS[d] for d in self.days)
        return f"{days} at {self.at:%H:%M} ({self.timezone})"

    def data(self) -> dict[str, Any]:
        return {
            "days": [WEEKDAYS[d] for d in self.days],
            "time": self.at.strftime("%H:%M"),
            "timezone": self.timezone,
            "attendees": list(self.attendees),
        }

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> StandupPlan:
        return cls.parse(
            days=",".join(data.get("days", [])),
            at=str(data.get("time", "")),
            timezone=str(data.get("timezone", "UTC")),
            attendees=list(data.get("attendees", [])),
        )


def plan_from(events: Iterable[Event]) -> StandupPlan | None:
    """The cadence the trail last set, if any."""
    plan = None
    for event in events:
        if event.type == SET:
            plan = StandupPlan.from_data(event.data)
    return plan


def span(every: timedelta) -> str:
    days, seconds = every.days, every.seconds
    if days and not seconds:
        return "day" if days == 1 else f"{days} days"
    return f"{int(every.total_seconds() // 3600)} h"
