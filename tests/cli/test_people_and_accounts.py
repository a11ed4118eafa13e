"""`escdesk people` and `escdesk accounts`: add, list and show, as tables and as JSON."""

from __future__ import annotations

from tests.cli.conftest import Cli


def add_people(cli: Cli) -> None:
    cli.ok("people", "add", "Mei Lin", "--email", "Mei.Lin@Example.com", "--role", "csm",
           "--timezone", "Asia/Singapore")  # fmt: skip
    cli.ok("people", "add", "Sofia Rossi", "--email", "sofia@example.com", "--role", "ps_pm")
    cli.ok("people", "add", "Yuki Tanaka", "--email", "yuki@example.com", "--role",
           "product,product_leader_director")  # fmt: skip


def test_people_are_added_and_listed_by_name_with_roles_and_timezone(cli: Cli) -> None:
    added = cli.ok("people", "add", "Priya Raman", "--email", "priya@example.com", "--role",
                   "support", "--role", "manager", "--timezone", "Asia/Kolkata")  # fmt: skip
    assert "Added Priya Raman <priya@example.com>" in added.stdout
    add_people(cli)
    people = cli.json("people", "list")["items"]
    assert [p["name"] for p in people] == ["Mei Lin", "Priya Raman", "Sofia Rossi", "Yuki Tanaka"]
    assert people[0] == {
        "id": people[0]["id"],
        "name": "Mei Lin",
        "email": "mei.lin@example.com",
        "roles": ["csm"],
        "timezone": "Asia/Singapore",
    }
    assert people[1]["roles"] == ["manager", "support"]
    assert people[3]["roles"] == ["product", "product_leader_director"]


def test_people_list_filters_by_role_and_prints_a_table(cli: Cli) -> None:
    add_people(cli)
    assert [p["name"] for p in cli.json("people", "list", "--role", "product")["items"]] == [
        "Yuki Tanaka"
    ]
    table = cli.ok("people", "list").stdout
    assert "Mei Lin" in table and "mei.lin@example.com" in table and "Asia/Singapore" in table


def test_accounts_take_amounts_as_written_and_show_their_csm_and_services_pm(cli: Cli) -> None:
    add_people(cli)
    added = cli.ok("accounts", "add", "Kestrel Insurance", "--tier", "enterprise", "--arr",
                   "1.5M", "--csm", "mei.lin@example.com", "--services-project",
                   "Claims migration", "--pm", "sofia@example.com")  # fmt: skip
    assert "Added account Kestrel Insurance" in added.stdout
    cli.ok("accounts", "add", "Helios Bank", "--tier", "strategic", "--arr", "320k",
           "--status", "pending-deal", "--deal-size", "2,400,000")  # fmt: skip
    cli.ok("accounts", "add", "Orbital Media", "--tier", "smb", "--arr", "0", "--status",
           "prospect")  # fmt: skip

    listed = cli.json("accounts", "list")["items"]
    assert [(a["name"], a["arr"]) for a in listed] == [
        ("Kestrel Insurance", 1_500_000),
        ("Helios Bank", 320_000),
        ("Orbital Media", 0),
    ]
    assert listed[1]["status"] == "pending_deal" and listed[1]["deal_size"] == 2_400_000

    shown = cli.json("accounts", "show", "kestrel insurance")
    assert shown["csm"]["email"] == "mei.lin@example.com"
    assert shown["services_pm"]["name"] == "Sofia Rossi"
    assert shown["services_project"]["name"] == "Claims migration"
    assert shown["tier"] == "enterprise" and shown["sentiment"] == "green"

    text = cli.ok("accounts", "show", str(shown["id"])).stdout
    assert "CSM: Mei Lin <mei.lin@example.com>" in text
    assert "Services project: Claims migration (PM Sofia Rossi" in text
    assert "1,500,000" in cli.ok("accounts", "list").stdout
