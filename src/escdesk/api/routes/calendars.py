"""Working calendars (R-SLA-1), and the explain tools the service clocks use:
`GET /api/calendars/{name}/add-time?start=…&duration=…` and `…/between?start=…&end=…`.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request, status

from escdesk.api.schemas.calendars import (
    AccountCalendarIn,
    CalendarIn,
    CalendarList,
    CalendarOut,
    DueOut,
    SecondsOut,
)
from escdesk.api.schemas.common import Key, Moment
from escdesk.domain.access import Permission, Principal
from escdesk.http.deps import RunnerDep, require
from escdesk.services import calendars as service

router = APIRouter(tags=["calendars"])

Reader = Annotated[Principal, Depends(require(Permission.READ))]
Manager = Annotated[Principal, Depends(require(Permission.MANAGE_ACCOUNTS))]
Name = Annotated[str, Path(max_length=80, description="The calendar's name, or 24x7.")]


@router.get("/calendars", response_model=CalendarList)
def list_calendars(who: Reader, run: RunnerDep) -> CalendarList:
    found = run.read(service.list_calendars, None, who.actor)
    return CalendarList(items=[CalendarOut.of(s) for s in found])


@router.post("/calendars", response_model=CalendarOut, status_code=status.HTTP_201_CREATED)
def add_calendar(body: CalendarIn, who: Manager, run: RunnerDep, request: Request) -> CalendarOut:
    cmd = service.AddCalendar.parse(
        name=body.name,
        timezone=body.timezone,
        hours=body.hours,
        holidays=body.holidays,
        closed=[d.isoformat() for d in body.closed],
    )
    handler = service.with_holidays(request.app.state.desk.holidays())
    return CalendarOut.of(run.run(handler, cmd, who.actor))


@router.get("/calendars/{key}", response_model=CalendarOut)
def show_calendar(key: Name, who: Reader, run: RunnerDep) -> CalendarOut:
    return CalendarOut.of(run.read(service.show_calendar, service.ShowCalendar(key), who.actor))


@router.post("/calendars/{key}/default", response_model=CalendarOut)
def set_default(key: Name, who: Manager, run: RunnerDep) -> CalendarOut:
    """Make this the calendar of every account without one of its own."""
    cmd = service.SetDefaultCalendar(key)
    return CalendarOut.of(run.run(service.set_default_calendar, cmd, who.actor))


@router.get("/calendars/{key}/add-time", response_model=DueOut)
def add_time(
    key: Name,
    start: Annotated[Moment, Query(description="ISO 8601; without a zone, UTC.")],
    duration: Annotated[str, Query(max_length=20, description="Working time: 90m, 8h, 1h30m.")],
    who: Reader,
    run: RunnerDep,
) -> DueOut:
    """The moment `duration` of working time after `start`."""
    query = service.AddTime.parse(calendar=key, start=start, duration=duration)
    return DueOut(due=run.read(service.add_time, query, who.actor))


@router.get("/calendars/{key}/between", response_model=SecondsOut)
def between(
    key: Name,
    start: Annotated[Moment, Query(description="ISO 8601; without a zone, UTC.")],
    end: Annotated[Moment, Query(description="ISO 8601; without a zone, UTC.")],
    who: Reader,
    run: RunnerDep,
) -> SecondsOut:
    """Seconds of working time between `start` and `end`."""
    spent = run.read(service.between, service.Between(key, start, end), who.actor)
    return SecondsOut(seconds=int(spent.total_seconds()))


@router.put("/accounts/{key}/calendar", response_model=CalendarOut)
def set_account_calendar(
    key: Annotated[Key, Path(max_length=200, description="Account id, name or slug.")],
    body: AccountCalendarIn,
    who: Manager,
    run: RunnerDep,
) -> CalendarOut:
    """The calendar this account's clocks run in."""
    cmd = service.SetAccountCalendar(key, body.calendar)
    return CalendarOut.of(run.run(service.set_account_calendar, cmd, who.actor))
