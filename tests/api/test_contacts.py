"""Customer contacts over the API: managers of accounts add and remove, readers list."""

from __future__ import annotations

from datetime import datetime

from fastapi import FastAPI
from fastapi.testclient import TestClient

from escdesk.store.uow import SqlUnitOfWork
from tests import factories
from tests.api.access import person_client


def test_a_manager_adds_and_removes_a_contact_and_a_support_engineer_may_only_list(
    app: FastAPI, manager: TestClient, uow: SqlUnitOfWork, now: datetime
) -> None:
    account = factories.add_account(uow, now=now, name="Acme Corp")
    body = {"name": "Jo Chen", "email": "Jo@Acme.example", "language": "fr"}
    added = manager.post(f"/api/accounts/{account.id}/contacts", json=body)
    assert added.status_code == 201, added.text
    assert added.json() | {"id": 0} == {
        "id": 0,
        "account_id": account.id,
        "name": "Jo Chen",
        "email": "jo@acme.example",
        "language": "fr",
    }
    support = person_client(app, uow, now, "support")[1]
    listed = support.get("/api/accounts/Acme Corp/contacts")
    assert [c["email"] for c in listed.json()["items"]] == ["jo@acme.example"]
    refused = support.post(f"/api/accounts/{account.id}/contacts", json=body)
    assert refused.status_code == 403
    gone = manager.delete(f"/api/accounts/{account.id}/contacts/jo@acme.example")
    assert gone.status_code == 204
    assert manager.get(f"/api/accounts/{account.id}/contacts").json()["items"] == []


def test_a_bad_address_is_a_problem_naming_the_field(
    manager: TestClient, uow: SqlUnitOfWork, now: datetime
) -> None:
    account = factories.add_account(uow, now=now)
    answer = manager.post(
        f"/api/accounts/{account.id}/contacts", json={"name": "Jo", "email": "not-an-address"}
    )
    assert answer.status_code == 422
    assert "email" in answer.text
