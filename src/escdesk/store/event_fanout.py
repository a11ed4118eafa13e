"""Every audit event written in a unit of work: checked against the registry, and fanned out to
the webhook subscriptions that want it — as outbox rows in the same transaction (R-OPS-3).

Hooked on the session once (`install`), so no repository can write an event and forget its
webhooks, and an event type missing from `domain.events.EVENT_TYPES` fails the change at once
instead of reaching the trail unnamed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import event
from sqlalchemy.orm import Session, sessionmaker

from escdesk.domain.events import ESCALATION_EVENTS, EVENT_TYPES

if TYPE_CHECKING:
    from escdesk.store.tables.core import EventRow

_WRITTEN = "escdesk_events_written"


def install(sessions: sessionmaker[Session]) -> None:
    event.listen(sessions, "after_flush", _collect)
    event.listen(sessions, "after_flush_postexec", _fan_out)


def _collect(session: Session, _context: Any) -> None:
    """Remember the events this flush inserted (they have ids now); refuse unregistered ones."""
    from escdesk.store.tables.core import EventRow  # every table module maps it

    written = [row for row in session.new if isinstance(row, EventRow)]
    for row in written:
        if row.type not in EVENT_TYPES:
            raise LookupError(
                f"event type {row.type!r} is not in domain.events.EVENT_TYPES; register it there"
            )
    if written:
        session.info.setdefault(_WRITTEN, []).extend(written)


def _fan_out(session: Session, _context: Any) -> None:
    """One outbox row per escalation event and subscription that wants it; flushed with the
    rest of the transaction (the session flushes again before it commits)."""
    written: list[EventRow] = session.info.pop(_WRITTEN, [])
    escalation_events = [
        row for row in written if row.subject == "escalation" and row.type in ESCALATION_EVENTS
    ]
    if not escalation_events:
        return
    # The webhooks are imported by a change that wrote an escalation event only, never by a read.
    from escdesk.domain.messages import DeliveryState
    from escdesk.services.webhooks import webhook_messages
    from escdesk.store.tables.core import OutboxRow
    from escdesk.store.webhook_repository import WebhookRepository

    subscriptions = WebhookRepository(session).active()
    if not subscriptions:
        return
    for row in sorted(escalation_events, key=lambda r: r.id):
        data = {"escalation_id": row.subject_id, "actor_id": row.actor_id, **(row.data or {})}
        for message in webhook_messages(
            f"escalation.{row.type}",
            row.occurred_at,
            data,
            subscriptions,
            event_key=f"escalation-{row.subject_id}:event-{row.id}",
        ):
            session.add(
                OutboxRow(
                    idempotency_key=message.idempotency_key,
                    escalation_id=row.subject_id,
                    subject_type="escalation",
                    subject_id=row.subject_id,
                    kind=message.kind,
                    destination=message.destination,
                    payload=message.payload,
                    created_at=row.occurred_at,
                    next_attempt_at=row.occurred_at,
                    attempts=0,
                    state=DeliveryState.PENDING.value,
                )
            )
