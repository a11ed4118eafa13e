"""`/metrics`: request latency by route template, the outbox's backlog read at scrape time,
and the worker's own counters (deliveries by transport and outcome, pass times)."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from fastapi import FastAPI
from fastapi.testclient import TestClient
from prometheus_client import REGISTRY
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import Engine, update

from escdesk.notify.worker import PeriodicJob, Worker
from escdesk.store.notify_repository import NotifyStore
from escdesk.store.ops_repository import beat
from escdesk.store.tables import OutboxRow
from escdesk.store.uow import SqlUnitOfWork
from tests import factories
from tests.api.access import person_client
from tests.notify.conftest import slack_transport
from tests.notify.slack_server import SlackServer


def samples(client: TestClient) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    answer = client.get("/metrics")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/plain")
    found = {}
    for family in text_string_to_metric_families(answer.text):
        for sample in family.samples:
            found[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return found


def test_request_latency_is_recorded_by_route_template_never_by_raw_path(
    app: FastAPI, uow: SqlUnitOfWork, now: datetime
) -> None:
    _, manager = person_client(app, uow, now, "manager")
    esc = factories.open_escalation(uow, now=now)
    assert manager.get(f"/api/escalations/{esc.id}").status_code == 200
    assert manager.get("/api/escalations/999999").status_code == 404
    assert manager.get("/no/such/page/at/all").status_code == 404
    found = samples(manager)
    route = "/api/escalations/{escalation_id}"
    ok = ("method", "GET"), ("route", route), ("status", "200")
    missing = ("method", "GET"), ("route", route), ("status", "404")
    assert found[("escdesk_http_request_seconds_count", ok)] == 1
    assert found[("escdesk_http_request_seconds_count", missing)] == 1
    routes = {dict(labels).get("route") for _, labels in found}
    assert not any(r and str(esc.id) in r for r in routes)  # no raw ids in a label
    assert "unmatched" in routes


def test_the_backlog_dead_letters_and_heartbeat_are_read_from_the_database_at_scrape_time(
    client: TestClient, uow: SqlUnitOfWork, engine: Engine, now: datetime
) -> None:
    factories.open_escalation(uow, now=now - timedelta(minutes=10))
    with engine.begin() as connection:  # one of the posts gave up
        first_post = connection.scalar(
            OutboxRow.__table__.select()
            .with_only_columns(OutboxRow.id)
            .where(OutboxRow.kind == "slack.post")
            .limit(1)
        )
        connection.execute(update(OutboxRow).where(OutboxRow.id == first_post).values(state="dead"))
    beat(engine, "w1", now, now - timedelta(seconds=7))
    found = samples(client)
    with SqlUnitOfWork(engine) as uow2:
        rows = list(uow2.session.query(OutboxRow.kind, OutboxRow.state))
    for kind in {k for k, _ in rows}:
        open_ = sum(1 for k, s in rows if k == kind and s in ("pending", "failed"))
        dead = sum(1 for k, s in rows if k == kind and s == "dead")
        assert found[("escdesk_outbox_open", (("kind", kind),))] == open_
        assert found[("escdesk_outbox_dead", (("kind", kind),))] == dead
    age = found[("escdesk_outbox_oldest_open_age_seconds", (("kind", "slack.create_channel"),))]
    assert age == 600
    assert found[("escdesk_worker_heartbeat_age_seconds", ())] == 7
    assert found[("escdesk_database_up", ())] == 1


def counter(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


def test_the_worker_counts_deliveries_by_transport_and_outcome_and_times_its_passes(
    uow: SqlUnitOfWork, engine: Engine, now: datetime, slack: SlackServer
) -> None:
    esc = factories.open_escalation(uow, now=now)
    delivered = counter("escdesk_deliveries_total", transport="slack", outcome="delivered")
    dead = counter("escdesk_deliveries_total", transport="slack", outcome="dead")
    passes = counter("escdesk_periodic_pass_seconds_count", job="ops-test")
    slack.fail_next("conversations.create", "invalid_auth")  # permanent: a dead letter
    worker = Worker(
        uow_factory=lambda: SqlUnitOfWork(engine),
        transports=[slack_transport(slack, NotifyStore(engine, clock=lambda: now))],
        clock=lambda: now,
        rng=random.Random(1),
        periodic=[PeriodicJob("ops-test", timedelta(minutes=1), lambda at: None)],
    )
    worker.run_once()
    with SqlUnitOfWork(engine) as reading:
        listing = reading.outbox.listing(None, 100, ("escalation", esc.id))
    states = [(r.kind, r.state) for r in listing]
    sent = sum(1 for _, state in states if state == "delivered")
    assert ("slack.create_channel", "dead") in states
    assert counter("escdesk_deliveries_total", transport="slack", outcome="dead") == dead + 1
    after = counter("escdesk_deliveries_total", transport="slack", outcome="delivered")
    assert after == delivered + sent
    assert counter("escdesk_periodic_pass_seconds_count", job="ops-test") == passes + 1
