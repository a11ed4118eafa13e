"""The outbox as people see it (R-OPS-3): what is queued, failing or dead, and a retry."""

from __future__ import annotations

from dataclasses import dataclass

from escdesk.domain.access import Actor, Permission
from escdesk.domain.accounts import parse_choice
from escdesk.domain.events import Event
from escdesk.domain.messages import DeliveryState
from escdesk.services.listing import Order, check_order, check_window
from escdesk.services.ports import UnitOfWork
from escdesk.services.runner import Context
from escdesk.services.views import OutboxItem

MAX_LISTED = 1000
OUTBOX_ORDERS = ("id", "state", "kind", "destination", "attempts", "written")
"""What the outbox list sorts by; without an order, newest first."""


@dataclass(frozen=True)
class ListOutbox:
    state: DeliveryState | None = None
    limit: int = 100
    escalation_id: int | None = None
    order: Order | None = None
    offset: int = 0

    @classmethod
    def parse(cls, *, state: str | None, **values: object) -> ListOutbox:
        chosen = parse_choice(DeliveryState, state, "state") if state else None
        return cls(state=chosen, **values)  # type: ignore[arg-type]


@dataclass(frozen=True)
class RetryMessage:
    message_id: int


@dataclass(frozen=True)
class OutboxSummary:
    counts: dict[str, int]
    items: list[OutboxItem]
    total: int = 0
    """How many messages the whole list (of the asked state) has, for its pager."""


def list_outbox(uow: UnitOfWork, query: ListOutbox, actor: Actor, ctx: Context) -> OutboxSummary:
    """Newest first; an escalation's own messages are what its page shows to its readers."""
    if query.escalation_id is None:
        actor.require(Permission.MANAGE_DELIVERY)
    else:
        actor.require(Permission.READ)
    check_window(query.limit, query.offset, most=MAX_LISTED)
    check_order(query.order, OUTBOX_ORDERS)
    subject = ("escalation", query.escalation_id) if query.escalation_id is not None else None
    state = query.state.value if query.state else None
    counts = uow.outbox.counts()
    items = uow.outbox.listing(state, query.limit, subject, offset=query.offset, order=query.order)
    total = counts.get(state, 0) if state else sum(counts.values())
    return OutboxSummary(counts, items, total if subject is None else len(items))


def retry_message(uow: UnitOfWork, cmd: RetryMessage, actor: Actor, ctx: Context) -> OutboxItem:
    """A dead letter (or a failing message) is queued again now; the retry is on the trail."""
    actor.require(Permission.MANAGE_DELIVERY)
    item = uow.outbox.retry(cmd.message_id, ctx.now)
    if item.subject_id is not None:
        data = {"message": item.id, "kind": item.kind, "destination": item.destination}
        event = Event("delivery_retried", ctx.now, actor.person_id, data)
        uow.outbox.record(item.subject_type, item.subject_id, event)
    return item
