"""Fill a migrated database with N escalations and M audit events, fast, for benchmarks.

Rows are bulk-inserted with the store's tables (not through the services: a million commands
would take hours), but they look like what the services write: every escalation has people,
an account, updates, an ETA history and a trail of events.

    python -m bench.generate --database-url sqlite:///bench.db --escalations 10000 --events 1000000
"""

from __future__ import annotations

import argparse
import random
import time
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, insert

from escdesk.domain.severity import DEFAULT_POLICY, Severity
from escdesk.store.database import make_engine
from escdesk.store.migrate import upgrade
from escdesk.store.tables import (
    AccountRow,
    EscalationRow,
    EtaChangeRow,
    EventRow,
    ExitCriterionRow,
    PersonRow,
    UpdateRow,
)

CHUNK = 20_000
EVENT_TYPES = ["update_posted", "eta_changed", "exit_criterion_done", "owner_changed"]


def _chunks(rows: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    return [rows[i : i + CHUNK] for i in range(0, len(rows), CHUNK)]


def generate(
    engine: Engine, escalations: int = 10_000, events: int = 1_000_000, seed: int = 7
) -> dict[str, int]:
    """Insert the data set; returns the row counts written."""
    rng = random.Random(seed)
    start = datetime(2025, 1, 1, tzinfo=UTC)
    people = [
        {
            "id": i,
            "name": f"Person {i}",
            "email": f"p{i}@example.com",
            "roles": [["support"], ["csm"], ["product"], ["manager"]][i % 4],
            "timezone": "UTC",
            "created_at": start,
        }
        for i in range(1, 201)
    ]
    accounts = [
        {
            "id": i,
            "name": f"Account {i}",
            "slug": f"account-{i}",
            "tier": "enterprise",
            "arr": rng.randint(10, 2_000) * 1_000,
            "status": "paying",
            "deal_size": None,
            "csm_id": 2 + 4 * (i % 50),
            "services_project": None,
            "services_pm_id": None,
            "sentiment": "green",
            "created_at": start,
            "version": 1,
        }
        for i in range(1, 1001)
    ]
    severities = list(Severity)
    escalation_rows, update_rows, criteria_rows, eta_rows = [], [], [], []
    for i in range(1, escalations + 1):
        opened = start + timedelta(minutes=rng.randint(0, 800_000))
        severity = rng.choice(severities)
        status = rng.choices(["active", "monitoring", "closed", "opened"], [5, 2, 6, 1])[0]
        last = opened + timedelta(hours=rng.randint(1, 400))
        level = DEFAULT_POLICY[severity]
        eta = opened + timedelta(days=rng.randint(3, 40))
        account = rng.randint(1, len(accounts))
        escalation_rows.append(
            {
                "id": i,
                "account_id": account,
                "customer": f"Account {account}",
                "channel": f"#esc_account-{account}",
                "kind": "account_escalation",
                "severity": severity.value,
                "route": "support",
                "status": status,
                "summary": f"Escalation {i}: pipelines stall",
                "initial_ask": "An engineer daily",
                "required_skills": ["PostgreSQL"],
                "product_related": False,
                "dri_id": 1 + 4 * (i % 50),
                "product_dri_id": None,
                "product_leader_id": None,
                "eta": eta,
                "agreed_by": None,
                "agreed_at": None,
                "agreed_via": None,
                "rca_reference": None,
                "opened_at": opened,
                "cadence_start": opened,
                "closed_at": last if status == "closed" else None,
                "updated_at": last,
                "next_internal_update_due": None
                if status == "closed"
                else last + level.internal_update_every,
                "next_customer_update_due": None
                if status == "closed"
                else last + level.customer_update_every,
                "version": 10,
            }
        )
        for n in range(3):
            update_rows.append(
                {
                    "escalation_id": i,
                    "audience": ("internal", "customer")[n % 2],
                    "body": f"Update {n} on escalation {i}",
                    "author_id": 1,
                    "posted_at": opened + timedelta(hours=n + 1),
                }
            )
        criteria_rows.append(
            {
                "escalation_id": i,
                "text": "p95 under 2 s for a week",
                "done": status == "closed",
                "done_at": None,
            }
        )
        eta_rows.append(
            {
                "escalation_id": i,
                "changed_at": opened,
                "old_eta": None,
                "new_eta": eta,
                "reason": "initial ETA",
                "by_id": 1,
            }
        )
    counts = {
        "people": len(people),
        "accounts": len(accounts),
        "escalations": len(escalation_rows),
        "events": 0,
    }
    with engine.begin() as connection:
        connection.execute(insert(PersonRow), people)
        connection.execute(insert(AccountRow), accounts)
        for table, rows in (
            (EscalationRow, escalation_rows),
            (UpdateRow, update_rows),
            (ExitCriterionRow, criteria_rows),
            (EtaChangeRow, eta_rows),
        ):
            for chunk in _chunks(rows):
                connection.execute(insert(table), chunk)
    per_escalation = max(1, events // max(1, escalations))
    batch: list[dict[str, Any]] = []
    with engine.begin() as connection:
        for i in range(1, escalations + 1):
            at = escalation_rows[i - 1]["opened_at"]
            for n in range(per_escalation):
                kind = "opened" if n == 0 else EVENT_TYPES[n % len(EVENT_TYPES)]
                batch.append(
                    {
                        "subject": "escalation",
                        "subject_id": i,
                        "type": kind,
                        "occurred_at": at + timedelta(minutes=n),
                        "actor_id": 1,
                        "data": {"n": n, "body": "status checked with the customer"},
                    }
                )
            if len(batch) >= CHUNK:
                connection.execute(insert(EventRow), batch)
                counts["events"] += len(batch)
                batch = []
        if batch:
            connection.execute(insert(EventRow), batch)
            counts["events"] += len(batch)
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--escalations", type=int, default=10_000)
    parser.add_argument("--events", type=int, default=1_000_000)
    args = parser.parse_args()
    engine = make_engine(args.database_url)
    upgrade(engine)
    started = time.perf_counter()
    counts = generate(engine, args.escalations, args.events)
    print(f"generated {counts} in {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
