"""`escdesk worker`: delivers the outbox (R-OPS-3) and runs the periodic passes.

Nothing is sent inside a request; every notification waits in the outbox, written in the
transaction of the change that caused it, until a worker claims it, hands it to the transport
its kind names, and records what the peer said. A failure that may pass is retried with
exponential backoff and jitter; a permanent one, or one past the attempt limit, becomes a dead
letter that a person can see and retry. An outage of a chat service therefore delays messages
and never loses them or blocks the change that caused them.

Each claim, and each outcome, is its own short transaction, so a worker killed mid-delivery
leaves a claim that expires after the lease and the row is delivered by the next worker. A
database that becomes unavailable is waited out (with growing pauses) rather than fatal.
"""

from __future__ import annotations

import logging
import random
import socket
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Protocol

from escdesk.domain.errors import DatabaseUnavailable
from escdesk.notify.metrics import DELIVERIES, DELIVERY_SECONDS, PASS_SECONDS, transport_of
from escdesk.notify.transport import DeliveryError, OutboundMessage, Transport
from escdesk.services.request_context import bind_request_id, release_request_id
from escdesk.services.views import OutboxItem
from escdesk.store.uow import SqlUnitOfWork

log = logging.getLogger("escdesk.worker")

OUTAGE_PAUSE_MAX = 30.0
"""Longest wait between tries while the database is unavailable (seconds); a restarted
database is picked up again within this, with no manual step."""


@dataclass(frozen=True)
class RetryPolicy:
    """Exponential backoff with full jitter, capped; after `max_attempts` a message is dead."""

    max_attempts: int = 8
    base: timedelta = timedelta(seconds=10)
    cap: timedelta = timedelta(hours=1)

    def next_attempt(
        self, attempts: int, now: datetime, retry_after: float | None, rng: random.Random
    ) -> datetime | None:
        """When to try again after `attempts` failed tries; None when it is time to give up."""
        if attempts >= self.max_attempts:
            return None
        ceiling = min(self.cap.total_seconds(), self.base.total_seconds() * 2 ** (attempts - 1))
        wait = rng.uniform(ceiling / 2, ceiling)
        if retry_after is not None:  # the peer said how long (Slack's 429 Retry-After)
            wait = max(wait, retry_after)
        return now + timedelta(seconds=wait)


@dataclass
class PeriodicJob:
    """A pass the worker runs every `every` (the scheduler's reminders, tracker sync)."""

    name: str
    every: timedelta
    run: Callable[[datetime], object]
    last: datetime | None = None


class Heartbeats(Protocol):
    """Where a worker says it is alive (each poll) and that it stopped (`/readyz` reads it)."""

    def beat(self, worker: str, started_at: datetime, now: datetime) -> None: ...

    def gone(self, worker: str) -> None: ...


