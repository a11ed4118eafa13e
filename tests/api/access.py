"""Builders for API tests: people with a role and an open session, clients that act as them.

Sessions are opened through the store rather than by signing in: argon2 costs 0.2 s per check
by design, and the role matrix needs a session per role per route. Signing in itself is tested
in tests/services/test_auth.py and tests/api/test_session.py.
"""

from __future__ import annotations

import secrets
from datetime import datetime

from fastapi import FastAPI
from fastapi.testclient import TestClient

from escdesk.domain.access import SESSION_LIFETIME
from escdesk.domain.people import Person
from escdesk.http.security import CSRF_HEADER, SESSION_COOKIE
from escdesk.services import auth
from escdesk.store.uow import SqlUnitOfWork
from tests import factories


def open_session(uow: SqlUnitOfWork, person: Person, now: datetime) -> str:
    """A live session of `person`, as signing in would leave it; returns the cookie value."""
    assert person.id is not None
    token = secrets.token_urlsafe(32)
    with uow:
        uow.access.add_session(auth.digest(token), person.id, now, now + SESSION_LIFETIME)
        uow.commit()
    return token


def signed_in(app: FastAPI, session_token: str, *, csrf: bool = True) -> TestClient:
    """A browser-like client: session cookie, and the CSRF header unless told otherwise."""
    client = TestClient(app, raise_server_exceptions=False)
    client.cookies.set(SESSION_COOKIE, session_token)
    if csrf:
        client.headers[CSRF_HEADER] = auth.csrf_for_session(session_token)
    return client


def with_token(app: FastAPI, token: str) -> TestClient:
    client = TestClient(app, raise_server_exceptions=False)
    client.headers["Authorization"] = f"Bearer {token}"
    return client


def person_client(
    app: FastAPI, uow: SqlUnitOfWork, now: datetime, *roles: str
) -> tuple[Person, TestClient]:
    person = factories.add_person(uow, *roles, now=now)
    return person, signed_in(app, open_session(uow, person, now))


def token_client(app: FastAPI, uow: SqlUnitOfWork, now: datetime, role: str) -> TestClient:
    plaintext, _ = auth.create_token(uow, f"{role} robot", role, now)
    return with_token(app, plaintext)
