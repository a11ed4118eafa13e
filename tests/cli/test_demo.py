"""`escdesk demo` builds a desk with every severity and state, and never touches real data."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from escdesk.cli.app import app
from escdesk.cli.demo import DEMO_PASSWORD
from escdesk.domain.people import Role
from escdesk.services import auth
from escdesk.store.database import make_engine
from escdesk.store.uow import SqlUnitOfWork
from tests.cli.conftest import CLI_NOW, Cli


def test_the_demo_builds_every_severity_and_state_in_its_own_file_and_rebuilds_it(
    private_environment: Path,
) -> None:
    built = CliRunner().invoke(app, ["demo"])
    assert built.exit_code == 0, built.output
    data = private_environment / "data" / "escdesk"
    assert (data / "demo.db").is_file()
    assert not (data / "escdesk.db").exists(), "the user's own database is never touched"
    url = f"sqlite:///{data / 'demo.db'}"
    assert "Demo escalation board" in built.stdout and "CRITICAL" in built.stdout
    assert f"escdesk --database-url {url} escalations show " in built.stdout
    assert "mei.lin@example.com" in built.stdout and DEMO_PASSWORD in built.stdout
    signed_in = auth.sign_in(
        SqlUnitOfWork(make_engine(url)), "mei.lin@example.com", DEMO_PASSWORD, CLI_NOW
    )
    assert signed_in.principal.name == "Mei Lin", "the printed demo sign-in works"

    demo = Cli(url)
    items = demo.json("escalations", "list", "--all")["items"]
    assert len(items) == 14
    assert {i["severity"] for i in items} == {"critical", "high", "medium", "low"}
    assert {i["status"] for i in items} == {"opened", "active", "monitoring", "closed"}
    assert {i["kind"] for i in items} == {"account_escalation", "ticket_attention_request"}
    assert any(i["overdue"] for i in items), "some updates are overdue"
    assert any(i["eta_slips"] >= 2 for i in items), "some ETAs slipped twice"
    assert any(i["eta_missed"] for i in items), "some ETAs were missed"

    def trail(escalation_id: int) -> list[str]:
        return [e["type"] for e in demo.json("escalations", "history", str(escalation_id))["items"]]

    reopened = [i for i in items if "reopened" in trail(i["id"])]
    assert len(reopened) == 1 and reopened[0]["status"] == "active"

    critical = demo.json("escalations", "show", str(items[0]["id"]))
    assert critical["severity"] == "critical" and critical["product_related"] is True
    assert critical["owners"]["product_dri"] and critical["owners"]["product_leader"]

    accounts = demo.json("accounts", "list")["items"]
    assert len(accounts) == 10
    assert {a["status"] for a in accounts} == {"paying", "pending_deal", "prospect"}
    assert {a["tier"] for a in accounts} == {"strategic", "enterprise", "mid_market", "smb"}
    assert any(a["services_project"] for a in accounts)
    assert all(a["deal_size"] for a in accounts if a["status"] == "pending_deal")
    people = demo.json("people", "list")["items"]
    assert {r for p in people for r in p["roles"]} == {r.value for r in Role}
    assert len({p["timezone"] for p in people}) > 10

    demo.ok("people", "add", "Extra Person", "--email", "extra@example.com", "--role", "csm")
    rebuilt = CliRunner().invoke(app, ["demo"])
    assert rebuilt.exit_code == 0, rebuilt.output
    assert len(demo.json("escalations", "list", "--all")["items"]) == 14
    assert "extra@example.com" not in demo.ok("people", "list").stdout


def test_the_demo_refuses_to_delete_anything_but_a_demo_sqlite_file(tmp_path: Path) -> None:
    real = Cli(f"sqlite:///{tmp_path / 'real.db'}")
    real.ok("people", "add", "Real Person", "--email", "real@customer.io", "--role", "csm")
    not_sqlite = CliRunner().invoke(app, ["demo", "--database-url", "postgresql://u@h/db"])
    assert not_sqlite.exit_code == 2 and "not a SQLite file" in not_sqlite.stderr

    configured = f"sqlite:///{tmp_path / 'mine.db'}"
    own = CliRunner().invoke(
        app, ["--database-url", configured, "demo", "--database-url", configured]
    )
    assert own.exit_code == 2 and "is your escdesk database" in own.stderr

    refused = CliRunner().invoke(app, ["demo", "--database-url", real.url])
    assert refused.exit_code == 2 and "holds data the demo did not write" in refused.stderr
    assert [p["email"] for p in real.json("people", "list")["items"]] == ["real@customer.io"]
    text_file = tmp_path / "notes.db"
    text_file.write_text("my notes, not a database\n")
    notes = CliRunner().invoke(app, ["demo", "--database-url", f"sqlite:///{text_file}"])
    assert notes.exit_code == 2 and text_file.read_text() == "my notes, not a database\n"
