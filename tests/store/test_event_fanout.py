"""Audit events reach webhook subscribers as outbox rows of the same transaction, and the worker
delivers them signed; an event type missing from the registry is refused at the store."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import random
from datetime import datetime, timedelta

import pytest
from sqlalchemy import Engine, select

from escdesk.domain.clock import Audience
from escdesk.domain.errors import Conflict
from escdesk.domain.severity import Severity
from escdesk.notify.webhooks import WebhookTransport
from escdesk.notify.worker import Worker
from escdesk.services.escalation_commands import ChangeSeverity, PostUpdate
from escdesk.store.notify_repository import NotifyStore
from escdesk.store.tables import EventRow, OutboxRow
from escdesk.store.uow import SqlUnitOfWork
from tests import factories
from tests.notify.builders import subscribe
from tests.notify.webhook_receiver import WebhookReceiver


def webhook_rows(engine: Engine) -> list[OutboxRow]:
    with engine.connect() as connection:
        query = select(OutboxRow).where(OutboxRow.kind == "webhook").order_by(OutboxRow.id)
        return list(connection.execute(query).all())  # type: ignore[arg-type]


def test_each_change_writes_one_row_per_subscription_that_wants_its_event(
    engine: Engine, uow: SqlUnitOfWork, now: datetime
) -> None:
    everything, _ = subscribe(uow, now, "https://hooks.example.com/all")
    severity_only, _ = subscribe(
        uow, now, "https://hooks.example.com/sev", "escalation.severity_changed"
    )
    esc = factories.open_escalation(uow, now=now)
    later = now + timedelta(minutes=5)
    factories.act(uow, ChangeSeverity(esc.id, Severity.HIGH, "two more teams", None), now=later)
    rows = webhook_rows(engine)
    by_destination: dict[str, list[str]] = {}
    for row in rows:
        by_destination.setdefault(row.destination, []).append(row.payload["type"])
    # Raising the severity to high also hands the escalation to the account's CSM (R-ESC-2).
    assert by_destination[str(everything)] == [
        "escalation.opened",
        "escalation.severity_changed",
        "escalation.owner_changed",
    ]
    assert by_destination[str(severity_only)] == ["escalation.severity_changed"]
    change = next(r for r in rows if r.destination == str(severity_only))
    assert change.payload["data"]["escalation_id"] == esc.id
    assert (change.payload["data"]["from"], change.payload["data"]["to"]) == ("medium", "high")
    assert change.subject_type == "escalation" and change.subject_id == esc.id
    assert len({r.idempotency_key for r in rows}) == len(rows)


def test_a_refused_change_writes_no_webhook_row(
    engine: Engine, uow: SqlUnitOfWork, now: datetime
) -> None:
    subscribe(uow, now, "https://hooks.example.com/all")
    esc = factories.open_escalation(uow, now=now)
    before = len(webhook_rows(engine))
    stale = PostUpdate(esc.id, Audience.INTERNAL, "hello", version=esc.version - 1)
    with pytest.raises(Conflict):
        factories.act(uow, stale, now=now + timedelta(minutes=1))
    assert len(webhook_rows(engine)) == before


def test_no_subscription_no_rows(engine: Engine, uow: SqlUnitOfWork, now: datetime) -> None:
    factories.open_escalation(uow, now=now)
    assert webhook_rows(engine) == []


def test_an_unregistered_event_type_is_refused_and_nothing_is_written(
    engine: Engine, uow: SqlUnitOfWork, now: datetime
) -> None:
    with uow, pytest.raises(LookupError, match="EVENT_TYPES"):
        uow.session.add(
            EventRow(
                subject="escalation", subject_id=1, type="teleported", occurred_at=now, data={}
            )
        )
        uow.commit()
    with engine.connect() as connection:
        assert connection.execute(select(EventRow).where(EventRow.type == "teleported")).all() == []


def test_the_worker_delivers_the_events_signed_to_the_receiver(
    engine: Engine, uow: SqlUnitOfWork, now: datetime, receiver: WebhookReceiver
) -> None:
    subscription_id, secret = subscribe(uow, now, receiver.url)
    esc = factories.open_escalation(uow, now=now)
    factories.act(uow, PostUpdate(esc.id, Audience.INTERNAL, "on it", None), now=now)
    worker = Worker(
        uow_factory=lambda: SqlUnitOfWork(engine),
        transports=[WebhookTransport(NotifyStore(engine, clock=lambda: now), clock=lambda: now)],
        clock=lambda: now,
        rng=random.Random(1),
    )
    worker.run_once()
    key = base64.b64decode(secret.removeprefix("whsec_"))
    types = []
    for request in receiver.requests:
        wid, stamp = request.headers["webhook-id"], request.headers["webhook-timestamp"]
        signed = f"{wid}.{stamp}.".encode() + request.body
        expected = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
        assert request.headers["webhook-signature"] == f"v1,{expected}"
        types.append(json.loads(request.body)["type"])
    assert types == ["escalation.opened", "escalation.activated", "escalation.update_posted"]
    with uow:
        assert len(uow.webhooks.deliveries(subscription_id, 10)) == 3
