"""`escdesk tickets` and `escdesk recurring` on the command line (R-REC-1…4, R-OPS-4).

`tickets similar --json` is a contract scripts depend on: one line per query, exactly
`{"id": "<query id>", "similar": [{"id": "<ticket id>", "score": <float>}, …]}`, best first.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine

from tests.cli.conftest import CLI_NOW, Cli, Desk, row_counts
from tests.ticket_factories import jsonl, labelled_records, record

LINE = re.compile(
    r'^\{"id": "[^"]+", "similar": \[((\{"id": "[^"]+", "score": -?\d+(\.\d+)?(e-?\d+)?\})'
    r'(, \{"id": "[^"]+", "score": -?\d+(\.\d+)?(e-?\d+)?\})*)?\]\}$'
)


@pytest.fixture
def export(tmp_path: Path) -> Path:
    """The labelled helpdesk, ending yesterday (the CLI reads the real clock)."""
    start = CLI_NOW - timedelta(days=40)
    return jsonl(tmp_path / "tickets.jsonl", labelled_records(start))


@pytest.fixture
def imported(cli: Cli, export: Path) -> Path:
    cli.ok("tickets", "import", str(export), "--format", "jsonl")
    return export


def test_tickets_similar_json_prints_exactly_one_line_per_query(cli: Cli, imported: Path) -> None:
    result = cli.ok("tickets", "similar", "L-5", "L-2", "--k", "3", "--json")
    lines = result.stdout.splitlines()

    assert len(lines) == 2
    assert all(LINE.match(line) for line in lines), lines
    first, second = (json.loads(line) for line in lines)
    assert list(first) == ["id", "similar"] and first["id"] == "L-5"
    assert second["id"] == "L-2"
    assert len(first["similar"]) == 3
    assert all(list(item) == ["id", "score"] for item in first["similar"])
    assert all(isinstance(item["score"], float) for item in first["similar"])
    scores = [item["score"] for item in first["similar"]]
    assert scores == sorted(scores, reverse=True)
    assert first["similar"][0]["id"] in {"L-1", "L-13", "L-20", "L-26"}  # LDAP, like L-5


def test_earlier_only_and_ids_from_a_file(cli: Cli, imported: Path, tmp_path: Path) -> None:
    ids = tmp_path / "ids.txt"
    ids.write_text("# tickets to check\nL-1\n\nL-26\n", encoding="utf-8")

    lines = cli.ok("tickets", "similar", "--ids-from", str(ids), "--earlier-only", "--json")
    first, last = (json.loads(line) for line in lines.stdout.splitlines())

    assert first == {"id": "L-1", "similar": []}  # the first ticket has nothing earlier
    assert {item["id"] for item in last["similar"]} >= {"L-1", "L-5", "L-13", "L-20"}
    numbers = [int(item["id"].split("-")[1]) for item in last["similar"]]
    assert all(n < 26 for n in numbers)


def test_without_json_the_reason_is_the_shared_terms(cli: Cli, imported: Path) -> None:
    out = cli.ok("tickets", "similar", "L-5", "--k", "2").stdout
    assert "Similar to L-5" in out and "LDAP" in out
    assert "strong" in out or "possible" in out


def test_reimporting_updates_and_a_bad_file_writes_nothing(
    cli: Cli, imported: Path, engine: Engine, tmp_path: Path
) -> None:
    again = cli.ok("tickets", "import", str(imported), "--format", "jsonl")
    assert "0 new, 31 updated, 0 skipped" in again.stdout
    before = row_counts(engine)
    bad = jsonl(
        tmp_path / "bad.jsonl",
        [record("B-1", "Fine", datetime(2026, 1, 1, tzinfo=UTC))],
        extra=['{"id": "B-2", "subject": "no date"}'],
    )

    result = cli("tickets", "import", str(bad), "--format", "jsonl")

    assert result.exit_code == 2
    assert result.stderr.strip().startswith("error: line 2: created_at: is missing")
    assert "Traceback" not in result.output
    assert row_counts(engine) == before


def test_skip_invalid_reports_every_skipped_line(cli: Cli, tmp_path: Path) -> None:
    path = jsonl(
        tmp_path / "mixed.jsonl",
        labelled_records()[:3],
        extra=["{broken", '{"id": "X", "subject": "s", "created_at": "soon"}'],
    )
    out = cli.ok("tickets", "import", str(path), "--format", "jsonl", "--skip-invalid").stdout
    assert "3 new, 0 updated, 2 skipped" in out
    assert "skipped line 4: record:" in out
    assert "skipped line 5: created_at:" in out


@pytest.mark.parametrize(
    ("args", "code", "names"),
    [
        (["tickets", "import", "nowhere.jsonl", "--format", "jsonl"], 2, "FILE"),
        (["tickets", "import", "x.jsonl", "--format", "excel"], 2, "format"),
        (["tickets", "import", "x.csv", "--format", "csv", "--map", "subject"], 2, "--map"),
        (["tickets", "similar", "L-404", "--json"], 1, "ticket L-404 not found"),
        (["tickets", "similar", "--json"], 2, "ID"),
        (["tickets", "similar", "L-1", "--k", "0"], 2, "k"),
        (["recurring", "show", "issue-x"], 2, "ISSUE"),
        (["recurring", "prevention", "1"], 1, "recurring issue 1 not found"),
    ],
)
def test_bad_input_gets_one_line_and_a_stable_exit_code(
    cli: Cli, imported: Path, args: list[str], code: int, names: str
) -> None:
    result = cli(*args)
    assert result.exit_code == code, result.output
    assert names in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_recurring_issues_from_rebuild_to_prevention_and_the_review(
    cli: Cli, imported: Path, desk: Desk
) -> None:
    cli.actor = desk.manager  # who works the issues (MANAGE_RECURRING)
    rebuilt = cli.json("recurring", "rebuild")
    assert rebuilt["new_issues"] == 5 and rebuilt["clustered"] == 31

    issues = cli.json("recurring", "list")["items"]
    ldap = next(i for i in issues if "LDAP" in i["label"])
    assert ldap["tickets"] == 5 and ldap["accounts"] == 1 and len(ldap["weekly"]) == 8

    cli.ok("recurring", "confirm", str(ldap["id"]))
    cli.ok("recurring", "rename", f"issue-{ldap['id']}", "LDAP sync timeout on large groups")
    cli.ok("recurring", "fix", str(ldap["id"]), "--ref", "MR !881", "--release", "16.4.1")
    shown = cli.json("recurring", "show", str(ldap["id"]))
    assert shown["status"] == "fixed" and shown["label"] == "LDAP sync timeout on large groups"
    prevention = cli.json("recurring", "prevention", str(ldap["id"]))
    assert prevention["tickets_after_fix"] == 0 and prevention["stopped"] is True

    review = cli.json("recurring", "review")
    assert review["total_minutes"] <= 60
    assert any(item["section"] == "chronic_issues" for item in review["items"])
    markdown = cli.ok("recurring", "review", "--markdown").stdout
    assert markdown.startswith("# Weekly issues review") and "## Chronic issues" in markdown


def test_tickets_link_marks_a_duplicate_and_sets_a_pair_aside(
    cli: Cli, imported: Path, desk: Desk
) -> None:
    cli.actor = desk.support
    done = cli.ok("tickets", "link", "L-5", "L-1").stdout
    assert "L-5 is a duplicate of L-1." in done
    aside = cli.json("tickets", "link", "L-5", "L-13", "--as", "not-related")
    assert (aside["verdict"], aside["replaced"]) == ("not_related", False)
    out = cli.ok("tickets", "similar", "L-5", "--k", "5").stdout
    assert "L-13" not in out and "strong" in out
    bad = cli("tickets", "link", "L-5", "L-1", "--as", "maybe")
    assert bad.exit_code != 0 and "--as" in bad.output and "duplicate or not-related" in bad.output
