"""Every revision steps down and up again with a desk's worth of data in place.

The demo desk (people, accounts, escalations with their updates, ETA history, owners, events
and outbox messages) is built at head; then, from the newest revision to the first, each one is
downgraded, upgraded and downgraded again. A table that exists on both sides of a step keeps
every row, on SQLite (where Alembic rebuilds altered tables) and on PostgreSQL alike.
"""

from __future__ import annotations

from datetime import datetime

from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, func, inspect, select, table

from escdesk.cli.demo_data import build
from escdesk.cli.demo_stories import STORIES
from escdesk.domain.severity import DEFAULT_POLICY
from escdesk.services.runner import Runner
from escdesk.store.migrate import MIGRATIONS, _config, head_revision, upgrade
from escdesk.store.uow import SqlUnitOfWork


def chain() -> list[str]:
    """The revisions, first to head (ids are names, not order: read the chain)."""
    newest_first = [s.revision for s in ScriptDirectory(str(MIGRATIONS)).walk_revisions()]
    return list(reversed(newest_first))


def row_counts(engine: Engine) -> dict[str, int]:
    names = [n for n in inspect(engine).get_table_names() if n != "alembic_version"]
    with engine.connect() as connection:
        count = select(func.count())
        return {n: connection.scalar(count.select_from(table(n))) or 0 for n in names}


def kept(before: dict[str, int], after: dict[str, int]) -> dict[str, tuple[int, int]]:
    """Tables on both sides whose row count changed: (before, after)."""
    return {
        name: (before[name], after[name])
        for name in before.keys() & after.keys()
        if before[name] != after[name]
    }


def test_the_chain_is_one_line_from_the_first_revision_to_head() -> None:
    revisions = chain()
    assert revisions[-1] == head_revision()
    assert len(set(revisions)) == len(revisions) > 10


def test_every_revision_steps_down_and_up_without_losing_a_row(
    engine: Engine, now: datetime
) -> None:
    uow = SqlUnitOfWork(engine)
    build(Runner(lambda: uow, lambda: now, DEFAULT_POLICY), STORIES, now=now)
    at_head = row_counts(engine)
    assert at_head["escalations"] >= 5 and at_head["events"] > 50 and at_head["outbox"] > 10
    config = _config(engine)
    revisions = chain()
    try:
        for revision, parent in reversed(list(zip(revisions[1:], revisions[:-1], strict=True))):
            above = row_counts(engine)
            command.downgrade(config, parent)
            below = row_counts(engine)
            assert kept(above, below) == {}, f"downgrading {revision} → {parent}"
            assert set(below) <= set(above), f"downgrading {revision} added tables"
            command.upgrade(config, revision)
            again = row_counts(engine)
            assert kept(below, again) == {}, f"upgrading {parent} → {revision}"
            assert set(again) == set(above), f"{revision} did not rebuild its tables"
            command.downgrade(config, parent)
        assert row_counts(engine)["escalations"] == at_head["escalations"]
    finally:
        upgrade(engine)  # the PostgreSQL schema is shared by this process's tests
