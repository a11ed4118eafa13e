"""`escdesk --help` and a list stay quick: their start-up imports none of the heavy libraries.

Each path runs in a fresh interpreter (this test process has imported everything already) and
the test reads that interpreter's `sys.modules`: a check on what is imported, not a timing.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import create_engine

from escdesk.store.migrate import upgrade
from tests.store.contents import CORE_TABLES

NEVER_AT_START_UP = (
    "numpy",
    "scipy",
    "sklearn",
    "fastapi",
    "starlette",
    "uvicorn",
    "alembic",
    "mako",
    "jinja2",
    "slack_sdk",
    "icalendar",
    "holidays",
    "prometheus_client",
    "argon2",
    "httpx",
    "escdesk.similarity",
    "escdesk.importers",
    "escdesk.notify",
    "escdesk.api",
    "escdesk.web",
    "escdesk.chat",
    "escdesk.asgi",
)
NOT_FOR_HELP = (
    "sqlalchemy",
    "pydantic_settings",
    "escdesk.store",
    "escdesk.bootstrap",
    "escdesk.services",
)

NOT_FOR_A_JSON_LIST = (
    "rich",  # the board and the detail are drawn for a person, never for --json
    "sqlalchemy.dialects.postgresql",  # on SQLite
    "escdesk.cli.escalation_changes",
    "escdesk.cli.board",
    "escdesk.cli.detail",
    "escdesk.services.accounts",
    "escdesk.services.retrospectives",
    "escdesk.services.surveys",
    "escdesk.services.webhooks",
    "escdesk.store.tables.tickets",
    "escdesk.store.tables.triage",
    "escdesk.store.tables.delivery",
)

RUN_AND_LIST_MODULES = """
import json, sys
from escdesk.cli.app import app
code = None
try:
    app(sys.argv[1:], prog_name="escdesk")
except SystemExit as exit:
    code = exit.code
base = sys.modules.get("escdesk.store.tables.base")
mapped = sorted(base.Base.metadata.tables) if base else []
print("\\n" + json.dumps({"code": code, "modules": sorted(sys.modules), "tables": mapped}))
"""


def modules_after(args: list[str], database: Path, exit_code: int = 0) -> set[str]:
    return run_after(args, database, exit_code)[0]


def run_after(args: list[str], database: Path, exit_code: int = 0) -> tuple[set[str], set[str]]:
    """The modules imported and the tables mapped by one run of `escdesk ARGS`."""
    env = {**os.environ, "ESCDESK_DATABASE_URL": f"sqlite:///{database}"}
    result = subprocess.run(
        [sys.executable, "-c", RUN_AND_LIST_MODULES, *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["code"] == exit_code, result.stderr
    return set(report["modules"]), set(report["tables"])


def loaded(modules: set[str], packages: tuple[str, ...]) -> list[str]:
    return sorted(p for p in packages if any(m == p or m.startswith(p + ".") for m in modules))


@pytest.fixture
def empty_desk(tmp_path: Path) -> Path:
    """An empty SQLite desk already at head, so the command under test need not upgrade it."""
    database = tmp_path / "escdesk.db"
    engine = create_engine(f"sqlite:///{database}")
    upgrade(engine)
    engine.dispose()
    return database


@pytest.mark.parametrize(
    ("args", "exit_code"), [(["--help"], 0), ([], 2)], ids=["--help", "no arguments"]
)
def test_the_help_imports_no_store_and_no_heavy_library(
    args: list[str], exit_code: int, empty_desk: Path
) -> None:
    modules = modules_after(args, empty_desk, exit_code)
    assert loaded(modules, NEVER_AT_START_UP + NOT_FOR_HELP) == []


@pytest.mark.parametrize(
    "args",
    [["escalations", "list", "--json"], ["escalations", "due", "--json"], ["db", "current"]],
    ids=" ".join,
)
def test_a_list_imports_no_heavy_library(args: list[str], empty_desk: Path) -> None:
    modules = modules_after(args, empty_desk)
    assert "escdesk.store.uow" in modules or args[0] == "db"  # the path did reach the store
    assert loaded(modules, NEVER_AT_START_UP) == []


@pytest.mark.parametrize(
    "args",
    [["escalations", "list", "--json"], ["escalations", "due", "--json"]],
    ids=" ".join,
)
def test_a_json_list_maps_the_core_tables_only_and_draws_nothing(
    args: list[str], empty_desk: Path
) -> None:
    """A list reads escalations, accounts and people: it maps those tables (a module of nine),
    not the forty-odd of the whole schema, and imports no renderer nor change command."""
    modules, tables = run_after(args, empty_desk)
    assert tables and tables <= CORE_TABLES
    assert loaded(modules, NOT_FOR_A_JSON_LIST) == []
