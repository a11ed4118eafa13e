"""Time the metrics (R-MET) at 10k escalations, 1M audit events and 1M tickets.

Builds the data set on PostgreSQL (ESCDESK_BENCH_POSTGRES_URL or ESCDESK_TEST_DATABASE_URL, a
schema of its own, dropped afterwards) or, without one, on SQLite; then times, cold (a new
engine, first request) and warm: the metrics query through the runner, `escdesk metrics
--json` as a process, `GET /api/metrics` and the `/metrics` page. It also lists the tables each
metrics query reads, from EXPLAIN, to show that none touches the audit trail.

    .venv/bin/python -m bench.metrics_scale [--escalations 10000] [--events 1000000]
                                            [--tickets 1000000] [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import Engine, event, func, insert, select

from bench.generate import generate
from bench.postgres import temporary_schema
from escdesk.asgi import create_app
from escdesk.config import Settings
from escdesk.domain.access import Actor
from escdesk.domain.severity import DEFAULT_POLICY
from escdesk.http.security import SESSION_COOKIE
from escdesk.services import auth
from escdesk.services.metrics import ShowMetrics, show_metrics
from escdesk.services.runner import Runner
from escdesk.store.database import make_engine
from escdesk.store.migrate import upgrade
from escdesk.store.tables import (
    EscalationRow,
    FixRow,
    IssueTicketRow,
    RecurringIssueRow,
    SurveyRow,
    TicketImportRow,
    TicketRow,
)
from escdesk.store.uow import SqlUnitOfWork

ESCDESK = shutil.which("escdesk") or str(Path(sys.executable).parent / "escdesk")
CHUNK = 20_000
ISSUES = 300
START = datetime(2025, 1, 1, tzinfo=UTC)


def _insert(engine: Engine, table: Any, rows: list[dict[str, Any]]) -> None:
    with engine.begin() as connection:
        for i in range(0, len(rows), CHUNK):
            connection.execute(insert(table), rows[i : i + CHUNK])


def add_metrics_data(engine: Engine, tickets: int, seed: int = 11) -> None:
    """Tickets in recurring issues (a third of them fixed), a survey answer per closed
    escalation, and shipped fixes: what the metrics count besides escalations."""
    rng = random.Random(seed)
    _insert(engine, TicketImportRow, [
        {"id": 1, "source": "bench", "format": "jsonl", "file_name": "bench.jsonl",
         "started_at": START, "written": tickets, "skipped": 0},
    ])  # fmt: skip
    _insert(engine, RecurringIssueRow, [
        {"id": i, "label": f"issue {i}", "status": "fixed" if i % 3 == 0 else "confirmed",
         "named": True, "fix_reference": None, "release": None,
         "fixed_at": START + timedelta(days=200 + i) if i % 3 == 0 else None,
         "merged_into": None, "created_at": START, "version": 1}
        for i in range(1, ISSUES + 1)
    ])  # fmt: skip
    span = 700 * 24 * 3600
    for first in range(1, tickets + 1, 100_000):
        last = min(tickets, first + 99_999)
        rows = [
            {"id": n, "source": "bench", "external_id": str(n), "subject": f"Ticket {n}",
             "body": "Pipelines stall after the upgrade", "account": f"Account {n % 1000}",
             "product_area": None, "component": None, "priority": None, "status": "solved",
             "created_at": START + timedelta(seconds=span * n // tickets), "solved_at": None,
             "tags": [], "import_id": 1}
            for n in range(first, last + 1)
        ]  # fmt: skip
        _insert(engine, TicketRow, rows)
        _insert(engine, IssueTicketRow, [
            {"ticket_id": n, "cluster_id": n % ISSUES + 1, "issue_id": n % ISSUES + 1,
             "neighbour_id": None, "similarity": None}
            for n in range(first, last + 1) if n % 10 < 3
        ])  # fmt: skip
    with engine.connect() as connection:
        closed = connection.execute(
            select(EscalationRow.id, EscalationRow.account_id, EscalationRow.closed_at).where(
                EscalationRow.status == "closed"
            )
        ).all()
    _insert(engine, SurveyRow, [
        {"escalation_id": e, "account_id": a, "email": f"contact{e}@example.com",
         "token_hash": f"{e:064x}", "sent_at": at, "expires_at": at + timedelta(days=14),
         "answered_at": at + timedelta(hours=rng.randint(1, 300)),
         "score": rng.choices([1, 2, 3, 4, 5], [1, 1, 2, 4, 4])[0], "comment": None}
        for e, a, at in closed
    ])  # fmt: skip
    _insert(engine, FixRow, [
        {"title": f"fix {i}", "kind": "patch", "content": "", "url": None, "author_id": 1,
         "escalation_id": None, "recurring_issue_id": None, "status": "shipped",
         "review_note": None, "reviewed_by": None, "reviewed_at": None, "release_id": None,
         "position": None, "submitted_at": START + timedelta(days=i % 600),
         "reported_at": START + timedelta(days=i % 600),
         "shipped_at": START + timedelta(days=i % 600 + rng.randint(1, 40)), "version": 1}
        for i in range(1, 2001)
    ])  # fmt: skip


def timed(action: Callable[[], object], runs: int) -> tuple[float, float]:
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples), max(samples)


def statements(engine: Engine, now: datetime) -> tuple[int, int]:
    """How many statements one metrics query sends, and how many of them read the audit trail."""
    sent: list[str] = []

    def note(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        sent.append(statement.lower())

    event.listen(engine, "before_cursor_execute", note)
    try:
        Runner(lambda: SqlUnitOfWork(engine), lambda: now, DEFAULT_POLICY).read(
            show_metrics, ShowMetrics.parse(), Actor.system()
        )
    finally:
        event.remove(engine, "before_cursor_execute", note)
    trail = [s for s in sent if " events " in s or " events\n" in s or "join events" in s]
    return len(sent), len(trail)


def bench(name: str, url: str, escalations: int, events: int, tickets: int, runs: int) -> list[str]:
    engine = make_engine(url)
    upgrade(engine)
    started = time.perf_counter()
    counts = generate(engine, escalations, events)
    add_metrics_data(engine, tickets)
    built = time.perf_counter() - started
    with engine.connect() as connection:
        now = connection.scalar(select(func.max(EscalationRow.updated_at))) or START
    now = now.replace(tzinfo=UTC) if now.tzinfo is None else now
    since = (now - timedelta(weeks=12)).isoformat()
    engine.dispose()
    uow_engine = make_engine(url)
    uow = SqlUnitOfWork(uow_engine)
    signed_at = datetime.now(UTC)  # the app's clock: a session from the data's "now" expired
    token, _ = auth.create_token(uow, "bench", "manager", signed_at)
    auth.set_password(uow, "p4@example.com", "bench password 4", signed_at)
    session = auth.sign_in(uow, "p4@example.com", "bench password 4", signed_at).session_token
    uow_engine.dispose()

    def service() -> object:
        fresh = make_engine(url)
        try:
            return Runner(lambda: SqlUnitOfWork(fresh), lambda: now, DEFAULT_POLICY).read(
                show_metrics, ShowMetrics.parse(), Actor.system()
            )
        finally:
            fresh.dispose()

    def cli() -> object:
        result = subprocess.run(
            [ESCDESK, "--database-url", url, "metrics", "--json", "--since", since],
            capture_output=True, check=False,
        )  # fmt: skip
        if result.returncode != 0:
            raise SystemExit(f"escdesk metrics failed: {result.stderr.decode()}")
        return result

    app_engine = make_engine(url)
    app = create_app(Settings(database_url=url), app_engine)
    api = TestClient(app, headers={"Authorization": f"Bearer {token}"})
    browser = TestClient(app)
    browser.cookies.set(SESSION_COOKIE, session)
    page_url = f"/figures?since={since[:10]}"

    def page_call() -> object:
        response = browser.get(page_url, follow_redirects=False)
        if response.status_code != 200 or "chart-csat" not in response.text:
            raise SystemExit(f"the metrics page answered {response.status_code}, not the charts")
        return response

    cold_api = timed(
        lambda: api.get("/api/metrics", params={"since": since}).raise_for_status(), 1
    )[0]
    cold_page = timed(page_call, 1)[0]
    lines = [
        f"{name}: {counts['escalations']:,} escalations, {counts['events']:,} events, "
        f"{tickets:,} tickets, built in {built:.0f} s",
        f"  metrics query, new engine each time: median {timed(service, runs)[0]:.0f} ms",
        f"  escdesk metrics --json (process):    median {timed(cli, runs)[0]:.0f} ms",
        f"  GET /api/metrics: cold {cold_api:.0f} ms, warm median "
        f"{timed(lambda: api.get('/api/metrics', params={'since': since}), runs)[0]:.0f} ms",
        f"  GET /figures page: cold {cold_page:.0f} ms, warm median "
        f"{timed(page_call, runs)[0]:.0f} ms",
    ]
    sent, trail = statements(app_engine, now)
    lines.append(f"  statements per metrics query: {sent}, reading the audit trail: {trail}")
    app_engine.dispose()
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--escalations", type=int, default=10_000)
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--tickets", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    base = os.environ.get("ESCDESK_BENCH_POSTGRES_URL") or os.environ.get(
        "ESCDESK_TEST_DATABASE_URL"
    )
    sizes = (args.escalations, args.events, args.tickets, args.runs)
    if base:
        with temporary_schema(base) as url:
            lines = bench("PostgreSQL", url, *sizes)
    else:
        with tempfile.TemporaryDirectory() as directory:
            lines = bench("SQLite", f"sqlite:///{directory}/bench.db", *sizes)
    print("\n".join(lines))


if __name__ == "__main__":
    main()
