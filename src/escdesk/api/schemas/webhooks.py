"""Shapes of webhook subscriptions: the secret appears in exactly one response, the creation."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from escdesk.api.schemas.common import ApiModel, SafeStr
from escdesk.services.webhooks import WebhookAttempt, WebhookInfo


class WebhookIn(ApiModel):
    url: SafeStr = Field(max_length=2000, examples=["https://hooks.example.com/escdesk"])
    event_types: list[SafeStr] = Field(
        min_length=1, max_length=50, examples=[["escalation.opened", "escalation.closed"]]
    )
    description: SafeStr = Field(default="", max_length=200)


class WebhookOut(BaseModel):
    id: int
    url: str
    event_types: list[str]
    description: str
    created_at: datetime
    active: bool
    disabled_at: datetime | None
    disabled_reason: str | None

    @classmethod
    def of(cls, info: WebhookInfo) -> WebhookOut:
        return cls(
            id=info.id,
            url=info.url,
            event_types=list(info.event_types),
            description=info.description,
            created_at=info.created_at,
            active=info.active,
            disabled_at=info.disabled_at,
            disabled_reason=info.disabled_reason,
        )


class WebhookCreatedOut(BaseModel):
    secret: str = Field(description="`whsec_…`: verify `webhook-signature` with it. Shown once.")
    subscription: WebhookOut


class WebhookList(BaseModel):
    items: list[WebhookOut]


class DeliveryOut(BaseModel):
    message_id: int
    webhook_id: str
    event_type: str
    attempted_at: datetime
    status_code: int | None
    ok: bool
    error: str | None
    duration_ms: int

    @classmethod
    def of(cls, a: WebhookAttempt) -> DeliveryOut:
        return cls(
            message_id=a.message_id,
            webhook_id=a.webhook_id,
            event_type=a.event_type,
            attempted_at=a.attempted_at,
            status_code=a.status_code,
            ok=a.ok,
            error=a.error,
            duration_ms=a.duration_ms,
        )


class DeliveryList(BaseModel):
    items: list[DeliveryOut]
