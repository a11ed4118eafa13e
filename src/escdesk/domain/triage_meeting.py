"""Triage meetings (R-TRI-1): when they happen, whether they are held, and their agenda.

Seed 000: Engineering and Product meet three times a week *if any requests are pending*,
review new requests (ranked here by their score), then every escalation in progress against its
ETA. Every moment is computed from a passed-in `now`; the meeting's time and days are read in
the configured timezone, so "Monday at 10:00" stays 10:00 across daylight saving changes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from escdesk.domain.errors import InvalidInput
from escdesk.domain.request import EscalationRequest
from escdesk.domain.triage_score import DEFAULT_WEIGHTS, Score, ScoreWeights

DAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


@dataclass(frozen=True)
class MeetingSchedule:
    """Defaults: Monday, Wednesday, Friday at 10:00 UTC; 10 minutes a request, 5 an escalation."""

    days: tuple[int, ...] = (0, 2, 4)
    at: time = time(10, 0)
    timezone: str = "UTC"
    request_minutes: int = 10
    escalation_minutes: int = 5

    @classmethod
    def of(cls, values: Mapping[str, Any]) -> MeetingSchedule:
        """From `[triage]` in escdesk.toml: days (names), time ("HH:MM"), timezone, minutes."""
        schedule = cls()
        days = schedule.days
        if "days" in values:
            try:
                days = tuple(
                    sorted({DAY_NAMES.index(str(d).strip().lower()) for d in values["days"]})
                )
            except ValueError:
                raise InvalidInput(
                    "triage.days", "names an unknown day", f"Use: {', '.join(DAY_NAMES)}"
                ) from None
            if not days:
                raise InvalidInput("triage.days", "is empty", "Name at least one day")
        at = schedule.at
        if "time" in values:
            try:
                at = time.fromisoformat(str(values["time"]))
            except ValueError:
                raise InvalidInput("triage.time", "is not a time", 'Write it as "10:00"') from None
        zone = str(values.get("timezone", schedule.timezone))
        try:
            ZoneInfo(zone)
        except (ZoneInfoNotFoundError, ValueError):
            raise InvalidInput(
                "triage.timezone", f"{zone!r} is not a timezone", "Use e.g. Europe/Berlin"
            ) from None
        minutes = {}
        for name in ("request_minutes", "escalation_minutes"):
            if name in values:
                value = values[name]
                if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 120:
                    raise InvalidInput(f"triage.{name}", "must be 1 to 120", "Give whole minutes")
                minutes[name] = value
        return cls(days=days, at=at, timezone=zone, **minutes)

    def next_meeting(self, now: datetime) -> datetime:
        """The first meeting slot at or after `now`, in UTC."""
        zone = ZoneInfo(self.timezone)
        local = now.astimezone(zone)
        for ahead in range(8):
            day = (local + timedelta(days=ahead)).date()
            if day.weekday() not in self.days:
                continue
            slot = datetime.combine(day, self.at, tzinfo=zone)
            if slot >= local:
                return slot.astimezone(UTC)
        raise AssertionError("a schedule with days has a slot within a week")

    def slots_between(self, start: datetime, end: datetime) -> int:
        """How many meeting slots fell after `start` and at or before `end`."""
        count, moment = 0, start + timedelta(microseconds=1)
        while True:
            slot = self.next_meeting(moment)
            if slot > end:
                return count
            count += 1
            moment = slot + timedelta(minutes=1)


DEFAULT_SCHEDULE = MeetingSchedule()


@dataclass(frozen=True)
class TriageConfig:
    """The weights and the meeting schedule in force, from `[triage]` in escdesk.toml."""

    weights: ScoreWeights = DEFAULT_WEIGHTS
    schedule: MeetingSchedule = DEFAULT_SCHEDULE

    @classmethod
    def of(cls, values: Mapping[str, Any]) -> TriageConfig:
        """`[triage]` with its `[triage.weights]`; unknown keys are refused, naming them."""
        known = {"weights", "days", "time", "timezone", "request_minutes", "escalation_minutes"}
        for key in values:
            if key not in known:
                raise InvalidInput(
                    f"triage.{key}", "is not a triage setting", f"Use: {', '.join(sorted(known))}"
                )
        weights = values.get("weights", {})
        if not isinstance(weights, Mapping):
            raise InvalidInput("triage.weights", "is not a table", "Write [triage.weights]")
        return cls(ScoreWeights.of(weights), MeetingSchedule.of(values))


DEFAULT_TRIAGE = TriageConfig()


@dataclass(frozen=True)
class EscalationProgress:
    """One escalation in progress as the meeting reviews it: its ETA against its progress."""

    id: int
    customer: str
    summary: str
    severity: str
    status: str
    dri_name: str
    eta: datetime | None
    eta_slips: int
    criteria_done: int
    criteria_total: int
    overdue_updates: tuple[str, ...]
    days_open: int
    eta_missed: bool


@dataclass(frozen=True)
class RequestItem:
    request: EscalationRequest
    customer: str
    requester: str | None
    score: Score
    minutes: int
    waiting_hours: float
    missed_meetings: int

    @property
    def flagged(self) -> bool:
        """R-TRI-1: still pending after a meeting it could have been decided at."""
        return self.missed_meetings > 0


@dataclass(frozen=True)
class EscalationItem:
    progress: EscalationProgress
    minutes: int


@dataclass(frozen=True)
class Agenda:
    meeting_at: datetime
    held: bool
    skipped_reason: str | None
    requests: tuple[RequestItem, ...] = ()
    escalations: tuple[EscalationItem, ...] = field(default_factory=tuple)

    @property
    def minutes(self) -> int:
        return sum(i.minutes for i in self.requests) + sum(i.minutes for i in self.escalations)


def build_agenda(
    now: datetime,
    schedule: MeetingSchedule,
    requests: Sequence[tuple[EscalationRequest, str, str | None, Score]],
    escalations: Sequence[EscalationProgress],
) -> Agenda:
    """R-TRI-1: the next meeting's agenda — skipped when nothing is pending; otherwise new
    requests first, best score first (oldest first on a tie), then escalations in progress,
    those that missed their ETA first, then by ETA slips and days open."""
    meeting_at = schedule.next_meeting(now)
    if not requests:
        return Agenda(
            meeting_at,
            held=False,
            skipped_reason="no escalation request is pending: the meeting is skipped",
        )
    ranked = sorted(requests, key=lambda r: (-r[3].total, r[0].filed_at, r[0].id or 0))
    items = tuple(
        RequestItem(
            request,
            customer,
            requester,
            score,
            schedule.request_minutes,
            round((now - request.filed_at).total_seconds() / 3600, 1),
            schedule.slots_between(request.filed_at, now),
        )
        for request, customer, requester, score in ranked
    )
    reviewed = sorted(
        escalations, key=lambda e: (not e.eta_missed, -e.eta_slips, -e.days_open, e.id)
    )
    return Agenda(
        meeting_at,
        held=True,
        skipped_reason=None,
        requests=items,
        escalations=tuple(EscalationItem(e, schedule.escalation_minutes) for e in reviewed),
    )
