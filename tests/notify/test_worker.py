"""The delivery worker on the real store: claims, order per destination, retries, dead letters."""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import pytest
from sqlalchemy import Engine, select

from escdesk.domain.errors import DatabaseUnavailable
from escdesk.domain.messages import MessageKind
from escdesk.notify.transport import DeliveryError, OutboundMessage, Receipt
from escdesk.notify.worker import PeriodicJob, RetryPolicy, Worker
from escdesk.services import outbox as service
from escdesk.services.views import OutboxItem
from escdesk.store.outbox_repository import item_of
from escdesk.store.tables import EventRow, OutboxRow
from escdesk.store.uow import SqlUnitOfWork
from tests import factories

SLACK_KINDS = frozenset(k.value for k in MessageKind if k.transport == "slack")


@dataclass
class Peer:
    """A chat service as the worker meets it: takes messages, or fails as told."""

    kinds: frozenset[str] = SLACK_KINDS
    received: list[OutboundMessage] = field(default_factory=list)
    failure: DeliveryError | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)

    def deliver(self, message: OutboundMessage) -> Receipt:
        if self.failure is not None:
            raise self.failure
        with self.lock:
            self.received.append(message)
        return Receipt({"ts": str(len(self.received))})


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def worker(engine: Engine, peer: Peer, clock: Callable[[], datetime], **kw: object) -> Worker:
    return Worker(
        uow_factory=lambda: SqlUnitOfWork(engine),
        transports=[peer],
        clock=clock,
        rng=random.Random(7),
        **kw,  # type: ignore[arg-type]
    )


def queued(engine: Engine) -> list[OutboxItem]:
    with SqlUnitOfWork(engine) as uow:
        return [item_of(r) for r in uow.session.scalars(select(OutboxRow).order_by(OutboxRow.id))]


def test_every_message_is_delivered_once_and_each_channel_in_the_order_written(
    uow: SqlUnitOfWork, engine: Engine, now: datetime
) -> None:
    for _ in range(3):
        factories.open_escalation(uow, now=now)
    written = queued(engine)
    assert len(written) == 9  # channel, opening message, declaration — for each
    peer = Peer()
    two = [worker(engine, peer, Clock(now + timedelta(seconds=1))) for _ in range(2)]
    threads = [threading.Thread(target=w.run_once) for w in two]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(m.id for m in peer.received) == [r.id for r in written]
    for destination in {r.destination for r in written}:
        ids = [m.id for m in peer.received if m.destination == destination]
        assert ids == sorted(ids), f"{destination} out of order"
    assert {r.state for r in queued(engine)} == {"delivered"}


def test_a_failing_peer_delays_messages_with_backoff_and_never_loses_them(
    uow: SqlUnitOfWork, engine: Engine, now: datetime
) -> None:
    factories.open_escalation(uow, now=now)
    peer, clock = Peer(failure=DeliveryError("HTTP 500", permanent=False)), Clock(now)
    w = worker(engine, peer, clock)
    assert w.run_once() == 2  # the first of each destination tries; the rest wait in line
    rows = queued(engine)
    assert [r.state for r in rows] == ["failed", "pending", "failed"]
    first_retry = rows[0].next_attempt_at
    assert first_retry is not None and now < first_retry <= now + timedelta(seconds=10)
    assert w.run_once() == 0, "nothing is tried again before its time"
    peer.failure = None
    clock.now = now + timedelta(minutes=1)
    w.run_once()
    assert [r.state for r in queued(engine)] == ["delivered"] * 3
    channel = [
        m.payload.get("template") for m in peer.received if m.destination != "#escalated_customers"
    ]
    assert channel == [None, "opening"], "the channel is created before its first post"


def test_a_permanent_failure_is_a_dead_letter_that_a_manager_can_send_again(
    uow: SqlUnitOfWork, engine: Engine, now: datetime
) -> None:
    esc = factories.open_escalation(uow, now=now)
    manager = factories.add_person(uow, "manager", now=now)
    peer = Peer(failure=DeliveryError("invalid_auth", permanent=True))
    w = worker(engine, peer, Clock(now))
    w.run_once()
    dead = [r for r in queued(engine) if r.state == "dead"]
    assert dead and dead[0].last_error == "invalid_auth"
    listed = factories.ask(uow, service.list_outbox, service.ListOutbox.parse(state="dead"))
    assert [i.id for i in listed.items] == [r.id for r in reversed(dead)]
    factories.act(
        uow,
        service.RetryMessage(dead[0].id),
        now=now,
        by=manager.email,
        handler=service.retry_message,
    )
    assert next(r for r in queued(engine) if r.id == dead[0].id).state == "pending"
    with SqlUnitOfWork(engine) as check:
        types = check.session.scalars(
            select(EventRow.type).where(EventRow.subject_id == esc.id)
        ).all()
    assert "delivery_retried" in types


def test_only_managers_see_the_outbox_and_retry(uow: SqlUnitOfWork, now: datetime) -> None:
    support = factories.add_person(uow, "support", now=now)
    with pytest.raises(Exception, match="may not manage delivery"):
        factories.act(
            uow,
            service.RetryMessage(1),
            now=now,
            by=support.email,
            handler=service.retry_message,
        )


