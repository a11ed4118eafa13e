"""Latency and throughput of the escalation API and page, against a bare FastAPI baseline.

On PostgreSQL with 10k escalations and 1M audit events (bench/generate.py), it serves escdesk
as `escdesk serve` does (uvicorn, create_app) and, separately, bench/bare_app.py, which replays
exactly the SQL escdesk ran for the same request. 50 concurrent clients (httpx.AsyncClient)
then hit each for a fixed time; p50/p99 latency, throughput and the escdesk/bare ratio are
printed side by side. The load generator shares the machine's cores with the servers.

    ESCDESK_BENCH_POSTGRES_URL=postgresql+psycopg://postgres@127.0.0.1:5432/test \\
        .venv/bin/python -m bench.api_latency [--seconds 10] [--workers 2]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import pickle
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
from fastapi.testclient import TestClient
from sqlalchemy import Engine, event

from bench.generate import generate
from bench.postgres import temporary_schema
from escdesk.asgi import create_app
from escdesk.config import Settings
from escdesk.http.security import SESSION_COOKIE
from escdesk.services import auth
from escdesk.store.database import make_engine
from escdesk.store.migrate import upgrade
from escdesk.store.uow import SqlUnitOfWork

CLIENTS = 50
LABELS = {
    "api-show": "GET /api/escalations/{id}",
    "api-list": "GET /api/escalations?limit=50",
    "page-show": "GET /escalations/{id} (page)",
}
VARIANTS = 100


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def server(target: str, url: str, workers: int, env: dict[str, str]) -> Iterator[str]:
    """A uvicorn server process for `module:factory`, stopped on exit."""
    port = free_port()
    command = [
        sys.executable, "-m", "uvicorn", target, "--factory", "--port", str(port),
        "--workers", str(workers), "--log-level", "warning", "--no-access-log",
    ]  # fmt: skip
    process = subprocess.Popen(command, env={**os.environ, **env, "ESCDESK_DATABASE_URL": url})
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):
            try:
                httpx.get(f"{base}/docs" if "create_app" in target else base, timeout=1)
                break
            except httpx.TransportError:
                time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=20)


async def load(base: str, paths: list[str], headers: dict[str, str], seconds: float) -> list[float]:
    """CLIENTS workers request random paths for `seconds`; returns latencies in ms."""
    latencies: list[float] = []
    limits = httpx.Limits(max_connections=CLIENTS)
    # A generous timeout: on a loaded machine a slow answer is a figure, not a failed run.
    client_options: dict[str, Any] = {"limits": limits, "timeout": 120}
    async with httpx.AsyncClient(base_url=base, headers=headers, **client_options) as client:
        warm_until = time.perf_counter() + 1
        stop = warm_until + seconds

        async def worker() -> None:
            while (now := time.perf_counter()) < stop:
                response = await client.get(random.choice(paths))
                if response.status_code != 200:
                    raise SystemExit(f"{response.request.url}: {response.status_code}")
                if now >= warm_until:
                    latencies.append((time.perf_counter() - now) * 1000)

        await asyncio.gather(*(worker() for _ in range(CLIENTS)))
    return latencies


def capture(engine: Engine, client: TestClient, paths: list[str]) -> list[list[tuple[str, Any]]]:
    """The SELECTs escdesk runs for each path, as the bare app will replay them."""
    plan: list[list[tuple[str, Any]]] = []
    current: list[tuple[str, Any]] = []

    def record(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            current.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", record)
    try:
        for path in paths:
            current = []
            assert client.get(path).status_code == 200, path
            plan.append(current)
    finally:
        event.remove(engine, "before_cursor_execute", record)
    return plan


def summary(latencies: list[float], seconds: float) -> tuple[float, float, float]:
    ordered = sorted(latencies)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return statistics.median(ordered), p99, len(ordered) / seconds


def run(url: str, seconds: float, workers: int, escalations: int, events: int) -> list[str]:
    engine = make_engine(url)
    upgrade(engine)
    started = time.perf_counter()
    counts = generate(engine, escalations, events)
    built = time.perf_counter() - started
    uow, now = SqlUnitOfWork(engine), datetime.now(UTC)
    token, _ = auth.create_token(uow, "bench", "manager", now)
    auth.set_password(uow, "p4@example.com", "bench password 4", now)  # person 4 is a manager
    session = auth.sign_in(uow, "p4@example.com", "bench password 4", now).session_token
    rng = random.Random(3)
    ids = rng.sample(range(1, escalations + 1), min(VARIANTS, escalations))
    scenarios = {
        "api-show": [f"/api/escalations/{i}" for i in ids],
        "api-list": [
            f"/api/escalations?limit=50&offset={rng.randrange(0, escalations // 5)}" for _ in ids
        ],
        "page-show": [f"/escalations/{i}" for i in ids],
    }
    app = create_app(Settings(database_url=url), engine)
    api = TestClient(app, headers={"Authorization": f"Bearer {token}"})
    browser = TestClient(app)
    browser.cookies.set(SESSION_COOKIE, session)
    if browser.get(f"/escalations/{ids[0]}").status_code != 200:
        del scenarios["page-show"]  # no HTML pages in this installation
    api.get("/api/escalations")  # the token's first use writes last_used_at: not measured
    plan = {
        name: capture(engine, browser if name.startswith("page") else api, paths)
        for name, paths in scenarios.items()
    }
    headers = {"Authorization": f"Bearer {token}"}
    lines = [
        f"PostgreSQL: {counts['escalations']:,} escalations, {counts['events']:,} events "
        f"(built in {built:.0f} s); {CLIENTS} concurrent clients, {seconds:.0f} s per row, "
        f"{workers} worker(s) per server, {os.cpu_count()} cores shared with the load generator",
        f"{'':32} {'escdesk p50/p99 ms':>20} {'req/s':>7}   {'bare p50/p99 ms':>17} "
        f"{'req/s':>7}   {'p50 ratio':>9} {'throughput ratio':>16}",
    ]
    measured: dict[str, tuple[float, float, float]] = {}
    with server("escdesk.asgi:create_app", url, workers, {}) as base:
        for name, paths in scenarios.items():
            page = name.startswith("page")
            extra = {"Cookie": f"{SESSION_COOKIE}={session}"} if page else headers
            measured[name] = summary(asyncio.run(load(base, paths, extra, seconds)), seconds)
    with tempfile.NamedTemporaryFile(suffix=".pickle", delete=False) as handle:
        handle.write(pickle.dumps(plan))
    try:
        bare_env = {"BENCH_SQL_PLAN": handle.name}
        with server("bench.bare_app:create_bare_app", url, workers, bare_env) as base:
            for name in scenarios:
                paths = [f"/replay/{name}/{i}" for i in range(len(plan[name]))]
                bare = summary(asyncio.run(load(base, paths, {}, seconds)), seconds)
                mine = measured[name]
                lines.append(
                    f"{LABELS[name]:32} {mine[0]:9.1f} / {mine[1]:7.1f} {mine[2]:8.0f}   "
                    f"{bare[0]:7.1f} / {bare[1]:7.1f} {bare[2]:8.0f}   "
                    f"{mine[0] / bare[0]:9.2f} {mine[2] / bare[2]:16.2f}"
                )
    finally:
        Path(handle.name).unlink()
    engine.dispose()
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--escalations", type=int, default=10_000)
    parser.add_argument("--events", type=int, default=1_000_000)
    args = parser.parse_args()
    pg = os.environ.get("ESCDESK_BENCH_POSTGRES_URL") or os.environ.get("ESCDESK_TEST_DATABASE_URL")
    if not pg:
        raise SystemExit("set ESCDESK_BENCH_POSTGRES_URL to a PostgreSQL database")
    with temporary_schema(pg, "bench_api") as url:
        print("\n".join(run(url, args.seconds, args.workers, args.escalations, args.events)))


if __name__ == "__main__":
    main()
