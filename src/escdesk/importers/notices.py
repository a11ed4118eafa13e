"""Notices of one import, counted by kind: a million tickets without a subject are one line.

A format tells each notice where it happened; the report keeps one entry per field and
message, with the first place it happened and how often, in the order they first came.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from escdesk.importers.base import Notice


@dataclass(frozen=True)
class CountedNotice:
    field: str
    message: str
    first_where: str | None
    count: int

    def __str__(self) -> str:
        at = "" if self.first_where is None else f" (first at {self.first_where})"
        times = "" if self.count == 1 else f" — {self.count:,} tickets"
        return f"{self.field}: {self.message}{times}{at}"


class Notices:
    def __init__(self) -> None:
        self._first: dict[tuple[str, str], str | None] = {}
        self._counts: dict[tuple[str, str], int] = {}

    def add(self, notices: Iterable[Notice]) -> None:
        for notice in notices:
            kind = (notice.field, notice.message)
            if kind not in self._counts:
                self._first[kind] = notice.where
                self._counts[kind] = 0
            self._counts[kind] += 1

    def counted(self) -> list[CountedNotice]:
        return [
            CountedNotice(field, message, self._first[(field, message)], count)
            for (field, message), count in self._counts.items()
        ]
