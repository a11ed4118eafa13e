"""PostgreSQL restarted under load: two `escdesk serve` and two `escdesk worker` processes.

A PostgreSQL server of the run's own (initdb in a temporary directory, tests/ops/own_postgres.py)
holds the desk; two app processes (`escdesk serve --port`) and two workers, configured only by
`ESCDESK_*` variables, share it, the workers delivering to the local Slack stand-in
(tests/notify/slack_server.py). An open-loop load (bench/open_loop.py's schedule: requests
leave at their times whatever earlier ones are doing) alternates between the two app
processes: reads of the show API and, one request in `--write-every`, an internal update
posted through the API (each queues one Slack post in the outbox). After `--before` seconds
PostgreSQL is stopped (`pg_ctl -m fast`), left down `--down` seconds and started again; the
load runs on `--after` seconds more. Printed per phase (by each request's scheduled moment:
before the stop, while stopping/down/starting, after the server is back): requests, p50/p99
latency, answers by status; the time from the restart to the first success; and, once the
workers are done, whether every queued message was delivered exactly once (outbox rows all
delivered, the stand-in's posts against the outbox rows, each acknowledged update's text once).

    .venv/bin/python -m bench.restart_load [--rate 40] [--before 10] [--down 5] [--after 20]
"""

from __future__ import annotations

import argparse
import asyncio
import re
import signal
import subprocess
import tempfile
import time
from collections import Counter
from collections.abc import Coroutine, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO

import httpx
from sqlalchemy import Engine, func, select
from tests.notify.slack_server import BOT_TOKEN, SlackServer
from tests.ops.own_postgres import OwnPostgres, missing_reason, own_postgres
from tests.ops.processes import ESCDESK, environment, wait_for

from bench.api_latency import free_port, summary
from bench.delivery_latency import open_escalations, posted_twice
from bench.open_loop import Outcome, arrivals, client
from escdesk.services import auth
from escdesk.store.database import DatabaseLimits, make_engine
from escdesk.store.migrate import upgrade
from escdesk.store.tables import OutboxRow, WorkerHeartbeatRow
from escdesk.store.uow import SqlUnitOfWork

TEXT = re.compile(r"load update #(\d+)\.")
"""Each posted update's text names its request, so Slack's copy can be matched to it."""


@dataclass
class Timeline:
    """perf_counter() moments of the restart, filled in as it happens."""

    stopping: float = 0.0
    stopped: float = 0.0
    starting: float = 0.0
    back: float = 0.0
    back_wall: datetime | None = None


@contextmanager
def processes(
    tmp: Path, url: str, slack: SlackServer, log: IO[bytes]
) -> Iterator[tuple[list[str], list[subprocess.Popen[bytes]]]]:
    """Two app processes and two workers, stopped with SIGTERM (as a supervisor would)."""
    env = environment(
        tmp,
        database_url=url,
        db_connect_timeout="2",
        db_pool_timeout="2",
        unavailable_retry_after="3",
        index_dir=str(tmp / "index"),
        slack_api_url=slack.url,
        slack_bot_token=BOT_TOKEN,
        worker_poll_seconds="0.2",
    )
    ports = [free_port(), free_port()]
    started = [
        *(
            subprocess.Popen(
                [ESCDESK, "serve", "--port", str(port)], env=env, stdout=log, stderr=log
            )
            for port in ports
        ),
        *(subprocess.Popen([ESCDESK, "worker"], env=env, stdout=log, stderr=log) for _ in "ab"),
    ]
    bases = [f"http://127.0.0.1:{port}" for port in ports]
    try:
        wait_for(lambda: all(alive(base) for base in bases), 90, "both app processes")
        yield bases, started
    finally:
        for process in started:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in started:
            try:
                process.wait(timeout=40)
            except subprocess.TimeoutExpired:
                process.kill()


def alive(base: str) -> bool:
    try:
        return httpx.get(f"{base}/healthz", timeout=1).status_code == 200
    except httpx.TransportError:
        return False


async def restart(pg: OwnPostgres, before: float, down: float, when: Timeline) -> None:
    await asyncio.sleep(before)
    when.stopping = time.perf_counter()
    await asyncio.to_thread(pg.stop)
    when.stopped = time.perf_counter()
    await asyncio.sleep(down)
    when.starting = time.perf_counter()
    await asyncio.to_thread(pg.start)
    when.back, when.back_wall = time.perf_counter(), datetime.now(UTC)


