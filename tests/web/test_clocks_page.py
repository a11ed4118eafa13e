"""The clocks page: working calendars and breaches (R-SLA-1, R-SLA-3)."""

from __future__ import annotations

from datetime import datetime, timedelta

from fastapi import FastAPI
from sqlalchemy import Engine

from escdesk.adapters.holidays import PublicHolidays
from escdesk.domain.reminders import ReminderPolicy
from escdesk.domain.severity import DEFAULT_POLICY
from escdesk.notify.scheduler import run_pass
from escdesk.services import calendars
from escdesk.store.uow import SqlUnitOfWork
from tests import factories
from tests.web.pages import Visitor, text_of, visitor


def test_the_page_lists_calendars_and_breaches(
    manager: Visitor, uow: SqlUnitOfWork, engine: Engine, now: datetime
) -> None:
    assert "every clock runs 24×7" in text_of(manager.get("/clocks").text)
    cmd = calendars.AddCalendar.parse(
        name="munich", timezone="Europe/Berlin", hours=["mon-fri 09:00-17:00"], holidays="DE-BY"
    )
    factories.act(uow, cmd, now=now, handler=calendars.with_holidays(PublicHolidays()))
    esc = factories.open_escalation(uow, now=now - timedelta(days=8), severity="medium")
    run_pass(lambda: SqlUnitOfWork(engine), now, DEFAULT_POLICY, ReminderPolicy(), "x")
    page = text_of(manager.get("/clocks").text)
    assert "munich" in page and "Europe/Berlin" in page and "mon-fri 09:00-17:00" in page
    assert f"ESC-{esc.id}" in page and "By severity: medium 2" in page
    assert "2 · 2 still late" in page and "and counting" in page
    assert 'href="/clocks"' in manager.get("/").text


def test_the_escalation_page_shows_each_clock_on_the_viewers_clock_and_in_working_time(
    app: FastAPI, uow: SqlUnitOfWork, now: datetime
) -> None:
    cmd = calendars.AddCalendar.parse(
        name="munich", timezone="Europe/Berlin", hours=["mon-fri 09:00-17:00"]
    )
    factories.act(uow, cmd, now=now, handler=calendars.with_holidays(PublicHolidays()))
    account = factories.add_account(uow, now=now)
    factories.act(
        uow, calendars.SetAccountCalendar(account.name, "munich"), now=now,
        handler=calendars.set_account_calendar,
    )  # fmt: skip
    esc = factories.open_escalation(uow, now=now, account=account.name)
    with visitor(app, uow, now, "manager", timezone="Asia/Tokyo") as tokyo:
        page = text_of(tokyo.get(f"/escalations/{esc.id}").text)
    # now is Monday 09:00 UTC; medium commitments are 7 working days: due Wed 11 Nov 10:00
    # in Munich, which is 18:00 in Tokyo; 7 working days of 8 h are 56 h of working time.
    assert "Wed 11 Nov 2026 18:00 Asia/Tokyo" in page
    assert "56 h 0 min left of munich working time" in page
