"""Engines for SQLite (embedded default) and PostgreSQL (production), configured alike.

Every engine is bounded: PostgreSQL connections time out on connect and per statement, the
pool hands out at most `pool_size` connections and makes a request wait at most `pool_timeout`
for one, pre-pinged so a restarted server costs no failed request; SQLite waits `busy_timeout`
for another writer. When the database cannot be reached or does not answer in time, the store
raises one error, `DatabaseUnavailable`, naming the database (never its password): the engine
translates the driver's error here, once, for every statement of every caller.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import quote

from sqlalchemy import URL, Engine, create_engine, event
from sqlalchemy.engine import ExceptionContext, make_url
from sqlalchemy.exc import ArgumentError

from escdesk.config import data_dir
from escdesk.domain.errors import DatabaseUnavailable, InvalidInput

SUPPORTED = ("sqlite", "postgresql")


@dataclass(frozen=True)
class DatabaseLimits:
    """How long escdesk waits for its database, and how many connections it holds.

    The defaults are those of the `db_*` settings in `escdesk.config` (a test keeps them equal).
    """

    connect_timeout: int = 5
    statement_timeout: float = 30.0
    pool_size: int = 10
    pool_timeout: float = 10.0
    busy_timeout: float = 30.0

    @classmethod
    def of(cls, settings: Any) -> DatabaseLimits:
        """From the `db_*` fields of `escdesk.config.Settings`."""
        return cls(
            connect_timeout=settings.db_connect_timeout,
            statement_timeout=settings.db_statement_timeout,
            pool_size=settings.db_pool_size,
            pool_timeout=settings.db_pool_timeout,
            busy_timeout=settings.db_busy_timeout,
        )


def make_engine(url: str, limits: DatabaseLimits | None = None, **kwargs: Any) -> Engine:
    limits = limits or DatabaseLimits()
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
        engine = _sqlite_engine(parsed, limits, kwargs)
    else:
        engine = _postgresql_engine(parsed, limits, kwargs)
    hook = partial(_raise_unavailable, shown_url(parsed), parsed.password)
    event.listen(engine, "handle_error", hook)
    return engine


def _sqlite_engine(parsed: URL, limits: DatabaseLimits, kwargs: dict[str, Any]) -> Engine:
    if parsed.database and parsed.database != ":memory:":
        _folder_ready(Path(parsed.database).expanduser())
    engine = create_engine(parsed, connect_args={"timeout": limits.busy_timeout}, **kwargs)
    event.listen(engine, "connect", partial(_sqlite_pragmas, limits.busy_timeout))
    return engine


def _folder_ready(path: Path) -> None:
    """escdesk makes its own data folder; any other missing folder is a typo in the URL, and
    answering it with a new, empty desk would hide every escalation from the user."""
    folder = path.parent
    if folder.is_dir():
        return
    own = data_dir()
    if folder == own or own in folder.parents:
        folder.mkdir(parents=True, exist_ok=True)
        return
    raise InvalidInput(
        "database_url",
        f"the folder {folder} does not exist",
        "Check the path for a typo, or create the folder first",
    )


def _sqlite_pragmas(busy_timeout: float, dbapi_connection: Any, _record: Any) -> None:
    """Foreign keys on, WAL so readers never block the writer, and wait rather than fail."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout * 1000)}")
    cursor.close()


def _postgresql_engine(parsed: URL, limits: DatabaseLimits, kwargs: dict[str, Any]) -> Engine:
    """Timeouts go in as connection parameters; ones the URL sets itself win over ours."""
    if parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    query = dict(parsed.query)
    query.setdefault("connect_timeout", str(limits.connect_timeout))
    ours = f"-c statement_timeout={int(limits.statement_timeout * 1000)}"
    given = query.get("options")
    given_text = " ".join(given) if isinstance(given, tuple) else given
    query["options"] = f"{ours} {given_text}" if given_text else ours  # later -c wins
    kwargs.setdefault("pool_size", limits.pool_size)
    kwargs.setdefault("max_overflow", 0)  # pool_size is the ceiling: workers × it ≤ the server's
    kwargs.setdefault("pool_timeout", limits.pool_timeout)
    return create_engine(parsed.set(query=query), pool_pre_ping=True, **kwargs)


def shown_url(url: URL) -> str:
    """The database as a person may be shown it: no password, no connection options."""
    query = {k: v for k, v in url.query.items() if k not in ("password", "options")}
    shown = URL.create(url.drivername, url.username, None, url.host, url.port, url.database, query)
    return shown.render_as_string(hide_password=False)


# SQLSTATE classes that mean "not reachable or not answering", not "your statement is wrong":
# connection exception, insufficient resources, operator intervention (which includes the
# statement timeout), system error; and lock_not_available.
_PG_UNAVAILABLE = ("08", "53", "57", "58")
_SQLITE_UNAVAILABLE = ("SQLITE_BUSY", "SQLITE_LOCKED", "SQLITE_CANTOPEN", "SQLITE_IOERR")


def unavailable_reason(error: BaseException) -> str | None:
    """Why the database is unavailable, if the driver's error says it is; else None."""
    if isinstance(error, sqlite3.OperationalError):
        name = getattr(error, "sqlite_errorname", "") or ""
        return _first_line(error) if name.startswith(_SQLITE_UNAVAILABLE) else None
    try:
        import psycopg
    except ImportError:  # pragma: no cover - psycopg is a dependency
        return None
    if isinstance(error, psycopg.InterfaceError):
        return _first_line(error)
    if isinstance(error, psycopg.OperationalError):
        state = getattr(error, "sqlstate", None)
        if state is None or state[:2] in _PG_UNAVAILABLE or state == "55P03":
            return _first_line(error)
    return None


def _raise_unavailable(database: str, password: Any, context: ExceptionContext) -> None:
    """The engine's error hook: a driver error that means "unavailable" becomes ours.

    Pre-ping failures are left alone: the pool reconnects, and only if that fails too does
    the caller hear of it (through this hook again).
    """
    if context.is_pre_ping:
        return
    reason = unavailable_reason(context.original_exception)
    if reason is not None:
        if password:
            reason = reason.replace(str(password), "***")
        raise DatabaseUnavailable(database, reason)


def _first_line(error: BaseException) -> str:
    lines = str(error).strip().splitlines()
    return (lines[0] if lines else type(error).__name__)[:300]


def with_search_path(url: str, schema: str) -> str:
    """The PostgreSQL URL with `search_path` set, so escdesk's tables live in `schema`."""
    separator = "&" if "?" in url else "?"
    return f"{url}{separator}options={quote(f'-csearch_path={schema}')}"
