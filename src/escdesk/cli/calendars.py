"""`escdesk calendars`: working calendars (R-SLA-1), and the tools that explain a due moment.

`add-time` and `between` answer the two questions the service clocks ask of a calendar, so a
support engineer can check by hand why an update is due when the board says it is.
"""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from escdesk.cli import parsing, times
from escdesk.cli.options import AsJson, By
from escdesk.cli.output import Json, console, iso, print_json
from escdesk.cli.runtime import runtime
from escdesk.services import calendars as service
from escdesk.services.calendars import StoredCalendar

app = typer.Typer(
    help="Working calendars: the hours the service clocks run in.", no_args_is_help=True
)

CalendarArg = Annotated[str, typer.Argument(metavar="NAME", help="The calendar's name, or 24x7.")]


def calendar_json(stored: StoredCalendar) -> Json:
    cal = stored.calendar
    return {
        "id": stored.id,
        "name": cal.name,
        "timezone": cal.timezone,
        "hours": cal.hours_text(),
        "holidays": cal.holidays,
        "closed": sorted(d.isoformat() for d in cal.own_closed),
        "holiday_dates": sorted(d.isoformat() for d in cal.closed - cal.own_closed),
        "default": stored.is_default,
    }


@app.command("add")
def add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="One word, e.g. munich.")],
    timezone: Annotated[str, typer.Option("--timezone", help="IANA name, e.g. Europe/Berlin.")],
    hours: Annotated[
        list[str],
        typer.Option(
            "--hours",
            help="Working hours of some weekdays, e.g. 'mon-thu 09:00-12:00,13:00-17:00'; "
            "repeat for other days. Days not named are closed.",
        ),
    ],
    holidays: Annotated[
        str | None,
        typer.Option("--holidays", help="Public holidays of a country or subdivision: DE-BY."),
    ] = None,
    closed: Annotated[
        list[str] | None, typer.Option("--closed", help="A date the company is closed, repeatable.")
    ] = None,
    by: By = None,
    as_json: AsJson = False,
) -> None:
    """Add a working calendar."""
    state = runtime(ctx)
    cmd = service.AddCalendar.parse(
        name=name, timezone=timezone, hours=hours, holidays=holidays, closed=closed or []
    )
    stored = state.run(service.with_holidays(state.desk.holidays()), cmd, by, required=False)
    if as_json:
        print_json(calendar_json(stored))
        return
    typer.echo(f"Added calendar {stored.calendar.name} (id {stored.id})")


@app.command("list")
def list_(ctx: typer.Context, as_json: AsJson = False) -> None:
    """List the working calendars; accounts without one of their own use the default."""
    found = runtime(ctx).read(service.list_calendars, None)
    if as_json:
        print_json({"items": [calendar_json(s) for s in found]})
        return
    table = Table(title="Working calendars", title_justify="left")
    for column in ("Name", "Timezone", "Hours", "Holidays", "Default"):
        table.add_column(column)
    for s in found:
        cal = s.calendar
        table.add_row(
            cal.name,
            cal.timezone,
            "\n".join(cal.hours_text()),
            cal.holidays or "—",
            "yes" if s.is_default else "",
        )
    if not found:
        typer.echo("No calendars: every clock runs 24x7.")
        return
    console().print(table)


@app.command("show")
def show(ctx: typer.Context, name: CalendarArg, as_json: AsJson = False) -> None:
    """Show a calendar: hours, timezone, holidays and closed dates."""
    stored = runtime(ctx).read(service.show_calendar, service.ShowCalendar(name))
    data = calendar_json(stored)
    if as_json:
        print_json(data)
        return
    typer.echo(f"{data['name']} ({data['timezone']}){' — the default' if data['default'] else ''}")
    for line in data["hours"]:
        typer.echo(f"  {line}")
    if data["holidays"]:
        typer.echo(f"  public holidays of {data['holidays']} ({len(data['holiday_dates'])} dates)")
    if data["closed"]:
        typer.echo(f"  closed: {', '.join(data['closed'])}")


@app.command("set-default")
def set_default(ctx: typer.Context, name: CalendarArg, by: By = None) -> None:
    """Make a calendar the one of every account that has none of its own."""
    stored = runtime(ctx).run(
        service.set_default_calendar, service.SetDefaultCalendar(name), by, required=False
    )
    typer.echo(f"{stored.calendar.name} is the default calendar")


@app.command("add-time")
def add_time(
    ctx: typer.Context,
    name: CalendarArg,
    start: Annotated[str, typer.Argument(help="ISO 8601 moment; naive means UTC.")],
    duration: Annotated[str, typer.Argument(help="Working time: 90m, 8h, 1h30m.")],
    as_json: AsJson = False,
) -> None:
    """The moment DURATION of working time after START."""
    state = runtime(ctx)
    query = service.AddTime.parse(
        calendar=name, start=parsing.moment(start, "START", now=state.now), duration=duration
    )
    due = state.read(service.add_time, query)
    if as_json:
        print_json({"due": iso(due)})
        return
    typer.echo(times.when(due))


@app.command("between")
def between(
    ctx: typer.Context,
    name: CalendarArg,
    start: Annotated[str, typer.Argument(help="ISO 8601 moment; naive means UTC.")],
    end: Annotated[str, typer.Argument(help="ISO 8601 moment; naive means UTC.")],
    as_json: AsJson = False,
) -> None:
    """The working time between START and END, in seconds."""
    state = runtime(ctx)
    query = service.Between(
        name,
        parsing.moment(start, "START", now=state.now),
        parsing.moment(end, "END", now=state.now),
    )
    seconds = int(state.read(service.between, query).total_seconds())
    if as_json:
        print_json({"seconds": seconds})
        return
    typer.echo(str(seconds))


def set_account_calendar(
    ctx: typer.Context,
    account: Annotated[str, typer.Argument(help="The account's name, slug or id.")],
    calendar: Annotated[str, typer.Option("--calendar", help="The calendar's name.")],
    by: By = None,
) -> None:
    """Give an account the working calendar its clocks run in."""
    stored = runtime(ctx).run(
        service.set_account_calendar,
        service.SetAccountCalendar(account, calendar),
        by,
        required=False,
    )
    typer.echo(f"{account} now runs in the calendar {stored.calendar.name}")
