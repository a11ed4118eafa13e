"""Which escalation a customer's e-mail answers: the Message-IDs escdesk gave its customer
updates (kept per thread by the e-mail transport) looked up from a reply's In-Reply-To and
References."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from escdesk.services.customer_replies import RepliedTo
from escdesk.store.tables import EmailThreadRow, OutboxRow

CUSTOMER_UPDATE = "email.customer_update"


class MailThreadRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def replied_to(self, header_ids: Sequence[str]) -> RepliedTo | None:
        """The customer update among `header_ids` (the latest one named wins), if escdesk sent
        it; None for a thread escdesk does not know."""
        wanted = [h for h in dict.fromkeys(header_ids) if h][:50]
        if not wanted:
            return None
        rows = self.session.execute(
            select(EmailThreadRow.header_id, OutboxRow.subject_id, OutboxRow.destination)
            .join(OutboxRow, OutboxRow.id == EmailThreadRow.message_id)
            .where(
                EmailThreadRow.header_id.in_(wanted),
                OutboxRow.kind == CUSTOMER_UPDATE,
                OutboxRow.subject_type == "escalation",
            )
        ).all()
        found = {header: (subject, to) for header, subject, to in rows if subject is not None}
        for header in reversed(wanted):
            if header in found:
                escalation_id, destination = found[header]
                return RepliedTo(int(escalation_id), destination, header)
        return None
