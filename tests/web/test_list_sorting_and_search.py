"""Sort, page and search parameters on the list pages: a wrong one is refused with the field and
the fix, a page past the end offers the first page, and the search page shows a reader only what
they may read (R-OPS-2)."""

from __future__ import annotations

import re
from datetime import datetime

import pytest
from fastapi import FastAPI

from escdesk.domain.clock import Audience
from escdesk.services.escalation_commands import PostUpdate
from escdesk.store.uow import SqlUnitOfWork
from tests import factories
from tests.web.pages import Visitor, text_of, visitor


@pytest.mark.parametrize(
    "path",
    [
        "/escalations",
        "/requests",
        "/accounts",
        "/people",
        "/outbox",
        "/recurring",
        "/retrospectives",
    ],
)
def test_a_sort_key_the_list_does_not_offer_is_refused_naming_the_ones_it_does(
    manager: Visitor, path: str
) -> None:
    response = manager.get(f"{path}?sort=password")
    assert response.status_code == 422
    shown = text_of(response.text)
    assert "Sort 'password' is not a column of this list. Use one of" in shown
    assert "Traceback" not in shown


@pytest.mark.parametrize("page", ["0", "-1", "two", "1e3"])
def test_a_page_that_is_not_a_whole_number_from_1_is_refused(manager: Visitor, page: str) -> None:
    response = manager.get(f"/escalations?page={page}")
    assert response.status_code == 422
    assert "Use 1 for the first page" in text_of(response.text)


def test_a_page_past_the_end_says_so_and_links_to_the_first(
    manager: Visitor, uow: SqlUnitOfWork, now: datetime
) -> None:
    factories.open_escalation(uow, now=now)
    response = manager.get("/escalations?sort=-opened&page=9")
    assert response.status_code == 200
    assert "Page 9 is past the end (1 row)." in text_of(response.text)
    assert 'href="/escalations?sort=-opened">First page' in response.text


def test_headers_link_to_their_sort_and_the_sorted_one_turns_around(
    manager: Visitor, uow: SqlUnitOfWork, now: datetime
) -> None:
    factories.open_escalation(uow, now=now)
    html = manager.get("/escalations?severity=medium&sort=customer&page=1").text
    turned = 'href="/escalations?severity=medium&amp;sort=-customer"'
    assert f'aria-sort="ascending"><a class="sort" {turned}' in html
    assert 'href="/escalations?severity=medium&amp;sort=eta"' in html
    assert '<input type="hidden" name="sort" value="customer">' in html


def test_the_account_list_sorts_by_name_in_the_database(
    manager: Visitor, uow: SqlUnitOfWork, now: datetime
) -> None:
    for name in ("Birch Bank", "alder Air", "Cedar Cars"):
        factories.add_account(uow, now=now, name=name)
    shown = text_of(manager.get("/accounts?sort=-name").text)
    assert re.search(r"Cedar Cars.*Birch Bank.*alder Air", shown)


def test_an_empty_search_asks_for_words_and_a_long_one_names_the_box(manager: Visitor) -> None:
    asked = manager.get("/search?q=+")
    assert asked.status_code == 200
    assert "autofocus" in asked.text
    refused = manager.get("/search?q=" + "x" * 201)
    assert refused.status_code == 422
    assert "Search is too long. Use at most 200 characters." in text_of(refused.text)


def test_the_search_page_quotes_internal_updates_only_to_who_may_read_them(
    app: FastAPI, manager: Visitor, uow: SqlUnitOfWork, now: datetime
) -> None:
    esc = factories.open_escalation(uow, now=now, summary="Exports stall")
    assert esc.id is not None
    note = PostUpdate(esc.id, Audience.INTERNAL, "Vendor Quuxcorp broke the driver")
    factories.act(uow, note, now=now, by=str(esc.dri_id))

    seen = text_of(manager.get("/search?q=quuxcorp").text)
    assert f"ESC-{esc.id}" in seen
    assert "Internal update: Vendor Quuxcorp broke the driver" in seen
    with visitor(app, uow, now, "sales") as sales:
        hidden = text_of(sales.get("/search?q=quuxcorp").text)
    assert f"ESC-{esc.id}" not in hidden
    assert "Quuxcorp broke" not in hidden
    assert "0 escalations" in hidden
