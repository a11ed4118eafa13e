"""A consistent copy of the embedded SQLite store, taken while escdesk runs.

SQLite's online backup API copies the database page by page under its own locks, so web
requests and the worker may keep writing; the copy is a complete database at one moment.
PostgreSQL is backed up by its own tools (`pg_dump`), never by escdesk.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlalchemy.engine import make_url

from escdesk.domain.errors import InvalidInput, StateRefused


def backup_sqlite(database_url: str, target: Path) -> int:
    """Copy the SQLite database at `database_url` to `target`; the number of pages copied."""
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite":
        raise StateRefused(
            f"escdesk backs up only its embedded SQLite store; back up {url.get_backend_name()} "
            "with its own tools: pg_dump --format=custom (see Operations in the README)"
        )
    if not url.database or url.database == ":memory:":
        raise InvalidInput("database_url", "names no SQLite file", "Point it at the database file")
    if target.exists():
        raise InvalidInput("path", f"{target} already exists", "Name a new file")
    if not target.parent.is_dir():
        raise InvalidInput("path", f"{target.parent} is not a directory", "Create it first")
    source = sqlite3.connect(f"file:{url.database}?mode=ro", uri=True)
    copy = sqlite3.connect(target)
    pages = 0

    def progress(status: int, remaining: int, total: int) -> None:
        nonlocal pages
        pages = total

    try:
        with copy:
            source.backup(copy, pages=1024, progress=progress)
    finally:
        copy.close()
        source.close()
    return pages