@dataclass
class Worker:
    uow_factory: Callable[[], SqlUnitOfWork]
    transports: Iterable[Transport]
    clock: Callable[[], datetime]
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    lease: timedelta = timedelta(minutes=5)
    batch: int = 50
    poll: float = 1.0
    periodic: list[PeriodicJob] = field(default_factory=list)
    name: str = field(default_factory=lambda: f"{socket.gethostname()}:{uuid.uuid4().hex[:8]}")
    rng: random.Random = field(default_factory=random.Random)
    stopping: threading.Event = field(default_factory=threading.Event)
    heartbeats: Heartbeats | None = None
    heartbeat_every: timedelta = timedelta(seconds=5)

    def __post_init__(self) -> None:
        self._by_kind: Mapping[str, Transport] = {
            kind: transport for transport in self.transports for kind in transport.kinds
        }
        self._started = self.clock()
        self._last_beat: datetime | None = None

    @property
    def kinds(self) -> frozenset[str]:
        """What this worker can deliver; messages of other kinds wait for a configured one."""
        return frozenset(self._by_kind)

    # ------------------------------------------------------------------ delivery
    def run_once(self) -> int:
        """The periodic passes that are due, then deliver what is due now until nothing is;
        the number of delivery attempts."""
        self.run_periodic()
        return self._deliver_due()

    def run(self) -> None:
        """Until stopped (SIGTERM sets `stopping`): the delivery in hand is always finished.
        Periodic passes run on a thread of their own, so a long scheduler pass never holds up
        a message that is due."""
        log.info("worker %s delivering %s", self.name, ", ".join(sorted(self.kinds)) or "nothing")
        passes = threading.Thread(target=self._periodic_loop, name=f"{self.name} passes")
        passes.start()
        outage = 0  # consecutive tries the database could not take
        try:
            while not self.stopping.is_set():
                try:
                    delivered = self._deliver_due()
                except DatabaseUnavailable as down:
                    outage += 1
                    pause = min(self.poll * 2**outage, OUTAGE_PAUSE_MAX)
                    log.warning("worker %s waits %.0f s: %s", self.name, pause, down.message)
                    self.stopping.wait(pause)
                    continue
                if outage:
                    log.info("worker %s reaches the database again", self.name)
                    outage = 0
                if delivered == 0:
                    self.stopping.wait(self.poll)
        finally:
            self.stopping.set()
            passes.join()
            if self.heartbeats is not None:
                try:
                    self.heartbeats.gone(self.name)
                except Exception:  # the database may be the reason we stop
                    log.warning("worker %s could not remove its heartbeat", self.name)
        log.info("worker %s stopped", self.name)

    def _periodic_loop(self) -> None:
        while not self.stopping.is_set():
            self.run_periodic()
            self.stopping.wait(self.poll)

    def _deliver_due(self) -> int:
        attempts = 0
        while not self.stopping.is_set():
            self.beat()  # a long backlog is no silence
            tried = self._deliver_batch()
            if not tried:
                return attempts
            attempts += tried
        return attempts

    def beat(self) -> None:
        """Tell `/readyz` this worker is alive, at most every `heartbeat_every`; a database
        that cannot take the beat is logged, and delivery goes on trying."""
        now = self.clock()
        if self.heartbeats is None or (
            self._last_beat is not None and now - self._last_beat < self.heartbeat_every
        ):
            return
        try:
            self.heartbeats.beat(self.name, self._started, now)
            self._last_beat = now
        except Exception as exc:
            log.warning("worker %s could not record its heartbeat: %s", self.name, exc)

    def _deliver_batch(self) -> int:
        if not self.kinds:
            return 0
        now = self.clock()
        with self.uow_factory() as uow:
            candidates = uow.outbox.due(now, self.lease, self.kinds, self.batch, self.name)
        tried = 0
        for row_id in candidates:
            if self.stopping.is_set():
                break
            item = self._claim(row_id)
            if item is None:
                continue  # another worker was first, or an earlier row of its channel is due
            self._deliver(item)
            tried += 1
        return tried

    def _claim(self, row_id: int) -> OutboxItem | None:
        now = self.clock()
        with self.uow_factory() as uow:
            item = uow.outbox.claim(row_id, self.name, now, self.lease)
            uow.commit()
        return item

    def _deliver(self, item: OutboxItem) -> None:
        # The log lines of this delivery carry the id of the request that queued it.
        token = bind_request_id(item.request_id)
        started = time.monotonic()
        try:
            outcome = self._attempt(item)
        finally:
            release_request_id(token)
        name = transport_of(item.kind)
        DELIVERY_SECONDS.labels(name).observe(time.monotonic() - started)
        DELIVERIES.labels(name, outcome).inc()

    def _attempt(self, item: OutboxItem) -> str:
        """Hand the message to its transport; what it ended in: delivered, failed or dead."""
        transport = self._by_kind[item.kind]
        message = OutboundMessage(
            id=item.id,
            kind=item.kind,
            destination=item.destination,
            payload=item.payload,
            idempotency_key=item.idempotency_key,
            subject_type=item.subject_type,
            subject_id=item.subject_id,
            attempts=item.attempts,
            escalation_id=item.escalation_id,
            first_try=item.first_try,
        )
        try:
            receipt = transport.deliver(message)
        except DeliveryError as failure:
            return self._failed(item, failure.reason, failure.permanent, failure.retry_after)
        except Exception as bug:  # a transport's own bug must not stop delivery of the rest
            log.exception("transport for %s failed on message %s", item.kind, item.id)
            return self._failed(item, f"{type(bug).__name__}: {bug}", False, None)
        with self.uow_factory() as uow:
            uow.outbox.delivered(item.id, self.name, dict(receipt.data), self.clock())
            uow.commit()
        log.info("delivered message %s (%s to %s)", item.id, item.kind, item.destination)
        return "delivered"

    def _failed(
        self, item: OutboxItem, reason: str, permanent: bool, retry_after: float | None
    ) -> str:
        now = self.clock()
        attempts = item.attempts + 1
        retry_at = (
            None if permanent else self.retry.next_attempt(attempts, now, retry_after, self.rng)
        )
        with self.uow_factory() as uow:
            uow.outbox.failed(item.id, self.name, reason, retry_at, now)
            uow.commit()
        if retry_at is None:
            log.warning("message %s is dead after %s attempts: %s", item.id, attempts, reason)
            return "dead"
        log.info("message %s failed (%s); next try %s", item.id, reason, retry_at.isoformat())
        return "failed"

    # ------------------------------------------------------------------ periodic passes
    def run_periodic(self) -> None:
        now = self.clock()
        for job in self.periodic:
            if job.last is not None and now - job.last < job.every:
                continue
            started = time.monotonic()
            try:
                job.run(now)
            except DatabaseUnavailable as down:  # an outage, not a bug: one line, no traceback
                log.warning("periodic job %s waits for the database: %s", job.name, down.message)
            except Exception:
                log.exception("periodic job %s failed; it runs again next time", job.name)
            job.last = now
            took = time.monotonic() - started
            PASS_SECONDS.labels(job.name).observe(took)
            log.debug("periodic job %s took %.3f s", job.name, took)
