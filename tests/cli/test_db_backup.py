"""`escdesk db backup PATH`: a consistent copy of the embedded SQLite store; PostgreSQL is sent
to pg_dump."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from sqlalchemy import Engine, func, select

from escdesk.store.database import make_engine
from escdesk.store.migrate import current_revision, head_revision
from escdesk.store.tables import EscalationRow, EventRow, OutboxRow
from escdesk.store.uow import SqlUnitOfWork
from tests import factories
from tests.cli.conftest import Cli


def counts(engine: Engine) -> tuple[int, int, int]:
    with engine.connect() as connection:
        return tuple(  # type: ignore[return-value]
            int(connection.scalar(select(func.count()).select_from(t)) or 0)
            for t in (EscalationRow, EventRow, OutboxRow)
        )


def test_a_sqlite_desk_is_copied_whole_and_the_copy_opens_at_the_same_revision(
    cli: Cli, database_url: str, engine: Engine, uow: SqlUnitOfWork, now: datetime, tmp_path: Path
) -> None:
    target = tmp_path / "copy.db"
    factories.open_escalation(uow, now=now)
    result = cli("db", "backup", str(target))
    if not database_url.startswith("sqlite"):
        assert result.exit_code == 1
        assert "pg_dump" in result.stderr and not target.exists()
        return
    assert result.exit_code == 0, result.output
    assert "copied to" in result.stdout
    copy = make_engine(f"sqlite:///{target}")
    try:
        assert current_revision(copy) == head_revision()
        assert counts(copy) == counts(engine) and counts(copy)[0] == 1
    finally:
        copy.dispose()
    again = cli("db", "backup", str(target))
    assert again.exit_code == 2 and "already exists" in again.stderr
