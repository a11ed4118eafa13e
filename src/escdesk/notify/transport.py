"""The contract between the worker and a transport (Slack, e-mail, calendar, webhooks).

A transport delivers one message and says what the peer confirmed, or raises `DeliveryError`
saying whether trying again could help — as healthchecks' transports raise `TransportError` —
so the worker knows whether to back off and retry or to give up (a dead letter).
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
    destination: str
    payload: Mapping[str, Any]
    idempotency_key: str
    subject_type: str
    subject_id: int | None
    attempts: int = 0  # earlier tries: a transport may check whether the peer already has it


@dataclass(frozen=True)
class Receipt:
    """What the peer confirmed; the worker stores it on the row."""

    data: Mapping[str, Any] = field(default_factory=dict)


class DeliveryError(Exception):
    """The peer did not take the message. `permanent`: trying again cannot help (a bad token,
    an address that does not exist); `retry_after`: seconds the peer asked us to wait."""

    def __init__(self, reason: str, *, permanent: bool, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.permanent = permanent
        self.retry_after = retry_after


class Transport(Protocol):
    kinds: frozenset[str]

    def deliver(self, message: OutboundMessage) -> Receipt: ...
