"""The error shape of the API (RFC 9457), pinned: clients and scripts match on these keys."""

from __future__ import annotations

from datetime import datetime

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from escdesk.domain.errors import Conflict, Forbidden, InvalidInput, NotFound, RuleRefused
from escdesk.http.problems import MEDIA_TYPE
from escdesk.store.uow import SqlUnitOfWork
from tests import factories


def _raise(error: Exception):  # type: ignore[no-untyped-def]
    def endpoint() -> None:
        raise error

    return endpoint


@pytest.fixture
def raising(app: FastAPI) -> TestClient:
    """The app with extra routes that raise each error, as a service would."""
    errors = {
        "invalid": InvalidInput("eta", "is in the past", "Give a future moment"),
        "missing": NotFound("escalation", 7),
        "conflict": Conflict("escalation", 7, 4),
        "refused": RuleRefused("R-ESC-9", "cannot close yet", ["the customer's agreement"]),
        "forbidden": Forbidden("Ada (sales) may not close"),
        "boom": RuntimeError("password=hunter2 in /srv/escdesk/secret.py"),
    }
    for name, error in errors.items():
        app.add_api_route(f"/api/test-errors/{name}", _raise(error))
    return TestClient(app, raise_server_exceptions=False)


EXPECTED = {
    "invalid": {
        "type": "urn:escdesk:problem:invalid_input",
        "title": "Invalid input",
        "status": 422,
        "detail": "eta: is in the past. Give a future moment",
        "field": "eta",
        "fix": "Give a future moment",
    },
    "missing": {
        "type": "urn:escdesk:problem:not_found",
        "title": "Not found",
        "status": 404,
        "detail": "escalation 7 not found",
    },
    "conflict": {
        "type": "urn:escdesk:problem:conflict",
        "title": "Changed by someone else",
        "status": 409,
        "detail": "escalation 7 was changed by someone else (now at version 4); "
        "reload it and apply your change again",
        "current_version": 4,
    },
    "refused": {
        "type": "urn:escdesk:problem:rule_refused",
        "title": "Refused by a process rule",
        "status": 422,
        "detail": "R-ESC-9: cannot close yet — missing: the customer's agreement",
        "rule": "R-ESC-9",
        "missing": ["the customer's agreement"],
        "needs": [{"need": "the customer's agreement", "fields": []}],
    },
    "forbidden": {
        "type": "urn:escdesk:problem:forbidden",
        "title": "Forbidden",
        "status": 403,
        "detail": "Ada (sales) may not close",
    },
    "boom": {
        "type": "urn:escdesk:problem:internal_error",
        "title": "Internal error",
        "status": 500,
        "detail": "escdesk failed to answer this request; the error is in the server log",
    },
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_error_has_its_pinned_problem_body(raising: TestClient, name: str) -> None:
    response = raising.get(f"/api/test-errors/{name}")
    assert response.status_code == EXPECTED[name]["status"]
    assert response.headers["content-type"] == MEDIA_TYPE
    assert response.json() == EXPECTED[name]


def test_an_unexpected_error_shows_no_internals(raising: TestClient) -> None:
    text = raising.get("/api/test-errors/boom").text
    assert "hunter2" not in text and "secret.py" not in text and "Traceback" not in text


def test_a_request_that_does_not_match_the_schema_names_the_field(
    manager: TestClient, uow: SqlUnitOfWork, now: datetime
) -> None:
    esc = factories.open_escalation(uow, now=now)
    response = manager.post(
        f"/api/escalations/{esc.id}/eta", json={"eta": "next tuesday", "reason": "x"}
    )
    assert response.status_code == 422
    assert response.headers["content-type"] == MEDIA_TYPE
    body = response.json()
    assert body["type"] == "urn:escdesk:problem:invalid_input"
    assert body["field"] == "eta"
    assert body["detail"].startswith("eta: ")
    assert body["errors"] == [{"field": "eta", "problem": body["detail"].removeprefix("eta: ")}]


def test_text_no_store_accepts_is_refused_naming_the_field(manager: TestClient) -> None:
    response = manager.post(
        "/api/people", json={"name": "A\x00B", "email": "a@example.com", "roles": ["support"]}
    )
    assert (response.status_code, response.json()["field"]) == (422, "name")


def test_an_id_beyond_any_column_is_refused_naming_the_field(manager: TestClient) -> None:
    response = manager.get("/api/escalations", params={"dri": str(2**40)})
    assert (response.status_code, response.json()["field"]) == (422, "dri")
    assert manager.get(f"/api/escalations/{2**40}").status_code == 422


def test_an_unknown_path_is_a_problem_too(anonymous: TestClient) -> None:
    response = anonymous.get("/api/no-such-thing")
    assert response.status_code == 404
    assert response.headers["content-type"] == MEDIA_TYPE
    assert response.json()["type"] == "urn:escdesk:problem:http_404"


def test_nobody_signed_in_is_a_401_that_says_how_to_authenticate(anonymous: TestClient) -> None:
    response = anonymous.get("/api/escalations")
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    assert response.json()["type"] == "urn:escdesk:problem:sign_in_required"
