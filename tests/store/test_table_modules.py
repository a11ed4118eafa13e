"""Tables are mapped module by module on first use, yet the whole schema is there when asked for.

A command maps only the table modules its repositories import (`store.tables` imports a module
when one of its rows is first named); Alembic, the archive and `create_all` read `Base`, which
maps every module. Each check runs in a new interpreter: this test process has imported
everything already.
"""

from __future__ import annotations

import importlib
import inspect as pyinspect
import json
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect

import escdesk.store.tables as tables
from escdesk.store.migrate import upgrade
from escdesk.store.tables.base import Base
from escdesk.store.uow import SqlUnitOfWork
from tests.store.contents import CORE_TABLES

REPOSITORIES = sorted(
    name for name, member in vars(SqlUnitOfWork).items() if isinstance(member, property)
)

MAPPED_BY = """
import json, sys
from sqlalchemy import select
from sqlalchemy.orm import configure_mappers
{setup}
from escdesk.store.tables.base import Base
configure_mappers()  # every relationship finds its target
for table in Base.metadata.tables.values():
    for key in table.foreign_keys:
        key.column  # every foreign key names a table that is mapped too
print(json.dumps(sorted(Base.metadata.tables)))
"""


def mapped_after(setup: str, url: str = "sqlite://") -> set[str]:
    """The tables mapped in a new interpreter after `setup` ran (and every mapping checked)."""
    result = subprocess.run(
        [sys.executable, "-c", MAPPED_BY.format(setup=setup.replace("URL", repr(url)))],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return set(json.loads(result.stdout.strip().splitlines()[-1]))


def test_the_registry_of_modules_names_every_module_and_row_class() -> None:
    folder = Path(tables.__file__).parent
    modules = {m.name for m in pkgutil.iter_modules([str(folder)])} - {"base"}
    assert set(tables.MODULES) == modules
    for module_name, rows in tables.MODULES.items():
        module = importlib.import_module(f"escdesk.store.tables.{module_name}")
        defined = {
            name
            for name, cls in vars(module).items()
            if pyinspect.isclass(cls)
            and issubclass(cls, Base)
            and cls.__module__ == module.__name__
        }
        assert set(rows) == defined, module_name
    assert set(tables.__all__) == {"map_every_table", "Base", "BigId", *tables._HOME}


def test_base_holds_every_table_the_migrations_create(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite:///{tmp_path / 'escdesk.db'}")
    upgrade(engine)
    migrated = set(inspect(engine).get_table_names()) - {"alembic_version"}
    engine.dispose()
    assert mapped_after("from escdesk.store.tables import Base") == migrated
    assert mapped_after("from escdesk.store.tables import map_every_table; map_every_table()") == (
        migrated
    )


def test_naming_a_row_maps_its_module_and_the_tables_its_keys_name_only() -> None:
    assert mapped_after("from escdesk.store.tables import EscalationRow") == CORE_TABLES
    triage = mapped_after("from escdesk.store.tables import TriageMeetingRow")
    assert {"triage_meetings", "escalation_requests", "tickets", "escalations"} <= triage
    assert "webhook_subscriptions" not in triage and "surveys" not in triage


@pytest.mark.parametrize("repository", REPOSITORIES)
def test_each_repository_maps_what_it_reads_and_its_tables_answer(
    repository: str, database_url: str
) -> None:
    """A repository built alone (as a command builds it) maps tables that all exist, with every
    relationship and key complete, and a query of each mapped class runs on the real schema."""
    setup = f"""
from escdesk.store.database import make_engine
from escdesk.store.uow import SqlUnitOfWork
uow = SqlUnitOfWork(make_engine(URL))
with uow:
    uow.{repository}
    from escdesk.store.tables.base import Base
    for mapper in Base.registry.mappers:
        uow.session.execute(select(mapper.class_).limit(1)).all()
"""
    assert mapped_after(setup, database_url), "the repository mapped no table"
