"""The outbox as Prometheus sees it, read from the database at each scrape.

Read at scrape time rather than counted in a process, the backlog is right however many
workers and web processes run, and right while no worker runs at all — which is when it
matters. One grouped query per scrape; a database that cannot answer is reported as
`escdesk_database_up 0`, never as a failed scrape.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from datetime import datetime

from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector
from sqlalchemy import Engine

from escdesk.store.ops_repository import backlog, latest_beat

log = logging.getLogger("escdesk.metrics")


class BacklogCollector(Collector):
    def __init__(self, engine: Engine, clock: Callable[[], datetime]) -> None:
        self.engine = engine
        self.clock = clock

    def collect(self) -> Iterator[GaugeMetricFamily]:
        up = GaugeMetricFamily(
            "escdesk_database_up", "1 when the database answered this scrape, else 0."
        )
        pending = GaugeMetricFamily(
            "escdesk_outbox_open",
            "Messages waiting for delivery (pending or failing, to be tried again), by kind.",
            labels=["kind"],
        )
        age = GaugeMetricFamily(
            "escdesk_outbox_oldest_open_age_seconds",
            "Age of the oldest message still waiting for delivery, by kind.",
            labels=["kind"],
        )
        dead = GaugeMetricFamily(
            "escdesk_outbox_dead",
            "Dead letters (given up on; retry by hand), by kind.",
            labels=["kind"],
        )
        heartbeat = GaugeMetricFamily(
            "escdesk_worker_heartbeat_age_seconds",
            "Seconds since any delivery worker last wrote its heartbeat (absent: none ever did).",
        )
        now = self.clock()
        try:
            queues = backlog(self.engine)
            beat = latest_beat(self.engine)
        except Exception as exc:  # a scrape must answer; the outage is the measurement
            log.warning("metrics: the database did not answer (%s)", type(exc).__name__)
            up.add_metric([], 0)
            yield up
            return
        up.add_metric([], 1)
        for queue in queues:
            pending.add_metric([queue.kind], queue.open)
            dead.add_metric([queue.kind], queue.dead)
            if queue.oldest_open is not None:
                age.add_metric([queue.kind], max(0.0, (now - queue.oldest_open).total_seconds()))
        if beat is not None:
            heartbeat.add_metric([], max(0.0, (now - beat).total_seconds()))
        yield from (up, pending, age, dead, heartbeat)
