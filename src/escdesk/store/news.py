"""What a change of any aggregate leaves besides its state: audit events and outbox rows.

Written in the transaction of the change, the outbox keys derived from the subject, the
change number (the aggregate's version after it) and each message's position (R-OPS-3).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy.orm import Session

from escdesk.domain.events import Event
from escdesk.domain.messages import OutboxMessage
from escdesk.store.mapping import event_row
from escdesk.store.outbox_repository import outbox_row


def write_news(
    session: Session,
    subject: str,
    subject_id: int,
    change: int,
    events: list[Event],
    messages: list[OutboxMessage],
    at: datetime,
    escalation_id: int | None = None,
) -> None:
    """Append the events and messages, then clear them from the aggregate's lists."""
    session.add_all(event_row(subject, subject_id, e) for e in events)
    rows = [
        outbox_row(message, subject, subject_id, change, position, at)
        for position, message in enumerate(messages)
    ]
    for row in rows:
        row.escalation_id = escalation_id
    session.add_all(rows)
    events.clear()
    messages.clear()


def latest(events: Sequence[Event], fallback: datetime) -> datetime:
    return events[-1].at if events else fallback
