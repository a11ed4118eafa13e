"""API tokens over the API: shown once, hashed, acting with their role, revoked for good."""

from __future__ import annotations

from datetime import datetime, timedelta

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select

from escdesk.http.deps import get_now
from escdesk.services import auth
from escdesk.store.tables import ApiTokenRow
from escdesk.store.uow import SqlUnitOfWork
from tests.api.access import with_token


def test_a_token_is_shown_once_then_only_its_hint(manager: TestClient, uow: SqlUnitOfWork) -> None:
    created = manager.post("/api/tokens", json={"name": "helpdesk sync", "role": "support"})
    assert created.status_code == 201
    token = created.json()["token"]
    listed = manager.get("/api/tokens").json()["items"]
    assert [t["hint"] for t in listed] == [token[:8]]
    assert token not in manager.get("/api/tokens").text
    with uow:
        assert uow.session.scalar(select(ApiTokenRow.token_hash)) == auth.digest(token)


def test_a_token_acts_with_its_role_only(manager: TestClient, app: FastAPI) -> None:
    token = manager.post("/api/tokens", json={"name": "bot", "role": "sales"}).json()["token"]
    bot = with_token(app, token)
    me = bot.get("/api/session").json()
    assert (me["person_id"], me["roles"], me["via"]) == (None, ["sales"], "token")
    assert bot.get("/api/escalations").status_code == 200
    assert bot.get("/api/tokens").status_code == 403


def test_a_revoked_token_is_refused_and_its_last_use_is_kept(
    manager: TestClient, app: FastAPI, now: datetime
) -> None:
    created = manager.post("/api/tokens", json={"name": "bot", "role": "support"}).json()
    bot = with_token(app, created["token"])
    assert bot.get("/api/escalations").status_code == 200
    app.dependency_overrides[get_now] = lambda: now + timedelta(hours=1)
    revoked = manager.delete(f"/api/tokens/{created['info']['id']}")
    assert revoked.status_code == 200 and revoked.json()["active"] is False
    response = bot.get("/api/escalations")
    assert response.status_code == 401
    assert response.json()["detail"] == "the API token is unknown or revoked"
    listed = manager.get("/api/tokens").json()["items"][0]
    assert listed["last_used_at"] == now.isoformat().replace("+00:00", "Z")
    assert listed["revoked_at"] == (now + timedelta(hours=1)).isoformat().replace("+00:00", "Z")


def test_revoking_an_unknown_token_is_a_404(manager: TestClient) -> None:
    assert manager.delete("/api/tokens/4242").status_code == 404


def test_a_token_with_an_unknown_role_is_refused(manager: TestClient) -> None:
    response = manager.post("/api/tokens", json={"name": "bot", "role": "janitor"})
    assert (response.status_code, response.json()["field"]) == (422, "role")
    assert manager.get("/api/tokens").json()["items"] == []
