"""R-OPS-4 on the command line: every kind of bad input gets one line naming the field, a
stable exit code, no traceback, and leaves the database exactly as it was."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine

from tests.cli.conftest import CLI_NOW, Cli, Desk, row_counts


@dataclass(frozen=True)
class Bad:
    name: str
    args: list[str]
    code: int
    names: str  # what the one line on stderr must mention
    url: str | None = None
    config: str | None = None  # TOML written to a file that ESCDESK_CONFIG points at
    env: dict[str, str] = field(default_factory=dict)


def cases(d: Desk) -> list[Bad]:
    medium, high, closed = str(d.medium), f"ESC-{d.product_high}", str(d.closed)
    agreed = (CLI_NOW - timedelta(minutes=10)).isoformat()

    def open_(*extra: str) -> list[str]:
        base = [
            "escalations",
            "open",
            "--account",
            d.account,
            "--summary",
            "s",
            "--ask",
            "a",
            "--also",
        ]  # the desk's customer has escalations open; these test other rules
        return [*base, *extra]

    # One case per line group reads as a table; the formatter would spread it over 300 lines.
    # fmt: off
    return [
        Bad("unknown severity", open_("--severity", "urgent", "--skill", "k", "--by", d.support),
            2, "severity"),
        Bad("bad e-mail", ["people", "add", "Ann Lee", "--email", "ann-at-example", "--role",
            "support"], 2, "email"),
        Bad("duplicate e-mail", ["people", "add", "Sam Again", "--email", d.support, "--role",
            "support"], 2, "email"),
        Bad("bad timezone", ["people", "add", "Ann Lee", "--email", "ann@example.com", "--role",
            "support", "--timezone", "Mars/Olympus_Mons"], 2, "timezone"),
        Bad("unknown role", ["people", "add", "Ann Lee", "--email", "ann@example.com", "--role",
            "wizard"], 2, "roles"),
        Bad("negative ARR", ["accounts", "add", "Negative Co", "--tier", "smb", "--arr", "-5"],
            2, "arr"),
        Bad("amount that is no number", ["accounts", "add", "Vague Co", "--tier", "smb",
            "--arr", "lots"], 2, "--arr"),
        Bad("pending deal without deal size", ["accounts", "add", "Deal Co", "--tier", "smb",
            "--arr", "10k", "--status", "pending_deal"], 2, "--deal-size"),
        Bad("unknown account", ["escalations", "open", "--account", "Nobody Inc", "--severity",
            "low", "--summary", "s", "--ask", "a", "--skill", "k", "--by", d.support],
            2, "account"),
        Bad("unknown person", ["escalations", "dri", medium, "ghost@example.com", "--reason",
            "cover"], 2, "person"),
        Bad("escalation not found", ["escalations", "show", "ESC-999"], 1, "escalation 999"),
        Bad("escalation id that is no id", ["escalations", "show", "ESC-x"], 2, "id"),
        Bad("ETA in the past", ["escalations", "eta", medium, "2020-01-01T00:00", "--reason",
            "late"], 2, "eta"),
        Bad("malformed date", ["escalations", "eta", medium, "next tuesday", "--reason", "r"],
            2, "eta"),
        Bad("malformed agreement date", ["escalations", "close", medium, "--agreed-by", "Dana",
            "--agreed-at", "yesterday-ish", "--agreed-via", "email"], 2, "--agreed-at"),
        Bad("missing required skill", open_("--severity", "low", "--by", d.support), 1, "skill"),
        Bad("closing without agreement", ["escalations", "close", medium], 1, "agreed"),
        Bad("agreement without when and how", ["escalations", "close", medium, "--agreed-by",
            "Dana"], 1, "--agreed-at"),
        Bad("agreement by pigeon", ["escalations", "close", medium, "--agreed-by", "Dana",
            "--agreed-at", agreed, "--agreed-via", "pigeon"], 2, "--agreed-via"),
        Bad("closing product-related without RCA", ["escalations", "close", high, "--agreed-by",
            "Dana", "--agreed-at", agreed, "--agreed-via", "email"], 1, "--rca"),
        Bad("closing with an open exit criterion", ["escalations", "close", medium, "--agreed-by",
            "Dana", "--agreed-at", agreed, "--agreed-via", "email"], 1, "--waive"),
        Bad("waiver without a number", ["escalations", "close", medium, "--agreed-by", "Dana",
            "--agreed-at", agreed, "--agreed-via", "email", "--waive", "not needed"], 2,
            "--waive"),
        Bad("waiver without a reason", ["escalations", "close", medium, "--agreed-by", "Dana",
            "--agreed-at", agreed, "--agreed-via", "email", "--waive", "1= "], 2, "--waive"),
        Bad("waiver of no criterion", ["escalations", "close", medium, "--agreed-by", "Dana",
            "--agreed-at", agreed, "--agreed-via", "email", "--waive", "7=gone"], 2,
            "no criterion 7"),
        Bad("wrong version", ["escalations", "update", medium, "--internal", "--body", "x",
            "--version", "99"], 1, "version"),
        Bad("DRI without the role", ["escalations", "dri", medium, d.product, "--reason", "r"],
            1, "support role"),
        Bad("high product escalation without product DRI", open_("--severity", "high",
            "--route", "csm", "--product-related", "--skill", "k"), 1, "product DRI"),
        Bad("critical with a director instead of PLT", open_("--severity", "critical",
            "--route", "csm", "--product-related", "--skill", "k", "--product-dri", d.product,
            "--product-leader", d.director), 1, "product_leader_plt"),
        Bad("update on a closed escalation", ["escalations", "update", closed, "--customer",
            "--body", "hello"], 1, "is closed"),
        Bad("empty body", ["escalations", "update", medium, "--internal", "--body", "   "],
            2, "body"),
        Bad("update for nobody", ["escalations", "update", medium, "--body", "hi"],
            2, "--internal"),
        Bad("nothing to change in exit criteria", ["escalations", "exit-criteria", medium],
            2, "exit_criteria"),
        Bad("bad --within", ["escalations", "due", "--within", "soon"], 2, "--within"),
        Bad("unknown status filter", ["escalations", "list", "--status", "asleep"],
            2, "status"),
        Bad("unknown option", ["escalations", "list", "--frobnicate"], 2, "--frobnicate"),
        Bad("bad integer", ["escalations", "list", "--limit", "many"], 2, "--limit"),
        Bad("missing argument", ["escalations", "show"], 2, "'ID'"),
        Bad("missing option", ["people", "add", "Ann Lee", "--role", "support"], 2, "--email"),
        Bad("unknown actor", ["escalations", "update", medium, "--internal", "--body", "x"],
            2, "by", env={"ESCDESK_ACTOR": "nobody@example.com"}),
        Bad("nobody named as acting", ["escalations", "monitor", medium, "--note", "x"],
            2, "--by", env={"ESCDESK_ACTOR": ""}),
        Bad("bad database URL", ["people", "list"], 2, "database_url", url="mysql://u@h/db"),
        Bad("unreachable database", ["people", "list"], 1, "127.0.0.1:9",
            url="postgresql+psycopg://escdesk:hunter2@127.0.0.1:9/escdesk"),
        Bad("unknown config key", ["people", "list"], 2, "colour", config='colour = "blue"\n'),
        Bad("bad severity policy", ["people", "list"], 2,
            "severity.high.customer_update_every",
            config='[severity.high]\ncustomer_update_every = "often"\n'),
    ]
    # fmt: on


def test_every_bad_input_gets_one_line_naming_the_field_and_writes_nothing(
    cli: Cli, desk: Desk, engine: Engine, tmp_path: Path, subtests: pytest.Subtests
) -> None:
    cli.actor = desk.manager
    before = row_counts(engine)
    assert before["escalations"] == 3
    bad_inputs = cases(desk)
    assert len({c.name for c in bad_inputs}) >= 20
    for case in bad_inputs:
        with subtests.test(msg=case.name):
            env = dict(case.env)
            if case.config is not None:
                path = tmp_path / f"{case.name.replace(' ', '_')}.toml"
                path.write_text(case.config, encoding="utf-8")
                env["ESCDESK_CONFIG"] = str(path)
            result = cli(*case.args, url=case.url, env=env)
            lines = result.stderr.strip().splitlines()
            assert result.exit_code == case.code, result.output
            assert len(lines) == 1, result.stderr
            assert lines[0].startswith("error: ")
            assert case.names in lines[0], lines[0]
            assert "Traceback" not in result.output
            assert result.exception is None or isinstance(result.exception, SystemExit)
            assert "hunter2" not in result.output
            assert row_counts(engine) == before
