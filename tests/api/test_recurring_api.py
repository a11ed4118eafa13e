"""The tickets, recurring-issue and review API (R-REC-1…4, R-RCA-3, R-OPS-2, R-OPS-4)."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from escdesk.store.uow import SqlUnitOfWork
from tests import factories
from tests.api.access import person_client
from tests.ticket_factories import jsonl, labelled_records


def upload(client: TestClient, path: Path, **form: str) -> dict:
    with path.open("rb") as file:
        response = client.post(
            "/api/tickets/import",
            files={"file": (path.name, file, "application/x-ndjson")},
            data={"format": "jsonl", **form},
        )
    assert response.status_code == 200, response.text
    return response.json()


@pytest.fixture
def desk(manager: TestClient, tmp_path: Path, now: datetime) -> TestClient:
    """The labelled helpdesk, imported over the API and clustered, seen by a manager."""
    path = jsonl(tmp_path / "labelled.jsonl", labelled_records(now - timedelta(days=40)))
    upload(manager, path)
    assert manager.post("/api/recurring/rebuild", json={}).json()["new_issues"] == 5
    return manager


def ldap_issue(client: TestClient) -> dict:
    items = client.get("/api/recurring").json()["items"]
    return next(i for i in items if "LDAP" in i["label"])


def test_an_import_over_the_api_is_idempotent_and_reports_skipped_records(
    manager: TestClient, tmp_path: Path
) -> None:
    path = jsonl(tmp_path / "a.jsonl", labelled_records()[:4], extra=["{oops"])
    first = upload(manager, path, skip_invalid="true")
    again = upload(manager, path, skip_invalid="true")

    assert (first["new"], first["updated"]) == (4, 0)
    assert (again["new"], again["updated"]) == (0, 4)
    assert [(s["where"], s["field"]) for s in first["skipped"]] == [("line 5", "record")]
    assert manager.get("/api/tickets").json()["total"] == 4


def test_a_bad_upload_is_a_problem_naming_line_and_field(
    manager: TestClient, tmp_path: Path
) -> None:
    path = jsonl(tmp_path / "bad.jsonl", labelled_records()[:2], extra=['{"id": "X"}'])
    with path.open("rb") as file:
        response = manager.post(
            "/api/tickets/import", files={"file": ("bad.jsonl", file)}, data={"format": "jsonl"}
        )

    assert response.status_code == 422
    assert response.json()["field"] == "line 3: subject"
    assert manager.get("/api/tickets").json()["total"] == 0


def test_similar_tickets_by_id_text_and_escalation(
    desk: TestClient, uow: SqlUnitOfWork, now: datetime
) -> None:
    by_id = desk.get("/api/tickets/L-26/similar", params={"k": 3, "earlier_only": True}).json()
    by_text = desk.get("/api/tickets/similar", params={"q": "LDAP sync timeout", "k": 2}).json()
    esc = factories.open_escalation(
        uow, now=now, summary="Invoices charge the wrong VAT", initial_ask="Correct the VAT rate"
    )
    by_escalation = desk.get("/api/tickets/similar", params={"escalation": esc.id}).json()

    assert by_id["query"] == "L-26" and len(by_id["similar"]) == 3
    assert all("LDAP" in m["subject"] for m in by_id["similar"])
    assert by_id["similar"][0]["shared_terms"]
    assert [m["rank"] for m in by_id["similar"]] == [1, 2, 3]
    assert {m["strength"] for m in by_id["similar"]} <= {"strong", "possible"}
    assert "LDAP" in by_id["similar"][0]["shared_words"]  # as written, not the index's "ldap"
    assert by_id["similar"][0]["issue"]["label"] == ldap_issue(desk)["label"]
    assert "LDAP" in by_text["similar"][0]["subject"]
    assert "VAT" in by_escalation["similar"][0]["subject"]


def test_an_issue_is_confirmed_linked_fixed_and_its_prevention_shown(
    desk: TestClient, uow: SqlUnitOfWork, now: datetime
) -> None:
    issue = ldap_issue(desk)
    esc = factories.open_escalation(uow, now=now)
    key = issue["id"]

    confirmed = desk.post(f"/api/recurring/{key}/confirm", json={"version": issue["version"]})
    stale = desk.post(f"/api/recurring/{key}/confirm", json={"version": issue["version"]})
    linked = desk.post(f"/api/recurring/{key}/links", json={"escalation": esc.id})
    fixed = desk.post(
        f"/api/recurring/{key}/fix",
        json={
            "reference": "MR !881",
            "release": "16.4.1",
            "fixed_at": str(now - timedelta(days=22)),
        },
    )
    prevention = desk.get(f"/api/recurring/{key}/prevention").json()
    detail = desk.get(f"/api/recurring/{key}").json()

    assert confirmed.json()["status"] == "confirmed"
    assert (
        stale.status_code == 409 and stale.json()["current_version"] == confirmed.json()["version"]
    )
    assert linked.json()["escalations"] == [esc.id]
    assert fixed.json()["status"] == "fixed"
    assert prevention["tickets_after_fix"] == 2 and prevention["stopped"] is False
    assert detail["linked_escalations"][0]["id"] == esc.id
    assert detail["tickets"] == 5 and len(detail["recent_tickets"]) == 5


def test_the_weekly_review_is_time_boxed_to_60_minutes(desk: TestClient) -> None:
    review = desk.get("/api/review").json()
    assert review["total_minutes"] <= 60
    chronic = [i for i in review["items"] if i["section"] == "chronic_issues"]
    assert chronic and all(i["ref"].startswith("issue-") for i in chronic)


def test_a_salesperson_reads_issues_but_may_not_change_or_import_them(
    app: FastAPI, desk: TestClient, uow: SqlUnitOfWork, now: datetime, tmp_path: Path
) -> None:
    _, sales = person_client(app, uow, now, "sales")
    _, support = person_client(app, uow, now, "support")
    key = ldap_issue(desk)["id"]

    assert sales.get("/api/recurring").status_code == 200
    assert sales.post(f"/api/recurring/{key}/confirm", json={}).status_code == 403
    assert sales.post("/api/recurring/rebuild", json={}).status_code == 403
    assert support.post(f"/api/recurring/{key}/confirm", json={}).status_code == 200


def test_merging_and_splitting_over_the_api(desk: TestClient) -> None:
    items = desk.get("/api/recurring").json()["items"]
    ldap = next(i for i in items if "LDAP" in i["label"])
    vat = next(i for i in items if "VAT" in i["label"])

    split = desk.post(
        f"/api/recurring/{ldap['id']}/split", json={"tickets": ["L-20"], "label": "Big groups"}
    )
    merged = desk.post(f"/api/recurring/{vat['id']}/merge", json={"into": ldap["id"]})
    bad = desk.post(f"/api/recurring/{ldap['id']}/split", json={"tickets": ["L-3"], "label": "x"})

    assert split.status_code == 200 and split.json()["named"] is True
    assert merged.json()["id"] == ldap["id"]
    assert desk.get("/api/tickets/L-2").json()["issue"]["id"] == ldap["id"]
    assert bad.status_code == 422 and bad.json()["field"] == "TICKET"


def test_linking_a_duplicate_and_an_unrelated_pair_changes_the_similar_list(
    desk: TestClient,
) -> None:
    before = desk.get("/api/tickets/L-5/similar", params={"k": 5}).json()["similar"]
    wrong, far = before[1]["id"], "L-3"  # L-3 is a one-off question, never among them

    dup = desk.post("/api/tickets/L-5/judgements", json={"other": far})
    gone = desk.post("/api/tickets/L-5/judgements", json={"other": wrong, "verdict": "not_related"})
    bad = desk.post("/api/tickets/L-5/judgements", json={"other": "L-5"})

    assert dup.status_code == 201 and dup.json()["verdict"] == "duplicate"
    assert gone.status_code == 201 and not gone.json()["replaced"]
    assert bad.status_code == 422 and bad.json()["field"] == "other"
    after = desk.get("/api/tickets/L-5/similar", params={"k": 5}).json()["similar"]
    assert (after[0]["id"], after[0]["linked"], after[0]["strength"]) == (far, True, "strong")
    assert wrong not in [m["id"] for m in after]
