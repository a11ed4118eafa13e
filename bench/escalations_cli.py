"""Time `escalations list --json` and `show --json` with 10k escalations and 1M events.

Builds the data set on SQLite and (when ESCDESK_BENCH_POSTGRES_URL or ESCDESK_TEST_DATABASE_URL
is set) on PostgreSQL, then times the real console script end to end (process start included)
and the service call alone, and prints a table.

    .venv/bin/python -m bench.escalations_cli [--escalations 10000] [--events 1000000]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from bench import desk
from bench.generate import generate
from bench.postgres import on_each_database
from escdesk.services import escalations as service
from escdesk.services.escalation_commands import EscalationHistory, ListEscalations, ShowEscalation
from escdesk.store.database import make_engine
from escdesk.store.migrate import upgrade
from escdesk.store.uow import SqlUnitOfWork

ESCDESK = shutil.which("escdesk") or str(Path(sys.executable).parent / "escdesk")


def timed(action: Callable[[], object], runs: int) -> tuple[float, float]:
    """Median and worst wall time in milliseconds."""
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples), max(samples)


def cli(url: str, *args: str) -> Callable[[], object]:
    def run() -> object:
        result = subprocess.run(
            [ESCDESK, "--database-url", url, *args], capture_output=True, check=False
        )
        if result.returncode != 0:
            raise SystemExit(f"escdesk {' '.join(args)} failed: {result.stderr.decode()}")
        return result

    return run


def bench(name: str, url: str, escalations: int, events: int, runs: int) -> list[str]:
    engine = make_engine(url)
    upgrade(engine)
    started = time.perf_counter()
    counts = generate(engine, escalations, events)
    build = time.perf_counter() - started
    uow = SqlUnitOfWork(engine)
    middle = escalations // 2
    rows = [
        (
            "list --json (open, first 100)",
            cli(url, "escalations", "list", "--json"),
            lambda: desk.ask(
                uow, service.list_escalations, ListEscalations.parse(severity=None, status=None)
            ),
        ),
        (
            "list --json --all --limit 1000",
            cli(url, "escalations", "list", "--json", "--all", "--limit", "1000"),
            lambda: desk.ask(
                uow,
                service.list_escalations,
                ListEscalations.parse(include_closed=True, limit=1000, severity=None, status=None),
            ),
        ),
        (
            f"show {middle} --json",
            cli(url, "escalations", "show", str(middle), "--json"),
            lambda: desk.ask(uow, service.show_escalation, ShowEscalation(middle)),
        ),
        (
            f"history {middle} --json",
            cli(url, "escalations", "history", str(middle), "--json"),
            lambda: desk.ask(uow, service.escalation_history, EscalationHistory(middle)),
        ),
    ]
    lines = [
        f"{name}: {counts['escalations']:,} escalations, {counts['events']:,} events, "
        f"built in {build:.0f} s"
    ]
    for label, command, call in rows:
        cli_median, cli_worst = timed(command, runs)
        svc_median, svc_worst = timed(call, runs * 4)
        lines.append(
            f"  {label:<34} CLI {cli_median:7.0f} ms (worst {cli_worst:5.0f})   "
            f"service {svc_median:7.1f} ms (worst {svc_worst:6.1f})"
        )
    engine.dispose()
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--escalations", type=int, default=10_000)
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    report = on_each_database(
        lambda name, url: bench(name, url, args.escalations, args.events, args.runs)
    )
    print("\n".join(report))


if __name__ == "__main__":
    main()
