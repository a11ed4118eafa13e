"""`escdesk breaches --json` and `GET /api/breaches` (R-SLA-3): missed due moments, once."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import Engine

from escdesk.domain.reminders import ReminderPolicy
from escdesk.domain.severity import DEFAULT_POLICY
from escdesk.notify.scheduler import run_pass
from escdesk.store.uow import SqlUnitOfWork
from tests import factories
from tests.cli.conftest import CLI_NOW, Cli


def test_breaches_are_reported_by_severity_dri_and_account(
    cli: Cli, uow: SqlUnitOfWork, engine: Engine
) -> None:
    assert "No breaches" in cli.ok("breaches").stdout
    opened = CLI_NOW - timedelta(days=10)
    esc = factories.open_escalation(uow, now=opened, severity="medium")
    for _ in range(2):  # a second pass records nothing new
        run_pass(
            lambda: SqlUnitOfWork(engine), CLI_NOW, DEFAULT_POLICY, ReminderPolicy(),
            "https://desk.example",
        )  # fmt: skip
    report = cli.json("breaches")
    assert sorted((b["escalation_id"], b["audience"]) for b in report["items"]) == [
        (esc.id, "customer"),
        (esc.id, "internal"),
    ]
    assert len(report["items"]) == 2 and report["open"] == 2
    assert report["by_severity"] == {"medium": 2}
    assert sum(report["by_account"].values()) == 2 and len(report["by_dri"]) == 1
    late = report["items"][0]["late_seconds"]
    assert timedelta(days=3) - timedelta(minutes=5) <= timedelta(seconds=late)
    table = cli.ok("breaches").stdout
    assert f"ESC-{esc.id}" in table and "by severity: medium 2" in table
