"""0010 (service clocks) steps up and down on a database with data in it."""

from __future__ import annotations

from datetime import UTC, datetime

from alembic import command
from sqlalchemy import Engine, inspect, text

from escdesk.store.migrate import _config, is_up_to_date, upgrade

CLOCK_TABLES = {"working_calendars", "account_calendars"}
NOW = datetime(2026, 1, 1, tzinfo=UTC)


def test_the_clocks_migration_adds_its_tables_beside_existing_data_and_removes_them(
    engine: Engine,
) -> None:
    command.downgrade(_config(engine), "0009")
    assert CLOCK_TABLES.isdisjoint(inspect(engine).get_table_names())
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO accounts (name, slug, tier, arr, status, sentiment, created_at, "
                "version) VALUES ('Acme', 'acme', 'smb', 1, 'paying', 'green', :now, 1)"
            ),
            {"now": NOW},
        )
    upgrade(engine, "0010")
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO working_calendars (name, timezone, hours, holidays, holiday_dates, "
                "closed_dates, is_default, created_at, updated_at) VALUES ('munich', "
                "'Europe/Berlin', '[\"mon-fri 09:00-17:00\"]', 'DE-BY', '[]', '[]', true, "
                ":now, :now)"
            ),
            {"now": NOW},
        )
        connection.execute(
            text(
                "INSERT INTO account_calendars (account_id, calendar_id) "
                "SELECT a.id, c.id FROM accounts a, working_calendars c"
            )
        )
    command.downgrade(_config(engine), "0009")
    assert CLOCK_TABLES.isdisjoint(inspect(engine).get_table_names())
    with engine.connect() as connection:
        assert connection.execute(text("SELECT name FROM accounts")).scalar_one() == "Acme"
    upgrade(engine)
    assert is_up_to_date(engine)
