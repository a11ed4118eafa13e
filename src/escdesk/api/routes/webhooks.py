"""Webhook subscriptions and their delivery log (managers, like API tokens)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Response, status

from escdesk.api.schemas.common import MAX_ID
from escdesk.api.schemas.webhooks import (
    DeliveryList,
    DeliveryOut,
    WebhookCreatedOut,
    WebhookIn,
    WebhookList,
    WebhookOut,
)
from escdesk.domain.access import Permission, Principal
from escdesk.http.deps import NowDep, UowDep, require
from escdesk.services import webhooks as service

router = APIRouter(prefix="/webhooks", tags=["webhooks"])

Manager = Annotated[Principal, Depends(require(Permission.MANAGE_TOKENS))]
SubscriptionId = Annotated[int, Path(ge=1, le=MAX_ID)]


@router.get("", response_model=WebhookList)
def list_webhooks(principal: Manager, uow: UowDep, now: NowDep) -> WebhookList:
    found = service.list_webhooks_now(uow, principal, now)
    return WebhookList(items=[WebhookOut.of(w) for w in found])


@router.post("", response_model=WebhookCreatedOut, status_code=status.HTTP_201_CREATED)
def add_webhook(body: WebhookIn, principal: Manager, uow: UowDep, now: NowDep) -> WebhookCreatedOut:
    """Subscribe a URL to event types; the response holds the signing secret, this once."""
    cmd = service.AddWebhook(body.url, body.event_types, body.description)
    info, secret = service.add_webhook_now(uow, cmd, principal, now)
    return WebhookCreatedOut(secret=secret, subscription=WebhookOut.of(info))


@router.delete("/{subscription_id}", status_code=status.HTTP_204_NO_CONTENT)
def remove_webhook(
    subscription_id: SubscriptionId, principal: Manager, uow: UowDep, now: NowDep
) -> Response:
    service.remove_webhook_now(uow, service.RemoveWebhook(subscription_id), principal, now)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/{subscription_id}/deliveries", response_model=DeliveryList)
def deliveries(
    subscription_id: SubscriptionId,
    principal: Manager,
    uow: UowDep,
    now: NowDep,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
) -> DeliveryList:
    """The delivery log, newest first: every attempt with its status, error and duration."""
    query = service.WebhookLog(subscription_id, limit)
    return DeliveryList(
        items=[DeliveryOut.of(a) for a in service.webhook_log_now(uow, query, principal, now)]
    )
