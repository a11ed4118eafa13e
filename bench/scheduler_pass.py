"""Time one scheduler pass over N open escalations, and count its queries.

Builds N open escalations (bench.generate, every one of them open, half the accounts in a
business-hours calendar with Bavarian holidays) on SQLite, and on PostgreSQL when
ESCDESK_BENCH_POSTGRES_URL or ESCDESK_TEST_DATABASE_URL is set; then runs the worker's
scheduler pass twice at the same moment: the first writes every reminder and breach that is
due (the worst case, after an outage of the worker), the second finds them all written (the
steady state of a pass every minute). Prints wall time and SQL statements of each.

    .venv/bin/python -m bench.scheduler_pass [--escalations 10000]
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine, event, text

from bench.generate import generate
from bench.postgres import temporary_schema
from escdesk.adapters.holidays import PublicHolidays
from escdesk.domain.access import Actor
from escdesk.domain.reminders import ReminderPolicy
from escdesk.domain.severity import DEFAULT_POLICY
from escdesk.notify.scheduler import run_pass
from escdesk.services import calendars
from escdesk.services.runner import Runner
from escdesk.store.database import make_engine
from escdesk.store.migrate import upgrade
from escdesk.store.uow import SqlUnitOfWork

NOW = datetime(2026, 7, 1, 10, 0, tzinfo=UTC)


def build(engine: Engine, escalations: int) -> None:
    upgrade(engine)
    generate(engine, escalations=escalations, events=escalations)
    with engine.begin() as connection:
        connection.execute(
            text(
                "UPDATE escalations SET status = 'active', closed_at = NULL, "
                "next_internal_update_due = :due, next_customer_update_due = :due "
                "WHERE status = 'closed'"
            ),
            {"due": NOW},
        )
    runner = Runner(lambda: SqlUnitOfWork(engine), lambda: NOW, DEFAULT_POLICY)
    cmd = calendars.AddCalendar.parse(
        name="munich",
        timezone="Europe/Berlin",
        hours=["mon-thu 09:00-12:00,13:00-17:00", "fri 09:00-15:00"],
        holidays="DE-BY",
    )
    runner.run(calendars.with_holidays(PublicHolidays()), cmd, Actor.system())
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO account_calendars (account_id, calendar_id) "
                "SELECT id, (SELECT id FROM working_calendars) FROM accounts WHERE id % 2 = 0"
            )
        )


def measure(engine: Engine) -> list[tuple[str, float, int, str]]:
    statements = 0

    def count(*_: object) -> None:
        nonlocal statements
        statements += 1

    event.listen(engine, "before_cursor_execute", count)
    out = []
    try:
        for label in ("first pass (writes all)", "second pass (all written)"):
            statements = 0
            started = time.perf_counter()
            report = run_pass(
                lambda: SqlUnitOfWork(engine), NOW, DEFAULT_POLICY, ReminderPolicy(), "https://x"
            )
            elapsed = time.perf_counter() - started
            detail = (
                f"{report.open_escalations} open, {report.reminders_due} due, "
                f"{report.reminders_written} written, {report.breaches_recorded} breaches"
            )
            out.append((label, elapsed, statements, detail))
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return out


def run(url: str, escalations: int, backend: str) -> None:
    engine = make_engine(url)
    try:
        build(engine, escalations)
        for label, elapsed, statements, detail in measure(engine):
            print(f"| {backend} | {label} | {elapsed:.2f} s | {statements} | {detail} |")
    finally:
        engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--escalations", type=int, default=10_000)
    args = parser.parse_args()
    print("| backend | pass | time | SQL statements | what it saw |")
    print("| --- | --- | --- | --- | --- |")
    with tempfile.TemporaryDirectory() as tmp:
        run(f"sqlite:///{Path(tmp) / 'bench.db'}", args.escalations, "SQLite")
    pg = os.environ.get("ESCDESK_BENCH_POSTGRES_URL") or os.environ.get("ESCDESK_TEST_DATABASE_URL")
    if pg:
        with temporary_schema(pg, "sched") as url:
            run(url, args.escalations, "PostgreSQL")


if __name__ == "__main__":
    main()
