"""Support tickets imported from a helpdesk: the raw material of recurring issues (R-REC-1)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from escdesk.domain.errors import InvalidInput

MAX_SUBJECT = 1_000
MAX_BODY = 100_000
"""Ticket text is bounded like every other text: a subject is a line, a body a long thread."""


@dataclass(frozen=True)
class Ticket:
    """One helpdesk ticket, keyed by where it came from and its id there (re-import updates it)."""

    source: str
    external_id: str
    subject: str
    created_at: datetime
    body: str = ""
    account: str | None = None
    product_area: str | None = None
    component: str | None = None
    priority: str | None = None
    status: str | None = None
    solved_at: datetime | None = None
    tags: tuple[str, ...] = field(default_factory=tuple)
    first_contact: bool | None = None
    """Resolved at the first contact (see `ticket_outcomes`); None when the export cannot tell."""
    satisfied: bool | None = None
    """The customer's satisfaction rating as good (True) or not (False); None when unrated."""

    def __post_init__(self) -> None:
        if not self.external_id.strip():
            raise InvalidInput("id", "must not be empty", "Give every ticket its helpdesk id")
        if not self.subject.strip():
            raise InvalidInput("subject", "must not be empty", "Give every ticket a subject")
        if len(self.subject) > MAX_SUBJECT:
            raise InvalidInput(
                "subject", f"is longer than {MAX_SUBJECT} characters", "Shorten the subject"
            )
        if len(self.body) > MAX_BODY:
            raise InvalidInput(
                "body", f"is longer than {MAX_BODY:,} characters", "Shorten the description"
            )
        if self.created_at.tzinfo is None:
            raise InvalidInput("created_at", "has no timezone", "Pass an aware UTC datetime")
        if self.solved_at is not None and self.solved_at < self.created_at:
            raise InvalidInput(
                "solved_at", "is before created_at", "Check the ticket's solved date"
            )

    @property
    def key(self) -> tuple[str, str]:
        return (self.source, self.external_id)

    @property
    def text(self) -> str:
        """Subject and body, as similarity search reads them."""
        return f"{self.subject}\n{self.body}" if self.body else self.subject
