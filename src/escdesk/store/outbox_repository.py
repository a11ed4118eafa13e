"""The outbox as the worker sees it (R-OPS-3): claim what is due, record what the peer said.

Claiming is a conditional UPDATE (`… WHERE id = ? AND claimed_at IS NULL`, or a claim older than
the lease): one row changed means the row is yours, on SQLite and PostgreSQL alike, so several
workers never deliver one message twice. Order is kept per destination: a row waits while an
earlier row of its destination is still pending or failing, so a channel's posts arrive in the
order they were written. A claim older than the lease is a worker that died mid-delivery; the
row is claimed again. A worker may also take back its own claim at once: it delivers one
message at a time, so a row it still holds while it looks for work is one whose delivery the
database's going away interrupted, and its channel must not wait out the lease for it.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, func, or_, select, update
from sqlalchemy.orm import Session

from escdesk.domain.errors import NotFound, StateRefused
from escdesk.domain.events import Event
from escdesk.domain.messages import DeliveryState, OutboxMessage
from escdesk.services.listing import Order
from escdesk.services.views import OutboxItem
from escdesk.store.ordering import ordered
from escdesk.store.tables import EventRow, OutboxRow

OPEN = (DeliveryState.PENDING.value, DeliveryState.FAILED.value)


def item_of(row: OutboxRow) -> OutboxItem:
    return OutboxItem(
        row.id,
        row.kind,
        row.destination,
        dict(row.payload or {}),
        row.idempotency_key,
        row.subject_type,
        row.subject_id,
        row.state,
        row.attempts,
        row.created_at,
        row.next_attempt_at,
        row.delivered_at,
        row.last_error,
        dict(row.receipt) if row.receipt else None,
        row.escalation_id,
        row.request_id,
    )


def outbox_row(
    message: OutboxMessage,
    subject_type: str,
    subject_id: int,
    change: int,
    position: int,
    at: datetime,
) -> OutboxRow:
    """The row for a message the domain asked for, keyed by what it is (domain.messages)."""
    return OutboxRow(
        idempotency_key=message.key(subject_type, subject_id, change, position),
        subject_type=subject_type,
        subject_id=subject_id,
        kind=message.kind.value,
        destination=message.destination,
        payload=message.payload,
        created_at=at,
        next_attempt_at=at,
        attempts=0,
        state=DeliveryState.PENDING.value,
    )


def _claimable(worker: str, now: datetime, lease: timedelta) -> ColumnElement[bool]:
    """Unclaimed, a claim past its lease, or the worker's own claim."""
    return or_(
        OutboxRow.claimed_at.is_(None),
        OutboxRow.claimed_at < now - lease,
        OutboxRow.claimed_by == worker,
    )


class OutboxRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def due(
        self, now: datetime, lease: timedelta, kinds: Collection[str], limit: int, worker: str
    ) -> list[int]:
        """Ids worth claiming by `worker`, oldest first: due, unclaimed (or abandoned, or held
        by `worker` itself), first in line.

        "First in line" is the oldest open row of its destination, found with a group-by over
        the partial index of open rows (`ix_outbox_open_line`): the cost follows the backlog,
        not the history, so a channel with thousands of delivered posts is as quick as a new one.
        """
        first_in_line = (
            select(func.min(OutboxRow.id))
            .where(OutboxRow.state.in_(OPEN))
            .group_by(OutboxRow.destination)
        )
        query = (
            select(OutboxRow.id)
            .where(
                OutboxRow.id.in_(first_in_line),
                or_(OutboxRow.next_attempt_at.is_(None), OutboxRow.next_attempt_at <= now),
                _claimable(worker, now, lease),
                OutboxRow.kind.in_(list(kinds)),
            )
            .order_by(OutboxRow.id)
            .limit(limit)
        )
        return list(self.session.scalars(query))

    def claim(self, row_id: int, worker: str, now: datetime, lease: timedelta) -> OutboxItem | None:
        """Take the row if nobody else holds it; None if another worker was first. The item
        says whether this is the row's first try: no earlier claim, settled or abandoned."""
        earlier_claim = self.session.scalar(
            select(OutboxRow.claimed_at).where(OutboxRow.id == row_id)
        )
        result = self.session.execute(
            update(OutboxRow)
            .where(
                OutboxRow.id == row_id,
                OutboxRow.state.in_(OPEN),
                _claimable(worker, now, lease),
            )
            .values(claimed_at=now, claimed_by=worker)
            .execution_options(synchronize_session=False)
        )
        if result.rowcount != 1:  # type: ignore[attr-defined]
            return None
        row = self.session.get_one(OutboxRow, row_id, populate_existing=True)
        # Attempts are read after the claim: a try settled meanwhile by another worker counts.
        return replace(item_of(row), first_try=earlier_claim is None and row.attempts == 0)

    def delivered(self, row_id: int, worker: str, receipt: dict[str, Any], now: datetime) -> None:
        self._settle(
            row_id,
            worker,
            state=DeliveryState.DELIVERED.value,
            delivered_at=now,
            receipt=receipt,
            last_error=None,
            attempts=OutboxRow.attempts + 1,
        )

    def failed(
        self, row_id: int, worker: str, error: str, retry_at: datetime | None, now: datetime
    ) -> None:
        """A failed try: tried again at `retry_at`, or dead (a dead letter) when None."""
        state = DeliveryState.FAILED if retry_at is not None else DeliveryState.DEAD
        self._settle(
            row_id,
            worker,
            state=state.value,
            next_attempt_at=retry_at,
            last_error=error[:2000],
            attempts=OutboxRow.attempts + 1,
        )

    def _settle(self, row_id: int, worker: str, **values: Any) -> None:
        # Only the holder settles a row: a worker whose lease ran out must not overwrite the
        # outcome of the worker that claimed it after.
        self.session.execute(
            update(OutboxRow)
            .where(OutboxRow.id == row_id, OutboxRow.claimed_by == worker)
            .values(claimed_at=None, **values)
            .execution_options(synchronize_session=False)
        )

    def get(self, row_id: int) -> OutboxItem:
        row = self.session.get(OutboxRow, row_id)
        if row is None:
            raise NotFound("outbox message", row_id)
        return item_of(row)

    def retry(self, row_id: int, now: datetime) -> OutboxItem:
        """A dead or failing message goes back to the queue, to be tried now."""
        row = self.session.get(OutboxRow, row_id)
        if row is None:
            raise NotFound("outbox message", row_id)
        if row.state == DeliveryState.DELIVERED.value:
            raise StateRefused(f"message {row_id} was delivered; there is nothing to retry")
        row.state = DeliveryState.PENDING.value
        row.next_attempt_at = now
        row.claimed_at = None
        self.session.flush()
        return item_of(row)

    def listing(
        self,
        state: str | None,
        limit: int,
        subject: tuple[str, int] | None = None,
        *,
        offset: int = 0,
        order: Order | None = None,
    ) -> list[OutboxItem]:
        """Newest first, or in one of OUTBOX_ORDERS."""
        key = order or Order("id", descending=True)
        column = {
            "id": OutboxRow.id,
            "state": OutboxRow.state,
            "kind": OutboxRow.kind,
            "destination": func.lower(OutboxRow.destination),
            "attempts": OutboxRow.attempts,
            "written": OutboxRow.created_at,
        }[key.key]
        query = (
            select(OutboxRow)
            .order_by(*ordered(column, key.descending, OutboxRow.id))
            .limit(limit)
            .offset(offset)
        )
        if state is not None:
            query = query.where(OutboxRow.state == state)
        if subject is not None:
            query = query.where(
                and_(OutboxRow.subject_type == subject[0], OutboxRow.subject_id == subject[1])
            )
        return [item_of(r) for r in self.session.scalars(query)]

    def counts(self) -> dict[str, int]:
        rows = self.session.execute(
            select(OutboxRow.state, func.count(OutboxRow.id)).group_by(OutboxRow.state)
        )
        found: dict[str, int] = {str(state): int(count) for state, count in rows}
        return {s.value: int(found.get(s.value, 0)) for s in DeliveryState}

    def record(self, subject_type: str, subject_id: int, event: Event) -> None:
        """An audit event about delivery (a retry): the trail of the message's subject."""
        self.session.add(
            EventRow(
                subject=subject_type,
                subject_id=subject_id,
                type=event.type,
                occurred_at=event.at,
                actor_id=event.actor_id,
                data=event.data,
            )
        )

    def oldest_open(self) -> datetime | None:
        return self.session.scalar(
            select(func.min(OutboxRow.created_at)).where(OutboxRow.state.in_(OPEN))
        )
