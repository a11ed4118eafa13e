"""R-OPS-4 on the command line: unbounded durations and ids are one line naming the option."""

from __future__ import annotations

import pytest

from tests.cli.conftest import Cli, Desk


@pytest.mark.parametrize("eta", ["+99999999d", "+999999999999999999999w", "+5000w"])
def test_an_unbounded_duration_is_refused_naming_the_option(cli: Cli, desk: Desk, eta: str) -> None:
    result = cli("escalations", "eta", str(desk.medium), eta, "--reason", "r", "--by", desk.csm)
    assert result.exit_code == 2, result.output
    assert result.stderr.count("\n") == 1
    assert "eta" in result.stderr and "ten years" in result.stderr


@pytest.mark.parametrize("key", ["ESC-²", "²", "٣", "99999999999999999999", "ESC-2147483648", "0"])
def test_an_escalation_id_no_store_holds_is_refused_naming_it(cli: Cli, key: str) -> None:
    result = cli("escalations", "show", key)
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("error: id:"), result.stderr


def test_a_date_out_of_range_once_in_utc_names_the_option(cli: Cli, desk: Desk) -> None:
    result = cli(
        "escalations",
        "eta",
        str(desk.medium),
        "9999-12-31T23:59:59-23:59",
        "--reason",
        "r",
        "--by",
        desk.csm,
    )
    assert result.exit_code == 2, result.output
    assert "eta" in result.stderr and "out of range" in result.stderr


@pytest.mark.parametrize("issue", ["issue-²", "99999999999999999999"])
def test_a_recurring_issue_id_no_store_holds_is_refused(cli: Cli, issue: str) -> None:
    result = cli("recurring", "show", issue)
    assert result.exit_code == 2, result.output
    assert "ISSUE" in result.stderr


@pytest.mark.parametrize(
    "args", [["tokens", "revoke", "99999999999999999999"], ["outbox", "retry", "2147483648"]]
)
def test_an_id_argument_beyond_the_store_is_a_usage_error(cli: Cli, args: list[str]) -> None:
    result = cli(*args)
    assert result.exit_code == 2, result.output
    assert "ID" in result.output or "ID" in result.stderr
    assert "Traceback" not in result.output
