"""R-OPS-2, headers and caching: every answer forbids framing and type sniffing and keeps its
address to escdesk; everything that may carry internal text is never stored by a cache."""

from __future__ import annotations

from datetime import datetime

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from escdesk.domain.escalation import Escalation
from escdesk.store.uow import SqlUnitOfWork
from tests import factories
from tests.api.access import open_session


@pytest.fixture
def esc(uow: SqlUnitOfWork, now: datetime) -> Escalation:
    return factories.open_escalation(uow, now=now)


def assert_secure(response: httpx.Response) -> None:
    assert response.headers["x-frame-options"] == "DENY"
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "same-origin"


def test_every_kind_of_answer_carries_the_security_headers(
    manager: TestClient, anonymous: TestClient, esc: Escalation
) -> None:
    answers = [
        manager.get(f"/api/escalations/{esc.id}"),
        manager.get("/api/nowhere"),
        anonymous.get("/api/escalations"),
        anonymous.get("/login"),
        anonymous.get("/nowhere"),
        anonymous.get("/static/escdesk.css"),
        anonymous.get("/openapi.json"),
        anonymous.post("/api/session", content=b"x" * 2_000_000),
    ]
    assert [r.status_code for r in answers] == [200, 404, 401, 200, 404, 200, 200, 413]
    for response in answers:
        assert_secure(response)


def test_internal_text_and_the_status_api_are_never_stored_by_a_cache(
    manager: TestClient,
    anonymous: TestClient,
    esc: Escalation,
    uow: SqlUnitOfWork,
    now: datetime,
) -> None:
    token = manager.post(f"/api/escalations/{esc.id}/status-page").json()["token"]
    manager_person = factories.add_person(uow, "manager", now=now, name="Page Reader")
    anonymous.cookies.set("escdesk_session", open_session(uow, manager_person, now))
    answers = {
        "internal JSON": manager.get(f"/api/escalations/{esc.id}"),
        "list JSON": manager.get("/api/escalations"),
        "tracker": anonymous.get(f"/escalations/{esc.id}/tracker"),
        "tracker.md": anonymous.get(f"/escalations/{esc.id}/tracker.md"),
        "status API": anonymous.get(f"/api/status/{token}"),
        "status page": anonymous.get(f"/status/{token}"),
    }
    for name, response in answers.items():
        assert response.status_code == 200, (name, response.text)
        assert response.headers["cache-control"] == "no-store", name


def test_static_files_may_be_cached(anonymous: TestClient) -> None:
    assert "no-store" not in anonymous.get("/static/escdesk.css").headers.get("cache-control", "")


def test_even_an_internal_error_carries_them(app: FastAPI) -> None:
    @app.get("/api/boom")
    def boom() -> None:
        raise RuntimeError("boom")

    with TestClient(app, raise_server_exceptions=False) as client:
        response = client.get("/api/boom")
    assert response.status_code == 500
    assert_secure(response)
    assert response.headers["cache-control"] == "no-store"
