"""Times in people's own timezone, in real headless Chromium: a CSM in Singapore reads every
moment on Singapore's clock and types the ETA on it; the customer's status page is on the
account's clock (its working calendar's zone)."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi import FastAPI
from playwright.sync_api import Browser, Page, expect

from escdesk.services import auth, calendars, status_page
from escdesk.store.uow import SqlUnitOfWork
from tests import factories
from tests.web.live import CHROMIUM, serving

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs Debian's chromium")
PASSWORD = "a long enough password"


def test_a_singapore_csm_reads_and_types_times_on_singapore_time(
    app: FastAPI, browser: Browser, page: Page, uow: SqlUnitOfWork, now: datetime
) -> None:
    csm = factories.add_person(uow, "csm", now=now, name="Siew Ling Tan", timezone="Asia/Singapore")
    auth.set_password(uow, csm.email, PASSWORD, now)
    cmd = calendars.AddCalendar.parse(
        name="munich", timezone="Europe/Berlin", hours=["mon-fri 09:00-17:00"]
    )
    factories.act(uow, cmd, now=now, handler=calendars.add_calendar)
    account = factories.add_account(uow, now=now, name="Isar Logistics", csm=csm.email)
    factories.act(
        uow, calendars.SetAccountCalendar(account.name, "munich"), now=now,
        handler=calendars.set_account_calendar,
    )  # fmt: skip
    # Thursday 20:00 UTC is already Friday 04:00 in Singapore: the day shown moves too.
    eta = datetime(2026, 11, 5, 20, 0, tzinfo=UTC)
    esc = factories.open_escalation(uow, now=now, account=account.name, eta=eta)
    with serving(app) as base:
        page.goto(f"{base}/")
        page.get_by_label("E-mail").fill(csm.email)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        row = page.locator("tr", has=page.get_by_role("link", name=f"ESC-{esc.id}")).first
        eta_cell = row.get_by_text("Fri 6 Nov 2026", exact=True)
        expect(eta_cell).to_have_attribute("title", "Fri 6 Nov 2026 04:00 Asia/Singapore")
        # The next update is due Wednesday 09:00 UTC: 17:00 on the CSM's clock.
        due = row.get_by_text(re.compile("^due in"))
        expect(due).to_have_attribute("title", "Wed 11 Nov 2026 17:00 Asia/Singapore")

        page.goto(f"{base}/escalations/{esc.id}")
        main = page.locator("main")
        expect(page.locator("#eta-shown")).to_have_text("Fri 6 Nov 2026 04:00 Asia/Singapore")
        # Opened Monday 09:00 UTC: 17:00 in Singapore, in the history and the updates alike.
        expect(main).to_contain_text("Mon 2 Nov 2026 17:00 Asia/Singapore")
        expect(main).not_to_contain_text(re.compile(r"\d\d:\d\d UTC"))

        page.get_by_text("Set the ETA").click()
        field = page.get_by_label("New ETA Asia/Singapore")
        expect(field).to_have_value("2026-11-06T04:00")  # the current ETA, on the same clock
        field.fill("2026-11-10T09:30")
        page.locator("#eta-reason").fill("the vendor ships the driver on Tuesday")
        page.get_by_role("button", name="Set ETA").click()
        expect(page.get_by_role("status").first).to_contain_text("ETA")
        expect(page.locator("#eta-shown")).to_have_text("Tue 10 Nov 2026 09:30 Asia/Singapore")

        with uow:
            stored = uow.escalations.get(esc.id).eta
        assert stored is not None and stored.astimezone(UTC) == datetime(
            2026, 11, 10, 1, 30, tzinfo=UTC
        )

        token = status_page.publish(uow, esc.id, now)
        customer = browser.new_context()  # the customer: nobody signed in
        status = customer.new_page()
        status.goto(f"{base}/status/{token}")
        # The customer runs on Munich's calendar: 01:30 UTC is 02:30 in Berlin (CET).
        expect(status.locator("main")).to_contain_text("Tue 10 Nov 2026 02:30 Europe/Berlin")
        expect(status.locator("main")).to_contain_text("opened Mon 2 Nov 2026 10:00 Europe/Berlin")
        expect(status.locator("main")).not_to_contain_text("Singapore")
        customer.close()
