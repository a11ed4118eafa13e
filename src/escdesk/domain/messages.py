"""What the domain asks to send (R-OPS-3): a typed catalogue of outbox messages.

A message is written in the transaction of the change that caused it and delivered later by the
worker through the transport its kind names. Its idempotency key is derived from what it is —
the subject, the change that produced it, its kind, destination and template — so the same
change can never queue the same message twice, and a transport can recognise a retry.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

SHARED_CHANNEL = "#escalated_customers"
"""Seed 004: the channel where leadership looks; told only at key moments (R-ESC-7)."""


class MessageKind(StrEnum):
    """What to do, named `<transport>.<action>` so the worker knows who delivers it."""

    CREATE_CHANNEL = "slack.create_channel"  # the escalation's own channel, owners invited
    POST = "slack.post"  # a post in the escalation's own channel; `pin` pins it (the opening)
    ANNOUNCE = "slack.announce"  # a post in a named channel: the shared one (R-ESC-7)
    ARCHIVE_CHANNEL = "slack.archive"  # at closing
    UNARCHIVE_CHANNEL = "slack.unarchive"  # at reopening, owners asked back in
    REFRESH_OPENING = "slack.refresh_opening"  # the pinned opening message rewritten (chat.update)
    CUSTOMER_EMAIL = "email.customer_update"  # a customer-facing update to a contact, threaded
    INTERNAL_EMAIL = "email.internal"  # a notice to a colleague (a requester, a fix author)
    CALENDAR_INVITE = "calendar.invite"  # METHOD:REQUEST of a standup series
    CALENDAR_CANCEL = "calendar.cancel"
    WEBHOOK = "webhook"  # an event to a subscribed URL
    SURVEY_EMAIL = "email.survey"  # the satisfaction survey at closing (R-SLA-4)
    TRACKER_ISSUE = "tracker.create_issue"  # a follow-up mirrored as a new tracker issue

    @property
    def transport(self) -> str:
        return self.value.split(".", 1)[0]


class Template(StrEnum):
    """The wording a transport renders; payload fields are the template's values."""

    OPENING = "opening"
    DECLARATION = "declaration"
    UPDATE = "update"
    SEVERITY_CHANGED = "severity_changed"
    OWNER_CHANGED = "owner_changed"
    ETA_CHANGED = "eta_changed"
    MONITORING = "monitoring"
    CLOSED = "closed"
    REOPENED = "reopened"
    CUSTOMER_UPDATE = "customer_update"
    REMINDER = "reminder"
    NOTICE = "notice"


class DeliveryState(StrEnum):
    """pending → delivered; a retryable failure → failed (tried again later) → dead."""

    PENDING = "pending"
    FAILED = "failed"
    DEAD = "dead"
    DELIVERED = "delivered"


@dataclass(frozen=True)
class OutboxMessage:
    """A notification the domain wants sent; the worker delivers it at least once, in order per
    destination, and the key lets a transport drop a repeat."""

    kind: MessageKind
    destination: str
    payload: dict[str, Any] = field(default_factory=dict)
    template: Template | None = None

    def key(self, subject_type: str, subject_id: int, change: int, position: int) -> str:
        """The idempotency key: this subject's change number `change` (its version after the
        change) and the message's position among that change's messages."""
        template = self.template.value if self.template else ""
        parts = [subject_type, str(subject_id), str(change), str(position)]
        parts += [self.kind.value, self.destination, template]
        return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:40]
