"""R-OPS-4, a clear "unavailable": while the database cannot be reached the API answers 503
with Retry-After and a problem saying so, the pages say it in words, and the sign-in page,
which needs no database, keeps answering. The database is a port nobody listens on, and a
server that accepts connections but never answers (a frozen PostgreSQL)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from escdesk.asgi import create_app
from escdesk.config import Settings
from escdesk.store.database import DatabaseLimits, make_engine
from tests.store.peers import closed_port, silent_server


@pytest.fixture(params=["closed", "frozen"])
def down(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[TestClient]:
    with silent_server() as frozen:
        port = closed_port() if request.param == "closed" else frozen
        url = f"postgresql+psycopg://escdesk:s3cret@127.0.0.1:{port}/desk"
        settings = Settings(
            database_url=url,
            index_dir=tmp_path / "index",
            db_connect_timeout=2,
            unavailable_retry_after=7,
        )
        engine = make_engine(url, DatabaseLimits(connect_timeout=2, pool_timeout=2))
        app = create_app(settings, engine)
        with TestClient(app, raise_server_exceptions=False) as client:
            yield client
        engine.dispose()


def test_the_api_answers_503_with_retry_after_and_a_problem_saying_so(down: TestClient) -> None:
    response = down.get("/api/escalations", headers={"Authorization": "Bearer esc_x"})
    assert response.status_code == 503
    assert response.headers["retry-after"] == "7"
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["type"] == "urn:escdesk:problem:database_unavailable"
    assert problem["title"] == "Database unavailable"
    assert "the database is unavailable" in problem["detail"]
    assert "s3cret" not in response.text and "127.0.0.1" not in response.text


def test_signing_in_over_the_api_is_a_503_too(down: TestClient) -> None:
    response = down.post("/api/session", json={"email": "a@example.com", "password": "x"})
    assert response.status_code == 503
    assert response.headers["retry-after"] == "7"


def test_a_page_says_in_words_that_the_database_is_unavailable(down: TestClient) -> None:
    down.cookies.set("escdesk_session", "stale-session")
    response = down.get("/", follow_redirects=False)
    assert response.status_code == 503
    assert "cannot reach its database" in response.text
    assert "Traceback" not in response.text and "s3cret" not in response.text


def test_the_sign_in_page_keeps_answering(down: TestClient) -> None:
    assert down.get("/login").status_code == 200
    down.cookies.set("escdesk_session", "stale-session")  # even with a session to look up
    assert down.get("/login").status_code == 200


def test_a_sign_in_attempt_says_so_next_to_the_form(down: TestClient) -> None:
    response = down.post("/login", data={"email": "a@example.com", "password": "wrong"})
    assert response.status_code == 503
    assert "cannot reach its database" in response.text
