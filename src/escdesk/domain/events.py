"""What the domain records besides state: audit events (R-ESC-11) and outbox messages (R-OPS-3).

Both are collected on the aggregate while a command runs and saved by the store in the same
transaction as the state they describe, so state, trail and notifications never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

SHARED_CHANNEL = "#escalated_customers"


@dataclass(frozen=True)
class Event:
    """One append-only line of the audit trail."""

    type: str
    at: datetime
    actor_id: int | None
    data: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class OutboxMessage:
    """A notification the domain wants sent; a later worker delivers it at least once.

    kind: what to do (create_channel, post, archive_channel, email);
    destination: a channel name or an address; payload: the template's fields.
    """

    kind: str
    destination: str
    payload: dict[str, Any] = field(default_factory=dict)
