"""Accounts and people over the API."""

from __future__ import annotations

from datetime import datetime

from fastapi.testclient import TestClient

from escdesk.store.uow import SqlUnitOfWork
from tests import factories


def test_a_manager_adds_a_person_and_everyone_signed_in_can_list_them(
    manager: TestClient, robot: TestClient
) -> None:
    created = manager.post(
        "/api/people",
        json={"name": "Lin", "email": "Lin@Example.com", "roles": ["support", "csm"]},
    )
    assert created.status_code == 201
    assert created.json()["email"] == "lin@example.com"
    assert created.json()["roles"] == ["csm", "support"]
    names = [p["name"] for p in robot.get("/api/people", params={"role": "csm"}).json()["items"]]
    assert names == ["Lin"]


def test_a_person_with_a_taken_email_is_refused_naming_the_field(manager: TestClient) -> None:
    body = {"name": "Lin", "email": "lin@example.com", "roles": ["support"]}
    manager.post("/api/people", json=body)
    response = manager.post("/api/people", json=body)
    assert (response.status_code, response.json()["field"]) == (422, "email")


def test_a_manager_adds_an_account_with_its_csm_and_shows_it_by_name(
    manager: TestClient, uow: SqlUnitOfWork, now: datetime
) -> None:
    csm = factories.add_person(uow, "csm", now=now, name="Cleo")
    created = manager.post(
        "/api/accounts",
        json={
            "name": "Globex",
            "tier": "enterprise",
            "arr": 250_000,
            "status": "paying",
            "csm": csm.email,
        },
    )
    assert created.status_code == 201, created.text
    shown = manager.get("/api/accounts/globex").json()
    assert (shown["id"], shown["csm_id"], shown["csm_name"]) == (
        created.json()["id"],
        csm.id,
        "Cleo",
    )
    assert [a["name"] for a in manager.get("/api/accounts").json()["items"]] == ["Globex"]


def test_accounts_are_listed_largest_first(
    manager: TestClient, uow: SqlUnitOfWork, now: datetime
) -> None:
    factories.add_account(uow, now=now, name="Small", arr=1_000)
    factories.add_account(uow, now=now, name="Large", arr=9_000_000)
    assert [a["name"] for a in manager.get("/api/accounts").json()["items"]] == ["Large", "Small"]


def test_an_unknown_account_is_a_404(manager: TestClient) -> None:
    assert manager.get("/api/accounts/initech").status_code == 404


def test_a_pending_deal_without_its_size_is_refused_naming_the_field(manager: TestClient) -> None:
    response = manager.post(
        "/api/accounts",
        json={"name": "Initech", "tier": "smb", "arr": 0, "status": "pending_deal"},
    )
    assert (response.status_code, response.json()["field"]) == (422, "deal_size")
    assert manager.get("/api/accounts").json()["items"] == []
