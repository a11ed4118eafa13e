"""The customer's side in real headless Chromium (R-OPS-2): the DRI writes the customer summary,
previews a customer-facing update and posts it only after confirming; the status page shows the
customer summary and the company's name, and none of the team's internal words."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

import pytest
from fastapi import FastAPI
from playwright.sync_api import Browser, Page, expect

from escdesk.domain.clock import Audience
from escdesk.services import auth, status_page
from escdesk.services import escalations as service
from escdesk.services.acting import DatabaseAdministrator
from escdesk.services.contacts import AddContact, add_contact_now
from escdesk.services.escalation_commands import PostUpdate, ShowEscalation
from escdesk.store.uow import SqlUnitOfWork
from tests import factories
from tests.web.conftest import COMPANY
from tests.web.live import CHROMIUM, serving

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs Debian's chromium")
PASSWORD = "a long enough password"
INTERNAL_SUMMARY = "Their admin misconfigured the runner"
INTERNAL_NOTE = "Blame the cron job"


def test_the_dri_previews_then_posts_and_the_customer_reads_only_customer_words(
    app: FastAPI, browser: Browser, page: Page, uow: SqlUnitOfWork, now: datetime
) -> None:
    dri = factories.add_person(uow, "support", now=now, name="Dana Dri")
    auth.set_password(uow, dri.email, PASSWORD, now)
    esc = factories.open_escalation(uow, now=now, by=dri.email, summary=INTERNAL_SUMMARY)
    assert esc.id is not None
    account = factories.ask(uow, service.show_escalation, ShowEscalation(esc.id)).account
    add_contact_now(
        uow, AddContact(account.name, "Jo Chen", "jo@acme.example"), DatabaseAdministrator(), now
    )
    factories.act(uow, PostUpdate(esc.id, Audience.INTERNAL, INTERNAL_NOTE), now=now, by=dri.email)
    token = status_page.publish(uow, esc.id, now)
    with serving(app) as base:
        page.goto(f"{base}/login")
        page.get_by_label("E-mail").fill(dri.email)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()
        page.goto(f"{base}/escalations/{esc.id}")

        page.locator("summary", has_text="Write the customer summary").click()
        page.get_by_label("Customer summary").fill("Pipelines start late")
        page.get_by_role("button", name="Save the customer summary").click()
        expect(page.get_by_role("status")).to_contain_text("The customer summary is saved")

        form = page.locator("form[action$='/update']")
        form.get_by_label("Customer-facing").check()
        form.locator("textarea[name=body]").fill("A fix ships on Friday.")
        form.get_by_role("button", name="Post update").click()
        expect(
            page.get_by_role("heading", name=f"Check what {esc.customer} will read")
        ).to_be_visible()
        expect(page.locator(".preview-entry")).to_contain_text("A fix ships on Friday.")
        mail = page.locator(".mail-preview")
        expect(mail).to_contain_text("Hello Jo Chen,")
        expect(mail).to_contain_text(f"Dana Dri, for the {COMPANY} escalation team")
        expect(page.locator(".mail-subject")).to_have_text(
            f"Update on your escalation ESC-{esc.id}: Pipelines start late"
        )
        assert _updates(uow, esc.id) == ["internal"]  # nothing posted before the confirmation

        page.get_by_role("button", name="Post to the customer").click()
        expect(page.get_by_role("status")).to_have_text(
            "Your customer-facing update is recorded; its e-mail to the customer is queued."
        )
        assert _updates(uow, esc.id) == ["internal", "customer"]

        customer = browser.new_page()  # no session: what anyone with the link sees
        customer.goto(f"{base}/status/{token}")
        expect(customer.get_by_role("heading", level=1)).to_have_text("Pipelines start late")
        expect(customer.get_by_text("A fix ships on Friday.")).to_be_visible()
        expect(customer.locator("header")).to_contain_text(COMPANY)
        expect(customer).to_have_title(re.compile(f"{COMPANY}$"))
        body = customer.locator("body")
        for internal in (INTERNAL_SUMMARY, INTERNAL_NOTE, "Dana Dri", "escdesk"):
            expect(body).not_to_contain_text(internal)
        customer.close()


def _updates(uow: SqlUnitOfWork, esc_id: int) -> list[str]:
    esc = factories.ask(uow, service.show_escalation, ShowEscalation(esc_id)).escalation
    return [u.audience.value for u in esc.updates]
