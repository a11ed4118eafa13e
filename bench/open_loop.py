"""The show API at fixed arrival rates (open loop), beside a bare FastAPI endpoint, same run.

Fifty clients in a loop measure queueing: each waits for its answer before asking again, so a
slow server is simply asked less. Here requests arrive on a schedule, 1/rate seconds apart,
whatever the earlier ones are doing (each is an asyncio task launched at its time), and latency
is counted from the scheduled moment, so a server that falls behind shows it as latency. The
rate steps up (`--rates`, `--seconds` each); at every step escdesk (uvicorn with create_app, as
`escdesk serve` runs it) and then bench/bare_app.py (the SQL escdesk ran for the same request,
replayed on a plain connection) get the same schedule. Printed per rate and server: p50, p99,
max, errors and the load generator's own lag (how late requests left: when it is large, the
generator, not the server, is the limit), then the highest rate at which p99 stayed ≤ 50 ms
with no errors, naming any lower step that missed it. Data from bench/generate.py in a schema
of its own.

    ESCDESK_BENCH_POSTGRES_URL=postgresql+psycopg://postgres@127.0.0.1:5432/test \\
        .venv/bin/python -m bench.open_loop [--rates 25,50,100,150,200,300] [--seconds 10]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import pickle
import random
import tempfile
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import httpx
from fastapi.testclient import TestClient

from bench.api_latency import VARIANTS, capture, server, summary
from bench.generate import generate
from bench.postgres import temporary_schema
from escdesk.asgi import create_app
from escdesk.config import Settings
from escdesk.services import auth
from escdesk.store.database import make_engine
from escdesk.store.migrate import upgrade
from escdesk.store.uow import SqlUnitOfWork

GOAL_MS = 50.0
TIMEOUT = 10.0
"""A request unanswered after this long counts as an error (ReadTimeout, PoolTimeout)."""


@dataclass(frozen=True)
class Outcome:
    index: int
    due: float
    """perf_counter() when the request was scheduled."""
    latency_ms: float
    """From the scheduled moment to the answer (or the error)."""
    lag_ms: float
    """How late the request actually left: the load generator's own delay."""
    status: int | str
    """The HTTP status, or the name of the transport error."""

    @property
    def ok(self) -> bool:
        return isinstance(self.status, int) and self.status < 400


async def arrivals(
    rate: float, seconds: float, send: Callable[[int], Awaitable[httpx.Response]]
) -> list[Outcome]:
    """Call `send(i)` at start + i/rate for `seconds`, never waiting for earlier answers."""
    start = time.perf_counter() + 0.05

    async def one(index: int, due: float) -> Outcome:
        left = time.perf_counter()
        status: int | str
        try:
            status = (await send(index)).status_code
        except httpx.HTTPError as error:
            status = type(error).__name__
        answered = time.perf_counter()
        return Outcome(index, due, (answered - due) * 1000, (left - due) * 1000, status)

    tasks = []
    for index in range(int(rate * seconds)):
        due = start + index / rate
        wait = due - time.perf_counter()
        if wait > 0:
            await asyncio.sleep(wait)
        tasks.append(asyncio.create_task(one(index, due)))
    return list(await asyncio.gather(*tasks))


def client(base: str, headers: dict[str, str]) -> httpx.AsyncClient:
    # Enough connections that the client pool is rarely where requests wait; when it is, the
    # wait is counted (from the scheduled moment) as it would be for a real caller.
    limits = httpx.Limits(max_connections=200, max_keepalive_connections=200)
    return httpx.AsyncClient(base_url=base, headers=headers, limits=limits, timeout=TIMEOUT)


async def step(
    base: str, paths: list[str], headers: dict[str, str], rate: float, seconds: float
) -> list[Outcome]:
    async with client(base, headers) as http:
        return await arrivals(rate, seconds, lambda i: http.get(paths[i % len(paths)]))


@dataclass(frozen=True)
class Figures:
    p50: float
    p99: float
    worst: float
    errors: Counter[int | str]
    lag_p99: float

    @property
    def meets_goal(self) -> bool:
        return self.p99 <= GOAL_MS and not self.errors

    def cells(self) -> str:
        errors = ", ".join(f"{n} × {status}" for status, n in self.errors.most_common()) or "0"
        return (
            f"{self.p50:7.1f} / {self.p99:7.1f} / {self.worst:7.0f}  lag p99 {self.lag_p99:5.1f}"
            f"  errors {errors}"
        )


def figures(outcomes: list[Outcome], seconds: float) -> Figures:
    """Latency over every request (an error counts at the moment it came back)."""
    p50, p99, _ = summary([o.latency_ms for o in outcomes], seconds)
    _, lag_p99, _ = summary([o.lag_ms for o in outcomes], seconds)
    errors = Counter(o.status for o in outcomes if not o.ok)
    return Figures(p50, p99, max(o.latency_ms for o in outcomes), errors, lag_p99)


