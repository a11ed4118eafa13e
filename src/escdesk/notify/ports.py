"""What the transports must remember between attempts; the store implements these.

Each call is its own short transaction, committed before the transport talks to the peer
again, so a worker killed in the middle of a delivery leaves a record the next attempt can
trust: the step that finished, the step that began (and may or may not have reached the peer).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from escdesk.services.webhooks import WebhookAttempt


@dataclass(frozen=True)
class SlackChannel:
    """The Slack channel of one escalation (R-ESC-12), as Slack named it."""

    escalation_id: int
    channel_id: str
    name: str
    archived: bool = False
    opening_ts: str | None = None
    """The pinned opening message's ts, once Slack confirmed the post (None: never posted)."""
    opening_version: int = 0
    """The escalation version the opening message shows now."""


class SlackChannels(Protocol):
    def of_escalation(self, escalation_id: int) -> SlackChannel | None: ...
    def by_channel_id(self, channel_id: str) -> SlackChannel | None: ...
    def remember(self, escalation_id: int, channel_id: str, name: str) -> None: ...
    def mark_archived(self, escalation_id: int, archived: bool) -> None: ...
    def remember_opening(self, escalation_id: int, ts: str, version: int) -> None:
        """The opening message Slack confirmed, and the version it shows."""
        ...

    def opening_shows(self, escalation_id: int, version: int) -> bool:
        """Record that the opening message now shows `version`, unless it shows a newer one
        already; True when recorded (False: a newer refresh won, this one is stale)."""
        ...


class DeliveryJournal(Protocol):
    """Steps of one delivery (create, invite, post, pin…), so a retry resumes, never repeats."""

    def done(self, message_id: int, step: str) -> Mapping[str, Any] | None:
        """What a finished step recorded, or None if it has not finished."""
        ...

    def begin(self, message_id: int, step: str) -> bool:
        """Note that `step` starts now; True when an earlier attempt had begun it already (it
        may have reached the peer before that attempt died)."""
        ...

    def finish(self, message_id: int, step: str, data: Mapping[str, Any]) -> None: ...


class EmailThreads(Protocol):
    """The Message-IDs of one thread (one escalation, one recipient), in outbox order."""

    def earlier(self, thread: str, message_id: int) -> list[str]:
        """Message-IDs placed in `thread` by outbox messages older than `message_id`."""
        ...

    def place(self, thread: str, message_id: int, header_id: str) -> None:
        """Record that outbox message `message_id` is `header_id` in `thread` (idempotent)."""
        ...


class CustomerAddresses(Protocol):
    def is_customer_address(self, address: str) -> bool:
        """True if `address` belongs to a customer contact of any account."""
        ...


@dataclass(frozen=True)
class SeriesRevision:
    """One revision of a standup's recurring event (RFC 5545 SEQUENCE)."""

    sequence: int
    previous_attendees: tuple[str, ...]
    """Who held the invitation before this revision; those missing now get a cancellation."""


class CalendarSeries(Protocol):
    def revise(
        self,
        *,
        uid: str,
        escalation_id: int | None,
        message_id: int,
        cadence: Mapping[str, Any],
        attendees: Sequence[str],
        cancelled: bool,
        now: datetime,
    ) -> SeriesRevision:
        """The next SEQUENCE for `uid`; the same one again when `message_id` asks twice."""
        ...


@dataclass(frozen=True)
class WebhookEndpoint:
    subscription_id: int
    url: str
    secret: str
    active: bool


class WebhookEndpoints(Protocol):
    def endpoint(self, subscription_id: int) -> WebhookEndpoint | None: ...
    def disable(self, subscription_id: int, reason: str, now: datetime) -> None: ...
    def log(self, attempt: WebhookAttempt) -> None: ...
