"""`escdesk requests` and `escdesk triage agenda` end to end, read back through `--json`."""

from __future__ import annotations

import re

from sqlalchemy import Engine

from tests.cli.conftest import Cli, Desk, row_counts

COMPLETE = ["--kind", "account", "--problem", "Exports time out over 10k rows",
            "--type", "bug", "--severity", "medium", "--workarounds", "Monthly exports; "
            "auditors need one file", "--difficulty", "small", "--dependencies", "none",
            "--other-customers", "3", "--happiness", "yes", "--skill", "PostgreSQL",
            "--ticket", "ZD-77 https://help.example/77"]  # fmt: skip


def test_an_incomplete_request_is_refused_naming_every_missing_option_and_writes_nothing(
    cli: Cli, desk: Desk, engine: Engine
) -> None:
    before = row_counts(engine)
    result = cli("requests", "file", "--account", desk.account, "--by", desk.support)
    assert result.exit_code == 1
    text = " ".join(result.stderr.split())
    assert text.startswith("error: R-INT-2: the triage meeting needs these to decide — missing: ")
    assert "what kind of request it is (--kind); the problem statement (--problem);" in text
    assert re.findall(r"\((--[a-z-]+)\)", text) == [
        "--kind",
        "--problem",
        "--type",
        "--severity",
        "--workarounds",
        "--difficulty",
        "--dependencies",
        "--other-customers",
        "--happiness",
    ]
    assert row_counts(engine) == before


def test_file_list_show_and_the_open_escalation_of_the_same_account(cli: Cli, desk: Desk) -> None:
    filed = cli.ok("requests", "file", "--account", desk.account, *COMPLETE, "--by", desk.support)
    assert filed.stdout.startswith("Filed REQ-1 for Acme Corp: score ")
    assert f"ESC-{desk.medium} is already open for Acme Corp: add to it instead?" in filed.stdout
    shown = cli.json("requests", "show", "REQ-1")
    assert shown["status"] == "pending"
    assert shown["score"]["total"] == sum(p["points"] for p in shown["score"]["breakdown"])
    assert shown["tickets"] == [
        {"external_id": "ZD-77", "ticket_id": None, "url": "https://help.example/77"}
    ]
    listed = cli.json("requests", "list", "--status", "pending")
    assert [i["ref"] for i in listed["items"]] == ["REQ-1"]


def test_decide_escalate_opens_the_escalation_and_the_agenda_then_has_nothing_pending(
    cli: Cli, desk: Desk
) -> None:
    cli.ok("requests", "file", "--account", desk.account, *COMPLETE, "--by", desk.support)
    agenda = cli.json("triage", "agenda")
    assert agenda["held"] is True
    assert [r["ref"] for r in agenda["requests"]] == ["REQ-1"]
    assert {e["ref"] for e in agenda["escalations"]} == {
        f"ESC-{desk.medium}",
        f"ESC-{desk.product_high}",
    }
    markdown = cli.ok("triage", "agenda", "--markdown").stdout
    assert "## New requests, by score" in markdown and "REQ-1 Acme Corp" in markdown
    decided = cli.ok("requests", "decide", "1", "--escalate", "--rationale",
                     "Auditors block renewal", "--eta", "+5d", "--by", desk.manager)  # fmt: skip
    assert "REQ-1 escalated: ESC-4 is open" in decided.stdout
    escalation = cli.json("escalations", "show", "ESC-4")
    assert escalation["owners"]["dri"]["name"] == "Sam Support"
    skipped = cli.json("triage", "agenda")
    assert (
        skipped["held"] is False and "no escalation request is pending" in skipped["skipped_reason"]
    )


def test_decide_needs_exactly_one_outcome_and_a_release_for_schedule(cli: Cli, desk: Desk) -> None:
    cli.ok("requests", "file", "--account", desk.account, *COMPLETE, "--by", desk.support)
    both = cli("requests", "decide", "1", "--backlog", "--education", "--rationale", "x",
               "--by", desk.manager)  # fmt: skip
    assert both.exit_code == 2 and "choose exactly one decision" in both.stderr
    scheduled = cli.ok("requests", "decide", "1", "--schedule", "2027.1", "--rationale",
                       "Planned already", "--by", desk.product)  # fmt: skip
    assert "scheduled for release 2027.1" in scheduled.stdout
    assert cli.json("requests", "show", "1")["decisions"][0]["release"] == "2027.1"


def test_show_lists_similar_requests_and_duplicate_links_one(cli: Cli, desk: Desk) -> None:
    cli.ok("requests", "file", "--account", desk.account, *COMPLETE, "--by", desk.support)
    cli.ok("requests", "file", "--account", desk.account, *COMPLETE, "--by", desk.support)
    shown = cli.ok("requests", "show", "2").stdout
    assert "Similar: REQ-1 Exports time out over 10k rows (pending; shares" in shown
    linked = cli.ok("requests", "duplicate", "2", "--of", "REQ-1", "--by", desk.support)
    assert linked.stdout.strip() == "REQ-2 is linked as a duplicate of REQ-1."
    assert cli.json("requests", "show", "2")["status"] == "withdrawn"
