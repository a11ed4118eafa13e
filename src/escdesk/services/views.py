"""Read models: what lists, boards and histories show. Plain data, built by the store's queries."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from escdesk.domain.accounts import Account
from escdesk.domain.escalation import Escalation
from escdesk.domain.people import Person
from escdesk.services.listing import Order

ESCALATION_ORDERS = ("id", "customer", "severity", "status", "dri", "opened", "next_update", "eta")
"""What the escalation lists sort by; without an order, most severe first, then oldest."""


@dataclass(frozen=True)
class EscalationFilter:
    severity: str | None = None
    status: str | None = None
    dri_id: int | None = None
    account_id: int | None = None
    owner_id: int | None = None  # DRI, product DRI or product leader
    include_closed: bool = False
    due_before: datetime | None = None
    limit: int = 100
    offset: int = 0
    order: Order | None = None
    words: tuple[str, ...] = ()
    """Each word in the customer, the account's name, the summary, the ask or an update."""
    internal_text: bool = False
    """Whether internal updates are searched too: only for readers of internal text."""
    internal_owner_id: int | None = None
    """Without `internal_text`: whose own escalations' internal updates are searched (an
    owner reads them, seed 004)."""


@dataclass(frozen=True)
class EscalationSummary:
    """One line of the board: enough to see at a glance what needs attention."""

    id: int
    customer: str
    account_id: int
    kind: str
    severity: str
    status: str
    summary: str
    dri_id: int
    dri_name: str
    opened_at: datetime
    eta: datetime | None
    eta_slips: int
    next_internal_update_due: datetime | None
    next_customer_update_due: datetime | None
    version: int
    closed_at: datetime | None = None


@dataclass(frozen=True)
class EscalationPage:
    items: list[EscalationSummary]
    total: int
    limit: int
    offset: int


@dataclass(frozen=True)
class HistoryEntry:
    id: int
    type: str
    at: datetime
    actor_id: int | None
    actor_name: str | None
    data: dict[str, Any]


@dataclass(frozen=True)
class EscalationDetail:
    """An escalation with its account and the people it names, for show and the tracker."""

    escalation: Escalation
    account: Account
    people: dict[int, Person] = field(default_factory=dict)

    def name_of(self, person_id: int | None) -> str | None:
        if person_id is None:
            return None
        person = self.people.get(person_id)
        return person.name if person else f"person {person_id}"


@dataclass(frozen=True)
class OutboxItem:
    """One outbox message, as listed and as handed to a transport (R-OPS-3)."""

    id: int
    kind: str
    destination: str
    payload: dict[str, Any]
    idempotency_key: str
    subject_type: str
    subject_id: int | None
    state: str
    attempts: int
    created_at: datetime
    next_attempt_at: datetime | None
    delivered_at: datetime | None
    last_error: str | None
    receipt: dict[str, Any] | None
    escalation_id: int | None = None
    """The escalation the message is about, whatever its subject (a reminder, a release notice)."""
    request_id: str | None = None  # the request that queued it, for the worker's log lines
    first_try: bool = False
    """Claimed for the first time, never tried nor abandoned before: nothing of it can have
    reached the peer yet (False unless a claim says so, the safe side)."""
