"""The clock forms in real headless Chromium (R-SLA-1, R-SLA-2, R-ESC-10): add a calendar with
public holidays, give it to an account, pause an escalation's customer-update clock and resume
it, and set a standup cadence."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

import pytest
from fastapi import FastAPI
from playwright.sync_api import Page, expect

from escdesk.services import auth, calendars
from escdesk.services import escalations as service
from escdesk.services.escalation_commands import ShowEscalation
from escdesk.store.uow import SqlUnitOfWork
from tests import factories
from tests.web.live import CHROMIUM, serving

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs Debian's chromium")
PASSWORD = "a long enough password"


def test_a_calendar_an_accounts_clock_a_pause_and_a_standup_are_set_in_the_browser(
    app: FastAPI, page: Page, uow: SqlUnitOfWork, now: datetime
) -> None:
    manager = factories.add_person(
        uow, "manager", "support", now=now, name="Mia Manager", timezone="Europe/Berlin"
    )
    auth.set_password(uow, manager.email, PASSWORD, now)
    account = factories.add_account(uow, now=now, name="Isar Logistics")
    esc = factories.open_escalation(uow, now=now, account=account.name, by=manager.email)
    with serving(app) as base:
        page.goto(f"{base}/clocks")
        page.get_by_label("E-mail").fill(manager.email)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        expect(page.get_by_role("heading", name="Clocks", exact=True)).to_be_visible()

        form = page.locator("form[action='/calendars']")
        form.get_by_label(re.compile("^Name")).fill("munich")
        form.get_by_label("Timezone").fill("Europe/Berlin")
        form.get_by_label("Monday").fill("09:00-12:00, 13:00-17:00")
        form.get_by_label("Friday").fill("09:00-15:00")
        form.get_by_label("Public holidays").fill("DE-BY")
        form.get_by_label("Closed dates").fill("2026-12-24")
        form.get_by_role("button", name="Add the calendar").click()
        expect(page.get_by_role("status").first).to_have_text("The calendar munich is added.")
        expect(page.locator("main")).to_contain_text("public holidays of DE-BY")
        expect(page.locator("main")).to_contain_text("Fri 25 Dec 2026")  # from the holidays package

        page.get_by_label("From").fill("2026-11-06T16:30")  # the viewer's clock: Berlin
        page.get_by_label("Add working time").fill("90m")
        page.get_by_role("button", name="Explain").click()
        explained = page.locator(".explained")
        expect(explained).to_contain_text("ends Mon 9 Nov 2026 10:30 Europe/Berlin")

        page.goto(f"{base}/accounts/{account.id}")
        page.get_by_label("Its clocks run in").select_option("munich")
        page.get_by_role("button", name="Set the calendar").click()
        expect(page.get_by_role("status")).to_have_text("This account's clocks now run in munich.")

        page.goto(f"{base}/escalations/{esc.id}")
        page.locator("summary", has_text="Wait on the customer").click()
        page.get_by_label("What the customer was asked for").fill("HAR file")
        page.get_by_role("button", name="Pause the customer-update clock").click()
        expect(page.get_by_role("status")).to_have_text(
            "Waiting on the customer: the customer-update clock is paused."
        )
        expect(page.locator(".due-strip")).to_contain_text("paused: waiting on the customer")
        page.get_by_role("button", name="The customer answered").click()
        expect(page.get_by_role("status")).to_have_text(
            "The customer answered: the customer-update clock runs again."
        )

        page.locator("summary", has_text="Set up the standup cadence").click()
        standup = page.locator("form[action$='/standup']")
        standup.get_by_label("Mon", exact=True).check()
        standup.get_by_label("Thu", exact=True).check()
        standup.get_by_label(re.compile("^Time in")).fill("09:15")
        expect(standup.get_by_label("Timezone")).to_have_value("Europe/Berlin")
        standup.get_by_label("Attendees").fill("dana@example.com")
        standup.get_by_role("button", name="Save the standup cadence").click()
        expect(page.get_by_role("status")).to_contain_text(
            "Standup set: mon, thu at 09:15 (Europe/Berlin)"
        )
        expect(page.locator("summary", has_text="Change the standup cadence")).to_be_visible()

    stored = factories.ask(uow, calendars.show_calendar, calendars.ShowCalendar("munich"))
    assert stored.calendar.holidays == "DE-BY"
    shown = factories.ask(uow, service.show_escalation, ShowEscalation(esc.id))
    esc_now = shown.escalation
    assert esc_now.standup is not None and esc_now.standup.days == (0, 3)
    assert [p.reason for p in esc_now.pauses] == ["HAR file"] and esc_now.pauses[0].end
