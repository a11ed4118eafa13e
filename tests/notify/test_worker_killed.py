"""A real `escdesk worker` process killed with SIGKILL in the middle of a Slack post, then
replaced: every message arrives, none twice, each channel in the order the changes were made.

The local Slack records each post and only then waits before answering, so the kill lands
after Slack has the message and before the worker could mark it delivered — the worst moment.
"""

from __future__ import annotations

import signal
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import Engine, func, select

from escdesk.domain.clock import Audience
from escdesk.services.escalation_commands import PostUpdate
from escdesk.store.tables import OutboxRow
from escdesk.store.uow import SqlUnitOfWork
from tests import factories
from tests.notify.slack_server import SlackServer
from tests.ops.processes import start_worker, wait_for


@contextmanager
def worker_process(
    tmp: Path, database_url: str, slack: SlackServer
) -> Iterator[subprocess.Popen[str]]:
    """A real worker with a short lease, so a killed one's claim is soon taken over."""
    process = start_worker(tmp, database_url, slack.url, worker_lease_seconds="2")
    try:
        yield process
    finally:
        if process.poll() is None:
            process.terminate()
            process.wait(timeout=30)


def outbox(engine: Engine) -> str:
    """What the outbox holds that is not delivered, for the failure message."""
    with engine.connect() as connection:
        rows = connection.execute(
            select(OutboxRow.id, OutboxRow.kind, OutboxRow.state, OutboxRow.attempts,
                   OutboxRow.claimed_by, OutboxRow.last_error)
            .where(OutboxRow.delivered_at.is_(None))
            .order_by(OutboxRow.id)
        ).all()  # fmt: skip
    return "".join(f"\n  {tuple(row)}" for row in rows)


def undelivered(engine: Engine, escalation_ids: list[int]) -> int:
    with engine.connect() as connection:
        return int(
            connection.scalar(
                select(func.count()).where(
                    OutboxRow.escalation_id.in_(escalation_ids), OutboxRow.delivered_at.is_(None)
                )
            )
            or 0
        )


def test_a_worker_killed_mid_post_is_replaced_and_nothing_is_lost_or_posted_twice(
    database_url: str,
    engine: Engine,
    uow: SqlUnitOfWork,
    now: datetime,
    slack: SlackServer,
    tmp_path: Path,
) -> None:
    slack.workspace.add_channel("escalated_customers")
    escalations = [factories.open_escalation(uow, now=now) for _ in range(2)]
    ids = [e.id for e in escalations if e.id is not None]
    expected: dict[int, list[str]] = {key: [] for key in ids}
    for number in range(8):
        key = ids[number % 2]
        body = f"update {number} of ESC-{key}"
        at = now + timedelta(minutes=number + 1)
        factories.act(uow, PostUpdate(key, Audience.INTERNAL, body, None), now=at)
        expected[key].append(body)
    slack.answer_after["chat.postMessage"] = 1.0

    with worker_process(tmp_path, database_url, slack) as first:
        wait_for(lambda: slack.count("chat.postMessage") >= 4, 60, "the first worker's posts")
        posts = slack.count("chat.postMessage")
        wait_for(lambda: slack.count("chat.postMessage") > posts, 60, "a post in flight")
        first.send_signal(signal.SIGKILL)  # Slack has the post; the worker never hears back
        first.wait(timeout=10)
    assert undelivered(engine, ids) > 0, "the kill came too late to test anything"

    slack.answer_after["chat.postMessage"] = 0.0
    with worker_process(tmp_path, database_url, slack):
        try:
            wait_for(lambda: undelivered(engine, ids) == 0, 60, "every message delivered")
        except AssertionError as waited:
            raise AssertionError(f"{waited}; still in the outbox:{outbox(engine)}") from None

    with slack.workspace.lock:
        channels = list(slack.workspace.channels.values())
    seen: dict[str, int] = {}
    for key, bodies in expected.items():
        [channel] = [c for c in channels if any(bodies[0] in m.text for m in c.messages)]
        posted = [b for m in channel.messages for b in bodies if b in m.text]
        assert posted == bodies, f"ESC-{key}: each update once, in the order it was made"
        for body in posted:
            seen[body] = seen.get(body, 0) + 1
    assert all(count == 1 for count in seen.values())
    with engine.connect() as connection:  # the scheduler's reminders reached the channels too
        dead = connection.scalar(select(func.count()).where(OutboxRow.state == "dead"))
    assert dead == 0, outbox(engine)
