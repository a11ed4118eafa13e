"""Sorting and paging on every list page, one way: `?sort=key` (or `-key`, descending) and
`?page=n`, read against the keys the list's query offers.

A key the list does not offer, or a page that is not a whole number from 1, is refused with the
field and the fix (shown beside the filters, or on a page of its own); a page past the end shows
no rows and a link to the first page. The links a page draws keep its other query parameters.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from fastapi import Request
from starlette.datastructures import URL

from escdesk.domain.errors import InvalidInput
from escdesk.services.listing import Order, check_order, parse_sort

PAGE_SIZE = 50
MAX_PAGE = 100_000


@dataclass(frozen=True)
class Listing:
    """What a list page was asked for, and the links that sort it and turn its pages."""

    url: URL
    order: Order | None
    page: int
    size: int = PAGE_SIZE

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.size

    @property
    def sort(self) -> str:
        """The order as the address spells it, for a form that keeps it while filtering."""
        if self.order is None:
            return ""
        return f"-{self.order.key}" if self.order.descending else self.order.key

    def pages(self, total: int) -> int:
        return max(1, -(-total // self.size))

    def sort_link(self, key: str) -> str:
        """Sort by `key`; the column already sorted by turns the other way. Back to page 1."""
        flip = self.order is not None and self.order.key == key and not self.order.descending
        return self._with(sort=f"-{key}" if flip else key)

    def aria_sort(self, key: str) -> str:
        if self.order is None or self.order.key != key:
            return "none"
        return "descending" if self.order.descending else "ascending"

    def page_link(self, page: int) -> str:
        return self._with(page=str(page))

    def _with(self, **changes: str) -> str:
        url = self.url.remove_query_params(["page", *changes])
        if changes.get("page") == "1":
            changes.pop("page")
        url = url.include_query_params(**changes) if changes else url
        return f"{url.path}?{url.query}" if url.query else url.path


def listing(request: Request, offered: Sequence[str], *, size: int = PAGE_SIZE) -> Listing:
    """The order and page a list was asked for; InvalidInput names a wrong one."""
    order = parse_sort(request.query_params.get("sort"))
    check_order(order, offered)
    raw_page = request.query_params.get("page", "").strip() or "1"
    if not raw_page.isdigit() or not 1 <= int(raw_page) <= MAX_PAGE:
        raise InvalidInput("page", f"'{raw_page[:20]}' is not a page", "Use 1 for the first page")
    return Listing(request.url, order, int(raw_page), size)


def first_page(request: Request, *, size: int = PAGE_SIZE) -> Listing:
    """The first page in the list's own order: what a list shows again after a refusal (its
    sort may be what was refused, so it is not read a second time)."""
    return Listing(request.url.remove_query_params(["sort", "page"]), None, 1, size)
