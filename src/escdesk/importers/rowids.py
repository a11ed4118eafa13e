"""Ids for the tickets of a sheet that has no id column (generic CSV from other trackers).

Re-importing a file must update its tickets rather than add them again, so a made-up id has
to come out the same each time. Two ways, and the import says which it took:

- by position (when the source is named: `--source legacy-desk`): the first ticket row is
  `1`, the next `2`…; re-importing the file grown at its end updates the rows it had and adds
  the new ones. Reordering the rows would mix them up, which is why it needs a named source.
- by content (otherwise): a 64-bit hash of the row's creation date, subject and body, so the
  ticket keeps its id wherever its row moves, and while its status or solved date change.
  Two identical rows get one id, and the second is reported as a repeat.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Literal, Protocol


class Cells(Protocol):
    def cell(self, row: list[str], ticket_field: str) -> str | None: ...


IdMaker = Callable[[list[str], Cells, int], str]
HASHED = ("created_at", "subject", "body")


def by_position(row: list[str], columns: Cells, position: int) -> str:
    return str(position)


def by_content(row: list[str], columns: Cells, position: int) -> str:
    text = "\x1f".join(columns.cell(row, name) or "" for name in HASHED)
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=8).hexdigest()


def row_ids(how: Literal["content", "position"], source: str) -> tuple[IdMaker, str]:
    """The id maker, and the sentence that tells the person importing how ids were made."""
    if how == "position":
        return by_position, (
            f"the file has no id column: each ticket's id is its row's position (1, 2, …) "
            f"under the source {source!r}; re-import the file under that source to update them"
        )
    return by_content, (
        "the file has no id column: each ticket's id is a hash of its row's creation date, "
        "subject and body; name the source (--source NAME) to number rows by position instead"
    )
