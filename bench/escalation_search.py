"""Time the escalation search and a sorted, deep page of the list at 10k escalations.

The search is SQL LIKE over the joined columns (and EXISTS over the updates), so its cost grows
with the rows scanned, never with rows loaded into Python; this prints how much that is on
SQLite and (when ESCDESK_BENCH_POSTGRES_URL or ESCDESK_TEST_DATABASE_URL is set) PostgreSQL.

    .venv/bin/python -m bench.escalation_search [--escalations 10000] [--events 100000]
"""

from __future__ import annotations

import argparse
import time

from bench import desk
from bench.escalations_cli import timed
from bench.generate import generate
from bench.postgres import on_each_database
from escdesk.services import escalations as service
from escdesk.services.escalation_commands import ListEscalations
from escdesk.services.escalation_search import SearchEscalations, search_escalations
from escdesk.services.listing import Order
from escdesk.store.database import make_engine
from escdesk.store.migrate import upgrade
from escdesk.store.uow import SqlUnitOfWork


def bench(name: str, url: str, escalations: int, events: int, runs: int) -> list[str]:
    engine = make_engine(url)
    upgrade(engine)
    started = time.perf_counter()
    counts = generate(engine, escalations, events)
    build = time.perf_counter() - started
    uow = SqlUnitOfWork(engine)
    middle = escalations // 2
    by_customer = Order("customer", descending=True)

    def search(text: str, **values: object) -> object:
        return desk.ask(uow, search_escalations, SearchEscalations.parse(text, **values))

    rows = [
        (f"search 'escalation {middle}' (one match)", lambda: search(f"escalation {middle}")),
        ("search 'update' (every row matches)", lambda: search("update")),
        ("search 'nothing-like-this' (no match)", lambda: search("nothing-like-this")),
        (
            "search 'update', page 100 by customer",
            lambda: search("update", order=by_customer, offset=4950),
        ),
        (
            "list, all, page 100 by customer",
            lambda: desk.ask(
                uow,
                service.list_escalations,
                ListEscalations(include_closed=True, order=by_customer, limit=50, offset=4950),
            ),
        ),
    ]
    lines = [
        f"{name}: {counts['escalations']:,} escalations, {counts['events']:,} events, "
        f"built in {build:.0f} s"
    ]
    for label, call in rows:
        median, worst = timed(call, runs)
        lines.append(f"  {label:<44} {median:8.1f} ms (worst {worst:7.1f})")
    engine.dispose()
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--escalations", type=int, default=10_000)
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    report = on_each_database(
        lambda name, url: bench(name, url, args.escalations, args.events, args.runs)
    )
    print("\n".join(report))


if __name__ == "__main__":
    main()
