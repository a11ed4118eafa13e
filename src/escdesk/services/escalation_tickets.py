"""What the helpdesk already knows about an escalation (R-REC-2, R-REC-3): the recurring issues
linked to it and the tickets most like its summary and ask, for its page."""

from __future__ import annotations

from dataclasses import dataclass

from escdesk.domain.recurring_issue import RecurringIssue
from escdesk.services.ports import UnitOfWork
from escdesk.services.ticket_index import TicketIndex
from escdesk.services.ticket_views import SimilarResult
from escdesk.services.tickets import similar_to_escalation

SIMILAR = 5


@dataclass(frozen=True)
class SeenBefore:
    issues: list[RecurringIssue]
    similar: SimilarResult


def seen_before(uow: UnitOfWork, index: TicketIndex, escalation_id: int) -> SeenBefore:
    with uow:
        issues = [
            i for i in uow.recurring.issues() if escalation_id in i.escalation_ids
        ]  # a desk links a handful of issues to escalations: reading them all stays cheap
    similar = similar_to_escalation(uow, index, escalation_id, k=SIMILAR)
    return SeenBefore(sorted(issues, key=lambda i: i.id or 0), similar)
