"""Working calendars (R-SLA-1): add, list, show, make default, give one to an account, and the
explain tools `add-time` and `between` that people and the clocks use alike.

Public holidays come through a port (`HolidaySource`): the handler that saves a calendar asks it
for the region's holidays over the years the desk looks at and stores the dates, so the domain
calendar is only ever given dates, and reading a calendar never needs the holidays package.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Protocol, cast

from escdesk.domain.access import Actor, Permission
from escdesk.domain.calendars import (
    TWENTY_FOUR_SEVEN,
    WorkingCalendar,
    parse_duration,
    parse_hours,
    zone,
)
from escdesk.domain.errors import InvalidInput
from escdesk.domain.events import Event
from escdesk.services.ports import UnitOfWork
from escdesk.services.runner import Context

HOLIDAY_YEARS_BEFORE = 1
HOLIDAY_YEARS_AFTER = 10
NAME_LENGTH = 80


class HolidaySource(Protocol):
    """Public holidays of a region such as `DE-BY` (country, then subdivision)."""

    def closed_dates(self, region: str, years: range) -> frozenset[date]: ...


@dataclass(frozen=True)
class StoredCalendar:
    """A calendar as saved: the domain calendar and whether it is the default."""

    id: int
    calendar: WorkingCalendar
    is_default: bool


class CalendarRepository(Protocol):
    def add(
        self, calendar: WorkingCalendar, holiday_dates: frozenset[date], now: datetime
    ) -> None: ...

    def get(self, name: str) -> StoredCalendar: ...
    def list(self) -> list[StoredCalendar]: ...
    def set_default(self, name: str, now: datetime) -> None: ...
    def assign(self, account_id: int, name: str) -> None: ...
    def for_account(self, account_id: int) -> WorkingCalendar: ...
    def for_accounts(self, account_ids: Iterable[int]) -> dict[int, WorkingCalendar]: ...


class CalendarUnitOfWork(UnitOfWork, Protocol):
    calendars: CalendarRepository


def book(uow: UnitOfWork) -> CalendarRepository:
    """The calendars of a unit of work (the store's has them; a protocol of its own keeps
    the shared `UnitOfWork` small)."""
    return cast(CalendarUnitOfWork, uow).calendars


# ---------------------------------------------------------------------- commands
@dataclass(frozen=True)
class AddCalendar:
    name: str
    timezone: str
    hours: tuple[str, ...]
    holidays: str | None
    closed: frozenset[date]

    @classmethod
    def parse(
        cls,
        *,
        name: str,
        timezone: str,
        hours: Sequence[str],
        holidays: str | None = None,
        closed: Sequence[str] = (),
    ) -> AddCalendar:
        name = name.strip()
        if not name or len(name) > NAME_LENGTH or any(c.isspace() for c in name):
            raise InvalidInput(
                "name", f"'{name}' is not a calendar name", "give one word of up to 80 characters"
            )
        zone(timezone.strip())
        if not hours:
            raise InvalidInput(
                "hours", "is missing", "give working hours, e.g. 'mon-fri 09:00-17:00'"
            )
        parse_hours(hours)
        region = holidays.strip().upper() if holidays and holidays.strip() else None
        return cls(name, timezone.strip(), tuple(h.strip() for h in hours), region, _dates(closed))


@dataclass(frozen=True)
class SetDefaultCalendar:
    name: str


@dataclass(frozen=True)
class ShowCalendar:
    name: str


@dataclass(frozen=True)
class SetAccountCalendar:
    account: str
    calendar: str


@dataclass(frozen=True)
class AddTime:
    calendar: str
    start: datetime
    duration: timedelta

    @classmethod
    def parse(cls, *, calendar: str, start: datetime, duration: str) -> AddTime:
        return cls(calendar, start, parse_duration(duration))


@dataclass(frozen=True)
class Between:
    calendar: str
    start: datetime
    end: datetime


# ---------------------------------------------------------------------- handlers
def add_calendar(
    uow: UnitOfWork,
    cmd: AddCalendar,
    actor: Actor,
    ctx: Context,
    holidays: HolidaySource | None = None,
) -> StoredCalendar:
    actor.require(Permission.MANAGE_ACCOUNTS)
    holiday_dates: frozenset[date] = frozenset()
    if cmd.holidays:
        if holidays is None:
            raise InvalidInput("holidays", "cannot be looked up here", "leave --holidays out")
        year = ctx.now.year
        years = range(year - HOLIDAY_YEARS_BEFORE, year + HOLIDAY_YEARS_AFTER + 1)
        holiday_dates = holidays.closed_dates(cmd.holidays, years)
    calendar = WorkingCalendar(
        cmd.name,
        cmd.timezone,
        parse_hours(cmd.hours),
        closed=holiday_dates | cmd.closed,
        holidays=cmd.holidays,
        own_closed=cmd.closed,
    )
    repo = book(uow)
    repo.add(calendar, holiday_dates, ctx.now)
    stored = repo.get(cmd.name)
    data: dict[str, object] = {"name": cmd.name, "timezone": cmd.timezone, "hours": list(cmd.hours)}
    data |= {"holidays": cmd.holidays, "closed": sorted(d.isoformat() for d in cmd.closed)}
    uow.outbox.record(
        "calendar", stored.id, Event("calendar_added", ctx.now, actor.person_id, data)
    )
    return stored


def with_holidays(source: HolidaySource) -> _AddWithHolidays:
    """`add_calendar` with the holiday source the composition root built."""
    return _AddWithHolidays(source)


@dataclass(frozen=True)
class _AddWithHolidays:
    source: HolidaySource

    def __call__(
        self, uow: UnitOfWork, cmd: AddCalendar, actor: Actor, ctx: Context
    ) -> StoredCalendar:
        return add_calendar(uow, cmd, actor, ctx, self.source)


def list_calendars(
    uow: UnitOfWork, query: None, actor: Actor, ctx: Context
) -> list[StoredCalendar]:
    actor.require(Permission.READ)
    return book(uow).list()


def show_calendar(
    uow: UnitOfWork, query: ShowCalendar, actor: Actor, ctx: Context
) -> StoredCalendar:
    actor.require(Permission.READ)
    return book(uow).get(query.name)


def set_default_calendar(
    uow: UnitOfWork, cmd: SetDefaultCalendar, actor: Actor, ctx: Context
) -> StoredCalendar:
    """The calendar of every account that has none of its own (R-SLA-1)."""
    actor.require(Permission.MANAGE_ACCOUNTS)
    repo = book(uow)
    repo.set_default(cmd.name, ctx.now)
    stored = repo.get(cmd.name)
    event = Event("calendar_default_set", ctx.now, actor.person_id, {"name": cmd.name})
    uow.outbox.record("calendar", stored.id, event)
    return stored


def set_account_calendar(
    uow: UnitOfWork, cmd: SetAccountCalendar, actor: Actor, ctx: Context
) -> StoredCalendar:
    actor.require(Permission.MANAGE_ACCOUNTS)
    account = uow.accounts.find(cmd.account, "account")
    assert account.id is not None
    repo = book(uow)
    stored = repo.get(cmd.calendar)
    repo.assign(account.id, stored.calendar.name)
    uow.outbox.record(
        "account",
        account.id,
        Event("account_calendar_set", ctx.now, actor.person_id, {"calendar": stored.calendar.name}),
    )
    return stored


def add_time(uow: UnitOfWork, query: AddTime, actor: Actor, ctx: Context) -> datetime:
    """The explain tool: `duration` of working time after `start` in the named calendar."""
    actor.require(Permission.READ)
    return _calendar(uow, query.calendar).add_time(query.start, query.duration)


def between(uow: UnitOfWork, query: Between, actor: Actor, ctx: Context) -> timedelta:
    actor.require(Permission.READ)
    return _calendar(uow, query.calendar).between(query.start, query.end)


def _calendar(uow: UnitOfWork, name: str) -> WorkingCalendar:
    if name == TWENTY_FOUR_SEVEN.name:
        return TWENTY_FOUR_SEVEN
    return book(uow).get(name).calendar


def _dates(values: Sequence[str]) -> frozenset[date]:
    out = set()
    for value in values:
        try:
            out.add(date.fromisoformat(value.strip()))
        except ValueError:
            raise InvalidInput(
                "closed", f"'{value}' is not a date", "write closed dates as YYYY-MM-DD"
            ) from None
    return frozenset(out)
