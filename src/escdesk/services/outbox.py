"""The outbox as people see it (R-OPS-3): what is queued, failing or dead, and a retry."""

from __future__ import annotations

from dataclasses import dataclass

from escdesk.domain.access import Actor, Permission
from escdesk.domain.accounts import parse_choice
from escdesk.domain.errors import InvalidInput
from escdesk.domain.events import Event
from escdesk.domain.messages import DeliveryState
from escdesk.services.ports import UnitOfWork
from escdesk.services.runner import Context
from escdesk.services.views import OutboxItem

MAX_LISTED = 1000


@dataclass(frozen=True)
class ListOutbox:
    state: DeliveryState | None = None
    limit: int = 100
    escalation_id: int | None = None

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


def list_outbox(uow: UnitOfWork, query: ListOutbox, actor: Actor, ctx: Context) -> OutboxSummary:
    """Newest first; an escalation's own messages are what its page shows to its readers."""
    if query.escalation_id is None:
        actor.require(Permission.MANAGE_DELIVERY)
    else:
        actor.require(Permission.READ)
    if not 1 <= query.limit <= MAX_LISTED:
        raise InvalidInput("limit", f"{query.limit} is out of range", f"Use 1 to {MAX_LISTED}")
    subject = ("escalation", query.escalation_id) if query.escalation_id is not None else None
    state = query.state.value if query.state else None
    return OutboxSummary(uow.outbox.counts(), uow.outbox.listing(state, query.limit, subject))


def retry_message(uow: UnitOfWork, cmd: RetryMessage, actor: Actor, ctx: Context) -> OutboxItem:
    """A dead letter (or a failing message) is queued again now; the retry is on the trail."""
    actor.require(Permission.MANAGE_DELIVERY)
    item = uow.outbox.retry(cmd.message_id, ctx.now)
    if item.subject_id is not None:
        data = {"message": item.id, "kind": item.kind, "destination": item.destination}
        event = Event("delivery_retried", ctx.now, actor.person_id, data)
        uow.outbox.record(item.subject_type, item.subject_id, event)
    return item
