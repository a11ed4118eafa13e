"""The working calendars' forms (R-SLA-1): add one, show one with its explain tool, make one the
default, and choose an account's calendar on the account's page.

Each form goes through the same typed command and handler as the CLI and the API; a refusal is
shown beside the form that caused it. The explain tool's moments are typed and shown on the
viewer's own clock, and the form says which zone that is.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from starlette.datastructures import FormData

from escdesk.domain.access import Permission, Principal
from escdesk.domain.accounts import AccountStatus, Sentiment, Tier
from escdesk.domain.calendars import WEEKDAYS
from escdesk.domain.errors import InvalidInput
from escdesk.http.deps import NowDep, RunnerDep, UowDep
from escdesk.services import accounts, breaches
from escdesk.services import calendars as service
from escdesk.services.desk import account_overview, directory
from escdesk.services.runner import Runner
from escdesk.store.uow import SqlUnitOfWork
from escdesk.web.errors import FormError, PageRoute, on_error_show
from escdesk.web.forms import FormDep, FormFields, local_moment
from escdesk.web.pages import redirect, render
from escdesk.web.viewer import Reader, allowed_to

router = APIRouter(route_class=PageRoute)
Manager = Annotated[Principal, Depends(allowed_to(Permission.MANAGE_ACCOUNTS))]
DAY_NAMES = dict(zip(WEEKDAYS, ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
                                "Saturday", "Sunday"), strict=True))  # fmt: skip
FIRST_HOURS = dict.fromkeys(WEEKDAYS[:5], "09:00-17:00")


def viewer_timezone(principal: Principal) -> str:
    """The signed-in person's own timezone (a token or a person without one: UTC)."""
    return principal.timezone or "UTC"


def clocks_page(
    request: Request, run: Runner, principal: Principal, failed: FormError | None = None
) -> Response:
    """The calendars and the breaches; after a refused new calendar, with the refusal shown."""
    context = {
        "calendars": run.read(service.list_calendars, None, principal.actor),
        "report": run.read(breaches.list_breaches, breaches.ListBreaches(), principal.actor),
        "failed": failed,
        "weekdays": DAY_NAMES,
        "first_hours": FIRST_HOURS,
    }
    return render(request, "clocks.html", context, status_code=failed.status if failed else 200)


@router.get("/clocks")
def clocks(request: Request, principal: Reader, run: RunnerDep) -> Response:
    return clocks_page(request, run, principal)


def hours_of(form: FormFields) -> list[str]:
    """One field per weekday ('09:00-12:00, 13:00-17:00'), as the specs the command reads."""
    specs = []
    for day in WEEKDAYS:
        ranges = form.text(f"hours_{day}").replace(" ", "")
        if ranges:
            specs.append(f"{day} {ranges}")
    return specs


@router.post("/calendars")
def add_calendar(request: Request, principal: Manager, form: FormDep, run: RunnerDep) -> Response:
    on_error_show(request, "calendar", lambda req, failed: clocks_page(req, run, principal, failed))
    cmd = service.AddCalendar.parse(
        name=form.text("name"),
        timezone=form.text("timezone"),
        hours=hours_of(form),
        holidays=form.optional("holidays"),
        closed=form.texts("closed"),
    )
    handler = service.with_holidays(request.app.state.desk.holidays())
    stored = run.run(handler, cmd, principal.actor)
    name = stored.calendar.name
    return redirect(f"/calendars/{name}", flash=f"The calendar {name} is added.")


@dataclass(frozen=True)
class Explained:
    """What the explain form asked and what the calendar answered."""

    start: datetime
    duration: str = ""
    due: datetime | None = None
    end: datetime | None = None
    seconds: int | None = None


def _explain(
    run: Runner, principal: Principal, name: str, tz: str, start: str, duration: str, end: str
) -> Explained | None:
    moment = local_moment(start, "start", tz)
    if moment is None:
        if duration or end:
            raise InvalidInput("start", "is missing", f"Pick the moment to count from ({tz})")
        return None
    if end:
        finish = local_moment(end, "end", tz)
        assert finish is not None
        query = service.Between(name, moment, finish)
        seconds = int(run.read(service.between, query, principal.actor).total_seconds())
        return Explained(moment, end=finish, seconds=seconds)
    if not duration:
        raise InvalidInput("duration", "is missing", "Give a working time like 90m, or an end")
    add = service.AddTime.parse(calendar=name, start=moment, duration=duration)
    return Explained(moment, duration, due=run.read(service.add_time, add, principal.actor))


