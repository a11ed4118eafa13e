"""0013 (operations) steps up and down on a database whose outbox already holds messages."""

from __future__ import annotations

from datetime import datetime

from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect, select

from escdesk.services.request_context import bind_request_id, release_request_id
from escdesk.store.migrate import MIGRATIONS, _config, is_up_to_date, upgrade
from escdesk.store.tables import OutboxRow
from escdesk.store.uow import SqlUnitOfWork
from tests import factories


def before_ops() -> str:
    """The revision 0013 builds on (read from the chain, so a re-chained 0013 needs no edit)."""
    script = ScriptDirectory(str(MIGRATIONS)).get_revision("0013")
    assert script is not None and isinstance(script.down_revision, str)
    return script.down_revision


def outbox_columns(engine: Engine) -> set[str]:
    return {c["name"] for c in inspect(engine).get_columns("outbox")}


def test_the_ops_migration_keeps_queued_messages_and_steps_back(
    engine: Engine, uow: SqlUnitOfWork, now: datetime
) -> None:
    token = bind_request_id("req-before-downgrade")
    try:
        factories.open_escalation(uow, now=now)
    finally:
        release_request_id(token)
    with engine.connect() as connection:
        ids = list(connection.scalars(select(OutboxRow.id).order_by(OutboxRow.id)))
        tagged = set(connection.scalars(select(OutboxRow.request_id)))
    assert ids and tagged == {"req-before-downgrade"}
    command.downgrade(_config(engine), before_ops())
    assert "request_id" not in outbox_columns(engine)
    assert "worker_heartbeats" not in inspect(engine).get_table_names()
    upgrade(engine)
    assert is_up_to_date(engine) and "request_id" in outbox_columns(engine)
    with engine.connect() as connection:
        assert list(connection.scalars(select(OutboxRow.id).order_by(OutboxRow.id))) == ids
        assert set(connection.scalars(select(OutboxRow.request_id))) == {None}
