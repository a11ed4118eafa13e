"""Shared fixtures: every store-backed test runs on SQLite and, when configured, PostgreSQL.

Set ESCDESK_TEST_DATABASE_URL (e.g. postgresql+psycopg://postgres@127.0.0.1:5432/test) to add
the PostgreSQL runs. Each test process migrates its own schema once; each test starts empty.
If the variable is set but the server cannot be reached, the tests fail rather than skip.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, inspect, text

from escdesk.domain.severity import DEFAULT_POLICY, SeverityPolicy
from escdesk.store.database import make_engine, with_search_path
from escdesk.store.migrate import upgrade
from escdesk.store.uow import SqlUnitOfWork
from tests.notify.webhook_receiver import WebhookReceiver

PG_URL = os.environ.get("ESCDESK_TEST_DATABASE_URL")
BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgresql)]


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "postgresql: runs against PostgreSQL")


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite file, copied for each test: migrating once keeps the suite fast."""
    path = tmp_path_factory.mktemp("template") / "escdesk.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    with engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    return path


@pytest.fixture(scope="session")
def postgresql_url() -> Iterator[str]:
    """A schema of our own on the test server, migrated once for this test process."""
    if not PG_URL:
        pytest.skip("ESCDESK_TEST_DATABASE_URL is not set")
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = make_engine(PG_URL)
    try:
        with admin.begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    except Exception as exc:  # a broken store must fail the run, never skip it
        pytest.fail(f"PostgreSQL at {PG_URL} is unreachable: {exc}")
    url = with_search_path(PG_URL, schema)
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    yield url
    with admin.begin() as connection:
        connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


@pytest.fixture(params=BACKENDS)
def database_url(
    request: pytest.FixtureRequest, tmp_path: Path, sqlite_template: Path
) -> Iterator[str]:
    """An empty, migrated database of each backend, isolated for this test."""
    if request.param == "sqlite":
        path = tmp_path / "escdesk.db"
        shutil.copy(sqlite_template, path)
        yield f"sqlite:///{path}"
        return
    url: str = request.getfixturevalue("postgresql_url")
    yield url
    engine = make_engine(url)
    names = [n for n in inspect(engine).get_table_names() if n != "alembic_version"]
    tables = ", ".join(f'"{n}"' for n in names)
    with engine.begin() as connection:
        connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    engine.dispose()


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def uow(engine: Engine) -> SqlUnitOfWork:
    return SqlUnitOfWork(engine)


@pytest.fixture
def now() -> datetime:
    return datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def policy() -> SeverityPolicy:
    return DEFAULT_POLICY


@pytest.fixture
def receiver() -> Iterator[WebhookReceiver]:
    """A local webhook endpoint that records each request (the notify and store tests use it)."""
    server = WebhookReceiver().start()
    yield server
    server.stop()
