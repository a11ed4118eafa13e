"""Accounts kept true on the command line (seed 004): `accounts edit`, `escalations close
--sentiment`, and `escalations open` refusing a second open escalation without `--also`."""

from __future__ import annotations

from datetime import timedelta

from tests.cli.conftest import CLI_NOW, Cli, Desk

AGREED = ["--agreed-by", "Dana", "--agreed-at", (CLI_NOW - timedelta(minutes=5)).isoformat(),
          "--agreed-via", "email"]  # fmt: skip


def test_its_csm_edits_the_account_and_show_tells_who_set_the_sentiment(
    cli: Cli, desk: Desk
) -> None:
    before = cli.json("accounts", "show", desk.account)
    edited = cli.ok("accounts", "edit", desk.account, "--sentiment", "yellow", "--arr", "1.5M",
                    "--version", str(before["version"]), "--by", desk.csm)  # fmt: skip
    assert "Edited account Acme Corp" in edited.stdout and "ARR 1,500,000" in edited.stdout
    assert "sentiment yellow" in edited.stdout
    shown = cli.json("accounts", "show", desk.account)
    assert (shown["sentiment"], shown["arr"]) == ("yellow", 1_500_000)
    assert shown["sentiment_set_by_id"] == shown["csm"]["id"]
    # its product-related high escalation is open: at risk whatever the sentiment says
    assert shown["at_risk"] is True
    assert shown["at_risk_because"] == ["1 open critical or high escalation"]
    text = cli.ok("accounts", "show", desk.account).stdout
    assert "sentiment yellow (set by Casey Csm," in text
    assert "At risk: 1 open critical or high escalation" in text


def test_a_support_engineer_may_not_edit_and_a_stale_version_is_a_conflict(
    cli: Cli, desk: Desk
) -> None:
    refused = cli("accounts", "edit", desk.account, "--arr", "1", "--by", desk.support)
    assert refused.exit_code == 1 and "may not edit account" in refused.stderr
    stale = cli("accounts", "edit", desk.account, "--arr", "1", "--version", "99",
                "--by", desk.manager)  # fmt: skip
    assert stale.exit_code == 1 and "changed by someone else" in stale.stderr
    bad = cli("accounts", "edit", desk.account, "--sentiment", "sunny", "--by", desk.manager)
    assert bad.exit_code == 2 and "--sentiment" in bad.stderr
    assert cli.json("accounts", "show", desk.account)["arr"] == 120_000


def test_closing_with_a_sentiment_sets_it_for_the_account(cli: Cli, desk: Desk) -> None:
    cli.ok("escalations", "close", str(desk.medium), *AGREED, "--sentiment", "at-risk",
           "--waive", "1=Eve agreed to close early",
           "--by", desk.manager)  # fmt: skip
    shown = cli.json("accounts", "show", desk.account)
    assert shown["sentiment"] == "at_risk" and shown["sentiment_set_at"]


def test_a_second_open_escalation_is_refused_naming_the_open_one_until_also(
    cli: Cli, desk: Desk
) -> None:
    argv = ["escalations", "open", "--account", desk.account, "--severity", "low",
            "--summary", "Exports time out", "--ask", "An engineer", "--skill", "Go",
            "--by", desk.support]  # fmt: skip
    refused = cli(*argv)
    assert refused.exit_code == 1
    assert "Acme Corp already has an open escalation: #" in refused.stderr
    assert "give --also to open a second one" in refused.stderr
    total = cli.json("escalations", "list")["total"]
    opened = cli.ok(*argv, "--also")
    assert opened.stdout.startswith("Opened ESC-")
    assert cli.json("escalations", "list")["total"] == total + 1
