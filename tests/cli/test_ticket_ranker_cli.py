"""`escdesk tickets train-ranker` and `tickets ranker` (R-REC-2): re-train on the team's links,
see the versions and their figures, choose one or go back to the shipped ranker."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from escdesk.services.ticket_judgements import JudgePair, judge_pair
from escdesk.store.uow import SqlUnitOfWork
from tests import factories
from tests.cli.conftest import CLI_NOW, Cli, Desk
from tests.ranker_factories import query_keys, team_helpdesk
from tests.ticket_factories import jsonl


def test_train_see_and_undo_the_ranker(
    cli: Cli, desk: Desk, uow: SqlUnitOfWork, tmp_path: Path
) -> None:
    records, verdicts = team_helpdesk(
        query_keys(24, held=False) + query_keys(8, held=True), start=CLI_NOW - timedelta(days=200)
    )
    cli.ok("tickets", "import", str(jsonl(tmp_path / "team.jsonl", records)), "--format", "jsonl")
    cli.actor = desk.support
    assert "search uses the shipped one" in cli.ok("tickets", "ranker").stdout
    refused = cli("tickets", "train-ranker")
    assert refused.exit_code == 1 and "link duplicates" in refused.output
    for ticket, other, verdict in verdicts:
        cmd = JudgePair.parse(ticket, other, verdict)
        factories.act(uow, cmd, now=CLI_NOW, by=desk.support, handler=judge_pair)

    out = cli.ok("tickets", "train-ranker").stdout
    assert "Version 1: held-back mean reciprocal rank 1.000 against 0.500" in out
    assert "Kept: search uses version 1 now" in out
    listed = cli.json("tickets", "ranker")
    assert listed["in_use"] == 1
    (v,) = listed["versions"]
    assert v["kept"] and v["in_use"] and v["figures"]["held_back_queries"] == 8
    assert v["figures"]["new"]["rr@1"] == 1.0 and v["figures"]["current"]["rr@1"] == 0.0
    assert "same_account" in v["model"]["features"]

    assert cli.json("tickets", "ranker", "--reset")["in_use"] == "shipped"
    table = cli.ok("tickets", "ranker").stdout
    assert "in use: the shipped one" in table and "1.000" in table and "0.500" in table
    assert cli.json("tickets", "ranker", "--use", "1")["in_use"] == 1

    both = cli("tickets", "ranker", "--use", "1", "--reset")
    assert both.exit_code == 2 and "--use" in both.output
    missing = cli("tickets", "ranker", "--use", "9")
    assert missing.exit_code == 1 and "not found" in missing.output
