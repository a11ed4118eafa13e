"""Each `escdesk escalations` command on its happy path, read back through `show --json`."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from tests.cli.conftest import CLI_NOW, Cli, Desk


@pytest.fixture(autouse=True)
def a_manager_makes_the_changes(cli: Cli, desk: Desk) -> None:
    cli.actor = desk.manager


def parse(moment: str) -> datetime:
    return datetime.fromisoformat(moment)


def test_open_names_the_csm_as_dri_of_a_high_escalation_and_keeps_ask_skills_and_eta(
    cli: Cli, desk: Desk
) -> None:
    before = CLI_NOW
    opened = cli.ok("escalations", "open", "--account", desk.account, "--severity", "high",
                    "--route", "csm", "--kind", "star", "--summary", "Exports time out",
                    "--ask", "A database engineer daily", "--skill", "PostgreSQL", "--skill",
                    "query plans", "--exit", "Exports finish in 5 min", "--eta", "+36h", "--also",
                    "--by", desk.csm)  # fmt: skip
    assert opened.stdout.startswith("Opened ESC-4: high escalation for Acme Corp")
    shown = cli.json("escalations", "show", "ESC-4")
    assert shown["owners"]["dri"]["name"] == "Casey Csm"
    assert shown["owners"]["product_dri"] is None
    assert shown["kind"] == "ticket_attention_request" and shown["route"] == "csm"
    assert shown["initial_ask"] == "A database engineer daily"
    assert shown["required_skills"] == ["PostgreSQL", "query plans"]
    assert shown["exit_criteria"] == [
        {
            "number": 1,
            "text": "Exports finish in 5 min",
            "done": False,
            "done_at": None,
            "waived_reason": None,
            "waived_at": None,
        }
    ]
    eta = parse(shown["eta"])
    assert before + timedelta(hours=36) <= eta <= CLI_NOW + timedelta(hours=36)
    assert shown["eta_history"][0]["slipped"] is False
    assert shown["status"] == "opened" and shown["version"] == 1


def test_an_update_from_stdin_activates_the_escalation_and_restarts_its_cadence(
    cli: Cli, desk: Desk
) -> None:
    before = cli.json("escalations", "show", str(desk.medium))
    posted = cli.ok("escalations", "update", str(desk.medium), "--customer", "--body", "-",
                    "--by", desk.support, "--version", str(before["version"]),
                    input="Root cause found.\nFix ships Friday.\n")  # fmt: skip
    assert "customer update posted (status active" in posted.stdout
    after = cli.json("escalations", "show", str(desk.medium))
    assert after["status"] == "active"
    assert after["updates"][-1]["audience"] == "customer"
    assert after["updates"][-1]["body"] == "Root cause found.\nFix ships Friday."
    assert after["updates"][-1]["author"]["name"] == "Sam Support"
    assert parse(after["next_customer_update_due"]) > parse(before["next_customer_update_due"])
    assert after["next_internal_update_due"] == before["next_internal_update_due"]
    assert after["version"] > before["version"]


def test_raising_to_critical_swaps_in_a_leadership_team_product_leader(
    cli: Cli, desk: Desk
) -> None:
    changed = cli.ok("escalations", "severity", f"ESC-{desk.product_high}", "critical",
                     "--reason", "Launch is blocked", "--product-leader", desk.plt)  # fmt: skip
    assert "is now critical" in changed.stdout
    shown = cli.json("escalations", "show", str(desk.product_high))
    assert shown["severity"] == "critical"
    assert shown["owners"]["product_leader"]["id"] == shown["owner_changes"][-1]["to"]["id"]
    assert shown["owner_changes"][-1]["role"] == "product_leader"


def test_eta_changes_are_kept_and_a_later_eta_counts_as_a_slip(cli: Cli, desk: Desk) -> None:
    medium = str(desk.medium)
    cli.ok("escalations", "eta", medium, "+3d", "--reason", "Waiting on the vendor")
    later = (CLI_NOW + timedelta(days=30)).strftime("%Y-%m-%dT%H:%M")
    moved = cli.ok("escalations", "eta", medium, later, "--reason", "Vendor slipped")
    assert "slipped ×" in moved.stdout
    shown = cli.json("escalations", "show", medium)
    assert [e["reason"] for e in shown["eta_history"]] == [
        "initial ETA",
        "Waiting on the vendor",
        "Vendor slipped",
    ]
    # Moving it earlier (7 days → 3 days) is no slip; moving it later is.
    assert [e["slipped"] for e in shown["eta_history"]] == [False, False, True]
    assert shown["eta"] == later + ":00Z"
    [item] = [i for i in cli.json("escalations", "list")["items"] if i["id"] == desk.medium]
    assert item["eta_slips"] == 1 and item["eta_missed"] is False


def test_exit_criteria_are_added_ticked_and_unticked_by_number(cli: Cli, desk: Desk) -> None:
    medium = str(desk.medium)
    out = cli.ok("escalations", "exit-criteria", medium, "--add", "Customer confirms the fix",
                 "--done", "1")  # fmt: skip
    assert "exit criteria: 1 of 2 done" in out.stdout
    cli.ok("escalations", "exit-criteria", medium, "--done", "2", "--undo", "1")
    criteria = cli.json("escalations", "show", medium)["exit_criteria"]
    assert [(c["number"], c["done"]) for c in criteria] == [(1, False), (2, True)]
    assert criteria[1]["done_at"] is not None


def test_handing_the_dri_role_over_records_who_from_and_why(cli: Cli, desk: Desk) -> None:
    cli.ok("people", "add", "Lars Eriksen", "--email", "lars@example.com", "--role", "support")
    cli.ok("escalations", "dri", str(desk.medium), "lars@example.com", "--role", "dri",
           "--reason", "Sam is on leave", "--by", desk.support)  # fmt: skip
    shown = cli.json("escalations", "show", str(desk.medium))
    assert shown["owners"]["dri"]["name"] == "Lars Eriksen"
    [change] = shown["owner_changes"]
    assert change["from"]["name"] == "Sam Support" and change["to"]["name"] == "Lars Eriksen"
    assert change["by"]["name"] == "Sam Support" and change["reason"] == "Sam is on leave"


def test_the_lifecycle_runs_monitor_close_reopen_and_the_trail_records_each_step(
    cli: Cli, desk: Desk
) -> None:
    esc = str(desk.product_high)
    cli.ok("escalations", "monitor", esc, "--note", "Hotfix holds")
    agreed = (CLI_NOW - timedelta(minutes=5)).isoformat()
    close = ("escalations", "close", esc, "--agreed-by", "Dana Whitfield",
             "--agreed-at", agreed, "--agreed-via", "email", "--rca",
             "https://wiki.example.com/rca/42")  # fmt: skip
    refused = cli(*close)
    assert refused.exit_code == 1
    assert "exit criterion 1 (“p95 pipeline start under 30 s for a week”)" in refused.stderr
    assert "(--waive)" in refused.stderr
    closed = cli.ok(*close, "--waive", "1=Dana agreed: the hotfix held for five days")
    assert "closed (status closed" in closed.stdout
    shown = cli.json("escalations", "show", esc)
    assert (
        shown["exit_criteria"][0]["waived_reason"] == "Dana agreed: the hotfix held for five days"
    )
    assert "[-] p95 pipeline start under 30 s for a week — waived at closing by" in (
        cli.ok("escalations", "show", esc).stdout
    )
    assert shown["agreement"] == {"by": "Dana Whitfield", "at": shown["agreement"]["at"],
                                  "via": "email"}  # fmt: skip
    assert shown["rca"] == "https://wiki.example.com/rca/42"
    assert shown["overdue"] == [] and shown["next_customer_update_due"] is None
    assert desk.product_high not in [i["id"] for i in cli.json("escalations", "list")["items"]]
    listed = cli.json("escalations", "list", "--all")["items"]
    assert desk.product_high in [i["id"] for i in listed]

    cli.ok("escalations", "reopen", esc, "--reason", "The errors are back")
    reopened = cli.json("escalations", "show", esc)
    assert reopened["status"] == "active"
    assert reopened["exit_criteria"][0]["waived_reason"] is None
    types = [e["type"] for e in cli.json("escalations", "history", esc)["items"]]
    assert types[-4:] == ["moved_to_monitoring", "exit_criterion_waived", "closed", "reopened"]


def test_history_pages_with_after_and_limit(cli: Cli, desk: Desk) -> None:
    everything = cli.json("escalations", "history", str(desk.closed))["items"]
    assert [e["type"] for e in everything] == ["opened", "exit_criterion_waived", "closed"]
    first = cli.json("escalations", "history", str(desk.closed), "--limit", "1")["items"]
    rest = cli.json("escalations", "history", str(desk.closed), "--after", str(first[0]["id"]))
    assert first + rest["items"] == everything
    table = cli.ok("escalations", "history", str(desk.closed)).stdout
    assert "Opened as medium" in table and "Dana Whitfield agreed by email" in table


def test_a_change_is_refused_without_an_actor_and_names_how_to_give_one(
    cli: Cli, desk: Desk
) -> None:
    cli.actor = None
    refused = cli("escalations", "monitor", str(desk.medium), "--note", "Hotfix holds")
    assert refused.exit_code == 2
    assert "--by" in refused.stderr and "ESCDESK_ACTOR" in refused.stderr
    assert cli.json("escalations", "show", str(desk.medium))["status"] == "opened"


def test_the_actors_roles_apply_on_the_command_line_as_on_the_web(cli: Cli, desk: Desk) -> None:
    """A support engineer may not close someone else's escalation, but may close their own."""
    cli.ok("people", "add", "Ola Other", "--email", "ola@example.com", "--role", "support")
    moment = (CLI_NOW - timedelta(minutes=30)).isoformat()
    agreed = ["--agreed-by", "Dana Whitfield", "--agreed-at", moment, "--agreed-via", "email"]
    esc = str(desk.medium)
    refused = cli("escalations", "close", esc, *agreed, "--by", "ola@example.com")
    assert refused.exit_code == 1
    assert "Ola Other (support) may not close" in refused.stderr
    cli.ok("escalations", "close", esc, *agreed, "--waive", "1=met", "--by", desk.support)
    assert cli.json("escalations", "show", esc)["status"] == "closed"


