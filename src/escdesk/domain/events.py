"""What the domain records besides state: audit events (R-ESC-11), one registry of their types.

Events are collected on the aggregate while a command runs and saved by the store in the same
transaction as the state they describe (with the outbox messages of `domain.messages`), so state,
trail and notifications never disagree. The audit replay, the web history and the API read the
event types from `EVENT_TYPES` here, never from a list of their own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class Event:
    """One append-only line of the audit trail."""

    type: str
    at: datetime
    actor_id: int | None
    data: dict[str, Any] = field(default_factory=dict)


EVENT_TYPES: dict[str, str] = {
    "opened": "opened the escalation",
    "activated": "started work",
    "update_posted": "posted an update",
    "severity_changed": "changed the severity",
    "owner_changed": "changed an owner",
    "eta_set": "set the ETA",
    "exit_criterion_added": "added an exit criterion",
    "exit_criterion_marked": "ticked or unticked an exit criterion",
    "moved_to_monitoring": "moved it to monitoring",
    "closed": "closed the escalation",
    "reopened": "reopened the escalation",
    "status_page_published": "published the customer status page",
    "status_page_unpublished": "withdrew the customer status page",
    "marked_at_risk": "marked the account at risk",
    "account_added": "added the account",
    "person_added": "added the person",
    "delivery_retried": "sent a failed message again",
}
"""Every audit event type and how a sentence about it reads (subject: whoever acted)."""

# Service clocks (R-SLA-1…3).
EVENT_TYPES.update(
    {
        "calendar_added": "added a working calendar",
        "calendar_default_set": "made a working calendar the default",
        "account_calendar_set": "gave the account a working calendar",
        "clock_paused": "paused the customer-update clock: waiting on the customer",
        "clock_resumed": "resumed the customer-update clock: the customer answered",
        "standup_set": "set up the internal standup cadence",
        "reminder_snoozed": "snoozed the reminders about a due update",
    }
)