def highest_rate(measured: dict[float, Figures]) -> str:
    """The highest step that kept p99 ≤ goal with no errors, and the lower steps that did not
    (with 10 s steps a low rate's p99 is its worst few requests: one stall decides it)."""
    met = [rate for rate in sorted(measured) if measured[rate].meets_goal]
    if not met:
        return f"none (not even {min(measured):g} req/s)"
    missed = [f"{rate:g}" for rate in sorted(measured) if rate < met[-1] and rate not in met]
    return f"{met[-1]:g} req/s" + (f" (missed at {', '.join(missed)} req/s)" if missed else "")


def prepare(url: str, escalations: int, events: int) -> tuple[str, list[str], Path, str]:
    """Data, a manager's API token, the show paths and the captured SQL plan for the bare app."""
    engine = make_engine(url)
    upgrade(engine)
    started = time.perf_counter()
    counts = generate(engine, escalations, events)
    built = time.perf_counter() - started
    token, _ = auth.create_token(SqlUnitOfWork(engine), "bench", "manager", datetime.now(UTC))
    ids = random.Random(3).sample(range(1, escalations + 1), min(VARIANTS, escalations))
    paths = [f"/api/escalations/{i}" for i in ids]
    api = TestClient(create_app(Settings(database_url=url), engine))
    api.headers["Authorization"] = f"Bearer {token}"
    api.get("/api/escalations")  # the token's first use writes last_used_at: not measured
    plan = {"api-show": capture(engine, api, paths)}
    engine.dispose()
    with tempfile.NamedTemporaryFile(suffix=".pickle", delete=False) as handle:
        handle.write(pickle.dumps(plan))
    described = (
        f"PostgreSQL: {counts['escalations']:,} escalations, {counts['events']:,} events "
        f"(built in {built:.0f} s)"
    )
    return token, paths, Path(handle.name), described


def run(args: argparse.Namespace, url: str) -> None:
    token, paths, plan, described = prepare(url, args.escalations, args.events)
    replays = [f"/replay/api-show/{i}" for i in range(len(paths))]
    targets = {"escdesk": (paths, {"Authorization": f"Bearer {token}"}), "bare": (replays, {})}
    measured: dict[str, dict[float, Figures]] = {name: {} for name in targets}
    print(
        f"{described}; GET /api/escalations/{{id}} over {len(paths)} ids, open loop, "
        f"{args.seconds:g} s per step, {args.workers} uvicorn worker(s) per server, "
        f"{os.cpu_count()} cores shared with the load generator and PostgreSQL"
    )
    print(f"{'rate':>6}  {'server':8} {'p50 / p99 / max ms':>27}", flush=True)
    try:
        bare_env = {"BENCH_SQL_PLAN": str(plan)}
        with (
            server("escdesk.asgi:create_app", url, args.workers, {}) as escdesk,
            server("bench.bare_app:create_bare_app", url, args.workers, bare_env) as bare,
        ):
            bases = {"escdesk": escdesk, "bare": bare}
            for name, (where, headers) in targets.items():  # warm both: connections, caches
                asyncio.run(
                    step(bases[name], where, headers, args.rates[0], max(2, 50 / args.rates[0]))
                )
            for rate in args.rates:
                for name, (where, headers) in targets.items():
                    worse = [f for f in measured[name].values() if f.p99 > args.give_up_ms]
                    if worse:
                        continue  # already far past the goal at a lower rate
                    outcomes = asyncio.run(step(bases[name], where, headers, rate, args.seconds))
                    measured[name][rate] = result = figures(outcomes, args.seconds)
                    print(f"{rate:6g}  {name:8} {result.cells()}", flush=True)
                    time.sleep(1)  # let the server settle before the next schedule
    finally:
        plan.unlink()
    for name in targets:
        print(f"highest rate with p99 ≤ {GOAL_MS:g} ms, {name}: {highest_rate(measured[name])}")


def rates(text: str) -> list[float]:
    return sorted(float(part) for part in text.split(","))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rates", type=rates, default=rates("25,50,100,150,200,300"))
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--workers", type=int, default=2, help="uvicorn workers per server")
    parser.add_argument("--escalations", type=int, default=2_000)
    parser.add_argument("--events", type=int, default=200_000)
    parser.add_argument(
        "--give-up-ms",
        type=float,
        default=2_000,
        help="skip a server's higher rates once its p99 passed this",
    )
    args = parser.parse_args()
    pg = os.environ.get("ESCDESK_BENCH_POSTGRES_URL") or os.environ.get("ESCDESK_TEST_DATABASE_URL")
    if not pg:
        raise SystemExit("set ESCDESK_BENCH_POSTGRES_URL to a PostgreSQL database")
    with temporary_schema(pg, "bench_open") as url:
        run(args, url)


if __name__ == "__main__":
    main()
