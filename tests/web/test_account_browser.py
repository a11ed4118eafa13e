"""Accounts kept true in real headless Chromium (seed 004): the CSM sets the sentiment on the
account's page, and the new-escalation form warns before a second one for the customer."""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

import pytest
from fastapi import FastAPI
from playwright.sync_api import Page, expect

from escdesk.services import auth
from escdesk.store.uow import SqlUnitOfWork
from tests import factories
from tests.web.live import CHROMIUM, serving
from tests.web.test_browser import PASSWORD, sign_in

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs Debian's chromium")
SHOTS = os.environ.get("ESCDESK_TEST_SCREENSHOTS")  # a directory, to look at the pages


def test_the_csm_sets_the_sentiment_and_a_second_escalation_is_opened_only_when_meant(
    app: FastAPI, page: Page, uow: SqlUnitOfWork, now: datetime
) -> None:
    csm = factories.add_person(uow, "csm", now=now, name="Carla CSM")
    auth.set_password(uow, csm.email, PASSWORD, now)
    account = factories.add_account(uow, now=now, name="Globex", csm=csm.email)
    first = factories.open_escalation(uow, now=now, account=account.name, summary="Exports stall")
    with serving(app) as base:
        sign_in(page, base, csm.email)
        page.goto(f"{base}/accounts/{account.id}")
        page.get_by_text("Edit the account").click()
        page.get_by_label("Sentiment").select_option("at_risk")
        if SHOTS:
            page.screenshot(path=f"{SHOTS}/account-edit.png", full_page=True)
        page.get_by_role("button", name="Save the account").click()
        expect(page.get_by_role("status")).to_have_text("Globex is up to date.")
        expect(page.get_by_text("At risk: its sentiment is at risk.")).to_be_visible()
        expect(page.get_by_text("set by Carla CSM")).to_be_visible()

        page.goto(f"{base}/escalations/new")
        page.get_by_label("Account").select_option(str(account.id))
        page.get_by_label("Summary").fill("Search is slow")
        page.get_by_label("Initial ask").fill("An engineer on the search service")
        page.get_by_label("Required skills").fill("Elasticsearch")
        page.get_by_role("button", name="Open the escalation").click()
        expect(page.get_by_role("alert")).to_contain_text(
            f"Globex already has an open escalation, ESC-{first.id}"
        )
        expect(page.get_by_role("link", name="Go to the open escalation")).to_have_attribute(
            "href", f"/escalations/{first.id}"
        )
        if SHOTS:
            page.screenshot(path=f"{SHOTS}/second-escalation.png", full_page=True)
        page.get_by_label("Came in through").select_option("csm")  # the CSM runs it then
        page.get_by_label("Open a second escalation for this customer anyway").check()
        page.get_by_role("button", name="Open the escalation").click()
        expect(page.get_by_role("status")).to_contain_text("is open")
