"""A message's first try goes straight to Slack; a later try makes sure it is not posted twice.

Through the real worker, store and a local server speaking the Slack Web API: the claim tells
the transport whether anything of the message can be in Slack already.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

import pytest
from sqlalchemy import Engine, func, select

from escdesk.domain.clock import Audience
from escdesk.notify.transport import OutboundMessage, Receipt
from escdesk.notify.worker import Worker
from escdesk.services.escalation_commands import PostUpdate
from escdesk.store.notify_repository import NotifyStore
from escdesk.store.tables import DeliveryStepRow, OutboxRow
from escdesk.store.uow import SqlUnitOfWork
from tests import factories
from tests.notify.conftest import slack_transport
from tests.notify.slack_server import BOT_USER, SlackServer
from tests.notify.test_worker import Clock


def deliver_all(engine: Engine, transport: object, clock: Clock) -> None:
    Worker(
        uow_factory=lambda: SqlUnitOfWork(engine),
        transports=[transport],  # type: ignore[list-item]
        clock=clock,
        rng=random.Random(3),
    ).run_once()


def update_row(engine: Engine) -> int:
    with SqlUnitOfWork(engine) as uow:
        found = uow.session.scalar(
            select(OutboxRow.id).where(OutboxRow.payload["template"].as_string() == "update")
        )
    assert found is not None
    return found


def steps(engine: Engine, message_id: int) -> int:
    with SqlUnitOfWork(engine) as uow:
        return (
            uow.session.scalar(select(func.count()).where(DeliveryStepRow.message_id == message_id))
            or 0
        )


@pytest.fixture
def opened(
    uow: SqlUnitOfWork, engine: Engine, slack: SlackServer, store: NotifyStore, now: datetime
) -> int:
    """An escalation whose channel, opening post and declaration are delivered."""
    slack.workspace.add_channel("escalated_customers", BOT_USER)
    esc = factories.open_escalation(uow, now=now)
    assert esc.id is not None
    deliver_all(engine, slack_transport(slack, store), Clock(now + timedelta(seconds=1)))
    factories.act(
        uow,
        PostUpdate(esc.id, Audience.INTERNAL, "Logs collected", None),
        now=now + timedelta(minutes=1),
    )
    slack.calls.clear()
    return esc.id


def test_a_first_try_posts_with_one_call_and_writes_no_journal(
    engine: Engine, slack: SlackServer, store: NotifyStore, now: datetime, opened: int
) -> None:
    deliver_all(engine, slack_transport(slack, store), Clock(now + timedelta(minutes=2)))
    # the post, and the pinned opening message brought up to date: no look at the history
    assert slack.calls == ["chat.postMessage", "chat.update"]
    assert steps(engine, update_row(engine)) == 0


class DiesAfterSlackAnswers:
    """A transport whose process dies once Slack has confirmed the post, before the worker can
    record the outcome: the row is left claimed, as a killed worker leaves it."""

    kinds = frozenset({"slack.post"})

    def __init__(self, real: object) -> None:
        self.real = real

    def deliver(self, message: OutboundMessage) -> Receipt:
        self.real.deliver(message)  # type: ignore[attr-defined]
        raise SystemExit("killed")


def test_a_worker_killed_after_slack_answered_is_not_posted_twice_by_the_next(
    engine: Engine, slack: SlackServer, store: NotifyStore, now: datetime, opened: int
) -> None:
    with pytest.raises(SystemExit):
        deliver_all(
            engine,
            DiesAfterSlackAnswers(slack_transport(slack, store)),
            Clock(now + timedelta(minutes=2)),
        )
    assert slack.count("chat.postMessage") == 1
    # The lease runs out; the next worker's claim is not the row's first.
    deliver_all(engine, slack_transport(slack, store), Clock(now + timedelta(minutes=10)))
    assert slack.count("chat.postMessage") == 1, "found in the history by its metadata"
    assert slack.count("conversations.history") == 1
    with SqlUnitOfWork(engine) as uow:
        row = uow.session.get_one(OutboxRow, update_row(engine))
        state, receipt = row.state, dict(row.receipt or {})
    assert state == "delivered"
    posted = [
        m.ts
        for channel in slack.workspace.channels.values()
        for m in channel.messages
        if "Logs collected" in m.text
    ]
    assert posted == [receipt["ts"]]


def test_a_retry_after_a_failure_looks_before_posting(
    engine: Engine, slack: SlackServer, store: NotifyStore, now: datetime, opened: int
) -> None:
    slack.rate_limit("chat.postMessage", retry_after=1)
    deliver_all(engine, slack_transport(slack, store), Clock(now + timedelta(minutes=2)))
    assert slack.count("chat.postMessage") == 1 and slack.count("conversations.history") == 0
    deliver_all(engine, slack_transport(slack, store), Clock(now + timedelta(hours=2)))
    assert slack.count("conversations.history") == 1  # a try that failed may have reached it
    assert slack.count("chat.postMessage") == 2  # the 429, then the post
