"""Sorting and paging a list: one shape for every list query, checked in one place.

A face asks for a window of a list (limit and offset) in one of the orders the list offers. The
offered keys are named beside each list's query and mapped to columns by the store, so a key the
list does not offer is refused here with the keys it does, and never reaches SQL.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from escdesk.domain.errors import InvalidInput

MAX_LIMIT = 1000
T = TypeVar("T")


@dataclass(frozen=True)
class Order:
    """A list's order: one offered key, ascending unless `descending`; ties go by id."""

    key: str
    descending: bool = False


@dataclass(frozen=True)
class Page(Generic[T]):
    """One window of a list, and how many rows the whole list has."""

    items: list[T]
    total: int
    limit: int
    offset: int


def parse_sort(sort: str | None) -> Order | None:
    """`key`, or `-key` for descending, as every face takes a sort; None or blank keeps the
    list's own order. Whether the list offers the key is the list query's check."""
    text = (sort or "").strip()
    if not text:
        return None
    key = text.removeprefix("-").strip()
    if not key:
        raise InvalidInput("sort", "names no column", "Give a column, e.g. sort=-opened")
    return Order(key, descending=text.startswith("-"))


def check_order(order: Order | None, offered: Sequence[str]) -> None:
    if order is not None and order.key not in offered:
        problem = f"'{order.key[:40]}' is not a column of this list"
        raise InvalidInput("sort", problem, f"Use one of {', '.join(offered)}")


def check_window(limit: int, offset: int, most: int = MAX_LIMIT) -> None:
    if limit < 1 or limit > most:
        raise InvalidInput("limit", f"{limit} is out of range", f"Use 1 to {most:,}")
    if offset < 0:
        raise InvalidInput("offset", "must not be negative", "Use 0 or more")
