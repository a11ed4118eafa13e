"""SIGTERM to a real `escdesk worker` in the middle of a slow delivery: the delivery in hand is
finished and recorded, nothing else is claimed, the heartbeat is removed, and it exits 0."""

from __future__ import annotations

import signal
from datetime import datetime
from pathlib import Path

from sqlalchemy import Engine, select

from escdesk.store.tables import OutboxRow, WorkerHeartbeatRow
from escdesk.store.uow import SqlUnitOfWork
from tests import factories
from tests.notify.slack_server import SlackServer
from tests.ops.processes import start_worker, wait_for


def rows(engine: Engine) -> list[tuple[int, str, object]]:
    with engine.connect() as connection:
        query = select(OutboxRow.id, OutboxRow.state, OutboxRow.claimed_at).order_by(OutboxRow.id)
        return [(r.id, r.state, r.claimed_at) for r in connection.execute(query)]


def test_sigterm_during_a_slow_delivery_finishes_it_and_exits_zero(
    database_url: str,
    engine: Engine,
    uow: SqlUnitOfWork,
    now: datetime,
    slack: SlackServer,
    tmp_path: Path,
) -> None:
    factories.open_escalation(uow, now=now)
    queued = rows(engine)
    assert len(queued) >= 3
    slack.delay = 1.0  # every Web API call takes a second
    worker = start_worker(tmp_path, database_url, slack.url)
    try:
        wait_for(lambda: len(slack.calls) >= 1, 60, "the worker's first call to Slack")
        with engine.connect() as connection:
            assert connection.scalar(select(WorkerHeartbeatRow.name)) is not None
        worker.send_signal(signal.SIGTERM)  # while that call is still being answered
        output, _ = worker.communicate(timeout=60)
    finally:
        if worker.poll() is None:
            worker.kill()
    assert worker.returncode == 0, output
    after = rows(engine)
    first_id, first_state, first_claim = after[0]
    assert first_id == queued[0][0] and first_state == "delivered" and first_claim is None
    assert all(claim is None for _, _, claim in after), "a claim was left behind"
    assert [state for _, state, _ in after[1:]] == ["pending"] * (len(after) - 1)
    with engine.connect() as connection:
        assert connection.scalar(select(WorkerHeartbeatRow.name)) is None
    assert "stopped" in output
