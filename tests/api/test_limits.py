"""R-OPS-4, limits before work: a body over its limit is a 413 before anything parses it —
problem+json under /api, a page for the web — and an upload has a limit of its own."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from escdesk.asgi import create_app
from escdesk.config import Settings
from escdesk.http.deps import get_now
from escdesk.store.uow import SqlUnitOfWork
from tests.api.access import token_client

LIMITS = {"max_json_bytes": 4096, "max_form_bytes": 8192, "max_upload_bytes": 65536}


@pytest.fixture
def app(database_url: str, engine: Engine, now: datetime, tmp_path: Path) -> FastAPI:
    settings = Settings(database_url=database_url, index_dir=tmp_path / "index", **LIMITS)
    app = create_app(settings, engine)
    app.dependency_overrides[get_now] = lambda: now
    return app


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client


def test_the_limits_have_sensible_defaults() -> None:
    settings = Settings(database_url="sqlite://")
    assert settings.max_json_bytes == 1024 * 1024
    assert settings.max_form_bytes == 1024 * 1024
    assert settings.max_upload_bytes == 200 * 1024 * 1024


def test_a_declared_json_body_over_the_limit_is_a_413_problem(client: TestClient) -> None:
    body = b'{"email": "' + b"a" * 5000 + b'", "password": "x"}'
    response = client.post(
        "/api/session", content=body, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 413
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["status"] == 413
    assert problem["type"] == "urn:escdesk:problem:too_large"
    assert "4 KiB" in problem["detail"]


def test_a_streamed_body_without_a_length_is_cut_at_the_limit(client: TestClient) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"email": "'
        for _ in range(100):
            yield b"a" * 1000
        yield b'"}'

    response = client.post(
        "/api/session", content=chunks(), headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 413
    assert response.json()["type"] == "urn:escdesk:problem:too_large"


def test_a_body_under_the_limit_is_read_as_usual(client: TestClient) -> None:
    response = client.post("/api/session", json={"email": "a@example.com", "password": "x"})
    assert response.status_code == 422  # a wrong password, heard: not refused for its size


def test_a_page_form_over_the_limit_is_a_413_page(client: TestClient) -> None:
    response = client.post("/login", data={"email": "a" * 10_000, "password": "x"})
    assert response.status_code == 413
    assert response.headers["content-type"].startswith("text/html")
    assert "Request too large" in response.text
    assert "8 KiB" in response.text


def test_an_oversize_multipart_field_on_the_sign_in_form_is_a_413_page(
    client: TestClient,
) -> None:
    files = {"email": (None, "a" * 20_000), "password": (None, "x")}
    response = client.post("/login", files=files)
    assert response.status_code == 413
    assert "Request too large" in response.text


def test_an_upload_has_its_own_larger_limit(
    app: FastAPI, uow: SqlUnitOfWork, now: datetime
) -> None:
    robot = token_client(app, uow, now, "manager")
    line = b'{"id": "T-1", "subject": "Export stalls", "created_at": "2024-03-01T09:00:00Z"}\n'
    padding = b"\n" * 20_000  # over the JSON and form limits, under the upload limit
    accepted = robot.post(
        "/api/tickets/import",
        data={"format": "jsonl"},
        files={"file": ("t.jsonl", line + padding, "application/x-ndjson")},
    )
    assert accepted.status_code == 200, accepted.text
    assert accepted.json()["new"] == 1

    refused = robot.post(
        "/api/tickets/import",
        data={"format": "jsonl"},
        files={"file": ("t.jsonl", line + b"\n" * 70_000, "application/x-ndjson")},
    )
    assert refused.status_code == 413
    assert "an upload larger than 64 KiB" in refused.json()["detail"]
