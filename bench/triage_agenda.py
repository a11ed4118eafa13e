"""The triage agenda at scale: 1,000 pending requests and 200 escalations in progress.

    python -m bench.triage_agenda [--requests 1000] [--escalations 200] [--runs 7]

Seeds the store through the services (one transaction per kind of record), then times the
agenda service call — the same call `escdesk triage agenda`, the API and the page make — and
counts the SQL statements it sends. SQLite by default; PostgreSQL when
ESCDESK_TEST_DATABASE_URL is set (a schema of the run's own, dropped afterwards).
Goal: under 200 ms, and a fixed number of queries (one per kind of row, not one per request).
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, event

from bench.postgres import create_schema
from escdesk.domain.access import Actor
from escdesk.domain.severity import DEFAULT_POLICY
from escdesk.services import accounts, people, requests, triage
from escdesk.services import escalations as esc_service
from escdesk.services.escalation_commands import OpenEscalation
from escdesk.services.ports import UnitOfWork
from escdesk.services.request_commands import FileRequest, TriageAgenda
from escdesk.services.runner import Context, Runner
from escdesk.store.database import make_engine
from escdesk.store.migrate import upgrade
from escdesk.store.uow import SqlUnitOfWork

NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
TYPES = ("bug", "enhancement", "education", "configuration")
SEVERITIES = ("low", "medium", "high", "critical")


def seed(engine: Engine, n_requests: int, n_escalations: int) -> None:
    runner = Runner(lambda: SqlUnitOfWork(engine), lambda: NOW - timedelta(days=3), DEFAULT_POLICY)
    admin = Actor.system()

    def setup(uow: UnitOfWork, _: None, actor: Actor, ctx: Context) -> tuple[str, list[str]]:
        engineer = people.add_person(
            uow, people.AddPerson.parse(name="Sam", email="sam@example.com", roles=["support"],
                                        timezone="UTC"), actor, ctx)  # fmt: skip
        names = []
        for i in range(50):
            csm = people.add_person(
                uow, people.AddPerson.parse(name=f"CSM {i}", email=f"csm{i}@example.com",
                                            roles=["csm"], timezone="UTC"), actor, ctx)  # fmt: skip
            acct = accounts.add_account(
                uow, accounts.AddAccount.parse(name=f"Customer {i}", tier="enterprise",
                                               arr=10_000 * (i + 1), status="paying",
                                               csm=csm.email), actor, ctx)  # fmt: skip
            names.append(acct.name)
        return engineer.email, names

    engineer_email, names = runner.run(setup, None, admin)
    engineer = people.acting_as(runner, engineer_email)

    def open_many(uow: UnitOfWork, _: None, actor: Actor, ctx: Context) -> None:
        for i in range(n_escalations):
            cmd = OpenEscalation.parse(
                account=names[i % len(names)], kind="account_escalation",
                severity=("low", "medium")[i % 2], route="support",
                summary=f"Escalation {i}", initial_ask="An engineer daily",
                required_skills=["PostgreSQL"], exit_criteria=["fixed", "confirmed", "quiet"],
                eta=ctx.now + timedelta(days=1 + i % 9), also=True,
            )  # fmt: skip
            esc_service.open_escalation(uow, cmd, actor, ctx)

    def file_many(uow: UnitOfWork, _: None, actor: Actor, ctx: Context) -> None:
        for i in range(n_requests):
            cmd = FileRequest.parse(
                account=names[i % len(names)], kind="account", problem=f"Problem {i}",
                problem_type=TYPES[i % 4], proposed_severity=SEVERITIES[i % 4],
                workarounds="None that the customer accepts", difficulty="medium",
                dependencies="none" if i % 3 else "billing API", other_customers=str(i % 7),
                happiness_confirmed="yes" if i % 2 else "no",
                tickets=[f"ZD-{i} https://help.example/{i}"], skills=["PostgreSQL"],
            )  # fmt: skip
            requests.file_request(uow, cmd, actor, ctx)

    runner.run(open_many, None, engineer)
    runner.run(file_many, None, engineer)


def measure(engine: Engine, runs: int) -> dict[str, Any]:
    runner = Runner(lambda: SqlUnitOfWork(engine), lambda: NOW, DEFAULT_POLICY)
    statements: list[str] = []

    def count(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    timings = []
    agenda = None
    for _ in range(runs):
        statements.clear()
        started = time.perf_counter()
        agenda = runner.read(triage.triage_agenda, TriageAgenda(), Actor.system())
        timings.append((time.perf_counter() - started) * 1000)
    event.remove(engine, "before_cursor_execute", count)
    assert agenda is not None
    return {
        "requests": len(agenda.requests),
        "escalations": len(agenda.escalations),
        "median_ms": statistics.median(timings),
        "max_ms": max(timings),
        "queries": len(statements),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--escalations", type=int, default=200)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    pg = os.environ.get("ESCDESK_TEST_DATABASE_URL")
    with tempfile.TemporaryDirectory() as work:
        if pg:
            url, cleanup = create_schema(pg, "triage")
            backend = "postgresql"
        else:
            url, cleanup = f"sqlite:///{Path(work) / 'bench.db'}", (lambda: None)
            backend = "sqlite"
        engine = make_engine(url)
        try:
            upgrade(engine)
            started = time.perf_counter()
            seed(engine, args.requests, args.escalations)
            seeded = time.perf_counter() - started
            result = measure(engine, args.runs)
        finally:
            engine.dispose()
            cleanup()
    print(f"backend: {backend} (seeded in {seeded:.1f} s)")
    print(
        f"agenda: {result['requests']} pending requests, {result['escalations']} escalations "
        f"in progress; service call median {result['median_ms']:.0f} ms "
        f"(max {result['max_ms']:.0f} ms over {args.runs} runs); {result['queries']} queries"
    )


if __name__ == "__main__":
    main()
