"""Two `escdesk worker` processes on one PostgreSQL, many messages, one Slack workspace: every
message is delivered exactly once, each channel in the order written, and both workers work."""

from __future__ import annotations

import signal
import subprocess
import time
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from escdesk.domain.clock import Audience
from escdesk.services.escalation_commands import PostUpdate
from escdesk.store.tables import OutboxRow, WorkerHeartbeatRow
from escdesk.store.uow import SqlUnitOfWork
from tests import factories
from tests.notify.slack_server import SlackServer
from tests.ops.processes import start_worker, wait_for

ESCALATIONS = 20
UPDATES = 3


def open_rows(engine: Engine) -> int:
    with engine.connect() as connection:
        query = select(func.count()).where(OutboxRow.state.in_(("pending", "failed")))
        return int(connection.scalar(query.select_from(OutboxRow)) or 0)


def settled(engine: Engine) -> bool:
    """Nothing open, twice in a row (the workers' scheduler may still queue a reminder)."""
    if open_rows(engine):
        return False
    time.sleep(1)
    return open_rows(engine) == 0


def stop(workers: list[subprocess.Popen[str]]) -> list[str]:
    for worker in workers:
        if worker.poll() is None:
            worker.send_signal(signal.SIGTERM)
    outputs = []
    for worker in workers:
        try:
            outputs.append(worker.communicate(timeout=60)[0])
        except subprocess.TimeoutExpired:
            worker.kill()
            outputs.append(worker.communicate()[0])
    return outputs


def test_two_workers_on_postgresql_deliver_every_message_exactly_once_in_order(
    database_url: str,
    engine: Engine,
    uow: SqlUnitOfWork,
    now: datetime,
    slack: SlackServer,
    tmp_path: Path,
) -> None:
    if database_url.startswith("sqlite"):
        pytest.skip("several workers need PostgreSQL (on SQLite run one)")
    slack.delay = 0.01  # a peer that takes a moment, so the two workers overlap
    workers = [start_worker(tmp_path, database_url, slack.url) for _ in range(2)]
    try:
        count_workers = select(func.count()).select_from(WorkerHeartbeatRow)
        with engine.connect() as connection:
            wait_for(lambda: connection.scalar(count_workers) == 2, 90, "both workers' heartbeats")
        channels: dict[str, list[str]] = {}
        for n in range(ESCALATIONS):
            esc = factories.open_escalation(uow, now=now, summary=f"Pipelines stall {n}")
            assert esc.id is not None
            bodies = [f"escalation {n}, update {u}" for u in range(UPDATES)]
            for u, body in enumerate(bodies):
                at = now + timedelta(minutes=u + 1)
                factories.act(uow, PostUpdate(esc.id, Audience.INTERNAL, body), now=at)
            channels[esc.channel.lstrip("#")] = bodies
        wait_for(lambda: settled(engine), 180, "every message to be delivered")
    finally:
        outputs = stop(workers)
    assert [w.returncode for w in workers] == [0, 0], outputs
    with engine.connect() as connection:
        rows = connection.execute(select(OutboxRow.kind, OutboxRow.state, OutboxRow.claimed_by))
        rows_seen = list(rows)
    assert {state for _, state, _ in rows_seen} == {"delivered"}
    kinds = Counter(kind for kind, _, _ in rows_seen)
    by_worker = Counter(claimed_by for _, _, claimed_by in rows_seen)
    assert len(by_worker) == 2, f"one worker did everything: {by_worker}"
    # Exactly once: Slack holds one channel per escalation and one message per post row (a
    # failed attempt, retried, leaves nothing behind), and no channel holds a text twice.
    created = [c for c in slack.workspace.channels.values() if c.name.startswith("esc_")]
    assert len(created) == kinds["slack.create_channel"] == ESCALATIONS
    posts = kinds["slack.post"] + kinds["slack.announce"]
    assert sum(len(c.messages) for c in slack.workspace.channels.values()) == posts
    shared = slack.workspace.by_name("escalated_customers")
    assert shared is not None and len({m.text for m in shared.messages}) == ESCALATIONS
    for name, bodies in channels.items():
        channel = slack.workspace.by_name(name)
        assert channel is not None, name
        texts = [m.text for m in channel.messages]
        assert len(texts) == len(set(texts)), f"#{name} got a message twice"
        updates = [t for t in texts if any(b in t for b in bodies)]
        assert [next(b for b in bodies if b in t) for t in updates] == bodies, name