def test_a_message_past_the_attempt_limit_is_dead(
    uow: SqlUnitOfWork, engine: Engine, now: datetime
) -> None:
    factories.open_escalation(uow, now=now)
    peer, clock = Peer(failure=DeliveryError("timeout", permanent=False)), Clock(now)
    w = worker(engine, peer, clock, retry=RetryPolicy(max_attempts=2))
    w.run_once()
    clock.now += timedelta(hours=2)
    w.run_once()
    first = queued(engine)[0]
    assert first.state == "dead" and first.attempts == 2


def test_a_claim_left_by_a_killed_worker_is_taken_again_after_the_lease(
    uow: SqlUnitOfWork, engine: Engine, now: datetime
) -> None:
    factories.open_escalation(uow, now=now)
    first = queued(engine)[0]
    with SqlUnitOfWork(engine) as held:  # a worker claimed it, then died before sending
        assert held.outbox.claim(first.id, "dead-worker", now, timedelta(minutes=5))
        held.commit()
    peer, clock = Peer(), Clock(now + timedelta(minutes=1))
    w = worker(engine, peer, clock)
    w.run_once()
    held = [m for m in peer.received if m.destination == first.destination]
    assert held == [], "the channel's first message is held, so nothing overtakes it"
    clock.now = now + timedelta(minutes=6)
    w.run_once()
    assert [m.id for m in peer.received if m.destination == first.destination][0] == first.id
    assert {r.state for r in queued(engine)} == {"delivered"}


def test_a_delivery_the_database_interrupted_is_taken_back_by_its_worker_at_once(
    uow: SqlUnitOfWork, engine: Engine, now: datetime
) -> None:
    factories.open_escalation(uow, now=now)
    first = queued(engine)[0]
    down, interrupted = threading.Event(), []

    def store() -> SqlUnitOfWork:
        if down.is_set():
            raise DatabaseUnavailable("the test database", "connection refused")
        return SqlUnitOfWork(engine)

    class Interrupted(Peer):
        def deliver(self, message: OutboundMessage) -> Receipt:
            if message.id == first.id and not interrupted:
                interrupted.append(message.id)
                down.set()  # the database goes away with this delivery in hand
                raise DatabaseUnavailable("the test database", "connection refused")
            return super().deliver(message)

    peer, clock = Interrupted(), Clock(now + timedelta(seconds=1))
    w = Worker(uow_factory=store, transports=[peer], clock=clock, rng=random.Random(7))
    with pytest.raises(DatabaseUnavailable):
        w.run_once()
    assert queued(engine)[0].state == "pending"  # still claimed by w, lease 5 minutes
    down.clear()  # the database is back, a second later: the lease has not run out
    clock.now = now + timedelta(seconds=2)
    w.run_once()
    assert [m.id for m in peer.received if m.destination == first.destination][0] == first.id
    assert {r.state for r in queued(engine)} == {"delivered"}


def test_kinds_without_a_configured_transport_wait(
    uow: SqlUnitOfWork, engine: Engine, now: datetime
) -> None:
    factories.open_escalation(uow, now=now)
    peer = Peer(kinds=frozenset({MessageKind.CUSTOMER_EMAIL.value}))
    assert worker(engine, peer, Clock(now)).run_once() == 0
    assert {r.state for r in queued(engine)} == {"pending"}


def test_a_long_periodic_pass_never_holds_up_a_message_that_is_due(
    uow: SqlUnitOfWork, engine: Engine, now: datetime
) -> None:
    """The scheduler's pass runs beside delivery: while it is stuck, messages still go out."""
    pass_started, release = threading.Event(), threading.Event()

    def stuck_pass(_: datetime) -> None:
        pass_started.set()
        release.wait(timeout=30)

    peer = Peer()
    running = worker(
        engine, peer, Clock(now + timedelta(seconds=1)),
        periodic=[PeriodicJob("scheduler", timedelta(minutes=1), stuck_pass)], poll=0.05,
    )  # fmt: skip
    thread = threading.Thread(target=running.run)
    thread.start()
    try:
        assert pass_started.wait(timeout=10)
        factories.open_escalation(uow, now=now)  # three messages, written while the pass hangs
        deadline = time.monotonic() + 10
        while len(peer.received) < 3 and time.monotonic() < deadline:
            time.sleep(0.02)
        assert len(peer.received) == 3 and not release.is_set()
    finally:
        release.set()
        running.stopping.set()
        thread.join(timeout=10)
    assert not thread.is_alive(), "the worker stops once the pass in hand is done"


def test_a_pass_the_database_cannot_take_says_so_in_one_line_and_runs_again(
    engine: Engine, now: datetime, caplog: pytest.LogCaptureFixture
) -> None:
    calls: list[datetime] = []

    def unreachable(moment: datetime) -> None:
        calls.append(moment)
        raise DatabaseUnavailable("postgresql://db/desk", "connection refused")

    clock = Clock(now)
    job = PeriodicJob("scheduler", timedelta(minutes=1), unreachable)
    running = worker(engine, Peer(), clock, periodic=[job])
    with caplog.at_level(logging.WARNING, logger="escdesk.worker"):
        running.run_periodic()
    clock.now = now + timedelta(minutes=2)
    running.run_periodic()
    assert calls == [now, now + timedelta(minutes=2)]  # tried again at its next turn
    [line, *_] = [r for r in caplog.records if "scheduler" in r.getMessage()]
    assert (
        "waits for the database" in line.getMessage() and "connection refused" in line.getMessage()
    )
    assert line.exc_info is None  # an outage is no bug: no traceback
