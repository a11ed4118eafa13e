"""The app under test for the operations probes, on each backend, with a fixed clock."""

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
from tests.notify.slack_server import SlackServer


@pytest.fixture(autouse=True)
def cheap_argon2(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        auth, "PASSWORD_HASHER", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    )


def app_on(settings: Settings, engine: Engine | None, now: datetime) -> FastAPI:
    app = create_app(settings, engine)
    app.dependency_overrides[get_now] = lambda: now
    app.state.desk.clock = lambda: now
    return app


@pytest.fixture
def app(database_url: str, engine: Engine, now: datetime, tmp_path: Path) -> FastAPI:
    return app_on(Settings(database_url=database_url, index_dir=tmp_path / "index"), engine, now)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client


@pytest.fixture
def slack() -> Iterator[SlackServer]:
    server = SlackServer().start()
    server.workspace.add_channel("escalated_customers")  # the team made it, once
    yield server
    server.stop()
