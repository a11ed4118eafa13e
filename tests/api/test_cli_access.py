"""`escdesk tokens …`, `escdesk people set-password` and `escdesk serve`, run for real."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner, Result

from escdesk.cli.app import app
from escdesk.cli.serve import prepare_database
from escdesk.services import auth
from escdesk.store.database import make_engine
from escdesk.store.migrate import current_revision, head_revision
from escdesk.store.uow import SqlUnitOfWork
from tests import factories


@pytest.fixture(autouse=True)
def private_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    for name in [n for n in os.environ if n.startswith("ESCDESK_") and "TEST" not in n]:
        monkeypatch.delenv(name)


def escdesk(database_url: str, *args: str, input: str | None = None) -> Result:
    return CliRunner().invoke(app, ["--database-url", database_url, *args], input=input)


def test_a_token_is_printed_once_and_then_listed_by_its_hint(
    database_url: str, uow: SqlUnitOfWork
) -> None:
    created = escdesk(database_url, "tokens", "create", "helpdesk sync", "--role", "support")
    assert created.exit_code == 0, created.output
    token = created.output.strip().splitlines()[-1]
    assert token.startswith("esc_")
    listed = escdesk(database_url, "tokens", "list", "--json")
    items = json.loads(listed.output)["items"]
    assert [(t["name"], t["hint"], t["active"]) for t in items] == [
        ("helpdesk sync", token[:8], True)
    ]
    assert token not in listed.output
    assert auth.principal_for_token(uow, token, datetime.now(UTC)) is not None


def test_a_revoked_token_no_longer_signs_anything_in(database_url: str, uow: SqlUnitOfWork) -> None:
    created = json.loads(
        escdesk(database_url, "tokens", "create", "bot", "--role", "csm", "--json").output
    )
    revoked = escdesk(database_url, "tokens", "revoke", str(created["info"]["id"]))
    assert revoked.exit_code == 0, revoked.output
    assert auth.principal_for_token(uow, created["token"], datetime.now(UTC)) is None


def test_a_token_with_an_unknown_role_is_bad_input(database_url: str) -> None:
    result = escdesk(database_url, "tokens", "create", "bot", "--role", "janitor")
    assert result.exit_code == 2
    assert "role" in result.output and "Traceback" not in result.output


def test_set_password_lets_the_person_sign_in(
    database_url: str, uow: SqlUnitOfWork, now: datetime
) -> None:
    person = factories.add_person(uow, "manager", now=now)
    result = escdesk(
        database_url, "people", "set-password", person.email, "--stdin", input="a long password\n"
    )
    assert result.exit_code == 0, result.output
    assert auth.sign_in(uow, person.email, "a long password", now).principal.person_id == person.id


def test_set_password_refuses_a_short_one_naming_the_field(
    database_url: str, uow: SqlUnitOfWork, now: datetime
) -> None:
    person = factories.add_person(uow, "manager", now=now)
    result = escdesk(database_url, "people", "set-password", person.email, "--stdin", input="x\n")
    assert result.exit_code == 2
    assert "password" in result.output


def test_serving_an_empty_sqlite_database_upgrades_it_first(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'new.db'}"
    prepare_database(url)
    engine = make_engine(url)
    assert current_revision(engine) == head_revision()
    engine.dispose()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture
def server(database_url: str, tmp_path: Path) -> Iterator[str]:
    """`escdesk serve` in its own process on a free port; stopped after the test."""
    port = _free_port()
    command = "from escdesk.cli.app import main; main()"
    args = ["--database-url", database_url, "serve", "--port", str(port)]
    log = (tmp_path / "serve.log").open("w")
    process = subprocess.Popen([sys.executable, "-c", command, *args], stdout=log, stderr=log)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                httpx.get(f"{base}/openapi.json", timeout=1)
                break
            except httpx.TransportError:
                assert process.poll() is None, (tmp_path / "serve.log").read_text()
                assert time.monotonic() < deadline, "escdesk serve did not start in 30 s"
                time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=15)
        log.close()


def test_escdesk_serve_answers_over_http_with_sessions_and_problems(
    server: str, uow: SqlUnitOfWork, now: datetime
) -> None:
    person = factories.add_person(uow, "support", now=now, name="Ada")
    auth.set_password(uow, person.email, "a long password", now)
    with httpx.Client(base_url=server) as client:
        refused = client.get("/api/escalations")
        assert refused.status_code == 401
        assert refused.headers["content-type"] == "application/problem+json"
        signed = client.post(
            "/api/session", json={"email": person.email, "password": "a long password"}
        )
        assert signed.status_code == 200, signed.text
        assert client.get("/api/session").json()["name"] == "Ada"
        assert client.get("/api/escalations").json()["total"] == 0
