"""Migration 0021 (R-ESC-9): the waiver columns of exit_criteria come and go without losing a
criterion, on SQLite (where Alembic rebuilds the table) and on PostgreSQL alike."""

from __future__ import annotations

from datetime import datetime

from alembic import command
from sqlalchemy import Engine, inspect, text

from escdesk.services.escalation_commands import CloseEscalation, agreement_from
from escdesk.store.migrate import _config, upgrade
from escdesk.store.uow import SqlUnitOfWork
from tests import factories

WAIVER_COLUMNS = {"waived_reason", "waived_at", "waived_by_id"}


def columns(engine: Engine) -> set[str]:
    return {c["name"] for c in inspect(engine).get_columns("exit_criteria")}


def test_a_waived_criterion_keeps_its_row_down_and_up_again(engine: Engine, now: datetime) -> None:
    uow = SqlUnitOfWork(engine)
    esc = factories.open_escalation(uow, now=now)
    assert esc.id is not None
    closing = CloseEscalation(esc.id, agreement_from("Jo", now, "email"), waivers=factories.WAIVED)
    factories.act(uow, closing, now=now)
    select_text = text("SELECT text FROM exit_criteria WHERE escalation_id = :e")
    try:
        with engine.connect() as connection:
            reason = connection.scalar(
                text("SELECT waived_reason FROM exit_criteria WHERE escalation_id = :e"),
                {"e": esc.id},
            )
        assert reason == factories.WAIVED[0].reason
        command.downgrade(_config(engine), "0019")
        assert not WAIVER_COLUMNS & columns(engine)
        with engine.connect() as connection:
            kept = connection.scalars(select_text, {"e": esc.id}).all()
        assert kept == ["p95 pipeline start under 30 s for a week"]
        command.upgrade(_config(engine), "0021")
        assert WAIVER_COLUMNS <= columns(engine)
    finally:
        upgrade(engine)  # the PostgreSQL schema is shared by this process's tests
