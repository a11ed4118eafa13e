"""The whole flow in real headless Chromium against a real server (R-ESC-6, R-ESC-9, R-OPS-2).

Sign in, open an escalation from the dashboard, post an internal and a customer-facing update,
see the customer's status page show only the latter, be refused when closing without the
customer's agreement and with an open exit criterion, then close properly, waiving it, and see
the status page say why.
"""

from __future__ import annotations

import random
import re
from datetime import datetime
from pathlib import Path

import pytest
from fastapi import FastAPI
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import Engine

from escdesk.notify.worker import Worker
from escdesk.services import auth
from escdesk.services import escalations as service
from escdesk.services.escalation_commands import ShowEscalation
from escdesk.store.notify_repository import NotifyStore
from escdesk.store.uow import SqlUnitOfWork
from tests import factories
from tests.notify.conftest import slack_transport
from tests.notify.slack_server import SlackServer
from tests.web.live import CHROMIUM, serving

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs Debian's chromium")
PASSWORD = "a long enough password"


def test_an_escalation_is_run_and_closed_in_the_browser(
    app: FastAPI, browser: Browser, page: Page, uow: SqlUnitOfWork, now: datetime
) -> None:
    manager = factories.add_person(uow, "manager", "support", now=now, name="Mia Manager")
    auth.set_password(uow, manager.email, PASSWORD, now)
    esc = factories.open_escalation(uow, now=now, by=manager.email, summary="Exports stall")
    assert esc.id is not None
    with serving(app) as base:
        page.goto(f"{base}/")
        expect(page).to_have_url(re.compile(r"/login\?next=%2F$"))
        page.get_by_label("E-mail").fill(manager.email)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()

        page.get_by_role("link", name=f"ESC-{esc.id}").first.click()
        expect(page).to_have_url(f"{base}/escalations/{esc.id}")

        post_update(page, "Internal", "Root cause: a runaway cron job")
        expect(page.get_by_role("status")).to_have_text(
            "Your internal update is recorded; its post in the channel is queued."
        )
        post_update(page, "Customer-facing", "A fix ships on Friday.")
        expect(page.get_by_role("status")).to_have_text(
            "Your customer-facing update is recorded; its e-mail to the customer is queued."
        )

        page.locator("summary", has_text="Customer status page").click()
        page.get_by_role("button", name="Publish the status page").click()
        flash = page.get_by_role("status")
        expect(flash).to_contain_text("The customer status page is published at")
        link = re.search(r"/status/\S+", flash.inner_text())
        assert link is not None
        customer = browser.new_page()  # another browser profile: no session
        customer.goto(base + link.group(0))
        expect(customer.get_by_text("A fix ships on Friday.")).to_be_visible()
        expect(customer.locator("body")).not_to_contain_text("runaway cron job")
        customer.close()

        page.locator("summary", has_text="Close").click()
        page.get_by_role("button", name="Close the escalation").click()
        refusal = page.get_by_role("alert")
        expect(refusal).to_contain_text("The escalation cannot close yet.")
        expect(refusal).to_contain_text("the customer's agreement: who, when and how")
        assert (
            factories.ask(uow, service.show_escalation, ShowEscalation(esc.id)).escalation.status
            != "closed"
        )

        page.get_by_label("Agreed by").fill("Jo Chen, CTO")
        page.get_by_label("When").fill(now.strftime("%Y-%m-%dT%H:%M"))
        page.get_by_label("How").select_option("email")
        page.get_by_role("button", name="Close the escalation").click()
        refusal = page.get_by_role("alert")
        expect(refusal).not_to_contain_text("the customer's agreement")  # the new refusal
        expect(refusal).to_contain_text("exit criterion 1")
        expect(page.get_by_label("Agreed by")).to_have_value("Jo Chen, CTO")
        page.locator("input[name=waive_1]").fill("Jo agreed four clean days are enough")
        page.get_by_role("button", name="Close the escalation").click()
        expect(page.get_by_role("status")).to_contain_text("Closed with the customer's agreement")
        expect(page.locator(".badge.st-closed").first).to_be_visible()
        customer = browser.new_page()
        customer.goto(base + link.group(0))
        expect(customer.locator(".criteria")).to_contain_text(
            "Waived: Jo agreed four clean days are enough"
        )
        customer.close()
    assert (
        factories.ask(uow, service.show_escalation, ShowEscalation(esc.id)).escalation.status
        == "closed"
    )


def post_update(page: Page, audience: str, body: str) -> None:
    """Post an update; a customer-facing one through its preview (test_status_browser.py)."""
    form = page.locator("form[action$='/update']")
    form.get_by_label(audience).check()
    form.locator("textarea[name=body]").fill(body)
    form.get_by_role("button", name="Post update").click()
    if audience == "Customer-facing":
        page.get_by_role("button", name="Post to the customer").click()


def test_the_opening_checklist_turns_from_queued_to_done_when_slack_confirms(
    app: FastAPI, engine: Engine, page: Page, uow: SqlUnitOfWork, now: datetime
) -> None:
    """The page tells the truth about delivery: queued until the worker's Slack call succeeds."""
    manager = factories.add_person(uow, "manager", "support", now=now, name="Mia Manager")
    auth.set_password(uow, manager.email, PASSWORD, now)
    esc = factories.open_escalation(uow, now=now, by=manager.email)
    slack = SlackServer().start()
    try:
        slack.workspace.add_channel("escalated_customers")
        worker = Worker(
            uow_factory=lambda: SqlUnitOfWork(engine),
            transports=[slack_transport(slack, NotifyStore(engine, clock=lambda: now))],
            clock=lambda: now,
            rng=random.Random(2),
        )
        with serving(app) as base:
            sign_in(page, base, manager.email)
            page.goto(f"{base}/escalations/{esc.id}")
            channel_step = page.locator(".checklist li", has_text="Create the channel")
            expect(channel_step).to_contain_text("queued since")
            expect(page.locator("#messages")).to_contain_text("0 of 3 delivered")
            worker.run_once()
            page.reload()
            expect(channel_step).to_have_class(re.compile(r"\bdone\b"))
            expect(channel_step).to_contain_text("delivered")
            expect(page.locator("#messages")).to_contain_text("3 of 3 delivered")
    finally:
        slack.stop()


def sign_in(page: Page, base: str, email: str) -> None:
    page.goto(f"{base}/login")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()
