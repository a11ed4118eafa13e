"""Escalation requests and the triage agenda over the API (R-INT-1/2, R-TRI-1…4)."""

from __future__ import annotations

from datetime import datetime, timedelta

from fastapi.testclient import TestClient

from escdesk.store.uow import SqlUnitOfWork
from tests import factories

COMPLETE = {
    "kind": "account_escalation",
    "problem": "Exports time out over 10k rows",
    "problem_type": "bug",
    "proposed_severity": "medium",
    "workarounds": "Monthly exports; the auditors need one file",
    "difficulty": "small",
    "dependencies": "none",
    "other_customers": 1,
    "happiness_confirmed": True,
    "skills": ["PostgreSQL"],
    "tickets": [{"id": "ZD-5", "url": "https://help.example/5"}],
}


def test_an_incomplete_request_is_one_problem_naming_every_missing_field(
    manager: TestClient, uow: SqlUnitOfWork, now: datetime
) -> None:
    factories.add_account(uow, now=now, name="Globex")
    response = manager.post("/api/requests", json={"account": "Globex", "problem": "Slow"})
    assert response.status_code == 422
    body = response.json()
    assert body["rule"] == "R-INT-2"
    assert "the problem statement" not in body["missing"]
    assert [need["fields"][0] for need in body["needs"]] == [
        "kind",
        "problem_type",
        "proposed_severity",
        "workarounds",
        "difficulty",
        "dependencies",
        "other_customers",
        "happiness_confirmed",
    ]
    assert manager.get("/api/requests").json()["total"] == 0


def test_file_decide_and_read_the_agenda(
    manager: TestClient, uow: SqlUnitOfWork, now: datetime
) -> None:
    factories.add_account(uow, now=now, name="Globex")
    support = factories.add_person(uow, "support", now=now)
    filed = manager.post("/api/requests", json={"account": "Globex", **COMPLETE})
    assert filed.status_code == 201, filed.text
    body = filed.json()
    assert filed.headers["location"] == f"/api/requests/{body['id']}"
    assert body["score"]["total"] == sum(p["points"] for p in body["score"]["breakdown"])
    agenda = manager.get("/api/triage/agenda").json()
    assert [r["id"] for r in agenda["requests"]] == [body["id"]]
    markdown = manager.get("/api/triage/agenda", params={"format": "markdown"})
    assert markdown.headers["content-type"].startswith("text/markdown")
    assert f"REQ-{body['id']} Globex" in markdown.text
    decided = manager.post(
        f"/api/requests/{body['id']}/decision",
        json={
            "outcome": "escalated",
            "rationale": "Renewal at stake",
            "dri": support.email,
            "eta": (now + timedelta(days=3)).isoformat(),
        },
    )
    assert decided.status_code == 200, decided.text
    [decision] = decided.json()["decisions"]
    assert decision["outcome"] == "escalated" and decision["escalation_id"]
    escalation = manager.get(f"/api/escalations/{decision['escalation_id']}").json()
    assert escalation["dri"]["id"] == support.id
    assert manager.get("/api/triage/agenda").json()["held"] is False


def test_a_similar_request_is_listed_and_linked_as_the_duplicate(
    manager: TestClient, uow: SqlUnitOfWork, now: datetime
) -> None:
    factories.add_account(uow, now=now, name="Globex")
    first = manager.post("/api/requests", json={"account": "Globex", **COMPLETE}).json()
    again = {**COMPLETE, "problem": "Exports time out for reports over 10k rows again"}
    second = manager.post("/api/requests", json={"account": "Globex", **again}).json()
    similar = manager.get(f"/api/requests/{second['id']}/similar").json()
    assert [s["ref"] for s in similar["items"]] == [f"REQ-{first['id']}"]
    linked = manager.post(f"/api/requests/{second['id']}/duplicate", json={"of": first["ref"]})
    assert linked.status_code == 200, linked.text
    assert linked.json()["withdrawn_reason"] == f"duplicate of {first['ref']}"
