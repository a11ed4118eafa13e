"""A PostgreSQL schema of a benchmark's own, so a run never touches anyone else's tables."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager

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
