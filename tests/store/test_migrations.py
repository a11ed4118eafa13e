"""One Alembic chain for SQLite and PostgreSQL: it builds exactly the tables the code maps."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine

from escdesk.store.migrate import current_revision, head_revision, is_up_to_date, upgrade
from escdesk.store.tables import Base


def test_the_migrated_schema_matches_the_table_definitions(engine: Engine) -> None:
    with engine.connect() as connection:
        context = MigrationContext.configure(connection)
        differences = compare_metadata(context, Base.metadata)
    assert differences == []


def test_the_database_is_at_head_and_upgrading_again_changes_nothing(engine: Engine) -> None:
    assert current_revision(engine) == head_revision()
    upgrade(engine)
    assert is_up_to_date(engine)