def calendar_page(
    request: Request,
    run: Runner,
    principal: Principal,
    name: str,
    tz: str,
    now: datetime,
    explained: Explained | None = None,
    failed: FormError | None = None,
) -> Response:
    stored = run.read(service.show_calendar, service.ShowCalendar(name), principal.actor)
    context = {
        "stored": stored,
        "c": stored.calendar,
        "viewer_tz": tz,
        "explained": explained,
        "failed": failed,
        "holiday_dates": sorted(stored.calendar.closed - stored.calendar.own_closed),
    }
    status = failed.status if failed else 200
    return render(request, "calendars/detail.html", context, status_code=status, now=now)


@router.get("/calendars/{key}")
def show_calendar(
    request: Request,
    key: str,
    principal: Reader,
    run: RunnerDep,
    now: NowDep,
    start: str = "",
    duration: str = "",
    end: str = "",
) -> Response:
    """A calendar, and the explain tool: when is `duration` of working time after `start`,
    or how much working time lies between `start` and `end`."""
    tz = viewer_timezone(principal)
    asked = FormData({"start": start, "duration": duration, "end": end})
    request.state.form_fields = FormFields(asked)

    def show_again(req: Request, failed: FormError) -> Response:
        return calendar_page(req, run, principal, key, tz, now, failed=failed)

    on_error_show(request, "explain", show_again)
    explained = _explain(run, principal, key, tz, start, duration.strip(), end)
    return calendar_page(request, run, principal, key, tz, now, explained)


@router.post("/calendars/{key}/default")
def set_default(
    request: Request,
    key: str,
    principal: Manager,
    form: FormDep,
    run: RunnerDep,
    now: NowDep,
) -> Response:
    tz = viewer_timezone(principal)

    def show_again(req: Request, failed: FormError) -> Response:
        return calendar_page(req, run, principal, key, tz, now, failed=failed)

    on_error_show(request, "default", show_again)
    stored = run.run(service.set_default_calendar, service.SetDefaultCalendar(key), principal.actor)
    return redirect(
        f"/calendars/{stored.calendar.name}",
        flash=f"{stored.calendar.name} is the default calendar: every account without one of "
        "its own runs in it.",
    )


def account_page(
    request: Request,
    uow: SqlUnitOfWork,
    run: Runner,
    key: str,
    principal: Principal,
    now: datetime,
    failed: FormError | None = None,
) -> Response:
    """The account's page, with the calendar its clocks run in and the form that changes it."""
    overview = account_overview(uow, key, now=now)
    account_id = overview.detail.account.id
    assert account_id is not None
    with uow:
        current = service.book(uow).for_account(account_id)
    context = {
        "overview": overview,
        "calendar": current,
        "calendars": run.read(service.list_calendars, None, principal.actor),
        "failed": failed,
        "may_edit": accounts.may_edit(principal.actor, overview.detail.account),
        "people": directory(uow).people,
        "tiers": list(Tier),
        "statuses": list(AccountStatus),
        "sentiments": list(Sentiment),
    }
    status = failed.status if failed else 200
    return render(request, "accounts/detail.html", context, status_code=status, now=now)


@router.get("/accounts/{key}")
def show_account(
    request: Request, key: str, principal: Reader, uow: UowDep, run: RunnerDep, now: NowDep
) -> Response:
    return account_page(request, uow, run, key, principal, now)


@router.post("/accounts/{key}/calendar")
def set_account_calendar(
    request: Request,
    key: str,
    principal: Manager,
    form: FormDep,
    uow: UowDep,
    run: RunnerDep,
    now: NowDep,
) -> Response:
    def show_again(req: Request, failed: FormError) -> Response:
        return account_page(req, uow, run, key, principal, now, failed)

    on_error_show(request, "calendar", show_again)
    calendar = form.text("calendar")
    if not calendar:
        raise InvalidInput("calendar", "is missing", "Choose the calendar this account runs in")
    cmd = service.SetAccountCalendar(key, calendar)
    stored = run.run(service.set_account_calendar, cmd, principal.actor)
    return redirect(
        f"/accounts/{key}", flash=f"This account's clocks now run in {stored.calendar.name}."
    )
