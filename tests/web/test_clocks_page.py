"""The clocks page: working calendars and breaches (R-SLA-1, R-SLA-3)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import Engine

from escdesk.adapters.holidays import PublicHolidays
from escdesk.domain.reminders import ReminderPolicy
from escdesk.domain.severity import DEFAULT_POLICY
from escdesk.notify.scheduler import run_pass
from escdesk.services import calendars
from escdesk.store.uow import SqlUnitOfWork
from tests import factories
from tests.web.pages import Visitor, text_of


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
