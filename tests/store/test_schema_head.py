"""The cheap schema check reads the same head and current revision as Alembic does."""

from __future__ import annotations

from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine

from escdesk.store import migrate


def test_the_head_read_from_the_scripts_is_alembics_head() -> None:
    assert migrate.head_revision() == ScriptDirectory(str(migrate.MIGRATIONS)).get_current_head()


def test_every_script_is_read_with_the_revision_it_follows() -> None:
    scripts = ScriptDirectory(str(migrate.MIGRATIONS))
    expected = {
        script.revision: () if script.down_revision is None else (script.down_revision,)
        for script in scripts.walk_revisions()
    }
    assert migrate._chain() == expected


def test_the_current_revision_is_what_alembic_reads(engine: Engine) -> None:
    with engine.connect() as connection:
        alembics = MigrationContext.configure(connection).get_current_revision()
    assert alembics is not None and migrate.current_revision(engine) == alembics


def test_a_database_never_upgraded_has_no_revision() -> None:
    empty = create_engine("sqlite://")
    assert migrate.current_revision(empty) is None
    assert not migrate.is_up_to_date(empty)
