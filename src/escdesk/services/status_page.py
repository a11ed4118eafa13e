"""The customer status page (R-OPS-2): a read-only page at an unguessable link.

It shows what the customer may read and nothing else: what the escalation is about in the
customer's words (the customer summary), its reference, severity and opening date (so two
escalations of one customer are told apart), customer-facing updates, exit criteria, the ETA.
The internal summary, internal updates, owners' names, reasons given internally and any other
customer's data never reach `CustomerStatus`, so no template can leak them by mistake.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

from escdesk.domain.clock import Audience, Promise, customer_promises
from escdesk.domain.errors import NotFound
from escdesk.domain.events import Event
from escdesk.services.auth import AccessUnitOfWork
from escdesk.services.calendars import book

TOKEN_BYTES = 32  # 256 bits: not guessable, not enumerable


@dataclass(frozen=True)
class CustomerUpdate:
    posted_at: datetime
    body: str


@dataclass(frozen=True)
class CustomerCriterion:
    """One exit criterion as the customer reads it; one left open at closing carries the
    reason both sides agreed (R-ESC-9), so "Closed" never stands beside it unexplained."""

    text: str
    done: bool
    waived_reason: str | None = None

    @property
    def waived(self) -> bool:
        return self.waived_reason is not None


@dataclass(frozen=True)
class CustomerStatus:
    """Everything a status page may show; built only from customer-facing fields."""

    customer: str
    reference: str
    customer_summary: str | None
    severity: str
    status: str
    opened_at: datetime
    eta: datetime | None
    closed_at: datetime | None
    next_update_due: datetime | None
    """The next update's promised moment while it is still ahead; None once it is owed now."""
    next_update: Promise
    eta_promise: Promise
    """Whether the ETA is still ahead (`by`) or passed while open (`late`: being revised)."""
    exit_criteria: list[CustomerCriterion]
    updates: list[CustomerUpdate]
    timezone: str = "UTC"
    """The account's own zone (its working calendar's): the customer reads times on it."""


def publish(
    uow: AccessUnitOfWork, escalation_id: int, now: datetime, by_id: int | None = None
) -> str:
    """The escalation's status-page token; publishing again returns the same link."""
    with uow:
        uow.escalations.get(escalation_id)  # NotFound for a wrong id
        token = uow.access.status_page_token(escalation_id)
        if token is not None:
            return token
        token = secrets.token_urlsafe(TOKEN_BYTES)
        uow.access.publish_status_page(escalation_id, token, now)
        uow.access.record("escalation", escalation_id, Event("status_page_published", now, by_id))
        uow.commit()
    return token


def unpublish(
    uow: AccessUnitOfWork, escalation_id: int, now: datetime, by_id: int | None = None
) -> bool:
    """Take the page down: the old link answers 404 for good. False if it was not published."""
    with uow:
        uow.escalations.get(escalation_id)
        if not uow.access.unpublish_status_page(escalation_id):
            return False
        uow.access.record("escalation", escalation_id, Event("status_page_unpublished", now, by_id))
        uow.commit()
    return True


def published_token(uow: AccessUnitOfWork, escalation_id: int) -> str | None:
    """The current link's token, for the team to share again; None if not published."""
    with uow:
        uow.escalations.get(escalation_id)
        return uow.access.status_page_token(escalation_id)


def status_view(uow: AccessUnitOfWork, token: str, now: datetime) -> CustomerStatus:
    """The page behind a link at `now`; any unknown or withdrawn token is simply not found.
    What is promised is read from the clock (`customer_promises`), never a moment past."""
    with uow:
        escalation_id = uow.access.status_page_escalation(token) if token else None
        if escalation_id is None:
            raise NotFound("status page", "for this link")
        esc = uow.escalations.get(escalation_id)
        timezone = book(uow).for_account(esc.account_id).timezone
    promises = customer_promises(
        esc.next_customer_update_due, esc.eta, now, is_open=esc.closed_at is None
    )
    return CustomerStatus(
        customer=esc.customer,
        reference=esc.reference,
        customer_summary=esc.customer_summary,
        severity=esc.severity.value,
        status=esc.status.value,
        opened_at=esc.opened_at,
        eta=esc.eta,
        closed_at=esc.closed_at,
        next_update_due=promises.next_update_by,
        next_update=promises.next_update,
        eta_promise=promises.eta,
        exit_criteria=[
            CustomerCriterion(c.text, c.done, c.waived_reason) for c in esc.exit_criteria
        ],
        updates=[
            CustomerUpdate(u.posted_at, u.body)
            for u in reversed(esc.updates)
            if u.audience is Audience.CUSTOMER
        ],
        timezone=timezone,
    )
