"""The CLI prints moments in the actor's own timezone, with the zone written, in one format;
`--utc` prints UTC, and `--json` is always ISO 8601 in UTC (`cli.times`)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine

from escdesk.domain.reminders import ReminderPolicy
from escdesk.domain.severity import DEFAULT_POLICY
from escdesk.notify.scheduler import run_pass
from escdesk.store.uow import SqlUnitOfWork
from tests import factories
from tests.cli.conftest import CLI_NOW, Cli


def _new_yorker(uow: SqlUnitOfWork, now: datetime) -> str:
    return factories.add_person(uow, "manager", now=now, timezone="America/New_York").email


def test_show_and_history_print_the_actors_zone_and_utc_when_asked(
    cli: Cli, uow: SqlUnitOfWork, recent: datetime
) -> None:
    esc = factories.open_escalation(uow, now=recent)  # 10:00 UTC, 05:00 in New York
    cli.actor = _new_yorker(uow, recent)
    shown = cli.ok("escalations", "show", str(esc.id)).stdout
    assert "2026-11-02 05:00 America/New_York" in shown and " UTC" not in shown
    history = cli.ok("escalations", "history", str(esc.id)).stdout
    assert "2026-11-02 05:00 America/New_York" in history
    utc = cli.ok("--utc", "escalations", "show", str(esc.id)).stdout
    assert "2026-11-02 10:00 UTC" in utc and "America/New_York" not in utc
    assert cli.json("escalations", "show", str(esc.id))["opened_at"] == "2026-11-02T10:00:00Z"


def test_the_board_and_the_due_list_are_as_of_the_actors_clock(
    cli: Cli, uow: SqlUnitOfWork, recent: datetime
) -> None:
    factories.open_escalation(uow, now=recent, severity="critical")
    assert "as of 2026-11-02 12:00 UTC" in cli.ok("escalations", "list").stdout  # nobody named
    cli.actor = _new_yorker(uow, recent)
    assert "as of 2026-11-02 07:00 America/New_York" in cli.ok("escalations", "list").stdout
    due = cli.ok("escalations", "due", "--within", "3d").stdout
    assert "as of 2026-11-02 07:00 America/New_York" in due
    tokyo = factories.add_person(uow, "manager", now=recent, timezone="Asia/Tokyo").email
    esc = factories.open_escalation(uow, now=recent)
    told = cli.ok("escalations", "eta", str(esc.id), "2026-11-20T08:00Z", "--reason", "vendor",
                  "--by", tokyo).stdout  # fmt: skip
    assert "ETA set to 2026-11-20 17:00 Asia/Tokyo" in told  # --by wins over ESCDESK_ACTOR


def test_breaches_and_the_explain_tool_print_the_actors_zone(
    cli: Cli, uow: SqlUnitOfWork, engine: Engine
) -> None:
    factories.open_escalation(uow, now=CLI_NOW - timedelta(days=10), severity="medium")
    run_pass(lambda: SqlUnitOfWork(engine), CLI_NOW, DEFAULT_POLICY, ReminderPolicy(), "https://x")
    cli.actor = _new_yorker(uow, CLI_NOW)
    table = cli.ok("breaches").stdout
    assert "America/New_York" in table and " UTC" not in table
    assert cli.json("breaches")["as_of"] == "2026-11-02T12:00:00Z"
    cli.ok(
        "calendars",
        "add",
        "munich",
        "--timezone",
        "Europe/Berlin",
        "--hours",
        "mon-fri 09:00-17:00",
    )
    due = cli.ok("calendars", "add-time", "munich", "2026-11-06T16:30+01:00", "90m").stdout
    assert due == "2026-11-09 04:00 America/New_York\n"  # Monday 10:00 in Munich
    assert cli.ok("--utc", "calendars", "add-time", "munich", "2026-11-06T16:30+01:00",
                  "90m").stdout == "2026-11-09 09:00 UTC\n"  # fmt: skip


def test_an_unknown_actor_is_reported_by_the_command_not_by_the_time_format(
    cli: Cli, uow: SqlUnitOfWork, recent: datetime
) -> None:
    esc = factories.open_escalation(uow, now=recent)
    cli.actor = "nobody@example.com"
    refused = cli("escalations", "show", str(esc.id))
    assert refused.exit_code == 2 and "--by: no person 'nobody@example.com'" in refused.output


def test_the_list_shows_the_eta_on_the_actors_date_and_utc_when_asked(
    cli: Cli, uow: SqlUnitOfWork, recent: datetime
) -> None:
    eta = datetime(2026, 11, 5, 20, 0, tzinfo=UTC)  # already Friday in Singapore
    esc = factories.open_escalation(uow, now=recent, eta=eta)
    cli.actor = factories.add_person(uow, "csm", now=recent, timezone="Asia/Singapore").email
    row = next(
        line
        for line in cli.ok("escalations", "list").stdout.splitlines()
        if f"ESC-{esc.id}" in line
    )
    assert "2026-11-06" in row and "2026-11-05" not in row
    utc = cli.ok("--utc", "escalations", "list").stdout
    row = next(line for line in utc.splitlines() if f"ESC-{esc.id}" in line)
    assert "2026-11-05" in row and "as of 2026-11-02 12:00 UTC" in utc
    shown = cli.ok("escalations", "show", str(esc.id)).stdout
    assert "2026-11-06 04:00 Asia/Singapore" in shown
    assert "2026-11-05 20:00 UTC" in cli.ok("--utc", "escalations", "show", str(esc.id)).stdout
    history = cli.ok("escalations", "history", str(esc.id)).stdout
    assert "Asia/Singapore" in history and " UTC" not in history
    assert "2026-11-02 10:00 UTC" in cli.ok("--utc", "escalations", "history", str(esc.id)).stdout
    assert cli.json("escalations", "show", str(esc.id))["eta"] == "2026-11-05T20:00:00Z"


def test_other_commands_print_moments_on_the_actors_clock_too(
    cli: Cli, uow: SqlUnitOfWork, recent: datetime
) -> None:
    factories.open_escalation(uow, now=recent)
    cli.actor = factories.add_person(uow, "manager", now=recent, timezone="Asia/Singapore").email
    outbox = cli.ok("outbox", "list").stdout
    assert "2026-11-02 18:00 Asia/Singapore" in outbox  # queued at 10:00 UTC
    assert "2026-11-02 10:00 UTC" in cli.ok("--utc", "outbox", "list").stdout
