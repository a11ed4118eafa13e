"""Engines for SQLite (embedded default) and PostgreSQL (production), configured alike."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import quote

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from escdesk.domain.errors import InvalidInput

SUPPORTED = ("sqlite", "postgresql")


def make_engine(url: str, **kwargs: Any) -> Engine:
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise InvalidInput(
            "database_url",
            f"{url!r} is not a database URL",
            "Use sqlite:///path/escdesk.db or postgresql+psycopg://user@host/db",
        ) from None
    if parsed.get_backend_name() not in SUPPORTED:
        raise InvalidInput(
            "database_url",
            f"{parsed.get_backend_name()!r} is not supported",
            "Use SQLite (sqlite:///…) or PostgreSQL (postgresql+psycopg://…)",
        )
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(parsed, connect_args={"timeout": 30}, **kwargs)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    if parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    return create_engine(parsed, pool_pre_ping=True, **kwargs)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    """Foreign keys on, WAL so readers never block the writer, and wait rather than fail."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def with_search_path(url: str, schema: str) -> str:
    """The PostgreSQL URL with `search_path` set, so escdesk's tables live in `schema`."""
    separator = "&" if "?" in url else "?"
    return f"{url}{separator}options={quote(f'-csearch_path={schema}')}"
