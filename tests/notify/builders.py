"""Outbox messages as the worker hands them over, with defaults tests override."""

from __future__ import annotations

import itertools
from datetime import datetime
from typing import Any

from escdesk.notify.transport import OutboundMessage
from escdesk.services import webhooks as service
from escdesk.services.acting import DatabaseAdministrator
from escdesk.services.webhooks import Subscription, webhook_messages
from escdesk.store.uow import SqlUnitOfWork

_ids = itertools.count(1000)


def message(
    kind: str,
    destination: str,
    subject_id: int | None = None,
    *,
    subject_type: str = "escalation",
    **payload: Any,
) -> OutboundMessage:
    """A fresh outbox row: a new id and idempotency key each call."""
    n = next(_ids)
    return OutboundMessage(
        id=n,
        kind=kind,
        destination=destination,
        payload=payload,
        idempotency_key=f"test-{n}",
        subject_type=subject_type,
        subject_id=subject_id,
    )


def opening_messages(escalation_id: int, customer: str = "Acme Corp") -> list[OutboundMessage]:
    """What opening an escalation asks of Slack: channel, pinned opening message, declaration."""
    channel = "#esc_acme-corp"
    common = {
        "customer": customer,
        "tracker_url": f"https://desk.example/escalations/{escalation_id}",
    }
    return [
        message(
            "slack.create_channel",
            channel,
            escalation_id,
            invite=[{"email": "cara@example.com", "name": "Cara Diaz", "role": "dri"}],
            **common,
        ),
        message(
            "slack.post",
            channel,
            escalation_id,
            template="opening",
            pin=True,
            summary="Pipelines stall",
            initial_ask="An engineer who reads production logs daily",
            required_skills=["PostgreSQL"],
            next_sync="2026-11-09T10:30:00+01:00",
            by="Cara Diaz",
            **common,
        ),
        message(
            "slack.announce",
            "#escalated_customers",
            escalation_id,
            template="declaration",
            severity="high",
            status="opened",
            product_dri="Pat Lee",
            description="Pipelines stall",
            fyi=["@vp-cs"],
            by="Cara Diaz",
            channel=channel,
            **common,
        ),
    ]


def subscribe(uow: SqlUnitOfWork, now: datetime, url: str, *types: str) -> tuple[int, str]:
    cmd = service.AddWebhook(url, types or ("escalation.*",), "test")
    info, secret = service.add_webhook_now(uow, cmd, DatabaseAdministrator(), now)
    return info.id, secret


def event(subscription_id: int, key: str = "escalation-7:event-1") -> OutboundMessage:
    [row] = webhook_messages(
        "escalation.severity_changed",
        datetime(2026, 11, 2, 9, 0).astimezone(),
        {"escalation_id": 7, "from": "medium", "to": "high", "reason": "two more teams"},
        [Subscription(subscription_id, ("escalation.*",))],
        key,
    )
    return message(row.kind, row.destination, 7, **row.payload)
