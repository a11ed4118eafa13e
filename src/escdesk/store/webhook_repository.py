"""Webhook subscriptions and their delivery log, for the use cases (the transport reads them
through `NotifyStore`)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from escdesk.domain.events import Event
from escdesk.services.webhooks import Subscription, WebhookAttempt, WebhookInfo
from escdesk.store.tables import EventRow, WebhookDeliveryRow, WebhookSubscriptionRow


def _info(row: WebhookSubscriptionRow) -> WebhookInfo:
    return WebhookInfo(
        id=row.id,
        url=row.url,
        event_types=tuple(row.event_types),
        description=row.description,
        created_at=row.created_at,
        disabled_at=row.disabled_at,
        disabled_reason=row.disabled_reason,
    )


class WebhookRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(
        self, url: str, secret: str, event_types: Sequence[str], description: str, now: datetime
    ) -> WebhookInfo:
        row = WebhookSubscriptionRow(
            url=url,
            secret=secret,
            event_types=list(event_types),
            description=description,
            created_at=now,
        )
        self.session.add(row)
        self.session.flush()
        return _info(row)

    def all(self) -> list[WebhookInfo]:
        query = select(WebhookSubscriptionRow).order_by(WebhookSubscriptionRow.id)
        rows = self.session.scalars(query)
        return [_info(r) for r in rows]

    def get(self, subscription_id: int) -> WebhookInfo | None:
        row = self.session.get(WebhookSubscriptionRow, subscription_id)
        return _info(row) if row else None

    def remove(self, subscription_id: int) -> None:
        self.session.execute(
            delete(WebhookDeliveryRow).where(WebhookDeliveryRow.subscription_id == subscription_id)
        )
        self.session.execute(
            delete(WebhookSubscriptionRow).where(WebhookSubscriptionRow.id == subscription_id)
        )

    def deliveries(self, subscription_id: int, limit: int) -> list[WebhookAttempt]:
        rows = self.session.scalars(
            select(WebhookDeliveryRow)
            .where(WebhookDeliveryRow.subscription_id == subscription_id)
            .order_by(WebhookDeliveryRow.id.desc())
            .limit(limit)
        )
        return [
            WebhookAttempt(
                r.subscription_id,
                r.message_id,
                r.webhook_id,
                r.event_type,
                r.attempted_at,
                r.status_code,
                r.ok,
                r.error,
                r.duration_ms,
            )
            for r in rows
        ]

    def active(self) -> list[Subscription]:
        """Subscriptions still delivered to: the fan-out's question at commit."""
        rows = self.session.scalars(
            select(WebhookSubscriptionRow).where(WebhookSubscriptionRow.disabled_at.is_(None))
        )
        return [Subscription(r.id, tuple(r.event_types)) for r in rows]

    def record(self, subscription_id: int, event: Event) -> None:
        self.session.add(
            EventRow(
                subject="webhook",
                subject_id=subscription_id,
                type=event.type,
                occurred_at=event.at,
                actor_id=event.actor_id,
                data=event.data,
            )
        )
