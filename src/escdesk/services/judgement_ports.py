"""What the ticket-verdict use cases need from a store (R-REC-2)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from escdesk.domain.ticket_judgement import TicketJudgement


class JudgementRepository(Protocol):
    def save(self, judgement: TicketJudgement) -> bool: ...
    def of_tickets(self, ticket_ids: Iterable[int]) -> list[TicketJudgement]: ...
    def all(self) -> list[TicketJudgement]: ...
