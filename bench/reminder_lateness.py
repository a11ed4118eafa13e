"""How late reminders arrive under the running worker (the goal: at most 30 s at p99).

Opens N escalations on a fresh SQLite file (PostgreSQL with --database-url) whose next updates
come due spread over the next minute or two, runs the real worker — the scheduler as its
periodic job, delivery to a transport that notes when each message arrives — on the wall
clock, and prints how late each overdue notice arrived after its due moment.

    .venv/bin/python -m bench.reminder_lateness [--escalations 200] [--spread 90]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import text
from tests import factories

from escdesk.domain.severity import DEFAULT_POLICY
from escdesk.notify.scheduler import scheduler_job
from escdesk.notify.transport import OutboundMessage, Receipt
from escdesk.notify.worker import Worker
from escdesk.store.database import make_engine
from escdesk.store.migrate import upgrade
from escdesk.store.uow import SqlUnitOfWork


@dataclass
class Arrivals:
    kinds: frozenset[str] = frozenset({"slack.post"})
    late: list[float] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def deliver(self, message: OutboundMessage) -> Receipt:
        payload: Mapping[str, object] = message.payload
        if payload.get("reminder") == "overdue":
            due = datetime.fromisoformat(str(payload["due"]))
            with self.lock:
                self.late.append((datetime.now(UTC) - due).total_seconds())
        return Receipt({})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--escalations", type=int, default=200)
    parser.add_argument("--spread", type=int, default=90, help="seconds the dues spread over")
    parser.add_argument("--database-url")
    parser.add_argument("--every", type=float, default=20.0, help="scheduler period, seconds")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or f"sqlite:///{Path(tmp) / 'bench.db'}"
        engine = make_engine(url)
        upgrade(engine)
        uow = SqlUnitOfWork(engine)
        start = datetime.now(UTC)
        # Medium: a 7-day cadence; opened 7 days ago, plus a spread, so dues fall in the run.
        for n in range(args.escalations):
            offset = timedelta(seconds=5 + args.spread * n / max(1, args.escalations - 1))
            factories.open_escalation(uow, now=start - timedelta(days=7) + offset)
        with engine.begin() as connection:  # only what the bench is about in the outbox
            connection.execute(text("DELETE FROM outbox"))
        arrivals = Arrivals()
        job = scheduler_job(
            lambda: SqlUnitOfWork(engine),
            DEFAULT_POLICY,
            lead="1h",
            standup_minutes=10,
            base_url="https://desk.example",
            every=timedelta(seconds=args.every),
            nudge_at="",
        )
        worker = Worker(
            uow_factory=lambda: SqlUnitOfWork(engine),
            transports=[arrivals],
            clock=lambda: datetime.now(UTC),
            poll=0.5,
            periodic=[job],
        )
        thread = threading.Thread(target=worker.run, daemon=True)
        thread.start()
        time.sleep(args.spread + 3 * args.every + 5)
        worker.stopping.set()
        thread.join(timeout=30)
        engine.dispose()
    late = sorted(arrivals.late)
    if not late:
        print("no overdue notice arrived")
        return
    p99 = late[min(len(late) - 1, int(0.99 * len(late)))]
    print(
        f"{len(late)} overdue notices; late by median {statistics.median(late):.1f} s, "
        f"p99 {p99:.1f} s, worst {late[-1]:.1f} s "
        f"(scheduler every {args.every:g} s, delivery poll 0.5 s)"
    )


if __name__ == "__main__":
    main()
