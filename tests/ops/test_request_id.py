"""A request's id is echoed, written on the outbox rows it queues, and carried by the worker's
log lines for those messages — in JSON logs a collector can join on."""

from __future__ import annotations

import io
import json
import logging
import random
from collections.abc import Iterator
from datetime import datetime

import pytest
from fastapi import FastAPI
from sqlalchemy import Engine, select

from escdesk.logs import configure_logging
from escdesk.notify.worker import Worker
from escdesk.store.notify_repository import NotifyStore
from escdesk.store.tables import OutboxRow
from escdesk.store.uow import SqlUnitOfWork
from tests import factories
from tests.api.access import person_client
from tests.notify.conftest import slack_transport
from tests.notify.slack_server import SlackServer


@pytest.fixture
def json_log() -> Iterator[io.StringIO]:
    stream = io.StringIO()
    configure_logging("json", stream)
    yield stream
    logging.getLogger("escdesk").handlers.clear()
    logging.getLogger("escdesk").propagate = True


def lines(stream: io.StringIO) -> list[dict[str, object]]:
    return [json.loads(line) for line in stream.getvalue().splitlines() if line]


def test_a_request_id_is_echoed_or_made_and_an_odd_one_is_replaced(
    app: FastAPI, uow: SqlUnitOfWork, now: datetime
) -> None:
    _, client = person_client(app, uow, now, "manager")
    given = client.get("/api/escalations", headers={"X-Request-ID": "lb-7f3a.91"})
    assert given.headers["x-request-id"] == "lb-7f3a.91"
    made = client.get("/api/escalations").headers["x-request-id"]
    assert len(made) == 32 and made != "lb-7f3a.91"
    odd = client.get("/api/escalations", headers={"X-Request-ID": "a b\tc" + "x" * 80})
    assert odd.headers["x-request-id"] != "a b\tc" + "x" * 80
    assert client.get("/nowhere", headers={"X-Request-ID": "r-404"}).headers["x-request-id"] == (
        "r-404"
    )


def test_the_worker_logs_each_delivery_with_the_id_of_the_request_that_queued_it(
    app: FastAPI,
    uow: SqlUnitOfWork,
    engine: Engine,
    now: datetime,
    slack: SlackServer,
    json_log: io.StringIO,
) -> None:
    esc = factories.open_escalation(uow, now=now)
    _, client = person_client(app, uow, now, "manager")
    body = {"audience": "internal", "body": "Heap dump taken"}
    answer = client.post(
        f"/api/escalations/{esc.id}/updates", json=body, headers={"X-Request-ID": "req-update-1"}
    )
    assert answer.status_code == 200, answer.text
    with engine.connect() as connection:
        tagged = connection.execute(
            select(OutboxRow.id, OutboxRow.kind).where(OutboxRow.request_id == "req-update-1")
        ).all()
    assert tagged, "the update queued no row carrying its request id"
    request_lines = [e for e in lines(json_log) if e["logger"] == "escdesk.http"]
    assert any(
        e.get("request_id") == "req-update-1"
        and e.get("route") == "/api/escalations/{escalation_id}/updates"
        for e in request_lines
    )
    Worker(
        uow_factory=lambda: SqlUnitOfWork(engine),
        transports=[slack_transport(slack, NotifyStore(engine, clock=lambda: now))],
        clock=lambda: now,
        rng=random.Random(2),
    ).run_once()
    delivered = {
        e.get("request_id")
        for e in lines(json_log)
        if e["logger"] == "escdesk.worker"
        and str(e["message"]).startswith("delivered message")
        and any(f"message {row_id} " in str(e["message"]) for row_id, _ in tagged)
    }
    assert delivered == {"req-update-1"}
