"""`escdesk calendars …` and `accounts set-calendar` (R-SLA-1)."""

from __future__ import annotations

from sqlalchemy import Engine

from escdesk.store.uow import SqlUnitOfWork
from tests.cli.conftest import Cli, Desk, row_counts

MUNICH = (
    "calendars", "add", "munich", "--timezone", "Europe/Berlin",
    "--hours", "mon-thu 09:00-12:00,13:00-17:00", "--hours", "fri 09:00-15:00",
    "--holidays", "DE-BY", "--closed", "2026-12-24",
)  # fmt: skip


def test_add_list_show_and_set_default(cli: Cli) -> None:
    assert "Added calendar munich" in cli.ok(*MUNICH).stdout
    assert cli.ok("calendars", "list").stdout.count("munich") == 1
    shown = cli.json("calendars", "show", "munich")
    assert shown["hours"] == ["mon-thu 09:00-12:00,13:00-17:00", "fri 09:00-15:00"]
    assert shown["closed"] == ["2026-12-24"] and "2026-12-26" in shown["holiday_dates"]
    cli.ok("calendars", "set-default", "munich")
    assert cli.json("calendars", "list")["items"][0]["default"] is True


def test_the_explain_tools_print_a_due_moment_and_seconds(cli: Cli) -> None:
    cli.ok(*MUNICH)
    assert cli.json("calendars", "add-time", "munich", "2026-11-06T16:30+01:00", "90m") == {
        "due": "2026-11-09T09:30:00Z"
    }
    assert cli.json(
        "calendars", "between", "munich", "2026-11-06T14:00+01:00", "2026-11-09T10:00+01:00"
    ) == {"seconds": 7200}
    # A due moment on a closing time is that closing time: Monday 09:00 + 3 h = 12:00.
    assert cli.json("calendars", "add-time", "munich", "2026-11-09T09:00+01:00", "3h") == {
        "due": "2026-11-09T11:00:00Z"
    }
    assert cli.json("calendars", "add-time", "24x7", "2026-11-06T16:30Z", "1h30m") == {
        "due": "2026-11-06T18:00:00Z"
    }


def test_bad_input_is_refused_with_the_fix_and_writes_nothing(cli: Cli, engine: Engine) -> None:
    before = row_counts(engine)
    for args, words in [
        (("calendars", "add", "x", "--timezone", "Mars/Base", "--hours", "mon 09:00-17:00"),
         "IANA"),
        (("calendars", "add", "x", "--timezone", "UTC", "--hours", "mon 9-5"), "HH:MM"),
        (("calendars", "add", "x", "--timezone", "UTC", "--hours", "mon 09:00-17:00",
          "--holidays", "XX"), "DE-BY"),
        (("calendars", "add-time", "x", "2026-11-06T16:30", "1h"), "not found"),
    ]:  # fmt: skip
        result = cli(*args)
        assert result.exit_code != 0, args
        assert words in result.output, result.output
        assert "Traceback" not in result.output
    assert row_counts(engine) == before
    cli.ok(*MUNICH)
    soon = cli("calendars", "add-time", "munich", "2026-11-06T16:30", "soon")
    assert soon.exit_code != 0 and "90m" in soon.output


def test_an_account_gets_a_calendar(cli: Cli, desk: Desk, uow: SqlUnitOfWork) -> None:
    cli.ok(*MUNICH)
    out = cli.ok("accounts", "set-calendar", desk.account, "--calendar", "munich").stdout
    assert "munich" in out
    with uow:
        account = uow.accounts.find(desk.account, "account")
        assert uow.calendars.for_account(account.id or 0).name == "munich"
