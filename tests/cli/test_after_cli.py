"""`escdesk retros`, `fixes` and `releases` (R-RCA-1/2, R-FIX-1/2/3): the real command,
its --json shapes, and bad input named by its option."""

from __future__ import annotations

from datetime import datetime, timedelta

from escdesk.domain.recurring_issue import IssueStatus, RecurringIssue
from escdesk.store.uow import SqlUnitOfWork
from tests.after_factories import engineering_escalation, to_monitoring
from tests.cli.conftest import CLI_NOW, Cli
from tests.factories import add_person
from tests.request_factories import file_request
from tests.services.tracker_server import TOKEN, tracker_server


def test_a_retrospective_is_written_from_the_command_line(
    cli: Cli, uow: SqlUnitOfWork, recent: datetime
) -> None:
    esc = engineering_escalation(uow, now=recent - timedelta(hours=2))
    to_monitoring(uow, esc, now=recent)
    writer = add_person(uow, "support", now=recent).email
    owner = add_person(uow, "product", now=recent).email
    ref = f"ESC-{esc.id}"
    shown = cli.json("retros", "show", ref)
    assert shown["status"] == "open" and shown["timeline"][0]["what"] == "opened the escalation"
    line = shown["timeline"][1]["event_id"]
    cli.ok("retros", "annotate", ref, str(line), "Here it stalled", "--by", writer)
    cli.ok("retros", "describe", ref, "--root-cause", "product_bug", "--summary", "Lock held",
           "--by", writer)  # fmt: skip
    cli.ok("retros", "missed", ref, "Nightly tests skipped the path", "--by", writer)
    out = cli.json("retros", "follow-up", ref, "Add the test", "--owner", owner, "--due", "+3d",
                   "--by", writer)  # fmt: skip
    assert out["follow_ups"][0]["team"] == "product"
    cli.ok("retros", "done", ref, "1", "--by", owner)
    done = cli.json("retros", "complete", ref, "--by", writer)
    assert done["status"] == "completed" and done["timeline"][1]["annotation"] == "Here it stalled"
    markdown = cli.ok("retros", "export", ref).stdout
    assert (
        markdown.startswith(f"# Retrospective: ESC-{esc.id}") and "- [x] Add the test" in markdown
    )
    shares = cli.json("retros", "shares")
    assert shares["by_root_cause"]["product_bug"]["on_time"] == 1
    assert [r["escalation_id"] for r in cli.json("retros", "list", "--all")["items"]] == [esc.id]


def test_a_bad_root_cause_names_the_field(cli: Cli, uow: SqlUnitOfWork, recent: datetime) -> None:
    esc = engineering_escalation(uow, now=recent)
    to_monitoring(uow, esc, now=recent)
    writer = add_person(uow, "support", now=recent).email
    result = cli("retros", "describe", f"ESC-{esc.id}", "--root-cause", "pebkac", "--by", writer)
    assert result.exit_code == 2 and "root_cause" in result.stderr


def test_a_fix_is_submitted_reviewed_and_shipped_from_the_command_line(
    cli: Cli, uow: SqlUnitOfWork, recent: datetime, tmp_path: object
) -> None:
    esc = engineering_escalation(uow, now=recent - timedelta(days=2))
    with uow:
        issue = RecurringIssue(
            "Exports time out", recent - timedelta(days=9), IssueStatus.CONFIRMED
        )
        uow.recurring.add(issue)
        uow.commit()
    support = add_person(uow, "support", now=recent).email
    engineer = add_person(uow, "product", now=recent).email
    fix = cli.json("fixes", "submit", "Stream exports", "--kind", "pull_request", "--escalation",
                   f"ESC-{esc.id}", "--issue", str(issue.id), "--url",
                   "https://github.com/acme/app/pull/9", "--by", support)  # fmt: skip
    assert fix["status"] == "submitted"
    assert [f["id"] for f in cli.json("fixes", "queue")["items"]] == [fix["id"]]
    refused = cli("fixes", "review", str(fix["id"]), "--decision", "reject", "--by", engineer)
    assert refused.exit_code == 2 and "reason" in refused.stderr
    cli.ok("fixes", "review", str(fix["id"]), "--decision", "accept", "--by", engineer)
    planned = cli.json("releases", "plan", "4.2.1", "--on", CLI_NOW.date().isoformat(),
                       "--by", support)  # fmt: skip
    assert planned["status"] == "planned"
    cli.ok("releases", "add", "4.2.1", str(fix["id"]), "--by", support)
    assert "1. Stream exports" in cli.ok("releases", "show", "4.2.1").stdout
    shipped = cli.json("releases", "ship", "4.2.1", "--by", engineer)
    assert shipped["status"] == "shipped" and shipped["fixes"][0]["status"] == "shipped"
    lead = cli.json("fixes", "lead-time")
    assert lead["shipped"] == 1 and 8.9 < lead["median_days"] < 9.1
    shown = cli.json("recurring", "show", str(issue.id))
    assert shown["status"] == "fixed"


