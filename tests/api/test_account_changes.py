"""Accounts kept true over the API (seed 004): PATCH an account, the sentiment at closing, and a
409 naming the open escalation when a second one is opened without `also`."""

from __future__ import annotations

from datetime import datetime

from fastapi import FastAPI
from fastapi.testclient import TestClient

from escdesk.store.uow import SqlUnitOfWork
from tests import factories
from tests.api.access import person_client


def test_its_csm_patches_the_sentiment_and_the_account_says_who_set_it_and_why_at_risk(
    app: FastAPI, uow: SqlUnitOfWork, now: datetime
) -> None:
    csm, client = person_client(app, uow, now, "csm")
    account = factories.add_account(uow, now=now, name="Globex", csm=csm.email)
    patched = client.patch(
        "/api/accounts/Globex",
        json={"sentiment": "at_risk", "arr": 300_000, "version": account.version},
    )
    assert patched.status_code == 200, patched.text
    body = patched.json()
    assert (body["sentiment"], body["arr"], body["sentiment_set_by_id"]) == (
        "at_risk",
        300_000,
        csm.id,
    )
    assert body["version"] == account.version + 1
    shown = client.get("/api/accounts/globex").json()
    assert shown["at_risk"] is True and shown["at_risk_because"] == ["its sentiment is at risk"]
    assert shown["sentiment_set_by_name"] == csm.name and shown["sentiment_set_at"]


def test_a_stale_version_is_a_409_an_unknown_account_a_404_and_an_outsider_a_403(
    app: FastAPI, manager: TestClient, uow: SqlUnitOfWork, now: datetime
) -> None:
    account = factories.add_account(uow, now=now, name="Globex")
    stale = manager.patch("/api/accounts/Globex", json={"arr": 1, "version": account.version + 3})
    assert (stale.status_code, stale.json()["current_version"]) == (409, account.version)
    assert manager.patch("/api/accounts/Nobody", json={"arr": 1}).status_code == 404
    empty = manager.patch("/api/accounts/Globex", json={})
    assert (empty.status_code, empty.json()["field"]) == (422, "account")
    _, other_csm = person_client(app, uow, now, "csm")
    refused = other_csm.patch("/api/accounts/Globex", json={"sentiment": "green"})
    assert refused.status_code == 403 and "is not the CSM of Globex" in refused.json()["detail"]
    _, support = person_client(app, uow, now, "support")
    assert support.patch("/api/accounts/Globex", json={"arr": 2}).status_code == 403
    assert manager.get("/api/accounts/Globex").json()["arr"] == account.arr


def test_the_close_body_sets_the_accounts_sentiment(
    manager: TestClient, uow: SqlUnitOfWork, now: datetime
) -> None:
    account = factories.add_account(uow, now=now, name="Globex")
    esc = factories.open_escalation(uow, now=now, account=account.name, severity="high")
    assert manager.get("/api/accounts/Globex").json()["at_risk"] is True
    closed = manager.post(
        f"/api/escalations/{esc.id}/close",
        json={
            "agreed_by": "Eve (CTO)",
            "agreed_at": now.isoformat(),
            "agreed_via": "email",
            "sentiment": "yellow",
            "waivers": [{"number": 1, "reason": "Eve agreed to close early"}],
        },
    )
    assert closed.status_code == 200, closed.text
    shown = manager.get("/api/accounts/Globex").json()
    assert (shown["sentiment"], shown["at_risk"], shown["at_risk_because"]) == ("yellow", False, [])
    bad = manager.post(f"/api/escalations/{esc.id}/close", json={"sentiment": "sunny"})
    assert bad.status_code == 422


def test_a_second_open_escalation_is_a_409_naming_the_open_one_unless_also(
    manager: TestClient, uow: SqlUnitOfWork, now: datetime
) -> None:
    account = factories.add_account(uow, now=now, name="Globex")
    first = factories.open_escalation(uow, now=now, account=account.name, severity="high")
    body = {
        "account": "Globex",
        "severity": "medium",
        "summary": "Exports time out",
        "initial_ask": "An engineer on the export service",
        "required_skills": ["Go"],
        "dri": factories.add_person(uow, "support", now=now).email,
    }
    refused = manager.post("/api/escalations", json=body)
    assert refused.status_code == 409
    problem = refused.json()
    assert problem["type"] == "urn:escdesk:problem:already_open"
    assert (problem["open_escalation"], problem["field"]) == (first.id, "also")
    assert f"Globex already has an open escalation: #{first.id} (high)" in problem["detail"]
    assert manager.get("/api/escalations").json()["total"] == 1
    opened = manager.post("/api/escalations", json={**body, "also": True})
    assert opened.status_code == 201, opened.text
