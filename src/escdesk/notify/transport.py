"""The contract between the delivery worker and the transports (R-OPS-3).

The worker claims an outbox row, hands it to the transport whose `kinds` include the row's kind
as an `OutboundMessage`, and stores the `Receipt` it gets back: what the peer confirmed (a
Slack channel id, a message `ts`, an SMTP Message-ID). A transport that cannot deliver raises
`DeliveryError`, saying whether trying again can help (`permanent`) and how long the peer asked
us to wait (`retry_after`), as healthchecks' `TransportError` does.

Transports are synchronous and keep no state of their own in memory that matters: what they must
remember between attempts (a channel's id, a thread's Message-IDs, a step already done) goes
through the small ports in `escdesk.notify.ports`, which the store implements.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol


@dataclass(frozen=True)
class OutboundMessage:
    """One outbox row, as the worker hands it to a transport."""

    id: int
    kind: str
    """What to do, e.g. `slack.post` or `email.customer_update` (see the kinds' modules)."""
    destination: str
    """A channel name, an e-mail address, a webhook subscription id…; the worker keeps the
    order of messages per destination."""
    payload: Mapping[str, Any]
    idempotency_key: str
    subject_type: str = "escalation"
    subject_id: int | None = None
    attempts: int = 0  # earlier tries: a transport may check whether the peer already has it
    first_try: bool = False
    """No earlier try, settled or abandoned: nothing of this message can be at the peer yet,
    so a transport may skip looking for it (False, the safe side, unless the claim says so)."""
    escalation_id: int | None = None
    """The escalation it is about: its own subject, or a reminder's or a notice's escalation."""


@dataclass(frozen=True)
class Receipt:
    """What the peer confirmed; the worker stores `data` on the delivered row."""

    data: Mapping[str, Any] = field(default_factory=dict)


class DeliveryError(Exception):
    """Delivery failed. `permanent`: trying again cannot help until someone fixes something
    (the reason says what); otherwise the worker retries, not before `retry_after` seconds when
    the peer asked for a pause (HTTP 429 `Retry-After`)."""

    def __init__(self, reason: str, *, permanent: bool, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.permanent = permanent
        self.retry_after = retry_after

    def __repr__(self) -> str:
        return (
            f"DeliveryError({self.reason!r}, permanent={self.permanent}, "
            f"retry_after={self.retry_after})"
        )


class Transport(Protocol):
    """Delivers the message kinds it names; one instance serves one worker process."""

    @property
    def kinds(self) -> frozenset[str]: ...

    def deliver(self, message: OutboundMessage) -> Receipt: ...


def require(payload: Mapping[str, Any], name: str, message: OutboundMessage) -> Any:
    """A payload field the kind needs; its absence is a bug in whoever wrote the row, so
    retrying cannot help."""
    value = payload.get(name)
    if value is None or value == "":
        raise DeliveryError(
            f"{message.kind} message {message.id} has no {name!r} in its payload", permanent=True
        )
    return value
