"""The app under test: built by `create_app` on each backend's database, with a fixed clock."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from escdesk.asgi import create_app
from escdesk.config import Settings
from escdesk.http.deps import get_now
from escdesk.services import auth
from escdesk.store.uow import SqlUnitOfWork
from tests.api.access import person_client, token_client


@pytest.fixture(autouse=True)
def cheap_argon2(monkeypatch: pytest.MonkeyPatch) -> None:
    """Real argon2, with parameters that cost milliseconds instead of 0.2 s a check."""
    monkeypatch.setattr(
        auth, "PASSWORD_HASHER", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    )


@pytest.fixture
def app(database_url: str, engine: Engine, now: datetime, tmp_path: Path) -> FastAPI:
    settings = Settings(database_url=database_url, index_dir=tmp_path / "index")
    app = create_app(settings, engine)
    app.dependency_overrides[get_now] = lambda: now
    return app


@pytest.fixture
def anonymous(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client


@pytest.fixture
def manager(app: FastAPI, uow: SqlUnitOfWork, now: datetime) -> TestClient:
    """A signed-in manager (every permission), via the session cookie and CSRF header."""
    return person_client(app, uow, now, "manager")[1]


@pytest.fixture
def robot(app: FastAPI, uow: SqlUnitOfWork, now: datetime) -> TestClient:
    """A script holding a manager API token."""
    return token_client(app, uow, now, "manager")
