"""The delivery worker's own Prometheus metrics, served by `escdesk worker --metrics-port`.

Counters live in the process that counts them: what each delivery attempt ended in, how long
the peer took, how long each periodic pass ran. The outbox's backlog is not counted here — the
web app's `/metrics` reads it from the database at scrape time, so it is right however many
workers run, and right while none does.
"""

from __future__ import annotations

from prometheus_client import REGISTRY, CollectorRegistry, Counter, Histogram, start_http_server

DELIVERIES = Counter(
    "escdesk_deliveries",
    "Delivery attempts by transport (slack, email, calendar, webhook) and outcome "
    "(delivered, failed: tried again later, dead: a dead letter).",
    ["transport", "outcome"],
)
DELIVERY_SECONDS = Histogram(
    "escdesk_delivery_seconds",
    "Time a transport took over one delivery attempt, by transport.",
    ["transport"],
    buckets=(0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)
PASS_SECONDS = Histogram(
    "escdesk_periodic_pass_seconds",
    "Time one periodic pass of the worker took (the scheduler's reminders, tracker sync).",
    ["job"],
    buckets=(0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60),
)


def transport_of(kind: str) -> str:
    """`slack.post` → `slack`: the transport is the kind's first word."""
    return kind.split(".", 1)[0]


def serve_metrics(port: int, host: str = "0.0.0.0", registry: CollectorRegistry = REGISTRY) -> None:
    """Serve /metrics on a thread of its own (prometheus-client's server)."""
    start_http_server(port, addr=host, registry=registry)