def test_customer_summary_is_set_and_shown_and_refused_empty_naming_the_flag(
    cli: Cli, desk: Desk
) -> None:
    done = cli.ok("escalations", "customer-summary", str(desk.medium), "--text", "Exports are slow")
    assert "customer summary set: Exports are slow (status opened, version 2)" in done.stdout
    shown = cli.json("escalations", "show", str(desk.medium))
    assert (
        shown["customer_summary"] == "Exports are slow" and shown["summary"] != "Exports are slow"
    )
    assert "Customer reads" in cli.ok("escalations", "show", str(desk.medium)).stdout
    empty = cli("escalations", "customer-summary", str(desk.medium), "--text", " ")
    assert empty.exit_code == 2 and "--text: must not be empty" in empty.stderr


def test_update_preview_prints_what_the_customer_reads_and_posts_nothing(
    cli: Cli, desk: Desk
) -> None:
    cli.ok("accounts", "contacts", "add", desk.account, "--name", "Jo Chen",
           "--email", "jo@acme.example")  # fmt: skip
    before = cli.json("escalations", "show", str(desk.medium))
    shown = cli.ok("escalations", "update", str(desk.medium), "--customer", "--preview",
                   "--body", "Fix ships Friday.", "--by", desk.support)  # fmt: skip
    assert shown.stdout.startswith(f"Not posted. On the status page of ESC-{desk.medium}:")
    assert "--- e-mail to jo@acme.example" in shown.stdout
    assert f"Subject: Update on your escalation ESC-{desk.medium}" in shown.stdout
    assert (
        "Hello Jo Chen," in shown.stdout and "Sam Support, for the escalation team" in shown.stdout
    )
    after = cli.json("escalations", "show", str(desk.medium))
    assert after["updates"] == before["updates"] and after["version"] == before["version"]
    internal = cli("escalations", "update", str(desk.medium), "--internal", "--preview",
                   "--body", "x")  # fmt: skip
    assert internal.exit_code == 2 and "no customer preview" in internal.stderr
