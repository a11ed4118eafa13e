"""Signing in over the API: the session cookie, CSRF on cookie-authenticated changes, sign-out."""

from __future__ import annotations

from datetime import datetime

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from escdesk.asgi import create_app
from escdesk.config import Settings
from escdesk.http.deps import get_now
from escdesk.http.security import CSRF_HEADER, SESSION_COOKIE
from escdesk.services import auth
from escdesk.store.uow import SqlUnitOfWork
from tests import factories

PASSWORD = "correct horse battery"
NEW_PERSON = {"name": "Lin", "email": "lin@example.com", "roles": ["support"]}


@pytest.fixture
def mia(uow: SqlUnitOfWork, now: datetime) -> str:
    person = factories.add_person(uow, "manager", now=now, name="Mia")
    auth.set_password(uow, person.email, PASSWORD, now)
    return person.email


def sign_in(client: TestClient, email: str, password: str = PASSWORD) -> str:
    response = client.post("/api/session", json={"email": email, "password": password})
    assert response.status_code == 200, response.text
    csrf: str = response.json()["csrf_token"]
    return csrf


def test_signing_in_sets_an_httponly_lax_cookie_and_returns_the_principal(
    anonymous: TestClient, mia: str
) -> None:
    response = anonymous.post("/api/session", json={"email": mia, "password": PASSWORD})
    cookie = response.headers["set-cookie"]
    assert cookie.startswith(f"{SESSION_COOKIE}=")
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Secure" not in cookie
    body = response.json()
    assert body["principal"]["name"] == "Mia" and body["principal"]["via"] == "session"
    assert "close" in body["principal"]["permissions"]
    assert anonymous.get("/api/session").json()["name"] == "Mia"


def test_the_cookie_is_secure_when_escdesk_is_served_over_https(
    database_url: str, engine: Engine, now: datetime, mia: str
) -> None:
    app = create_app(
        Settings(database_url=database_url, base_url="https://desk.example.com"), engine
    )
    app.dependency_overrides[get_now] = lambda: now
    response = TestClient(app).post("/api/session", json={"email": mia, "password": PASSWORD})
    assert "Secure" in response.headers["set-cookie"]


def test_a_wrong_password_is_a_422_that_does_not_say_which_part_was_wrong(
    anonymous: TestClient, mia: str
) -> None:
    response = anonymous.post("/api/session", json={"email": mia, "password": "nope"})
    assert response.status_code == 422
    assert response.json()["field"] == "password"
    assert response.json()["detail"].startswith("password: the e-mail or password is wrong")
    assert SESSION_COOKIE not in response.headers.get("set-cookie", "")


def test_a_cookie_authenticated_change_needs_the_csrf_header(
    anonymous: TestClient, mia: str
) -> None:
    csrf = sign_in(anonymous, mia)
    refused = anonymous.post("/api/people", json=NEW_PERSON)
    assert refused.status_code == 403
    assert refused.json()["field"] == "csrf_token"
    wrong = anonymous.post("/api/people", json=NEW_PERSON, headers={CSRF_HEADER: csrf[:-1] + "x"})
    assert wrong.status_code == 403
    assert anonymous.get("/api/people").status_code == 200  # reading needs no CSRF token
    done = anonymous.post("/api/people", json=NEW_PERSON, headers={CSRF_HEADER: csrf})
    assert done.status_code == 201


def test_a_refused_change_writes_nothing(anonymous: TestClient, mia: str) -> None:
    sign_in(anonymous, mia)
    anonymous.post("/api/people", json=NEW_PERSON)
    emails = [p["email"] for p in anonymous.get("/api/people").json()["items"]]
    assert NEW_PERSON["email"] not in emails


def test_a_bearer_token_needs_no_csrf_token(robot: TestClient) -> None:
    assert robot.post("/api/people", json=NEW_PERSON).status_code == 201


def test_signing_out_ends_the_session(anonymous: TestClient, mia: str) -> None:
    csrf = sign_in(anonymous, mia)
    session = anonymous.cookies[SESSION_COOKIE]
    response = anonymous.delete("/api/session", headers={CSRF_HEADER: csrf})
    assert response.status_code == 204
    anonymous.cookies.set(SESSION_COOKIE, session)  # a copied cookie is dead too
    assert anonymous.get("/api/session").status_code == 401


def test_a_malformed_authorization_header_is_a_401(anonymous: TestClient) -> None:
    response = anonymous.get("/api/session", headers={"Authorization": "Basic bWlhOnB3"})
    assert response.status_code == 401
    assert "Bearer" in response.json()["detail"]


def test_an_unknown_session_cookie_is_simply_signed_out(app: FastAPI) -> None:
    client = TestClient(app)
    client.cookies.set(SESSION_COOKIE, "forged")
    assert client.get("/api/session").status_code == 401
