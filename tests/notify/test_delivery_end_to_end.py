"""Escalations reach a Slack workspace through the outbox and the worker, outage or not.

The local server speaks the Web API methods escdesk uses; here it answers 500 for a stretch,
then refuses connections, while escalations keep changing. When it is back, every message
arrives exactly once, each channel in the order the changes were made, and no change waited.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from sqlalchemy import Engine

from escdesk.domain.clock import Audience
from escdesk.notify.worker import Worker
from escdesk.services.escalation_commands import PostUpdate
from escdesk.store.notify_repository import NotifyStore
from escdesk.store.uow import SqlUnitOfWork
from tests import factories
from tests.notify.conftest import slack_transport
from tests.notify.slack_server import SlackServer
from tests.notify.test_worker import Clock, queued


def worker_for(engine: Engine, slack: SlackServer, clock: Clock) -> Worker:
    if slack.workspace.by_name("escalated_customers") is None:  # the team made it, once
        slack.workspace.add_channel("escalated_customers")
    transport = slack_transport(slack, NotifyStore(engine, clock=clock))
    return Worker(
        uow_factory=lambda: SqlUnitOfWork(engine),
        transports=[transport],
        clock=clock,
        rng=random.Random(3),
    )


def texts(slack: SlackServer, name: str) -> list[str]:
    channel = slack.workspace.by_name(name)
    assert channel is not None, f"no channel {name}"
    return [m.text for m in channel.messages]


def test_an_escalation_opens_its_channel_pins_the_opening_and_declares_it(
    uow: SqlUnitOfWork, engine: Engine, now: datetime, slack: SlackServer
) -> None:
    esc = factories.open_escalation(uow, now=now)
    worker_for(engine, slack, Clock(now)).run_once()
    own = slack.workspace.by_name(esc.channel.lstrip("#"))
    assert own is not None and len(own.pins) == 1
    assert "Initial ask" in own.messages[0].text and "/escalations/" not in own.messages[0].text
    shared = texts(slack, "escalated_customers")
    assert len(shared) == 1 and "*New Escalation*" in shared[0] and esc.customer in shared[0]
    assert {r.state for r in queued(engine)} == {"delivered"}


def test_an_outage_delays_messages_and_loses_none_and_sends_none_twice(
    uow: SqlUnitOfWork, engine: Engine, now: datetime, slack: SlackServer
) -> None:
    clock = Clock(now)
    worker = worker_for(engine, slack, clock)
    esc = factories.open_escalation(uow, now=now)
    assert esc.id is not None
    worker.run_once()
    slack.answer_500 = True
    for n in range(3):
        cmd = PostUpdate(esc.id, Audience.INTERNAL, f"during the 500s {n}")
        factories.act(uow, cmd, now=clock.now)  # the change is never blocked by the outage
    worker.run_once()
    slack.answer_500 = False
    slack.stop()  # now connections are refused
    factories.act(uow, PostUpdate(esc.id, Audience.INTERNAL, "while refused"), now=clock.now)
    clock.now += timedelta(minutes=2)
    worker.run_once()
    assert {r.state for r in queued(engine)} >= {"failed"}
    slack.start()
    for _ in range(10):  # long enough for every backoff to run out
        clock.now += timedelta(hours=1)
        worker.run_once()
    assert {r.state for r in queued(engine)} == {"delivered"}
    posted = texts(slack, esc.channel.lstrip("#"))
    updates = [t for t in posted if "Update from" in t]
    assert len(updates) == 4, "each update exactly once"
    assert [u.rsplit("\n", 1)[-1] for u in updates] == [
        "during the 500s 0",
        "during the 500s 1",
        "during the 500s 2",
        "while refused",
    ]
