"""Webhooks signed as Standard Webhooks 1.0 specifies, with a delivery log per subscription.

Message kind `webhook`: destination = the subscription's id; payload = the event as sent:
`{"type": "escalation.severity_changed", "timestamp": "<ISO 8601>", "data": {…}}`. One outbox
row per subscription and event (`services.webhooks.webhook_messages`, written at commit by
`store.event_fanout`), so one slow receiver never holds up another, and a retry never re-sends
to a receiver that already answered.

Each request carries `webhook-id` (the same on every retry: the receiver's idempotency key),
`webhook-timestamp` (this attempt, Unix seconds) and `webhook-signature`:
`v1,<base64 HMAC-SHA256 of "id.timestamp.body">`, keyed with the subscription's secret
`whsec_<base64>`. Outcomes follow the spec's etiquette: 2xx delivered; 410 Gone disables the
subscription; 408 and 429 (with `Retry-After`), 5xx, 3xx and timeouts are retried; any other
4xx is permanent. Redirects are not followed.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any

import httpx

import escdesk
from escdesk.domain.messages import MessageKind
from escdesk.notify.ports import WebhookEndpoints
from escdesk.notify.transport import DeliveryError, OutboundMessage, Receipt
from escdesk.services.webhooks import SECRET_PREFIX, WebhookAttempt

KIND = MessageKind.WEBHOOK.value


def signature(secret: str, webhook_id: str, timestamp: int, body: bytes) -> str:
    """`v1,<base64 HMAC-SHA256>` of `{id}.{timestamp}.{body}`, keyed with the secret's bytes."""
    key = base64.b64decode(secret.removeprefix(SECRET_PREFIX))
    signed = f"{webhook_id}.{timestamp}.".encode() + body
    digest = hmac.new(key, signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode("ascii")


def webhook_id(idempotency_key: str) -> str:
    """Stable across retries and free of `.` (the spec forbids it in the signed id)."""
    return "msg_" + hashlib.sha256(idempotency_key.encode("utf-8")).hexdigest()[:32]


def body_of(payload: Mapping[str, Any]) -> bytes:
    """The exact bytes that are signed and sent: compact JSON, UTF-8."""
    return json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


# ---------------------------------------------------------------------- delivery
def _utc_now() -> datetime:
    return datetime.now(UTC)


class WebhookTransport:
    kinds = frozenset({KIND})

    def __init__(
        self,
        endpoints: WebhookEndpoints,
        *,
        timeout: float = 15.0,
        clock: Callable[[], datetime] = _utc_now,
        client: httpx.Client | None = None,
    ) -> None:
        self.endpoints = endpoints
        self.timeout = timeout
        self.clock = clock
        self.client = client or httpx.Client(follow_redirects=False)

    def deliver(self, message: OutboundMessage) -> Receipt:
        if message.kind != KIND:
            raise DeliveryError(f"webhooks do not deliver {message.kind}", permanent=True)
        try:
            subscription_id = int(message.destination)
        except ValueError:
            raise DeliveryError(
                f"{message.destination!r} is not a webhook subscription id", permanent=True
            ) from None
        endpoint = self.endpoints.endpoint(subscription_id)
        if endpoint is None:
            raise DeliveryError(
                f"webhook subscription {subscription_id} was removed", permanent=True
            )
        if not endpoint.active:
            raise DeliveryError(
                f"webhook subscription {subscription_id} is disabled", permanent=True
            )
        body = body_of(message.payload)
        wid = webhook_id(message.idempotency_key)
        now = self.clock()
        stamp = int(now.timestamp())
        headers = {
            "content-type": "application/json",
            "user-agent": f"escdesk-webhooks/{escdesk.__version__}",
            "webhook-id": wid,
            "webhook-timestamp": str(stamp),
            "webhook-signature": signature(endpoint.secret, wid, stamp, body),
        }
        event_type = str(message.payload.get("type", ""))

        def log(status: int | None, ok: bool, error: str | None, started: float) -> None:
            elapsed = int((time.perf_counter() - started) * 1000)
            self.endpoints.log(
                WebhookAttempt(
                    subscription_id, message.id, wid, event_type, now, status, ok, error, elapsed
                )
            )

        started = time.perf_counter()
        try:
            response = self.client.post(
                endpoint.url, content=body, headers=headers, timeout=self.timeout
            )
        except httpx.TimeoutException:
            log(None, False, f"no answer within {self.timeout:g} s", started)
            raise DeliveryError(
                f"{endpoint.url} did not answer within {self.timeout:g} s", permanent=False
            ) from None
        except httpx.HTTPError as exc:
            log(None, False, f"{type(exc).__name__}: {exc}", started)
            raise DeliveryError(f"cannot reach {endpoint.url} ({exc})", permanent=False) from None
        status = response.status_code
        if 200 <= status < 300:
            log(status, True, None, started)
            return Receipt(
                {"subscription_id": subscription_id, "webhook_id": wid, "status": status}
            )
        error = f"HTTP {status}: {response.text[:200]}".strip()
        log(status, False, error, started)
        if status == 410:
            self.endpoints.disable(subscription_id, f"{endpoint.url} answered 410 Gone", now)
            raise DeliveryError(
                f"{endpoint.url} answered 410 Gone: the subscription is disabled", permanent=True
            )
        permanent = 400 <= status < 500 and status not in (408, 429)
        raise DeliveryError(
            f"{endpoint.url} answered HTTP {status}",
            permanent=permanent,
            retry_after=None if permanent else _retry_after(response),
        )


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("retry-after")
    if value is None:
        return None
    try:
        return max(float(value), 0.0)
    except ValueError:
        return None  # an HTTP date: the worker's own backoff is close enough
