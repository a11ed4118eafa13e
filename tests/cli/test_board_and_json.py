"""The board (`escalations list`), `due`, and the stable `--json` shapes scripts rely on."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pytest

from escdesk.services.escalation_commands import SetEta
from escdesk.store.uow import SqlUnitOfWork
from tests import factories
from tests.cli.conftest import CLI_NOW, Cli

ITEM_KEYS = {
    "id", "customer", "kind", "severity", "status", "summary", "dri", "opened_at", "days_open",
    "eta", "eta_slips", "eta_missed", "next_internal_update_due", "next_customer_update_due",
    "overdue", "paused", "version",
}  # fmt: skip
SHOW_KEYS = {
    "id", "customer", "account", "channel", "kind", "severity", "status", "route", "summary",
    "customer_summary", "initial_ask", "required_skills", "product_related", "owners",
    "exit_criteria", "updates",
    "eta", "eta_missed", "eta_slips", "eta_history", "owner_changes", "agreement", "rca",
    "opened_at", "closed_at", "days_open", "next_internal_update_due",
    "next_customer_update_due", "overdue", "paused", "working_seconds_left", "calendar",
    "version",
}  # fmt: skip


@dataclass
class Board:
    overdue: int  # medium, opened 8 days ago: both updates a day late, ETA slipped and missed
    critical: int  # critical product STAR opened 2 hours ago
    low: int  # low, opened 2 hours ago
    overdue_dri: str


@pytest.fixture
def board(uow: SqlUnitOfWork) -> Board:
    now = CLI_NOW
    week_ago = now - timedelta(days=8)
    support = factories.add_person(uow, "support", now=week_ago, name="Priya Raman").email
    account = factories.add_account(uow, now=week_ago, name="Acme [bold] Corp").name
    late = factories.open_escalation(uow, now=week_ago, account=account, by=support)
    assert late.id is not None
    factories.act(
        uow, SetEta(late.id, now - timedelta(hours=12), "Vendor"), now=week_ago + timedelta(hours=1)
    )
    product = factories.product_people(uow, now=now)
    critical = factories.open_escalation(
        uow, now=now - timedelta(hours=2), account=account, severity="critical", route="csm",
        kind="ticket_attention_request", product_related=True,
        product_dri=product["product_dri"], product_leader=product["plt"],
    )  # fmt: skip
    low = factories.open_escalation(
        uow, now=now - timedelta(hours=2), account=account, severity="low", by=support
    )
    assert critical.id is not None and low.id is not None
    return Board(late.id, critical.id, low.id, support)


def test_the_board_puts_critical_first_and_shows_what_is_late_in_words(
    cli: Cli, board: Board
) -> None:
    out = cli.ok("escalations", "list").stdout
    lines = [line for line in out.splitlines() if "ESC-" in line]
    assert [f"ESC-{i}" in line for i, line in zip(
        (board.critical, board.overdue, board.low), lines, strict=True
    )] == [True, True, True]  # fmt: skip
    critical, late, low = lines
    assert "CRITICAL" in critical and "STAR" in critical and "in 22h (internal)" in critical
    assert "OVERDUE 24h (internal, customer)" in late
    assert "missed" in late and "slipped ×1" in late and "Priya Raman" in late
    assert " 8 " in late  # days open
    assert "LOW" in low and "Account" in low and "in 13d 22h (internal)" in low
    assert "Acme [bold] Corp" in out  # user text is printed as typed, never as markup
    assert "3 escalations · 1 overdue" in out


def test_list_json_has_the_documented_shape_computed_at_now(cli: Cli, board: Board) -> None:
    page = cli.json("escalations", "list", "--limit", "2")
    assert set(page) == {"items", "total", "limit", "offset"}
    assert (page["total"], page["limit"], page["offset"]) == (3, 2, 0)
    assert [i["id"] for i in page["items"]] == [board.critical, board.overdue]
    late = page["items"][1]
    assert set(late) == ITEM_KEYS
    assert late["overdue"] == ["internal", "customer"]
    assert late["eta_missed"] is True and late["eta_slips"] == 1 and late["days_open"] == 8
    assert late["dri"] == {"id": late["dri"]["id"], "name": "Priya Raman"}
    assert late["severity"] == "medium" and late["kind"] == "account_escalation"
    assert late["opened_at"].endswith("Z") and isinstance(late["id"], int)
    rest = cli.json("escalations", "list", "--limit", "2", "--offset", "2")
    assert [i["id"] for i in rest["items"]] == [board.low]


def test_show_and_history_json_have_the_documented_shapes(cli: Cli, board: Board) -> None:
    shown = cli.json("escalations", "show", str(board.critical))
    assert set(shown) == SHOW_KEYS
    assert set(shown["owners"]) == {"dri", "product_dri", "product_leader"}
    assert set(shown["account"]) >= {"id", "name", "tier", "arr", "status", "sentiment"}
    assert shown["product_related"] is True and shown["channel"] == "#esc_acme-bold-corp"
    trail = cli.json("escalations", "history", str(board.critical))
    assert set(trail) == {"items"}
    assert set(trail["items"][0]) == {"id", "type", "at", "actor", "data"}
    assert trail["items"][0]["type"] == "opened" and trail["items"][0]["actor"] is None


def test_filters_narrow_the_board(cli: Cli, board: Board) -> None:
    def ids(*args: str) -> list[int]:
        return [i["id"] for i in cli.json("escalations", "list", *args)["items"]]

    assert ids("--overdue") == [board.overdue]
    assert ids("--severity", "critical") == [board.critical]
    assert ids("--dri", board.overdue_dri) == [board.overdue, board.low]
    assert ids("--status", "opened", "--account", "Acme [bold] Corp") == [
        board.critical,
        board.overdue,
        board.low,
    ]
    assert cli.ok("escalations", "list", "--status", "closed").stdout == "No escalations match.\n"


def test_due_lists_what_is_owed_within_the_window(cli: Cli, board: Board) -> None:
    def due(*args: str) -> list[int]:
        return [i["id"] for i in cli.json("escalations", "due", *args)["items"]]

    assert due() == [board.critical, board.overdue]  # default: within 24h
    assert due("--within", "1h") == [board.overdue]
    assert due("--within", "3w") == [board.critical, board.overdue, board.low]
    assert due("--within", "3w", "--dri", board.overdue_dri) == [board.overdue, board.low]
    table = cli.ok("escalations", "due", "--within", "1h").stdout
    assert "Updates due within 1h" in table and "OVERDUE" in table


def test_sort_orders_the_board_by_a_column_either_way(cli: Cli, board: Board) -> None:
    def ids(*sort: str) -> list[int]:
        return [item["id"] for item in cli.json("escalations", "list", *sort)["items"]]

    assert ids() == [board.critical, board.overdue, board.low]  # most severe first
    assert ids("--sort", "opened") == [board.overdue, board.critical, board.low]  # ties by id
    assert ids("--sort", "-id") == [board.low, board.critical, board.overdue]
    assert ids("--sort", "-severity") == [board.low, board.overdue, board.critical]  # low first


@pytest.mark.parametrize(
    ("command", "offered"),
    [
        (("escalations", "list"), "id, customer, severity, status, dri, opened, next_update, eta"),
        (("requests", "list"), "id, customer, summary, status, type, severity, filed"),
        (("outbox", "list"), "id, state, kind, destination, attempts, written"),
    ],
)
def test_an_unknown_sort_column_is_refused_naming_the_ones_offered(
    cli: Cli, uow: SqlUnitOfWork, command: tuple[str, ...], offered: str
) -> None:
    cli.actor = factories.add_person(uow, "manager", now=CLI_NOW).email
    result = cli(*command, "--sort", "-colour")
    assert result.exit_code != 0 and "Traceback" not in result.output
    assert "sort" in result.stderr and "'colour' is not a column of this list" in result.stderr
    assert f"Use one of {offered}" in result.stderr
    assert f"-column for descending: {offered}." in " ".join(cli(*command, "--help").stdout.split())
