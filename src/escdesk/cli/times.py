"""Moments as the CLI prints them: in the actor's own timezone, with the zone written, in one
format (`2026-11-09 10:30 Europe/Berlin`), or in UTC with `escdesk --utc …`.

The actor is whoever the command acted as (`--by`, else `ESCDESK_ACTOR`, else `actor` in the
config file), and their zone is the timezone of their profile; without an actor, UTC. The zone
is looked up once per invocation, and only when a moment is printed. `--json` never comes here:
it always prints ISO 8601 in UTC.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import typer

from escdesk.cli.runtime import runtime
from escdesk.domain.errors import EscdeskError

UTC_NAME = "UTC"


@dataclass
class _Shown:
    ctx: typer.Context | None = None
    utc: bool = True
    zone: str | None = None


_shown = _Shown()


def begin(ctx: typer.Context, *, utc: bool) -> None:
    """Called once per invocation by the root command: which zone this run prints moments in."""
    _shown.ctx, _shown.utc, _shown.zone = ctx, utc, None


def zone_name() -> str:
    """The IANA name of the zone moments are printed in."""
    if _shown.utc or _shown.ctx is None:
        return UTC_NAME
    if _shown.zone is None:
        _shown.zone = _actors_zone(_shown.ctx)
    return _shown.zone


def local(moment: datetime) -> datetime:
    """`moment` on the printing zone's clock."""
    from escdesk.domain import clock  # `--help` and `--json` print no moment: not at start-up

    name = zone_name()
    return clock.utc(moment).astimezone(UTC if name == UTC_NAME else ZoneInfo(name))


def when(moment: datetime | None) -> str:
    """The one format: `2026-11-09 10:30 Europe/Berlin`; a missing moment is `—`."""
    if moment is None:
        return "—"
    return f"{local(moment):%Y-%m-%d %H:%M} {zone_name()}"


def day(moment: datetime) -> date:
    """The date `moment` falls on in the printing zone (an ETA's day)."""
    return local(moment).date()


def date_text(moment: datetime | None) -> str:
    """The date part of the one format, `2026-11-09`, on the same clock; missing is `—`."""
    return f"{day(moment):%Y-%m-%d}" if moment is not None else "—"


def _actors_zone(ctx: typer.Context) -> str:
    from escdesk.domain.access import Actor
    from escdesk.services import people  # only a command that prints a moment pays for it

    try:
        state = runtime(ctx)
        key = (state.named_actor or state.settings.actor or "").strip()
        if not key:
            return UTC_NAME
        person = state.runner().read(people.find_person, people.FindPerson(key), Actor.system())
        ZoneInfo(person.timezone)
    except (EscdeskError, ZoneInfoNotFoundError, ValueError):
        return UTC_NAME  # the command itself reports an unknown actor or a missing database
    return person.timezone or UTC_NAME
