"""The ranker that learns from the team over the API (R-REC-2): train, list, choose, undo."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from fastapi import FastAPI
from fastapi.testclient import TestClient

from escdesk.store.uow import SqlUnitOfWork
from tests.api.access import person_client
from tests.api.test_recurring_api import upload
from tests.ranker_factories import query_keys, team_helpdesk
from tests.ticket_factories import jsonl


def test_train_list_choose_and_reset_over_the_api(
    manager: TestClient, app: FastAPI, uow: SqlUnitOfWork, tmp_path: Path, now: datetime
) -> None:
    records, verdicts = team_helpdesk(
        query_keys(24, held=False) + query_keys(8, held=True), start=now - timedelta(days=200)
    )
    upload(manager, jsonl(tmp_path / "team.jsonl", records))
    refused = manager.post("/api/rankers")
    assert refused.status_code == 422 and refused.json()["rule"] == "R-REC-2"
    for ticket, other, verdict in verdicts:
        body = {"other": other, "verdict": verdict.replace(" ", "_")}
        assert manager.post(f"/api/tickets/{ticket}/judgements", json=body).status_code == 201

    trained = manager.post("/api/rankers")

    assert trained.status_code == 201, trained.text
    v = trained.json()
    assert v["kept"] and v["in_use"] and v["not_kept_because"] is None
    assert (v["figures"]["new"]["mrr"], v["figures"]["current"]["mrr"]) == (1.0, 0.5)
    listed = manager.get("/api/rankers").json()
    assert listed["in_use"] == v["id"] and [x["id"] for x in listed["versions"]] == [v["id"]]
    reset = manager.put("/api/rankers/in-use", json={"version": None})
    assert reset.status_code == 200 and reset.json()["in_use"] == "shipped"
    chosen = manager.put("/api/rankers/in-use", json={"version": v["id"]}).json()
    assert chosen["in_use"] == v["id"] and chosen["versions"][0]["in_use"]
    assert manager.put("/api/rankers/in-use", json={"version": 99}).status_code == 404

    _, seller = person_client(app, uow, now, "sales")
    assert seller.get("/api/rankers").status_code == 200
    assert seller.post("/api/rankers").status_code == 403
    assert seller.put("/api/rankers/in-use", json={"version": None}).status_code == 403