async def load(
    args: argparse.Namespace, bases: list[str], token: str, ids: list[int], pg: OwnPostgres
) -> tuple[list[Outcome], Timeline]:
    headers = {"Authorization": f"Bearer {token}"}
    clients = [client(base, headers) for base in bases]
    when = Timeline()

    def send(index: int) -> Coroutine[None, None, httpx.Response]:
        http = clients[index % len(clients)]
        key = ids[(index // len(clients)) % len(ids)]
        if index % args.write_every == 0:
            body = {"body": f"load update #{index}.", "audience": "internal"}
            return http.post(f"/api/escalations/{key}/updates", json=body)
        return http.get(f"/api/escalations/{key}")

    seconds = args.before + args.down + args.after
    try:
        outcomes, _ = await asyncio.gather(
            arrivals(args.rate, seconds, send), restart(pg, args.before, args.down, when)
        )
    finally:
        for http in clients:
            await http.aclose()
    return outcomes, when


def phase_lines(outcomes: list[Outcome], when: Timeline) -> list[str]:
    phases = {
        "before": [o for o in outcomes if o.due < when.stopping],
        "during": [o for o in outcomes if when.stopping <= o.due < when.back],
        "after": [o for o in outcomes if o.due >= when.back],
    }
    lines = [f"{'phase':7} {'requests':>8} {'p50 ms':>8} {'p99 ms':>8}  answers"]
    for name, chosen in phases.items():
        if not chosen:
            lines.append(f"{name:7} {0:8}")
            continue
        p50, p99, _ = summary([o.latency_ms for o in chosen], 1)
        answers = ", ".join(
            f"{n} × {s}" for s, n in sorted(Counter(o.status for o in chosen).items(), key=str)
        )
        lines.append(f"{name:7} {len(chosen):8} {p50:8.1f} {p99:8.1f}  {answers}")
    answered = [o.due + o.latency_ms / 1000 for o in outcomes if o.ok]
    first = min((t for t in answered if t >= when.stopped), default=None)
    lines.append(
        f"PostgreSQL: stop took {when.stopped - when.stopping:.2f} s, down "
        f"{when.starting - when.stopped:.1f} s, `pg_ctl start -w` took "
        f"{when.back - when.starting:.2f} s; first success "
        + (f"{first - when.starting:.2f} s after the start command" if first else "never")
    )
    return lines


def delivery_lines(
    engine: Engine,
    slack: SlackServer,
    outcomes: list[Outcome],
    args: argparse.Namespace,
    when: Timeline,
) -> list[str]:
    with engine.connect() as connection:
        rows = connection.execute(
            select(OutboxRow.kind, OutboxRow.state, OutboxRow.claimed_by, OutboxRow.delivered_at)
        ).all()
    states = Counter(state for _, state, _, _ in rows)
    kinds = Counter(kind for kind, _, _, _ in rows)
    by_worker = Counter(claimed_by for _, _, claimed_by, _ in rows if claimed_by)
    with slack.workspace.lock:
        texts = [m.text for c in slack.workspace.channels.values() for m in c.messages]
        created = [c for c in slack.workspace.channels.values() if c.name.startswith("esc_")]
    seen = Counter(int(match.group(1)) for t in texts for match in TEXT.finditer(t))
    writes = [o for o in outcomes if o.index % args.write_every == 0]
    acknowledged = {o.index for o in writes if o.ok}
    refused = {o.index for o in writes if not o.ok}
    missing = sum(seen[i] == 0 for i in acknowledged)
    twice = sum(seen[i] > 1 for i in acknowledged)
    posts = kinds["slack.post"] + kinds["slack.announce"]
    resumed = min(
        (d for *_, d in rows if d and when.back_wall and d >= when.back_wall), default=None
    )
    last = max((d for *_, d in rows if d), default=None)
    lines = [
        f"outbox: {len(rows)} rows, by state {dict(states)}, claimed by {len(by_worker)} workers "
        f"{sorted(by_worker.values())}",
        f"Slack stand-in: {len(texts)} messages for {posts} post rows, {len(created)} channels "
        f"for {kinds['slack.create_channel']} channel rows; texts posted twice in a channel: "
        f"{posted_twice(slack)}",
        f"updates: {len(acknowledged)} acknowledged, each in Slack exactly once: "
        f"{all(seen[i] == 1 for i in acknowledged)} (missing {missing}, twice {twice}); "
        f"{len(refused)} refused, of them in Slack {sum(seen[i] > 0 for i in refused)}",
    ]
    if when.back_wall and resumed and last:
        lines.append(
            f"deliveries resumed {(resumed - when.back_wall).total_seconds():.1f} s after the "
            f"server was back; the last one {(last - when.back_wall).total_seconds():.1f} s after"
        )
    return lines


def settled(engine: Engine) -> bool:
    with engine.connect() as connection:
        open_rows = select(func.count()).where(OutboxRow.state.in_(("pending", "failed")))
        return connection.scalar(open_rows.select_from(OutboxRow)) == 0


def undelivered(engine: Engine) -> list[str]:
    columns = (
        OutboxRow.id,
        OutboxRow.kind,
        OutboxRow.state,
        OutboxRow.attempts,
        OutboxRow.created_at,
        OutboxRow.claimed_at,
        OutboxRow.next_attempt_at,
        OutboxRow.claimed_by,
        OutboxRow.last_error,
    )
    with engine.connect() as connection:
        rows = connection.execute(
            select(*columns).where(OutboxRow.state != "delivered").order_by(OutboxRow.id)
        ).all()
    return [" | ".join(str(value) for value in row) for row in rows]


def run(args: argparse.Namespace) -> None:
    slack = SlackServer().start()
    slack.workspace.add_channel("escalated_customers")  # the shared channel the team made
    with (
        own_postgres() as pg,
        tempfile.TemporaryDirectory() as folder,
        tempfile.TemporaryFile() as log,
    ):
        engine = make_engine(pg.url, DatabaseLimits(connect_timeout=2, pool_timeout=2))
        upgrade(engine)
        ids = open_escalations(engine, args.escalations)
        token, _ = auth.create_token(SqlUnitOfWork(engine), "load", "manager", datetime.now(UTC))
        with processes(Path(folder), pg.url, slack, log) as (bases, started):
            heartbeats = select(func.count()).select_from(WorkerHeartbeatRow)
            with engine.connect() as connection:
                wait_for(lambda: connection.scalar(heartbeats) == 2, 90, "both workers' heartbeats")
            wait_for(lambda: settled(engine), 120, "the opening messages to be delivered")
            print(
                f"own PostgreSQL, 2 × `escdesk serve`, 2 × `escdesk worker`, "
                f"{args.escalations} escalations; {args.rate:g} requests/s open loop (1 in "
                f"{args.write_every} posts an update): {args.before:g} s, then PostgreSQL down "
                f"{args.down:g} s, then {args.after:g} s",
                flush=True,
            )
            outcomes, when = asyncio.run(load(args, bases, token, ids, pg))
            print("\n".join(phase_lines(outcomes, when)), flush=True)
            engine.dispose()  # its connections died with the restart
            try:
                wait_for(lambda: settled(engine), args.drain, "every message to be delivered")
            except AssertionError as timed_out:
                left = undelivered(engine)
                print(f"{timed_out}; {len(left)} rows left, the first:", *left[:3], sep="\n  ")
            time.sleep(1)  # a delivery marked while the count ran
        print("\n".join(delivery_lines(engine, slack, outcomes, args, when)))
        print(f"processes' exit codes after SIGTERM: {[p.returncode for p in started]}")
        log.seek(0)
        lines = log.read().decode(errors="replace").splitlines()
        problems = [line for line in lines if "WARNING" in line or "ERROR" in line]
        api = [line for line in problems if "escdesk.api:" in line]
        others = [line for line in problems if line not in api]
        print(
            f"processes logged {len(api)} API warnings (the database unavailable) and "
            f"{len(others)} other warnings or errors" + ("; the last:" if others else ""),
            *others[-5:],
            sep="\n  ",
        )
        engine.dispose()
    slack.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rate", type=float, default=40, help="requests per second, both apps")
    parser.add_argument("--write-every", type=int, default=5, help="one request in N posts")
    parser.add_argument("--before", type=float, default=10)
    parser.add_argument("--down", type=float, default=5)
    parser.add_argument("--after", type=float, default=20)
    parser.add_argument("--escalations", type=int, default=20)
    parser.add_argument(
        "--drain",
        type=float,
        default=400,
        help="seconds to wait for delivery (past the worker's 5-minute claim lease)",
    )
    args = parser.parse_args()
    reason = missing_reason()
    if reason:
        raise SystemExit(f"cannot run a PostgreSQL server of this run's own: {reason}")
    run(args)


if __name__ == "__main__":
    main()
