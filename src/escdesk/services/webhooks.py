"""Webhook subscriptions: an endpoint, the event types it wants, its secret and delivery log.

The secret is shown once, at creation (like an API token); escdesk keeps it to sign with.
Handlers run inside the unit of work they are given; the `*_now` wrappers open and commit one.
"""

from __future__ import annotations

import base64
import hashlib
import re
import secrets
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol, Self
from urllib.parse import urlsplit

from escdesk.domain.access import Permission
from escdesk.domain.errors import InvalidInput, NotFound
from escdesk.domain.events import ESCALATION_EVENTS, Event
from escdesk.domain.messages import MessageKind
from escdesk.services.acting import Acting, At, Moment, require

EVENT_TYPES = tuple(f"escalation.{name}" for name in ESCALATION_EVENTS)
"""What a subscription can ask for today: the escalation's audit events (R-ESC-11)."""
_TYPE = re.compile(r"^(\*|[a-z][a-z0-9_]*(\.[a-z0-9_]+)*(\.\*)?)$")
SECRET_PREFIX = "whsec_"
SECRET_BYTES = 32
"""Standard Webhooks asks for 24 to 64 random bytes, shown as `whsec_<base64>`."""


def new_secret() -> str:
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(SECRET_BYTES)).decode("ascii")


@dataclass(frozen=True)
class Subscription:
    """What the fan-out needs of a subscription: which event types it wants."""

    id: int
    event_types: tuple[str, ...]
    active: bool = True

    def wants(self, event_type: str) -> bool:
        """`escalation.closed` matches itself, `escalation.*` and `*`."""
        for wanted in self.event_types:
            if wanted in ("*", event_type):
                return True
            if wanted.endswith(".*") and event_type.startswith(wanted[:-1]):
                return True
        return False


@dataclass(frozen=True)
class WebhookAttempt:
    """One line of a subscription's delivery log."""

    subscription_id: int
    message_id: int
    webhook_id: str
    event_type: str
    attempted_at: datetime
    status_code: int | None
    ok: bool
    error: str | None
    duration_ms: int


@dataclass(frozen=True)
class WebhookInfo:
    id: int
    url: str
    event_types: tuple[str, ...]
    description: str
    created_at: datetime
    disabled_at: datetime | None = None
    disabled_reason: str | None = None

    @property
    def active(self) -> bool:
        return self.disabled_at is None


class WebhookRepository(Protocol):
    def add(
        self, url: str, secret: str, event_types: Sequence[str], description: str, now: datetime
    ) -> WebhookInfo: ...
    def all(self) -> list[WebhookInfo]: ...
    def get(self, subscription_id: int) -> WebhookInfo | None: ...
    def remove(self, subscription_id: int) -> None: ...
    def deliveries(self, subscription_id: int, limit: int) -> list[WebhookAttempt]: ...
    def record(self, subscription_id: int, event: Event) -> None: ...


class WebhooksUnitOfWork(Protocol):
    @property
    def webhooks(self) -> WebhookRepository: ...
    def __enter__(self) -> Self: ...
    def __exit__(self, *args: object) -> None: ...
    def commit(self) -> None: ...


@dataclass(frozen=True)
class AddWebhook:
    url: str
    event_types: Sequence[str]
    description: str = ""


@dataclass(frozen=True)
class RemoveWebhook:
    subscription_id: int


@dataclass(frozen=True)
class WebhookLog:
    subscription_id: int
    limit: int = 50


def check_url(url: str) -> str:
    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname or len(url) > 2000:
        raise InvalidInput(
            "url", f"{url!r} is not an http(s) URL", "Give the receiver's address, https://…"
        )
    return url


def check_event_types(values: Sequence[str]) -> tuple[str, ...]:
    """Known types, `escalation.*` or `*`; at least one."""
    chosen: list[str] = []
    for raw in values:
        for part in raw.split(","):
            value = part.strip().lower()
            if not value:
                continue
            probe = Subscription(0, (value,))
            if not _TYPE.match(value) or not any(probe.wants(t) for t in EVENT_TYPES):
                raise InvalidInput(
                    "event_types",
                    f"{part.strip()!r} is not an event type",
                    f"Use escalation.* or any of: {', '.join(EVENT_TYPES)}",
                )
            if value not in chosen:
                chosen.append(value)
    if not chosen:
        raise InvalidInput("event_types", "at least one is needed", "Give escalation.* or a type")
    return tuple(chosen)


