"""One Alembic chain for SQLite and PostgreSQL: it builds exactly the tables the code maps."""

from __future__ import annotations

from datetime import UTC, datetime

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, inspect, text

from escdesk.store.migrate import (
    _config,
    current_revision,
    head_revision,
    is_up_to_date,
    upgrade,
)
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


def downgrade(engine: Engine, revision: str) -> None:
    command.downgrade(_config(engine), revision)


DELIVERY_TABLES = {
    "customer_contacts",
    "slack_channels",
    "delivery_steps",
    "email_threads",
    "calendar_series",
    "calendar_feeds",
    "webhook_subscriptions",
    "webhook_deliveries",
}


def test_the_delivery_migration_adds_its_tables_beside_existing_data_and_removes_them_again(
    engine: Engine,
) -> None:
    """0009 on a database with an account in it: the account survives up and down."""
    downgrade(engine, "0003")
    assert DELIVERY_TABLES.isdisjoint(inspect(engine).get_table_names())
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO accounts (name, slug, tier, arr, status, sentiment, created_at, "
                "version) VALUES ('Acme', 'acme', 'smb', 1, 'paying', 'green', :now, 1)"
            ),
            {"now": datetime(2026, 1, 1, tzinfo=UTC)},
        )
    upgrade(engine, "0009")
    assert DELIVERY_TABLES <= set(inspect(engine).get_table_names())
    with engine.begin() as connection:
        account_id = connection.execute(text("SELECT id FROM accounts")).scalar_one()
        connection.execute(
            text(
                "INSERT INTO customer_contacts (account_id, name, email, language, created_at) "
                "VALUES (:account, 'Jo Chen', 'jo@acme.example', 'en', :now)"
            ),
            {"account": account_id, "now": datetime(2026, 1, 1, tzinfo=UTC)},
        )
    downgrade(engine, "0003")
    with engine.connect() as connection:
        assert connection.execute(text("SELECT name FROM accounts")).scalar_one() == "Acme"
    upgrade(engine)
    assert is_up_to_date(engine)
