"""Working calendars and the calendar of each account (R-SLA-1)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from escdesk.domain.calendars import TWENTY_FOUR_SEVEN, WorkingCalendar, parse_hours
from escdesk.domain.errors import InvalidInput, NotFound
from escdesk.services.calendars import StoredCalendar
from escdesk.store.tables import AccountCalendarRow, WorkingCalendarRow


class CalendarRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, calendar: WorkingCalendar, holiday_dates: frozenset[date], now: datetime) -> None:
        taken = self.session.scalar(
            select(WorkingCalendarRow.id).where(WorkingCalendarRow.name == calendar.name)
        )
        if taken is not None or calendar.name == TWENTY_FOUR_SEVEN.name:
            raise InvalidInput(
                "name", f"a calendar named {calendar.name} exists", "choose another name"
            )
        self.session.add(
            WorkingCalendarRow(
                name=calendar.name,
                timezone=calendar.timezone,
                hours=calendar.hours_text(),
                holidays=calendar.holidays,
                holiday_dates=sorted(d.isoformat() for d in holiday_dates),
                closed_dates=sorted(d.isoformat() for d in calendar.own_closed),
                is_default=False,
                created_at=now,
                updated_at=now,
            )
        )
        self.session.flush()

    def get(self, name: str) -> StoredCalendar:
        row = self.session.scalar(
            select(WorkingCalendarRow).where(WorkingCalendarRow.name == name.strip())
        )
        if row is None:
            raise NotFound("calendar", name)
        return _stored(row)

    def list(self) -> list[StoredCalendar]:
        rows = self.session.scalars(select(WorkingCalendarRow).order_by(WorkingCalendarRow.name))
        return [_stored(row) for row in rows]

    def set_default(self, name: str, now: datetime) -> None:
        stored = self.get(name)
        self.session.execute(
            update(WorkingCalendarRow)
            .where(WorkingCalendarRow.is_default.is_(True))
            .values(is_default=False, updated_at=now)
        )
        self.session.execute(
            update(WorkingCalendarRow)
            .where(WorkingCalendarRow.id == stored.id)
            .values(is_default=True, updated_at=now)
        )

    def assign(self, account_id: int, name: str) -> None:
        stored = self.get(name)
        row = self.session.get(AccountCalendarRow, account_id)
        if row is None:
            self.session.add(AccountCalendarRow(account_id=account_id, calendar_id=stored.id))
        else:
            row.calendar_id = stored.id
        self.session.flush()

    def for_account(self, account_id: int) -> WorkingCalendar:
        return self.for_accounts([account_id])[account_id]

    def for_accounts(self, account_ids: Iterable[int]) -> dict[int, WorkingCalendar]:
        """Each account's calendar: its own, else the default, else 24×7 — in two queries."""
        ids = set(account_ids)
        rows = self.session.execute(
            select(AccountCalendarRow.account_id, WorkingCalendarRow)
            .join(WorkingCalendarRow, WorkingCalendarRow.id == AccountCalendarRow.calendar_id)
            .where(AccountCalendarRow.account_id.in_(ids))
        ).all()
        own = dict(rows)
        missing = ids - set(own)
        fallback = TWENTY_FOUR_SEVEN
        if missing:
            default = self.session.scalar(
                select(WorkingCalendarRow).where(WorkingCalendarRow.is_default.is_(True))
            )
            fallback = _calendar(default) if default is not None else TWENTY_FOUR_SEVEN
        built: dict[int, WorkingCalendar] = {}
        out = {}
        for account_id in ids:
            row = own.get(account_id)
            if row is None:
                out[account_id] = fallback
            else:
                out[account_id] = built.setdefault(row.id, _calendar(row))
        return out


def _stored(row: WorkingCalendarRow) -> StoredCalendar:
    return StoredCalendar(row.id, _calendar(row), row.is_default)


def _calendar(row: WorkingCalendarRow) -> WorkingCalendar:
    own = frozenset(date.fromisoformat(d) for d in row.closed_dates)
    holidays = frozenset(date.fromisoformat(d) for d in row.holiday_dates)
    return WorkingCalendar(
        row.name,
        row.timezone,
        parse_hours(row.hours),
        closed=own | holidays,
        holidays=row.holidays,
        own_closed=own,
    )
