"""Finding things in real headless Chromium: the search box in the navigation, sortable
columns, the pager, the keyboard shortcuts, and a phone-sized screen that shows the whole
navigation without sideways scrolling."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

import pytest
from fastapi import FastAPI
from playwright.sync_api import Browser, Page, expect

from escdesk.domain.clock import Audience
from escdesk.services import auth
from escdesk.services.escalation_commands import PostUpdate
from escdesk.store.uow import SqlUnitOfWork
from tests import factories
from tests.web.live import CHROMIUM, serving

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs Debian's chromium")
PASSWORD = "a long enough password"


def sign_in(page: Page, base: str, uow: SqlUnitOfWork, now: datetime, target: str = "/") -> str:
    manager = factories.add_person(uow, "manager", "support", now=now, name="Mia Manager")
    auth.set_password(uow, manager.email, PASSWORD, now)
    page.goto(f"{base}{target}")
    page.get_by_label("E-mail").fill(manager.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("main h1").first).to_be_visible()
    return manager.email


def test_the_search_box_finds_an_escalation_by_a_word_of_one_of_its_updates(
    app: FastAPI, page: Page, uow: SqlUnitOfWork, now: datetime
) -> None:
    wanted = factories.open_escalation(uow, now=now, summary="Exports stall")
    other = factories.open_escalation(uow, now=now, summary="Logins fail")
    assert wanted.id is not None and other.id is not None
    update = PostUpdate(wanted.id, Audience.CUSTOMER, "The nightly reindex is paused for now.")
    factories.act(uow, update, now=now, by=str(wanted.dri_id))
    with serving(app) as base:
        sign_in(page, base, uow, now)
        box = page.get_by_role("searchbox", name="Search", exact=True)
        box.fill("reindex")
        box.press("Enter")
        expect(page).to_have_url(re.compile(r"/search\?q=reindex$"))
        results = page.locator("#results")
        expect(results.get_by_role("link", name=f"ESC-{wanted.id}")).to_be_visible()
        expect(results).to_contain_text("The nightly reindex is paused for now.")
        expect(results.get_by_role("link", name=f"ESC-{other.id}")).to_have_count(0)
        expect(page.get_by_role("heading", name="Search")).to_be_visible()


def test_a_column_header_sorts_the_list_one_way_then_the_other(
    app: FastAPI, page: Page, uow: SqlUnitOfWork, now: datetime
) -> None:
    for name in ("Birch Bank", "Alder Air", "Cedar Cars"):
        account = factories.add_account(uow, now=now, name=name)
        factories.open_escalation(uow, now=now, account=account.name)
    with serving(app) as base:
        sign_in(page, base, uow, now, "/escalations")
        first = page.locator("#results tbody tr").first
        page.get_by_role("link", name="Customer").click()
        expect(page).to_have_url(re.compile(r"sort=customer$"))
        expect(first).to_contain_text("Alder Air")
        header = page.get_by_role("columnheader", name=re.compile("^Customer"))
        expect(header).to_have_attribute("aria-sort", "ascending")
        page.get_by_role("link", name=re.compile("^Customer")).click()
        expect(page).to_have_url(re.compile(r"sort=-customer$"))
        expect(first).to_contain_text("Cedar Cars")
        expect(header).to_have_attribute("aria-sort", "descending")


def test_the_pager_moves_to_the_second_page_and_keeps_the_order(
    app: FastAPI, page: Page, uow: SqlUnitOfWork, now: datetime
) -> None:
    for n in range(55):
        factories.add_person(uow, now=now, name=f"Zed {n:02d}", email=f"zed{n:02d}@example.com")
    with serving(app) as base:
        sign_in(page, base, uow, now, "/people?sort=-name")
        rows = page.locator("tbody tr")
        expect(rows.first).to_contain_text("Zed 54")
        expect(page.get_by_text("Page 1 of 2")).to_be_visible()
        page.get_by_role("link", name="Next").click()
        expect(page).to_have_url(re.compile(r"/people\?sort=-name&page=2$"))
        expect(page.get_by_text("Page 2 of 2")).to_be_visible()
        expect(rows).to_have_count(6)  # the 55 and the manager, less the 50 of page 1
        expect(page.get_by_role("link", name="Previous")).to_be_visible()


def test_slash_focuses_the_search_box_and_question_mark_lists_the_shortcuts(
    app: FastAPI, page: Page, uow: SqlUnitOfWork, now: datetime
) -> None:
    with serving(app) as base:
        sign_in(page, base, uow, now, "/escalations")
        shortcuts = page.get_by_role("dialog", name="Keyboard shortcuts")
        expect(shortcuts).to_be_hidden()
        page.locator("main h1").click()  # the page, not a field, has the keyboard
        page.keyboard.press("/")
        expect(page.get_by_role("searchbox", name="Search", exact=True)).to_be_focused()
        page.keyboard.type("?")  # typed into the box: a question mark, not the list
        expect(shortcuts).to_be_hidden()
        page.locator("main h1").click()
        page.keyboard.press("?")
        expect(shortcuts).to_be_visible()
        expect(shortcuts).to_contain_text("Search escalations")
        page.keyboard.press("Escape")
        expect(shortcuts).to_be_hidden()
        page.keyboard.press("g")
        page.keyboard.press("p")
        expect(page).to_have_url(f"{base}/people")


PAGES = [
    *("/", "/escalations", "/escalations/new", "/search?q=stall", "/requests", "/requests/new"),
    *("/accounts", "/people", "/recurring", "/triage", "/retrospectives", "/fixes"),
    *("/clocks", "/figures", "/outbox", "/settings"),
]


@pytest.mark.parametrize(("width", "height"), [(390, 844), (1280, 900)])
def test_every_navigation_link_and_the_search_box_fit_the_screen_without_sideways_scrolling(
    app: FastAPI, browser: Browser, uow: SqlUnitOfWork, now: datetime, width: int, height: int
) -> None:
    """A phone (390 wide) and a laptop: the whole top bar is on screen, and wide tables scroll
    inside their card, not the page."""
    account = factories.add_account(uow, now=now, name="A customer with a rather long name Ltd")
    esc = factories.open_escalation(uow, now=now, account=account.name, summary="Exports stall")
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    try:
        with serving(app) as base:
            sign_in(page, base, uow, now)
            for path in [*PAGES, f"/escalations/{esc.id}"]:
                page.goto(f"{base}{path}")
                bar = page.locator("header.topbar")
                links = bar.get_by_role("navigation", name="Main").get_by_role("link")
                assert links.count() >= 10
                shown = [links.nth(i) for i in range(links.count())]
                shown += [
                    bar.get_by_role("searchbox", name="Search", exact=True),
                    bar.get_by_role("button", name="Sign out"),
                ]
                for item in shown:
                    expect(item).to_be_visible()
                    box = item.bounding_box()
                    assert box is not None
                    assert box["x"] >= 0 and box["x"] + box["width"] <= width, (path, box)
                scroll, inner = page.evaluate(
                    "[document.documentElement.scrollWidth, window.innerWidth]"
                )
                assert scroll <= inner, (path, scroll, inner)
    finally:
        context.close()