def add_webhook(
    uow: WebhooksUnitOfWork, cmd: AddWebhook, actor: Acting, ctx: Moment
) -> tuple[WebhookInfo, str]:
    """The new subscription and its secret, which is shown this once."""
    require(actor, Permission.MANAGE_TOKENS)
    url = check_url(cmd.url)
    types = check_event_types(cmd.event_types)
    description = cmd.description.strip()
    if len(description) > 200:
        raise InvalidInput("description", "is longer than 200 characters", "Shorten it")
    secret = new_secret()
    info = uow.webhooks.add(url, secret, types, description, ctx.now)
    data = {"url": url, "event_types": list(types)}
    uow.webhooks.record(info.id, Event("webhook_added", ctx.now, actor.person_id, data))
    return info, secret


def remove_webhook(uow: WebhooksUnitOfWork, cmd: RemoveWebhook, actor: Acting, ctx: Moment) -> None:
    require(actor, Permission.MANAGE_TOKENS)
    info = _get(uow, cmd.subscription_id)
    uow.webhooks.remove(info.id)
    event = Event("webhook_removed", ctx.now, actor.person_id, {"url": info.url})
    uow.webhooks.record(info.id, event)


def list_webhooks(
    uow: WebhooksUnitOfWork, query: object, actor: Acting, ctx: Moment
) -> list[WebhookInfo]:
    require(actor, Permission.MANAGE_TOKENS)
    return uow.webhooks.all()


def webhook_log(
    uow: WebhooksUnitOfWork, query: WebhookLog, actor: Acting, ctx: Moment
) -> list[WebhookAttempt]:
    require(actor, Permission.MANAGE_TOKENS)
    _get(uow, query.subscription_id)
    return uow.webhooks.deliveries(query.subscription_id, max(1, min(query.limit, 500)))


def _get(uow: WebhooksUnitOfWork, subscription_id: int) -> WebhookInfo:
    info = uow.webhooks.get(subscription_id)
    if info is None:
        raise NotFound("webhook subscription", subscription_id)
    return info


def add_webhook_now(
    uow: WebhooksUnitOfWork, cmd: AddWebhook, actor: Acting, now: datetime
) -> tuple[WebhookInfo, str]:
    with uow:
        result = add_webhook(uow, cmd, actor, At(now))
        uow.commit()
    return result


def remove_webhook_now(
    uow: WebhooksUnitOfWork, cmd: RemoveWebhook, actor: Acting, now: datetime
) -> None:
    with uow:
        remove_webhook(uow, cmd, actor, At(now))
        uow.commit()


def list_webhooks_now(uow: WebhooksUnitOfWork, actor: Acting, now: datetime) -> list[WebhookInfo]:
    with uow:
        return list_webhooks(uow, None, actor, At(now))


def webhook_log_now(
    uow: WebhooksUnitOfWork, query: WebhookLog, actor: Acting, now: datetime
) -> list[WebhookAttempt]:
    with uow:
        return webhook_log(uow, query, actor, At(now))


@dataclass(frozen=True)
class WebhookMessage:
    """One outbox row to write, in the transaction of the change."""

    destination: str
    payload: dict[str, Any]
    idempotency_key: str
    kind: str = MessageKind.WEBHOOK.value


def webhook_messages(
    event_type: str,
    occurred_at: datetime,
    data: Mapping[str, Any],
    subscriptions: Iterable[Subscription],
    event_key: str,
) -> list[WebhookMessage]:
    """The rows an event asks for: one per active subscription that wants its type.
    `event_key` names the event uniquely (e.g. `escalation-12:event-345`)."""
    payload = {
        "type": event_type,
        "timestamp": occurred_at.astimezone(UTC).isoformat().replace("+00:00", "Z"),
        "data": dict(data),
    }
    return [
        WebhookMessage(
            destination=str(s.id),
            payload=payload,
            idempotency_key="wh-" + hashlib.sha256(f"{s.id}:{event_key}".encode()).hexdigest()[:40],
        )
        for s in subscriptions
        if s.active and s.wants(event_type)
    ]
