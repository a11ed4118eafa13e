"""What operations read and write beside the desk's own data: workers' heartbeats and the
outbox's backlog, for `/readyz` and `/metrics`.

These are plain short transactions on the engine, not a unit of work: a heartbeat or a scrape
is not a use case, and must never hold a lock a change is waiting for.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine, func, select, update
from sqlalchemy.orm import Session

from escdesk.domain.messages import DeliveryState
from escdesk.store.outbox_repository import OPEN
from escdesk.store.tables import OutboxRow, WorkerHeartbeatRow


@dataclass(frozen=True)
class Backlog:
    """One message kind's queue: open (pending or failing) messages, the oldest one's
    creation, and dead letters."""

    kind: str
    open: int
    oldest_open: datetime | None
    dead: int


def beat(engine: Engine, worker: str, started_at: datetime, now: datetime) -> None:
    """Record that `worker` is alive at `now` (an UPDATE, then an INSERT the first time)."""
    with Session(engine) as session, session.begin():
        changed = session.execute(
            update(WorkerHeartbeatRow)
            .where(WorkerHeartbeatRow.name == worker)
            .values(beat_at=now)
            .execution_options(synchronize_session=False)
        )
        if changed.rowcount == 0:  # type: ignore[attr-defined]
            session.add(WorkerHeartbeatRow(name=worker, started_at=started_at, beat_at=now))


def latest_beat(engine: Engine) -> datetime | None:
    """The most recent heartbeat of any worker; None when no worker ever ran here."""
    with Session(engine) as session:
        return session.scalar(select(func.max(WorkerHeartbeatRow.beat_at)))


def forget_worker(engine: Engine, worker: str) -> None:
    """A worker that stops cleanly takes its row away, so it is not counted as alive."""
    with Session(engine) as session, session.begin():
        row = session.get(WorkerHeartbeatRow, worker)
        if row is not None:
            session.delete(row)


def backlog(engine: Engine) -> list[Backlog]:
    """Per kind: open messages, the oldest open one, and dead letters (one grouped query)."""
    is_open = OutboxRow.state.in_(OPEN)
    is_dead = OutboxRow.state == DeliveryState.DEAD.value
    query = (
        select(
            OutboxRow.kind,
            func.count(OutboxRow.id).filter(is_open),
            func.min(OutboxRow.created_at).filter(is_open),
            func.count(OutboxRow.id).filter(is_dead),
        )
        .where(OutboxRow.state.in_((*OPEN, DeliveryState.DEAD.value)))
        .group_by(OutboxRow.kind)
        .order_by(OutboxRow.kind)
    )
    with Session(engine) as session:
        return [
            Backlog(str(kind), int(n_open), oldest, int(n_dead))
            for kind, n_open, oldest, n_dead in session.execute(query)
        ]


@dataclass(frozen=True)
class DatabaseHeartbeats:
    """The worker's heartbeats, in the `worker_heartbeats` table of its own database."""

    engine: Engine

    def beat(self, worker: str, started_at: datetime, now: datetime) -> None:
        beat(self.engine, worker, started_at, now)

    def gone(self, worker: str) -> None:
        forget_worker(self.engine, worker)
