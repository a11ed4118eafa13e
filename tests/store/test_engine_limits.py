"""The `db_*` settings reach the engine: timeouts on every PostgreSQL connection, a bounded
pool, SQLite's busy timeout; options the database URL sets itself are kept and win."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.pool import QueuePool

from escdesk.config import Settings, load_settings
from escdesk.store.database import DatabaseLimits, make_engine, with_search_path


def _show(engine: Engine, name: str) -> str:
    with engine.connect() as connection:
        return str(connection.execute(text(f"SHOW {name}")).scalar())


def test_the_engine_defaults_are_the_settings_defaults() -> None:
    assert DatabaseLimits.of(Settings(database_url="sqlite://")) == DatabaseLimits()


def test_the_limits_come_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("ESCDESK_CONFIG", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("ESCDESK_DB_STATEMENT_TIMEOUT", "1.5")
    monkeypatch.setenv("ESCDESK_DB_POOL_SIZE", "3")
    limits = DatabaseLimits.of(load_settings())
    assert (limits.statement_timeout, limits.pool_size) == (1.5, 3)


def test_the_postgresql_pool_is_bounded_and_waits_only_the_pool_timeout() -> None:
    engine = make_engine(
        "postgresql+psycopg://escdesk@db.example.com/desk",
        DatabaseLimits(pool_size=4, pool_timeout=2.5),
    )
    pool = engine.pool
    assert isinstance(pool, QueuePool)
    assert (pool.size(), pool._max_overflow, pool.timeout()) == (4, 0, 2.5)
    assert pool._pre_ping


@pytest.mark.postgresql
def test_every_postgresql_connection_has_the_statement_timeout_and_keeps_the_url_options(
    postgresql_url: str,
) -> None:
    engine = make_engine(postgresql_url, DatabaseLimits(statement_timeout=2.5))
    assert _show(engine, "statement_timeout") == "2500ms"
    assert _show(engine, "search_path").startswith("t_"), "the URL's own options are kept"
    engine.dispose()


@pytest.mark.postgresql
def test_a_statement_timeout_the_url_sets_wins_over_the_setting(postgresql_url: str) -> None:
    url = with_search_path(postgresql_url.split("?")[0], "public")
    url += "&connect_timeout=3&options=-cstatement_timeout%3D7s"
    engine = make_engine(url, DatabaseLimits(statement_timeout=1))
    assert _show(engine, "statement_timeout") == "7s"
    engine.dispose()


def test_sqlite_waits_the_busy_timeout_for_another_writer(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'desk.db'}", DatabaseLimits(busy_timeout=2.5))
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 2500
    engine.dispose()