def test_links_are_added_and_synced_from_the_command_line(
    cli: Cli, uow: SqlUnitOfWork, recent: datetime
) -> None:
    esc = engineering_escalation(uow, now=recent)
    writer = add_person(uow, "support", now=recent).email
    url = "https://github.com/acme/app/issues/31"
    added = cli.json("links", "add", url, "--escalation", f"ESC-{esc.id}", "--by", writer)
    assert (added["tracker"], added["key"], added["state"]) == ("github", "acme/app#31", "unknown")
    bad = cli(
        "links", "add", "https://github.com/acme", "--escalation", str(esc.id), "--by", writer
    )
    assert bad.exit_code == 2 and "url" in bad.stderr
    with tracker_server() as server:
        server.answers["/repos/acme/app/issues/31"] = {"state": "closed"}
        synced = cli("links", "sync", env={"ESCDESK_GITHUB_API_URL": server.base})
    assert synced.exit_code == 0, synced.output
    assert "1 link changed state" in synced.stdout
    shown = cli.json("links", "list", "--escalation", f"ESC-{esc.id}")["items"]
    assert (shown[0]["state"], shown[0]["remote_status"]) == ("closed", "closed")


def test_a_follow_up_is_created_in_the_tracker_from_the_command_line(
    cli: Cli, uow: SqlUnitOfWork, recent: datetime
) -> None:
    esc = engineering_escalation(uow, now=recent - timedelta(hours=2))
    to_monitoring(uow, esc, now=recent)
    writer = add_person(uow, "support", now=recent).email
    owner = add_person(uow, "product", now=recent).email
    ref = f"ESC-{esc.id}"
    cli.ok("retros", "follow-up", ref, "Add the test", "--owner", owner, "--due", "+3d",
           "--by", writer)  # fmt: skip
    missing = cli("retros", "create-issue", ref, "1", "--by", writer)
    assert missing.exit_code == 2 and "--tracker" in missing.stderr
    assert "ESCDESK_GITLAB_PROJECT" in missing.stderr
    with tracker_server() as server:
        env = {"ESCDESK_GITLAB_API_URL": f"{server.base}/api/v4", "ESCDESK_GITLAB_TOKEN": TOKEN,
               "ESCDESK_GITLAB_PROJECT": "acme/app"}  # fmt: skip
        queued = cli("retros", "create-issue", ref, "1", "--by", writer, "--json", env=env)
        assert queued.exit_code == 0, queued.output
        assert server.creations == 0
        delivered = cli("worker", "--once", env=env)
        assert delivered.exit_code == 0, delivered.output
        created = "https://gitlab.example.com/acme/app/-/issues/1"
        assert [i["url"] for i in server.created] == [created]
    shown = cli.json("retros", "show", ref)
    assert shown["follow_ups"][0]["tracker_url"] == server.created[0]["url"]


def test_links_and_fixes_name_a_request_on_the_command_line(
    cli: Cli, uow: SqlUnitOfWork, recent: datetime
) -> None:
    seller = add_person(uow, "sales", now=recent).email
    author = add_person(uow, "support", now=recent).email
    request = file_request(uow, now=recent, by=seller)
    req = f"REQ-{request.id}"
    linked = cli.json("links", "add", "https://acme.atlassian.net/browse/APP-9", "--request", req,
                      "--by", seller)  # fmt: skip
    assert (linked["subject_type"], linked["key"]) == ("request", "APP-9")
    listed = cli.json("links", "list", "--request", req)["items"]
    assert [item["key"] for item in listed] == ["APP-9"]
    fix = cli.json("fixes", "submit", "Page the export", "--kind", "workaround", "--content",
                   "Export by month", "--request", req, "--by", author)  # fmt: skip
    assert fix["request_id"] == request.id
    assert [f["id"] for f in cli.json("fixes", "list", "--request", req)["items"]] == [fix["id"]]
    bad = cli("links", "list", "--request", "REQ-x")
    assert bad.exit_code == 2 and "--request" in bad.stderr
