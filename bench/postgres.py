"""A PostgreSQL schema of a benchmark's own, so a run never touches anyone else's tables."""

from __future__ import annotations

import os
import tempfile
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import text

from escdesk.store.database import make_engine, with_search_path


def create_schema(base_url: str, prefix: str = "bench") -> tuple[str, Callable[[], None]]:
    """Create a fresh schema; returns a URL that works inside it and a function that drops it."""
    schema = f"{prefix}_{uuid.uuid4().hex[:10]}"
    admin = make_engine(base_url)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))

    def drop() -> None:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()

    return with_search_path(base_url, schema), drop


@contextmanager
def temporary_schema(base_url: str, prefix: str = "bench") -> Iterator[str]:
    url, drop = create_schema(base_url, prefix)
    try:
        yield url
    finally:
        drop()


def on_each_database(run: Callable[[str, str], list[str]]) -> list[str]:
    """`run(name, url)` on a new SQLite file and, when ESCDESK_BENCH_POSTGRES_URL or
    ESCDESK_TEST_DATABASE_URL names a server, in a PostgreSQL schema of its own: the report
    lines of both, or a line saying why PostgreSQL was skipped."""
    with tempfile.TemporaryDirectory() as tmp:
        report = run("SQLite", f"sqlite:///{Path(tmp) / 'bench.db'}")
    server = os.environ.get("ESCDESK_BENCH_POSTGRES_URL") or os.environ.get(
        "ESCDESK_TEST_DATABASE_URL"
    )
    if not server:
        return [*report, "PostgreSQL: skipped (set ESCDESK_BENCH_POSTGRES_URL)"]
    with temporary_schema(server) as url:
        return report + run("PostgreSQL", url)
