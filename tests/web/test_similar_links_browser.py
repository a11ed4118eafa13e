"""Linking from a similar-tickets list in real headless Chromium (R-REC-2): on the search page a
ticket joins the recurring issue of a match and is linked as its duplicate, and the page comes
back to the list each time."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from fastapi import FastAPI
from playwright.sync_api import Page, expect

from escdesk.services import auth
from escdesk.services.ticket_views import IssueRef
from escdesk.store.uow import SqlUnitOfWork
from tests import factories
from tests.web.live import CHROMIUM, serving
from tests.web.test_similar_links import NEW, ldap  # noqa: F401 (the fixture)

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs Debian's chromium")
PASSWORD = "a long enough password"


def test_a_ticket_is_linked_from_the_search_page_in_the_browser(
    app: FastAPI,
    page: Page,
    uow: SqlUnitOfWork,
    now: datetime,
    ldap: IssueRef,  # noqa: F811
) -> None:
    keeper = factories.add_person(uow, "support", now=now, name="Sam Support")
    auth.set_password(uow, keeper.email, PASSWORD, now)
    with serving(app) as base:
        page.goto(f"{base}/tickets/similar?ticket={NEW}")
        page.get_by_label("E-mail").fill(keeper.email)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        row = page.locator("tr", has=page.locator("a", has_text="L-1")).first
        row.get_by_role("button", name="Same issue").click()
        expect(page.get_by_role("status").first).to_contain_text(
            f"{NEW} is in the recurring issue “{ldap.label}” now"
        )
        assert page.url.endswith(f"/tickets/similar?ticket={NEW}")
        row = page.locator("tr", has=page.locator("a", has_text="L-1")).first
        expect(row.get_by_role("button", name="Same issue")).to_have_count(0)
        row.get_by_role("button", name="Duplicate").click()
        expect(page.get_by_role("status").first).to_contain_text(f"{NEW} is a duplicate of L-1")
        expect(page.locator("tbody tr").first).to_contain_text("linked duplicate")
