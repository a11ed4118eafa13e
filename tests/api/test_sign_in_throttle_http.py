"""R-OPS-2 over HTTP: a throttled sign-in is a 429 with Retry-After on the API and words next
to the form on the page; the next good sign-in tells the person their account was paused."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from escdesk.asgi import create_app
from escdesk.config import Settings
from escdesk.http.deps import get_now
from escdesk.services import auth
from escdesk.store.uow import SqlUnitOfWork
from tests import factories

PASSWORD = "correct horse battery"


@pytest.fixture
def app(database_url: str, engine: Engine, now: datetime, tmp_path: Path) -> FastAPI:
    settings = Settings(
        database_url=database_url, index_dir=tmp_path / "index", sign_in_free_attempts=2
    )
    app = create_app(settings, engine)
    app.dependency_overrides[get_now] = lambda: now
    return app


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client


@pytest.fixture
def ada(uow: SqlUnitOfWork, now: datetime) -> str:
    person = factories.add_person(uow, "support", now=now, name="Ada")
    auth.set_password(uow, person.email, PASSWORD, now)
    return person.email


def test_the_api_answers_429_with_retry_after_once_an_account_is_paused(
    client: TestClient, ada: str
) -> None:
    for _ in range(2):
        heard = client.post("/api/session", json={"email": ada, "password": "wrong password"})
        assert heard.status_code == 422
    refused = client.post("/api/session", json={"email": ada, "password": PASSWORD})
    assert refused.status_code == 429
    assert refused.headers["retry-after"] == "1"
    problem = refused.json()
    assert problem["type"] == "urn:escdesk:problem:too_many_attempts"
    assert problem["retry_after"] == 1
    assert "paused" in problem["detail"]

    later = datetime(2030, 1, 1, tzinfo=UTC)
    client.app.dependency_overrides[get_now] = lambda: later  # type: ignore[attr-defined]
    signed = client.post("/api/session", json={"email": ada, "password": PASSWORD})
    assert signed.status_code == 200
    assert signed.json()["paused_after_wrong_passwords"] == 2


def test_the_page_says_so_next_to_the_form_and_the_next_sign_in_tells_the_person(
    client: TestClient, ada: str, app: FastAPI
) -> None:
    for _ in range(2):
        client.post("/login", data={"email": ada, "password": "wrong password"})
    refused = client.post("/login", data={"email": ada, "password": PASSWORD})
    assert refused.status_code == 429
    assert "sign-in is paused for 1 second" in refused.text

    app.dependency_overrides[get_now] = lambda: datetime(2030, 1, 1, tzinfo=UTC)
    signed = client.post("/login", data={"email": ada, "password": PASSWORD})
    assert signed.status_code == 200  # followed to the desk
    assert "was paused after 2 wrong passwords" in signed.text
