"""Delivery latency, commit to Slack: N messages through W `escdesk worker` processes.

Escalations are opened and updated at a steady pace by a producer process (each change commits
its outbox rows, as the web app would) while W worker processes deliver them to a local HTTP
server that speaks the Slack Web API methods escdesk uses. Prints p50, p95, p99 and max of
`delivered_at - created_at`, the throughput, whether any message was delivered twice (must be
0) and, for one idle worker, the queries it makes per minute with nothing to do. PostgreSQL (in
a schema of its own, dropped afterwards) when ESCDESK_BENCH_POSTGRES_URL or
ESCDESK_TEST_DATABASE_URL is set; otherwise SQLite with one worker, as the README advises.

    .venv/bin/python -m bench.delivery_latency [--messages 10000] [--workers 2] [--rate 400]
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, event, func, select
from tests.notify.slack_server import BOT_TOKEN, SlackServer

from bench import desk
from bench.postgres import temporary_schema
from escdesk.bootstrap import bootstrap
from escdesk.domain.clock import Audience
from escdesk.services.escalation_commands import OpenEscalation, PostUpdate
from escdesk.store.database import make_engine
from escdesk.store.migrate import upgrade
from escdesk.store.tables import OutboxRow
from escdesk.store.uow import SqlUnitOfWork

ESCALATIONS = 50


def wall() -> datetime:
    return datetime.now(UTC)


@contextmanager
def workers(url: str, slack: SlackServer, count: int) -> Iterator[list[subprocess.Popen[bytes]]]:
    env = {
        **os.environ,
        "ESCDESK_DATABASE_URL": url,
        "ESCDESK_SLACK_API_URL": slack.url,
        "ESCDESK_SLACK_BOT_TOKEN": BOT_TOKEN,
        "ESCDESK_WORKER_POLL_SECONDS": "0.2",
    }
    escdesk = str(Path(sys.executable).with_name("escdesk"))
    log = tempfile.TemporaryFile()
    started = [
        subprocess.Popen([escdesk, "worker"], env=env, stdout=log, stderr=log) for _ in range(count)
    ]
    try:
        yield started
    finally:
        for process in started:
            process.terminate()  # SIGTERM: each finishes the delivery in hand
        for process in started:
            process.wait(timeout=30)
        log.seek(0)
        lines = log.read().decode(errors="replace").splitlines()
        problems = [line for line in lines if "WARNING" in line or "ERROR" in line]
        if problems:
            print(f"workers logged {len(problems)} warnings; the last:", *problems[-5:], sep="\n")


def open_escalations(engine: Engine, count: int = ESCALATIONS) -> list[int]:
    """A CSM, ten accounts and `count` escalations opened through the runner: each queues its
    channel, the opening post and the declaration in the shared channel (three messages)."""
    uow = SqlUnitOfWork(engine)
    csm = desk.add_person(
        uow,
        now=wall(),
        name="Casey",
        email="casey@example.com",
        roles=["csm", "support"],
        timezone="UTC",
    )
    accounts = [
        desk.add_account(
            uow,
            now=wall(),
            name=f"Customer {number}",
            tier="enterprise",
            arr=100_000,
            status="paying",
            csm=csm.email,
        ).name
        for number in range(10)
    ]
    ids = []
    for number in range(count):
        cmd = OpenEscalation.parse(
            account=accounts[number % len(accounts)],
            kind="account_escalation",
            severity="medium",
            route="support",
            summary=f"Exports stall {number}",
            initial_ask="Find the cause",
            required_skills=["PostgreSQL"],
            dri=csm.email,
            also=True,  # many escalations per customer, on purpose
        )
        ids.append(desk.act(uow, cmd, now=wall()).id)
    return ids


def produce(engine: Engine, messages: int, rate: float) -> int:
    """Open escalations, then post internal updates (one Slack post each) at `rate` per second."""
    uow = SqlUnitOfWork(engine)
    ids = open_escalations(engine)
    written = ESCALATIONS * 3  # channel, opening post, declaration
    start = time.perf_counter()
    while written < messages:
        key = ids[written % ESCALATIONS]
        desk.act(uow, PostUpdate(key, Audience.INTERNAL, f"update {written}", None), now=wall())
        written += 1
        ahead = written / rate - (time.perf_counter() - start)
        if ahead > 0:
            time.sleep(ahead)
    return written


def _produce_in_child(url: str, messages: int, rate: float, written: Any) -> None:
    engine = make_engine(url)
    try:
        written.value = produce(engine, messages, rate)
    finally:
        engine.dispose()


def produce_elsewhere(url: str, messages: int, rate: float) -> int:
    """The producer in a process of its own, as the web app is: the Slack stand-in in this
    process then answers like the separate service it stands for, not queued behind the
    producer for the interpreter lock."""
    context = multiprocessing.get_context("spawn")
    written = context.Value("q", 0)
    producer = context.Process(target=_produce_in_child, args=(url, messages, rate, written))
    producer.start()
    producer.join()
    if producer.exitcode != 0:
        raise SystemExit(f"the producer failed (exit {producer.exitcode})")
    return int(written.value)


def wait_delivered(engine: Engine, expected: int, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with engine.connect() as connection:
            done = connection.scalar(
                select(func.count()).where(OutboxRow.delivered_at.is_not(None))
            )
        if done is not None and done >= expected:
            return
        time.sleep(0.2)
    with engine.connect() as connection:
        states = dict(
            connection.execute(
                select(OutboxRow.state, func.count()).group_by(OutboxRow.state)
            ).all()
        )
        errors = connection.scalars(
            select(OutboxRow.last_error).where(OutboxRow.last_error.is_not(None)).limit(3)
        ).all()
    raise SystemExit(
        f"only {done} of {expected} messages were delivered in {timeout:.0f} s: {states}; "
        f"errors: {errors}"
    )


def idle_queries_per_minute(engine: Engine, seconds: float = 10.0) -> float:
    """A worker as `escdesk worker` builds it, with nothing due: the statements it sends."""
    worker = bootstrap(engine=engine).worker()
    statements = 0

    def count(*_: object) -> None:
        nonlocal statements
        statements += 1

    event.listen(engine, "before_cursor_execute", count)
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if worker.run_once() == 0:
            worker.stopping.wait(min(worker.poll, max(deadline - time.monotonic(), 0)))
    event.remove(engine, "before_cursor_execute", count)
    return statements * 60 / seconds


def posted_twice(slack: SlackServer) -> int:
    """Posts whose text appears more than once in one channel: every text here is unique."""
    with slack.workspace.lock:
        texts = Counter(
            (channel.name, message.text)
            for channel in slack.workspace.channels.values()
            for message in channel.messages
        )
    return sum(n - 1 for n in texts.values() if n > 1)


def run(label: str, url: str, messages: int, count: int, rate: float) -> list[str]:
    engine = make_engine(url)
    upgrade(engine)
    slack = SlackServer().start()
    slack.workspace.add_channel("escalated_customers")
    try:
        started = time.perf_counter()
        with workers(url, slack, count):
            written = produce_elsewhere(url, messages, rate)
            wait_delivered(engine, written, timeout=float(os.environ.get("BENCH_TIMEOUT", 300)))
        elapsed = time.perf_counter() - started
        with engine.connect() as connection:
            rows = connection.execute(
                select(OutboxRow.created_at, OutboxRow.delivered_at, OutboxRow.idempotency_key)
            ).all()
        latencies = sorted((d - c).total_seconds() for c, d, _ in rows if d is not None)
        twice = posted_twice(slack)
        calls = len(slack.calls)
        idle = idle_queries_per_minute(engine)
    finally:
        slack.stop()
        engine.dispose()
    cut = statistics.quantiles(latencies, n=100)
    return [
        f"{label}: {len(latencies)} messages, {count} worker(s), produced at {rate:.0f}/s",
        f"  latency commit → delivered: p50 {cut[49]:.3f} s, p95 {cut[94]:.3f} s, "
        f"p99 {cut[98]:.3f} s, max {latencies[-1]:.3f} s",
        f"  throughput {len(latencies) / elapsed:.0f} messages/s over {elapsed:.1f} s",
        f"  {calls} Slack API calls for {len(rows)} outbox rows; posts delivered twice: {twice}",
        f"  idle worker: {idle:.0f} queries per minute",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--rate", type=float, default=400.0, help="changes per second")
    args = parser.parse_args()
    base = os.environ.get("ESCDESK_BENCH_POSTGRES_URL") or os.environ.get(
        "ESCDESK_TEST_DATABASE_URL"
    )
    if base:
        with temporary_schema(base, "bench_delivery") as url:
            print("\n".join(run("PostgreSQL", url, args.messages, args.workers, args.rate)))
    else:
        with tempfile.TemporaryDirectory() as directory:
            url = f"sqlite:///{Path(directory) / 'escdesk.db'}"
            print("\n".join(run("SQLite", url, args.messages, 1, args.rate)))


if __name__ == "__main__":
    main()
