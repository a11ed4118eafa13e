"""The sort and page links every list page draws (web/listing.py), without a server."""

from __future__ import annotations

import pytest
from starlette.datastructures import URL
from starlette.requests import Request

from escdesk.domain.errors import InvalidInput
from escdesk.services.listing import Order
from escdesk.web.listing import Listing, first_page, listing

OFFERED = ("customer", "opened")


def request_for(path: str, query: str) -> Request:
    return Request(
        {
            "type": "http",
            "method": "GET",
            "path": path,
            "query_string": query.encode(),
            "headers": [],
            "server": ("desk", 80),
            "scheme": "http",
            "root_path": "",
        }
    )


def asked(query: str) -> Listing:
    return listing(request_for("/escalations", query), OFFERED)


def test_a_header_sorts_up_then_down_and_goes_back_to_the_first_page() -> None:
    shown = asked("status=active&page=3")
    assert shown.order is None and shown.offset == 100
    assert shown.sort_link("customer") == "/escalations?status=active&sort=customer"
    up = asked("status=active&sort=customer&page=3")
    assert up.aria_sort("customer") == "ascending" and up.aria_sort("opened") == "none"
    assert up.sort_link("customer") == "/escalations?status=active&sort=-customer"
    down = asked("sort=-customer")
    assert down.order == Order("customer", descending=True) and down.sort == "-customer"
    assert down.sort_link("customer") == "/escalations?sort=customer"


def test_page_links_keep_the_order_and_page_one_has_no_number() -> None:
    shown = asked("sort=-opened&page=2")
    assert shown.page_link(3) == "/escalations?sort=-opened&page=3"
    assert shown.page_link(1) == "/escalations?sort=-opened"
    assert (shown.pages(0), shown.pages(50), shown.pages(51)) == (1, 1, 2)


@pytest.mark.parametrize(
    ("query", "field"),
    [("sort=password", "sort"), ("sort=-", "sort"), ("page=0", "page"), ("page=x", "page")],
)
def test_a_wrong_sort_or_page_names_its_field(query: str, field: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        asked(query)
    assert refused.value.field == field


def test_after_a_refusal_the_list_shows_its_first_page_in_its_own_order() -> None:
    again = first_page(request_for("/people", "sort=x&page=4"))
    assert (again.order, again.page, again.url) == (None, 1, URL("http://desk/people"))
