"""Webhooks as Standard Webhooks 1.0 specifies: signed, retried by the spec's etiquette, logged."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from datetime import datetime, timedelta

import pytest

from escdesk.notify.transport import DeliveryError
from escdesk.notify.webhooks import WebhookTransport
from escdesk.services import webhooks as service
from escdesk.services.acting import DatabaseAdministrator
from escdesk.services.webhooks import webhook_messages
from escdesk.store.notify_repository import NotifyStore
from escdesk.store.uow import SqlUnitOfWork
from tests.notify.builders import event, subscribe
from tests.notify.smtp_server import free_port
from tests.notify.webhook_receiver import WebhookReceiver


def test_a_delivery_is_signed_over_id_timestamp_and_the_exact_body(
    receiver: WebhookReceiver, store: NotifyStore, uow: SqlUnitOfWork, now: datetime
) -> None:
    subscription_id, secret = subscribe(uow, now, receiver.url)
    receipt = WebhookTransport(store, clock=lambda: now).deliver(event(subscription_id)).data
    [request] = receiver.requests
    wid, stamp = request.headers["webhook-id"], request.headers["webhook-timestamp"]
    key = base64.b64decode(secret.removeprefix("whsec_"))
    expected = hmac.new(key, f"{wid}.{stamp}.".encode() + request.body, hashlib.sha256).digest()
    assert request.headers["webhook-signature"] == "v1," + base64.b64encode(expected).decode()
    assert int(stamp) == int(now.timestamp()) and "." not in wid
    assert len(key) >= 24 and receipt["webhook_id"] == wid and receipt["status"] == 204
    body = json.loads(request.body)
    assert body["type"] == "escalation.severity_changed"
    assert body["data"]["to"] == "high" and body["timestamp"].endswith("Z")
    assert request.headers["content-type"] == "application/json"


def test_a_retry_keeps_the_webhook_id_and_signs_its_own_timestamp(
    receiver: WebhookReceiver, store: NotifyStore, uow: SqlUnitOfWork, now: datetime
) -> None:
    subscription_id, _ = subscribe(uow, now, receiver.url)
    delivery = event(subscription_id)
    receiver.answer(503, Retry_After="30")
    with pytest.raises(DeliveryError) as failure:
        WebhookTransport(store, clock=lambda: now).deliver(delivery)
    assert not failure.value.permanent and failure.value.retry_after == 30
    later = now + timedelta(minutes=1)
    WebhookTransport(store, clock=lambda: later).deliver(delivery)
    first, second = receiver.requests
    assert first.headers["webhook-id"] == second.headers["webhook-id"]
    assert int(second.headers["webhook-timestamp"]) - int(first.headers["webhook-timestamp"]) == 60
    assert first.headers["webhook-signature"] != second.headers["webhook-signature"]
    with uow:
        log = uow.webhooks.deliveries(subscription_id, 10)
    assert [(a.status_code, a.ok) for a in log] == [(204, True), (503, False)]


@pytest.mark.parametrize(
    ("status", "permanent"),
    [
        (500, False),
        (502, False),
        (408, False),
        (429, False),
        (301, False),
        (404, True),
        (401, True),
    ],
)
def test_the_answer_decides_between_retrying_and_giving_up(
    receiver: WebhookReceiver,
    store: NotifyStore,
    uow: SqlUnitOfWork,
    now: datetime,
    status: int,
    permanent: bool,
) -> None:
    subscription_id, _ = subscribe(uow, now, receiver.url)
    receiver.answer(status, Location="https://elsewhere.example/")
    with pytest.raises(DeliveryError) as failure:
        WebhookTransport(store, clock=lambda: now).deliver(event(subscription_id))
    assert failure.value.permanent is permanent and str(status) in failure.value.reason
    assert len(receiver.requests) == 1  # a redirect is not followed


def test_410_gone_disables_the_subscription(
    receiver: WebhookReceiver, store: NotifyStore, uow: SqlUnitOfWork, now: datetime
) -> None:
    subscription_id, _ = subscribe(uow, now, receiver.url)
    receiver.answer(410)
    transport = WebhookTransport(store, clock=lambda: now)
    with pytest.raises(DeliveryError) as gone:
        transport.deliver(event(subscription_id))
    assert gone.value.permanent
    with pytest.raises(DeliveryError, match="disabled"):
        transport.deliver(event(subscription_id, "escalation-7:event-2"))
    assert len(receiver.requests) == 1
    with uow:
        [info] = uow.webhooks.all()
    assert not info.active and "410" in (info.disabled_reason or "")


def test_a_receiver_that_is_slow_or_down_is_retried_later(
    receiver: WebhookReceiver, store: NotifyStore, uow: SqlUnitOfWork, now: datetime
) -> None:
    subscription_id, _ = subscribe(uow, now, receiver.url)
    receiver.answer(204, delay=1.0)
    with pytest.raises(DeliveryError) as slow:
        WebhookTransport(store, timeout=0.2, clock=lambda: now).deliver(event(subscription_id))
    assert not slow.value.permanent and "did not answer" in slow.value.reason
    down, _ = subscribe(uow, now, f"http://127.0.0.1:{free_port()}/hook")
    with pytest.raises(DeliveryError) as refused:
        WebhookTransport(store, clock=lambda: now).deliver(event(down))
    assert not refused.value.permanent and "cannot reach" in refused.value.reason


def test_an_event_becomes_one_row_per_subscription_that_wants_it(
    uow: SqlUnitOfWork, now: datetime
) -> None:
    closing = subscribe(uow, now, "https://a.example/h", "escalation.closed")[0]
    everything = subscribe(uow, now, "https://b.example/h", "*")[0]
    subscribe(uow, now, "https://c.example/h", "escalation.opened")
    with uow:
        wanted = uow.webhooks.active()
    rows = webhook_messages("escalation.closed", now, {"escalation_id": 3}, wanted, "esc-3:ev-9")
    assert sorted(int(r.destination) for r in rows) == sorted([closing, everything])
    assert len({r.idempotency_key for r in rows}) == 2
    again = webhook_messages("escalation.closed", now, {}, wanted, "esc-3:ev-9")
    assert {r.idempotency_key for r in again} == {r.idempotency_key for r in rows}


@pytest.mark.parametrize(
    ("url", "types", "field"),
    [
        ("ftp://x.example/h", ["escalation.*"], "url"),
        ("https://x.example/h", ["escalation.exploded"], "event_types"),
        ("https://x.example/h", [" , "], "event_types"),
    ],
)
def test_a_bad_subscription_is_refused_naming_the_field(
    uow: SqlUnitOfWork, now: datetime, url: str, types: list[str], field: str
) -> None:
    from escdesk.domain.errors import InvalidInput

    with pytest.raises(InvalidInput) as error:
        service.add_webhook_now(uow, service.AddWebhook(url, types), DatabaseAdministrator(), now)
    assert error.value.field == field
