"""Working calendars (R-SLA-1) as the API sends and takes them."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, Field

from escdesk.api.schemas.common import ApiModel, SafeStr
from escdesk.services.calendars import StoredCalendar


class CalendarIn(ApiModel):
    name: SafeStr = Field(max_length=80, examples=["munich"])
    timezone: SafeStr = Field(max_length=64, examples=["Europe/Berlin"])
    hours: list[SafeStr] = Field(
        min_length=1,
        max_length=7,
        examples=[["mon-thu 09:00-12:00,13:00-17:00", "fri 09:00-15:00"]],
    )
    holidays: SafeStr | None = Field(default=None, max_length=20, examples=["DE-BY"])
    closed: list[date] = Field(default_factory=list, max_length=400)


class CalendarOut(BaseModel):
    id: int
    name: str
    timezone: str
    hours: list[str]
    holidays: str | None
    closed: list[date]
    holiday_dates: list[date]
    default: bool

    @classmethod
    def of(cls, stored: StoredCalendar) -> CalendarOut:
        cal = stored.calendar
        return cls(
            id=stored.id,
            name=cal.name,
            timezone=cal.timezone,
            hours=cal.hours_text(),
            holidays=cal.holidays,
            closed=sorted(cal.own_closed),
            holiday_dates=sorted(cal.closed - cal.own_closed),
            default=stored.is_default,
        )


class CalendarList(BaseModel):
    items: list[CalendarOut]


class AccountCalendarIn(ApiModel):
    calendar: SafeStr = Field(max_length=80)


class DueOut(BaseModel):
    due: datetime


class SecondsOut(BaseModel):
    seconds: int
