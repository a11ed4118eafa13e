"""Working-time calendars (R-SLA-1): when the clocks of an account run.

A calendar is working hours per weekday (several ranges a day), a timezone and the dates it is
closed (public holidays, given to it from outside, plus the company's own). Two questions are
asked of it, by the service clocks and by the people checking them:

- `add_time(start, duration)`: the moment that is `duration` of working time after `start`.
  A start outside working time starts counting at the next opening; a due moment that falls
  exactly on a closing time is that closing time.
- `between(start, end)`: how much working time lies between two moments.

Moments are aware datetimes; local hours are read in the calendar's own timezone, so a day
that changes to or from summer time is as long as its working hours say, no more, no less.
The default calendar, `TWENTY_FOUR_SEVEN`, makes working time equal wall time.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import cached_property
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from escdesk.domain.errors import InvalidInput

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DAY = 24 * 60
SEARCH_DAYS = 3 * 366  # a calendar open less than once in three years is a mistake
ZERO = timedelta(0)


@dataclass(frozen=True, order=True)
class Opening:
    """One range of working hours in a day, in minutes after local midnight (end ≤ 24:00)."""

    start: int
    end: int

    def __str__(self) -> str:
        return f"{_clock(self.start)}-{_clock(self.end)}"


@dataclass(frozen=True)
class WorkingCalendar:
    name: str
    timezone: str = "UTC"
    week: tuple[tuple[Opening, ...], ...] = ((Opening(0, DAY),),) * 7  # Monday first
    closed: frozenset[date] = frozenset()
    holidays: str | None = None  # the region whose public holidays `closed` includes
    own_closed: frozenset[date] = field(default=frozenset(), compare=False)

    def __post_init__(self) -> None:
        if len(self.week) != 7:
            raise InvalidInput("hours", "needs one entry per weekday", "give Monday to Sunday")
        if not any(self.week):
            raise InvalidInput("hours", "has no working time at all", "give at least one range")
        zone(self.timezone)

    @property
    def tz(self) -> ZoneInfo:
        return zone(self.timezone)

    @cached_property
    def is_always_open(self) -> bool:
        return not self.closed and all(day == (Opening(0, DAY),) for day in self.week)

    def hours_text(self) -> list[str]:
        """The week as `--hours` takes it back: `mon-thu 09:00-17:00`, runs of equal days."""
        out: list[str] = []
        n = 0
        while n < 7:
            last = n
            while last + 1 < 7 and self.week[last + 1] == self.week[n]:
                last += 1
            if self.week[n]:
                days = WEEKDAYS[n] if last == n else f"{WEEKDAYS[n]}-{WEEKDAYS[last]}"
                out.append(f"{days} " + ",".join(str(o) for o in self.week[n]))
            n = last + 1
        return out

    # ------------------------------------------------------------------ the two questions
    def add_time(self, start: datetime, duration: timedelta) -> datetime:
        """The moment `duration` of working time after `start` (R-SLA-1)."""
        if duration < ZERO:
            raise InvalidInput("duration", "is negative", "give a duration of zero or more")
        start = _aware(start)
        if self.is_always_open:
            return start + duration
        left = duration
        for begin, end in self.openings(start):
            cursor = max(begin, start)
            if left <= end - cursor:
                return cursor + left
            left -= end - cursor
        raise AssertionError("unreachable: openings() raises before it ends")

    def between(self, start: datetime, end: datetime) -> timedelta:
        """Working time from `start` to `end`; negative when `end` comes first."""
        start, end = _aware(start), _aware(end)
        if end < start:
            return -self.between(end, start)
        if self.is_always_open:
            return end - start
        total = ZERO
        for begin, close in self.openings(start):
            if begin >= end:
                break
            total += min(close, end) - max(begin, start)
        return total

    def add_working_days(self, start: datetime, days: int) -> datetime:
        """The same local time `days` working days later: "by the next business day".

        Counting starts at the next opening when `start` is outside working time; a time of
        day the target day is closed at becomes that day's nearest working moment.
        """
        if days < 0:
            raise InvalidInput("duration", "is negative", "give a duration of zero or more")
        tz = self.tz
        local = self.next_opening(start).astimezone(tz)
        day, minutes = local.date(), local.hour * 60 + local.minute
        while days:
            day += timedelta(days=1)
            days -= bool(self._ranges(day))
        wanted = _local(day, minutes, tz) + timedelta(
            seconds=local.second, microseconds=local.microsecond
        )
        ranges = list(self._ranges(day))
        for begin, end in ranges:
            if wanted <= end:
                return max(begin, wanted)
        return ranges[-1][1]

    def is_open(self, moment: datetime) -> bool:
        moment = _aware(moment)
        begin, _ = next(self.openings(moment))
        return begin <= moment

    def next_opening(self, moment: datetime) -> datetime:
        """`moment` itself when working time runs then, else when it next starts."""
        moment = _aware(moment)
        begin, _ = next(self.openings(moment))
        return max(begin, moment)

    def openings(self, since: datetime) -> Iterator[tuple[datetime, datetime]]:
        """The working ranges (UTC) that end after `since`, in order."""
        since = _aware(since)
        day = since.astimezone(self.tz).date() - timedelta(days=1)
        idle = 0
        while idle < SEARCH_DAYS:
            found = False
            for begin, end in self._ranges(day):
                found = True
                if end > since:
                    yield begin, end
            idle = 0 if found else idle + 1
            day += timedelta(days=1)
        raise InvalidInput(
            "calendar", f"{self.name} has no working time for three years", "check its hours"
        )

    def _ranges(self, day: date) -> Iterable[tuple[datetime, datetime]]:
        if day in self.closed:
            return ()
        tz = self.tz
        out = []
        for opening in self.week[day.weekday()]:
            begin = _local(day, opening.start, tz)
            end = _local(day, opening.end, tz)
            if end > begin:
                out.append((begin, end))
        return out


# ---------------------------------------------------------------------- parsing
_RANGE = re.compile(r"^(\d{1,2}):(\d{2})-(\d{1,2}):(\d{2})$")


def parse_hours(specs: Iterable[str]) -> tuple[tuple[Opening, ...], ...]:
    """`["mon-thu 09:00-12:00,13:00-17:00", "fri 09:00-15:00"]` → the week, Monday first.

    A weekday not named is closed; a weekday named twice is refused.
    """
    week: list[tuple[Opening, ...] | None] = [None] * 7
    for spec in specs:
        days_part, _, ranges_part = spec.strip().partition(" ")
        days = _days(days_part.lower(), spec)
        ranges = tuple(sorted(_range(r.strip(), spec) for r in ranges_part.split(",")))
        for a, b in zip(ranges, ranges[1:], strict=False):
            if b.start < a.end:
                raise InvalidInput("hours", f"'{spec}' has overlapping ranges", "separate them")
        for n in days:
            if week[n] is not None:
                raise InvalidInput("hours", f"names {WEEKDAYS[n]} twice", "give each weekday once")
            week[n] = ranges
    return tuple(day or () for day in week)


def _days(text: str, spec: str) -> list[int]:
    fix = "start with a weekday or a span of them, e.g. 'mon-fri 09:00-17:00'"
    first, _, last = text.partition("-")
    if first not in WEEKDAYS or (last and last not in WEEKDAYS):
        raise InvalidInput("hours", f"'{spec}' does not name weekdays", fix)
    a = WEEKDAYS.index(first)
    b = WEEKDAYS.index(last) if last else a
    if b < a:
        raise InvalidInput("hours", f"'{spec}' runs backwards", "name the first weekday first")
    return list(range(a, b + 1))


def _range(text: str, spec: str) -> Opening:
    fix = "write ranges as HH:MM-HH:MM, e.g. 09:00-17:00 (24:00 for midnight)"
    match = _RANGE.match(text)
    if not match:
        raise InvalidInput("hours", f"'{spec}' has a range that is not HH:MM-HH:MM", fix)
    h1, m1, h2, m2 = (int(g) for g in match.groups())
    start, end = h1 * 60 + m1, h2 * 60 + m2
    if m1 > 59 or m2 > 59 or start >= DAY or end > DAY or end <= start:
        raise InvalidInput("hours", f"'{spec}' has the range {text}", fix)
    return Opening(start, end)


def zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise InvalidInput(
            "timezone", f"'{name}' is not a timezone", "give an IANA name like Europe/Berlin"
        ) from exc


_DURATION = re.compile(r"^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$")


def parse_duration(text: str) -> timedelta:
    """`90m`, `8h`, `1h30m`, `2d` → a timedelta (days are 24 h of working time)."""
    match = _DURATION.match(text.strip().lower())
    if not text.strip() or not match or not any(match.groups()):
        raise InvalidInput(
            "duration", f"'{text}' is not a duration", "write it like 90m, 8h or 1h30m"
        )
    d, h, m, s = (int(g or 0) for g in match.groups())
    return timedelta(days=d, hours=h, minutes=m, seconds=s)


def _clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _local(day: date, minutes: int, tz: ZoneInfo) -> datetime:
    """Local wall time `minutes` after midnight of `day`, as UTC; 24:00 is the next midnight."""
    if minutes == DAY:
        return _local(day + timedelta(days=1), 0, tz)
    wall = datetime.combine(day, time(minutes // 60, minutes % 60), tzinfo=tz)
    # A wall time skipped by a change to summer time does not exist: take the first wall time
    # after the gap (what the clock on the wall shows next), so ranges stay in order.
    while not _exists(wall):
        wall = (wall.replace(tzinfo=None) + timedelta(minutes=1)).replace(tzinfo=tz)
    return wall.astimezone(UTC)


def _exists(wall: datetime) -> bool:
    return wall.astimezone(UTC).astimezone(wall.tzinfo).replace(tzinfo=None) == wall.replace(
        tzinfo=None
    )


def _aware(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


TWENTY_FOUR_SEVEN = WorkingCalendar("24x7")
