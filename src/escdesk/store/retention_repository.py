"""Pruning by the retention policy (domain.retention): one transaction, counts per table."""

from __future__ import annotations

from sqlalchemy import Engine, delete, select

from escdesk.domain.messages import DeliveryState
from escdesk.domain.retention import Cutoffs
from escdesk.store.tables import (
    DeliveryStepRow,
    EscalationRow,
    OutboxRow,
    SessionRow,
    WebhookDeliveryRow,
)


def prune(engine: Engine, cutoffs: Cutoffs) -> dict[str, int]:
    """Delete what is past its retention; how many rows of each table went."""
    closed = select(EscalationRow.id).where(EscalationRow.status == "closed")
    old_messages = select(OutboxRow.id).where(
        OutboxRow.state == DeliveryState.DELIVERED.value,
        OutboxRow.delivered_at < cutoffs.messages_delivered_before,
        OutboxRow.escalation_id.in_(closed),
    )
    with engine.begin() as connection:
        message_ids = list(connection.scalars(old_messages))
        steps = 0
        for start in range(0, len(message_ids), 1000):
            batch = message_ids[start : start + 1000]
            steps += connection.execute(
                delete(DeliveryStepRow).where(DeliveryStepRow.message_id.in_(batch))
            ).rowcount
            connection.execute(delete(OutboxRow).where(OutboxRow.id.in_(batch)))
        sessions = connection.execute(
            delete(SessionRow).where(SessionRow.expires_at < cutoffs.sessions_expired_before)
        ).rowcount
        attempts = connection.execute(
            delete(WebhookDeliveryRow).where(
                WebhookDeliveryRow.attempted_at < cutoffs.webhook_attempts_before
            )
        ).rowcount
    return {
        "sessions": sessions,
        "outbox": len(message_ids),
        "delivery_steps": steps,
        "webhook_deliveries": attempts,
    }
