"""A person's verdict on two tickets that similar-ticket search put side by side (R-REC-2).

"Duplicate" links a ticket to the earlier one it repeats, so it is linked rather than
re-investigated; "not related" says the search was wrong about the pair. Both are labelled
pairs: search shows a confirmed duplicate first and never shows a pair judged unrelated again,
and they are the team's own training data for the re-ranker.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from escdesk.domain.errors import InvalidInput


class Verdict(StrEnum):
    DUPLICATE = "duplicate"
    NOT_RELATED = "not_related"

    @classmethod
    def parse(cls, value: str) -> Verdict:
        word = value.strip().lower().replace("-", "_").replace(" ", "_")
        try:
            return cls(word)
        except ValueError:
            raise InvalidInput(
                "verdict", f"{value!r} is not a verdict", "Say duplicate or not-related"
            ) from None


@dataclass
class TicketJudgement:
    """`ticket_id` was judged against `other_id`; the pair is stored in that order, and a later
    verdict on the same pair (either order) replaces the earlier one."""

    ticket_id: int
    other_id: int
    verdict: Verdict
    judged_at: datetime
    judged_by: int | None = None
    id: int | None = None

    def __post_init__(self) -> None:
        if self.ticket_id == self.other_id:
            raise InvalidInput("other", "is the ticket itself", "Name the other ticket of the pair")
