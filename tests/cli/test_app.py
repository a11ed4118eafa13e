"""The root command: help, configuration, schema state and the one place errors are mapped."""

from __future__ import annotations

import json
import os
import uuid
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
import typer
from sqlalchemy import text
from typer.testing import CliRunner

from escdesk.cli.app import app
from escdesk.services import people as people_service
from escdesk.store.database import make_engine
from escdesk.store.migrate import head_revision
from tests.cli.conftest import Cli, Desk


def test_running_without_a_command_prints_the_help_not_an_error() -> None:
    result = CliRunner().invoke(app, [])
    assert "escalations" in result.stdout and "demo" in result.stdout
    assert "error" not in result.stderr
    assert result.exit_code == 2


def test_every_command_and_option_has_help_text() -> None:
    missing: list[str] = []

    def walk(command: Any, path: str) -> None:
        if not getattr(command, "help", None):
            missing.append(path)
        for param in getattr(command, "params", []):
            if param.name != "help" and not getattr(param, "help", None):
                missing.append(f"{path} {param.name}")
        if hasattr(command, "list_commands"):  # the root's commands are built when asked for
            for name in command.list_commands(None):
                walk(command.get_command(None, name), f"{path} {name}")

    walk(typer.main.get_command(app), "escdesk")
    assert missing == []


def test_an_unexpected_failure_is_one_line_unless_debugging_is_asked_for(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cli = Cli(f"sqlite:///{tmp_path / 'escdesk.db'}")

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(people_service, "list_people", broken)
    result = cli("people", "list")
    assert result.exit_code == 1
    assert result.stderr == (
        "error: internal error: RuntimeError: disk on fire (set ESCDESK_DEBUG=1 for details)\n"
    )
    assert "Traceback" not in result.output

    debug = cli("people", "list", env={"ESCDESK_DEBUG": "1"})
    assert isinstance(debug.exception, RuntimeError)


def test_a_new_sqlite_file_is_migrated_on_first_use(tmp_path: Path) -> None:
    file_cli = Cli(f"sqlite:///{tmp_path / 'escdesk.db'}")  # a new file in an existing folder
    assert "none (empty)" in file_cli.ok("db", "current").stdout
    assert file_cli.json("people", "list") == {"items": []}
    assert "up to date" in file_cli.ok("db", "current").stdout
    assert "already at revision" in file_cli.ok("db", "upgrade").stdout


def test_the_database_url_and_the_actor_come_from_the_environment(
    database_url: str, desk: Desk
) -> None:
    env = {"ESCDESK_DATABASE_URL": database_url, "ESCDESK_ACTOR": desk.support}
    runner = CliRunner()
    posted = runner.invoke(
        app,
        ["escalations", "update", str(desk.medium), "--internal", "--body", "Logs read"],
        env=env,
    )
    assert posted.exit_code == 0, posted.output
    trail = runner.invoke(app, ["escalations", "history", str(desk.medium), "--json"], env=env)
    last = json.loads(trail.stdout)["items"][-1]
    assert last["type"] == "update_posted"
    assert last["actor"]["name"] == "Sam Support"


def test_the_default_database_lives_in_the_user_data_directory(private_environment: Path) -> None:
    result = CliRunner().invoke(app, ["db", "current"])
    assert result.exit_code == 0, result.output
    expected = private_environment / "data" / "escdesk" / "escdesk.db"
    assert str(expected) in result.stdout


@pytest.mark.postgresql
def test_an_outdated_postgresql_database_is_refused_until_db_upgrade() -> None:
    base = os.environ.get("ESCDESK_TEST_DATABASE_URL")
    if not base:
        pytest.skip("ESCDESK_TEST_DATABASE_URL is not set")
    schema = f"cli_{uuid.uuid4().hex[:12]}"
    admin = make_engine(base)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        separator = "&" if "?" in base else "?"
        pg = Cli(f"{base}{separator}options={quote(f'-csearch_path={schema}')}")
        refused = pg("people", "list")
        assert refused.exit_code == 1
        assert refused.stderr == (
            f"error: the database is at revision none (empty), escdesk needs {head_revision()}: "
            "run `escdesk db upgrade`\n"
        )
        assert "upgraded from revision none (empty)" in pg.ok("db", "upgrade").stdout
        assert pg.json("people", "list") == {"items": []}
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()
