"""Escalations over the API: opening, showing, the paginated and filtered board, history, due."""

from __future__ import annotations

from datetime import datetime, timedelta

from fastapi.testclient import TestClient

from escdesk.store.uow import SqlUnitOfWork
from tests import factories


def test_opening_an_escalation_returns_it_with_its_location_and_version(
    manager: TestClient, uow: SqlUnitOfWork, now: datetime
) -> None:
    account = factories.add_account(uow, now=now, name="Globex")
    support = factories.add_person(uow, "support", now=now)
    response = manager.post(
        "/api/escalations",
        json={
            "account": "Globex",
            "severity": "medium",
            "summary": "Pipelines stall",
            "initial_ask": "An engineer on the customer's call daily",
            "required_skills": ["PostgreSQL"],
            "exit_criteria": ["p95 start under 30 s"],
            "dri": support.email,
            "eta": (now + timedelta(days=5)).replace(tzinfo=None).isoformat(),
        },
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert response.headers["location"] == f"/api/escalations/{body['id']}"
    assert response.headers["etag"] == f'"{body["version"]}"'
    assert (body["account_id"], body["dri"]["id"], body["status"]) == (
        account.id,
        support.id,
        "opened",
    )
    assert body["eta"] == (now + timedelta(days=5)).isoformat().replace("+00:00", "Z")
    assert body["exit_criteria"] == [
        {
            "number": 1,
            "text": "p95 start under 30 s",
            "done": False,
            "done_at": None,
            "waived_reason": None,
            "waived_at": None,
            "waived_by": None,
        }
    ]


def test_opening_without_required_skills_is_refused_by_its_rule(
    manager: TestClient, uow: SqlUnitOfWork, now: datetime
) -> None:
    factories.add_account(uow, now=now, name="Globex")
    support = factories.add_person(uow, "support", now=now)
    response = manager.post(
        "/api/escalations",
        json={
            "account": "Globex",
            "severity": "medium",
            "summary": "Pipelines stall",
            "initial_ask": "An engineer",
            "required_skills": [],
            "dri": support.email,
        },
    )
    assert response.status_code == 422
    assert response.json()["rule"] == "R-ESC-5"
    assert manager.get("/api/escalations").json()["total"] == 0


def test_showing_an_escalation_names_its_people_and_sets_the_etag(
    manager: TestClient, uow: SqlUnitOfWork, now: datetime
) -> None:
    dri = factories.add_person(uow, "support", now=now, name="Sam")
    esc = factories.open_escalation(uow, now=now, dri=dri.email)
    response = manager.get(f"/api/escalations/{esc.id}")
    assert response.status_code == 200
    assert response.headers["etag"] == f'"{esc.version}"'
    assert response.json()["dri"] == {"id": dri.id, "name": "Sam"}


def test_an_unknown_escalation_is_a_404(manager: TestClient) -> None:
    response = manager.get("/api/escalations/999")
    assert response.status_code == 404
    assert response.json()["detail"] == "escalation 999 not found"


def test_the_board_pages_with_limit_and_offset_most_severe_first(
    manager: TestClient, uow: SqlUnitOfWork, now: datetime
) -> None:
    low = factories.open_escalation(uow, now=now, severity="low")
    high = factories.open_escalation(uow, now=now, severity="high")
    medium = factories.open_escalation(uow, now=now)
    first = manager.get("/api/escalations", params={"limit": 2}).json()
    second = manager.get("/api/escalations", params={"limit": 2, "offset": 2}).json()
    assert [i["id"] for i in first["items"]] == [high.id, medium.id]
    assert [i["id"] for i in second["items"]] == [low.id]
    assert (first["total"], first["limit"], second["offset"]) == (3, 2, 2)


def test_the_board_filters_by_severity_status_dri_and_account(
    manager: TestClient, uow: SqlUnitOfWork, now: datetime
) -> None:
    dri = factories.add_person(uow, "support", now=now)
    account = factories.add_account(uow, now=now, name="Globex")
    mine = factories.open_escalation(uow, now=now, dri=dri.email)
    theirs = factories.open_escalation(uow, now=now, account="Globex", severity="low")
    closed = factories.open_escalation(uow, now=now, account="Globex")
    manager.post(
        f"/api/escalations/{closed.id}/close",
        json={
            "agreed_by": "Eve",
            "agreed_at": now.isoformat(),
            "agreed_via": "email",
            "waivers": [{"number": 1, "reason": "Agreed with Eve"}],
        },
    ).raise_for_status()

    def ids(**params: str) -> list[int]:
        return [i["id"] for i in manager.get("/api/escalations", params=params).json()["items"]]

    assert ids(severity="low") == [theirs.id]
    assert ids(dri=dri.email) == [mine.id]
    assert ids(account=str(account.id)) == [theirs.id]
    assert ids(status="closed") == [closed.id]
    assert sorted(ids(account="Globex", include_closed="true")) == [theirs.id, closed.id]


def test_the_board_filters_on_overdue_updates_at_the_request_time(
    manager: TestClient, uow: SqlUnitOfWork, now: datetime
) -> None:
    late = factories.open_escalation(uow, now=now - timedelta(days=8))  # medium: weekly
    factories.open_escalation(uow, now=now - timedelta(days=1))
    overdue = manager.get("/api/escalations", params={"overdue": "true"}).json()
    assert [i["id"] for i in overdue["items"]] == [late.id]
    assert overdue["total"] == 1


def test_an_unknown_filter_value_names_the_field(manager: TestClient) -> None:
    response = manager.get("/api/escalations", params={"severity": "urgent"})
    assert (response.status_code, response.json()["field"]) == (422, "severity")
    response = manager.get("/api/escalations", params={"limit": 0})
    assert (response.status_code, response.json()["field"]) == (422, "limit")


def test_due_lists_what_needs_an_update_within_the_window(
    manager: TestClient, uow: SqlUnitOfWork, now: datetime
) -> None:
    soon = factories.open_escalation(uow, now=now - timedelta(days=6, hours=20))
    factories.open_escalation(uow, now=now)
    items = manager.get("/api/escalations/due", params={"within_hours": 12}).json()["items"]
    assert [i["id"] for i in items] == [soon.id]


def test_history_lists_the_audit_trail_in_order_and_pages_on(
    manager: TestClient, uow: SqlUnitOfWork, now: datetime
) -> None:
    esc = factories.open_escalation(uow, now=now)
    manager.post(f"/api/escalations/{esc.id}/updates", json={"audience": "customer", "body": "Hi"})
    items = manager.get(f"/api/escalations/{esc.id}/history").json()["items"]
    assert [i["type"] for i in items] == ["opened", "activated", "update_posted"]
    after = manager.get(
        f"/api/escalations/{esc.id}/history", params={"after_id": items[0]["id"], "limit": 1}
    ).json()["items"]
    assert [i["type"] for i in after] == ["activated"]
    assert manager.get("/api/escalations/999/history").status_code == 404


def test_lists_sort_by_an_offered_column_and_refuse_any_other_naming_them(
    manager: TestClient, uow: SqlUnitOfWork, now: datetime
) -> None:
    customers = ["Initech", "Globex", "Hooli"]
    for name in customers:
        factories.open_escalation(
            uow, now=now, account=factories.add_account(uow, now=now, name=name).name
        )

    def listed(sort: str) -> list[str]:
        response = manager.get("/api/escalations", params={"sort": sort})
        assert response.status_code == 200, response.text
        return [item["customer"] for item in response.json()["items"]]

    assert listed("customer") == sorted(customers)
    assert listed("-customer") == sorted(customers, reverse=True)
    assert listed("") == listed("severity")  # blank: the list's own order
    for url in ("/api/escalations", "/api/requests", "/api/outbox"):
        refused = manager.get(url, params={"sort": "-salary"})
        assert refused.status_code == 422, (url, refused.text)
        problem = refused.json()
        assert problem["field"] == "sort" and "'salary' is not a column" in problem["detail"]
        assert "Use one of id," in problem["detail"]
