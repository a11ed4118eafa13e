"""The ranking page (R-REC-2): re-train in one click, see each version's figures, choose one or
go back to the shipped ranker; a salesperson reads it without the buttons."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from fastapi import FastAPI

from escdesk.services import tickets
from escdesk.services.ticket_judgements import JudgePair, judge_pair
from escdesk.similarity.cache import IndexCache
from escdesk.store.uow import SqlUnitOfWork
from tests import factories
from tests.ranker_factories import query_keys, team_helpdesk
from tests.ticket_factories import jsonl
from tests.web.pages import Visitor, text_of, visitor


def test_retrain_choose_and_reset_on_the_page(
    manager: Visitor, app: FastAPI, uow: SqlUnitOfWork, now: datetime, tmp_path: Path
) -> None:
    records, verdicts = team_helpdesk(
        query_keys(24, held=False) + query_keys(8, held=True), start=now - timedelta(days=200)
    )
    path = jsonl(tmp_path / "team.jsonl", records)
    tickets.import_file(uow, IndexCache(tmp_path / "seed"), path, format="jsonl", now=now)
    assert "Ranking" in manager.get("/recurring").text
    empty = text_of(manager.get("/rankers").text)
    assert "Search uses the ranker escdesk ships" in empty and "Not re-trained yet" in empty
    refused = manager.post("/rankers", {})
    assert refused.status_code == 422
    assert "No ticket has been linked as a duplicate yet" in text_of(refused.text)
    for ticket, other, verdict in verdicts:
        factories.act(uow, JudgePair.parse(ticket, other, verdict), now=now, handler=judge_pair)

    trained = manager.follow(manager.post("/rankers", {}))

    page = text_of(trained.text)
    assert "Version 1 ranks the held-back links better: search uses it now" in page
    assert "Search uses version 1, trained on your team's links" in page
    assert "1 version" in page and "100 %" in page and "0 %" in page and "in use" in page
    reset = text_of(manager.follow(manager.post("/rankers/in-use", {"version": ""})).text)
    assert "Search uses the shipped ranker again" in reset and "Use this one" in reset
    chosen = text_of(manager.follow(manager.post("/rankers/in-use", {"version": "1"})).text)
    assert "Search uses version 1 now" in chosen
    assert manager.post("/rankers/in-use", {"version": "x"}).status_code == 422

    with visitor(app, uow, now, "sales") as sales:
        page = text_of(sales.get("/rankers").text)
        assert "Versions" in page and "Re-train now" not in page and "Use this one" not in page
        assert sales.post("/rankers", {}).status_code == 403
