"""The store behind the transports' ports (`escdesk.notify.ports`).

Every method is one short transaction of its own, committed before the transport talks to the
peer again: the worker runs a delivery outside any unit of work, and what a step wrote must
survive the worker being killed a moment later.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from escdesk.notify.ports import (
    SeriesRevision,
    SlackChannel,
    WebhookEndpoint,
)
from escdesk.services.webhooks import WebhookAttempt
from escdesk.store.tables import (
    CalendarSeriesRow,
    CustomerContactRow,
    DeliveryStepRow,
    EmailThreadRow,
    SlackChannelRow,
    WebhookDeliveryRow,
    WebhookSubscriptionRow,
)


def _utc_now() -> datetime:
    return datetime.now(UTC)


def _channel(row: SlackChannelRow) -> SlackChannel:
    return SlackChannel(
        row.escalation_id,
        row.channel_id,
        row.name,
        row.archived_at is not None,
        row.opening_ts,
        row.opening_version or 0,
    )


class NotifyStore:
    """Implements SlackChannels, DeliveryJournal, EmailThreads, CustomerAddresses,
    CalendarSeries and WebhookEndpoints over one engine."""

    def __init__(self, engine: Engine, clock: Callable[[], datetime] = _utc_now) -> None:
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        self._clock = clock

    @contextmanager
    def _tx(self) -> Iterator[Session]:
        with self._sessions.begin() as session:
            yield session

    # ------------------------------------------------------------------ Slack channels
    def of_escalation(self, escalation_id: int) -> SlackChannel | None:
        with self._tx() as s:
            row = s.get(SlackChannelRow, escalation_id)
            return _channel(row) if row else None

    def by_channel_id(self, channel_id: str) -> SlackChannel | None:
        with self._tx() as s:
            row = s.scalar(select(SlackChannelRow).where(SlackChannelRow.channel_id == channel_id))
            return _channel(row) if row else None

    def remember(self, escalation_id: int, channel_id: str, name: str) -> None:
        with self._tx() as s:
            row = s.get(SlackChannelRow, escalation_id)
            if row is None:
                s.add(
                    SlackChannelRow(
                        escalation_id=escalation_id,
                        channel_id=channel_id,
                        name=name,
                        created_at=self._clock(),
                        archived_at=None,
                    )
                )
            else:
                row.channel_id, row.name = channel_id, name

    def mark_archived(self, escalation_id: int, archived: bool) -> None:
        with self._tx() as s:
            row = s.get(SlackChannelRow, escalation_id)
            if row is not None:
                row.archived_at = self._clock() if archived else None

    def remember_opening(self, escalation_id: int, ts: str, version: int) -> None:
        with self._tx() as s:
            row = s.get(SlackChannelRow, escalation_id, with_for_update=True)
            if row is not None:
                row.opening_ts = ts
                row.opening_version = max(row.opening_version or 0, version)

    def opening_shows(self, escalation_id: int, version: int) -> bool:
        with self._tx() as s:
            row = s.get(SlackChannelRow, escalation_id, with_for_update=True)
            if row is None or (row.opening_version or 0) > version:
                return False
            row.opening_version = version
            return True

    # ------------------------------------------------------------------ delivery journal
    def done(self, message_id: int, step: str) -> Mapping[str, Any] | None:
        with self._tx() as s:
            row = s.get(DeliveryStepRow, (message_id, step))
            return dict(row.data) if row is not None and row.finished_at is not None else None

    def begin(self, message_id: int, step: str) -> bool:
        with self._tx() as s:
            if s.get(DeliveryStepRow, (message_id, step)) is not None:
                return True
            s.add(
                DeliveryStepRow(
                    message_id=message_id,
                    step=step,
                    started_at=self._clock(),
                    finished_at=None,
                    data={},
                )
            )
            return False

    def finish(self, message_id: int, step: str, data: Mapping[str, Any]) -> None:
        with self._tx() as s:
            row = s.get(DeliveryStepRow, (message_id, step))
            now = self._clock()
            if row is None:
                row = DeliveryStepRow(message_id=message_id, step=step, started_at=now, data={})
                s.add(row)
            row.finished_at, row.data = now, dict(data)

    # ------------------------------------------------------------------ e-mail threads
    def earlier(self, thread: str, message_id: int) -> list[str]:
        with self._tx() as s:
            return list(
                s.scalars(
                    select(EmailThreadRow.header_id)
                    .where(EmailThreadRow.thread == thread, EmailThreadRow.message_id < message_id)
                    .order_by(EmailThreadRow.message_id)
                )
            )

    def place(self, thread: str, message_id: int, header_id: str) -> None:
        with self._tx() as s:
            if s.get(EmailThreadRow, (thread, message_id)) is None:
                s.add(
                    EmailThreadRow(
                        thread=thread,
                        message_id=message_id,
                        header_id=header_id,
                        placed_at=self._clock(),
                    )
                )

    # ------------------------------------------------------------------ customer addresses
    def is_customer_address(self, address: str) -> bool:
        with self._tx() as s:
            found = s.scalar(
                select(CustomerContactRow.id)
                .where(CustomerContactRow.email == address.strip().lower())
                .limit(1)
            )
            return found is not None

    # ------------------------------------------------------------------ calendar series
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
        with self._tx() as s:
            row = s.get(CalendarSeriesRow, uid, with_for_update=True)
            if row is None:
                row = CalendarSeriesRow(
                    uid=uid,
                    escalation_id=escalation_id,
                    sequence=0,
                    last_message_id=message_id,
                    cadence=dict(cadence),
                    attendees=list(attendees),
                    previous_attendees=[],
                    cancelled=cancelled,
                    updated_at=now,
                )
                s.add(row)
            elif row.last_message_id != message_id:  # a new revision; a retry keeps its number
                row.previous_attendees = list(row.attendees)
                row.sequence += 1
                row.last_message_id = message_id
                row.cadence, row.attendees = dict(cadence), list(attendees)
                row.cancelled, row.updated_at = cancelled, now
            return SeriesRevision(row.sequence, tuple(row.previous_attendees))

    # ------------------------------------------------------------------ webhooks
    def endpoint(self, subscription_id: int) -> WebhookEndpoint | None:
        with self._tx() as s:
            row = s.get(WebhookSubscriptionRow, subscription_id)
            if row is None:
                return None
            return WebhookEndpoint(row.id, row.url, row.secret, row.disabled_at is None)

    def disable(self, subscription_id: int, reason: str, now: datetime) -> None:
        with self._tx() as s:
            row = s.get(WebhookSubscriptionRow, subscription_id)
            if row is not None and row.disabled_at is None:
                row.disabled_at, row.disabled_reason = now, reason

    def log(self, attempt: WebhookAttempt) -> None:
        with self._tx() as s:
            s.add(
                WebhookDeliveryRow(
                    subscription_id=attempt.subscription_id,
                    message_id=attempt.message_id,
                    webhook_id=attempt.webhook_id,
                    event_type=attempt.event_type,
                    attempted_at=attempt.attempted_at,
                    status_code=attempt.status_code,
                    ok=attempt.ok,
                    error=attempt.error,
                    duration_ms=attempt.duration_ms,
                )
            )
