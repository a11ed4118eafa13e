"""The outbox (R-OPS-3): messages waiting, failing or dead, and sending one again."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query
from pydantic import BaseModel

from escdesk.api.schemas.common import MAX_ID, Sort
from escdesk.domain.access import Permission, Principal
from escdesk.domain.messages import DeliveryState
from escdesk.http.deps import RunnerDep, require
from escdesk.services import outbox as service
from escdesk.services.listing import parse_sort
from escdesk.services.views import OutboxItem

router = APIRouter(prefix="/outbox", tags=["outbox"])
Keeper = Annotated[Principal, Depends(require(Permission.MANAGE_DELIVERY))]


class MessageOut(BaseModel):
    id: int
    kind: str
    destination: str
    state: DeliveryState
    attempts: int
    subject_type: str
    subject_id: int | None
    created_at: datetime
    next_attempt_at: datetime | None
    delivered_at: datetime | None
    last_error: str | None
    receipt: dict[str, Any] | None

    @classmethod
    def of(cls, item: OutboxItem) -> MessageOut:
        return cls(
            id=item.id,
            kind=item.kind,
            destination=item.destination,
            state=DeliveryState(item.state),
            attempts=item.attempts,
            subject_type=item.subject_type,
            subject_id=item.subject_id,
            created_at=item.created_at,
            next_attempt_at=item.next_attempt_at,
            delivered_at=item.delivered_at,
            last_error=item.last_error,
            receipt=item.receipt,
        )


class OutboxOut(BaseModel):
    counts: dict[str, int]
    items: list[MessageOut]


@router.get("", response_model=OutboxOut)
def list_outbox(
    who: Keeper,
    run: RunnerDep,
    state: DeliveryState | None = None,
    escalation: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
    limit: Annotated[int, Query(ge=1, le=service.MAX_LISTED)] = 100,
    sort: Sort = None,
) -> OutboxOut:
    """Newest first, with how many messages are in each state; `sort` by id, state, kind,
    destination, attempts or written."""
    query = service.ListOutbox(
        state=state, limit=limit, escalation_id=escalation, order=parse_sort(sort)
    )
    summary = run.read(service.list_outbox, query, who.actor)
    return OutboxOut(counts=summary.counts, items=[MessageOut.of(i) for i in summary.items])


@router.post("/{message_id}/retry", response_model=MessageOut)
def retry(
    message_id: Annotated[int, Path(ge=1, le=MAX_ID)], who: Keeper, run: RunnerDep
) -> MessageOut:
    """Queue a dead or failing message again, to be tried now."""
    return MessageOut.of(
        run.run(service.retry_message, service.RetryMessage(message_id), who.actor)
    )
