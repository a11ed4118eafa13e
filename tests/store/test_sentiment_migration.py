"""0022: the at-risk sentiments escdesk set by itself are sorted once, and the step goes down
and up again with the accounts in place."""

from __future__ import annotations

from datetime import UTC, datetime

from alembic import command
from sqlalchemy import Engine, inspect, text

from escdesk.store.migrate import _config, is_up_to_date, upgrade
from escdesk.store.uow import SqlUnitOfWork
from tests import factories

MARKED = datetime(2026, 10, 1, 8, 0, tzinfo=UTC)


def columns(engine: Engine) -> set[str]:
    return {c["name"] for c in inspect(engine).get_columns("accounts")}


def test_a_stale_automatic_at_risk_becomes_yellow_and_a_running_one_stays_dated(
    engine: Engine, now: datetime
) -> None:
    uow = SqlUnitOfWork(engine)
    running = factories.add_account(uow, now=now, name="Running")
    ended = factories.add_account(uow, now=now, name="Ended")
    factories.add_account(uow, now=now, name="Calm")
    factories.open_escalation(uow, now=now, account=running.name, severity="high")
    factories.open_escalation(uow, now=now, account=ended.name, severity="medium")
    command.downgrade(_config(engine), "0019")
    assert "sentiment_set_at" not in columns(engine)
    with engine.begin() as connection:
        connection.execute(
            text("UPDATE accounts SET sentiment = 'at_risk' WHERE name IN ('Running', 'Ended')")
        )
        connection.execute(
            text(
                "INSERT INTO events (subject, subject_id, type, occurred_at, actor_id, data) "
                "VALUES ('account', :id, 'marked_at_risk', :at, NULL, '{}')"
            ),
            {"id": running.id, "at": MARKED},
        )
    upgrade(engine, "0022")
    with engine.connect() as connection:
        rows = connection.execute(
            text(
                "SELECT name, sentiment, sentiment_set_by_id, sentiment_set_at FROM accounts "
                "ORDER BY name"
            )
        ).all()
    found = {r[0]: (r[1], r[2], r[3]) for r in rows}
    assert found["Ended"] == ("yellow", None, None)
    assert found["Calm"] == ("green", None, None)
    sentiment, by, at = found["Running"]
    assert (sentiment, by) == ("at_risk", None)
    assert at is not None and str(at).startswith("2026-10-01")
    with SqlUnitOfWork(engine) as reading:
        assert running.id is not None
        assert reading.accounts.get(running.id).sentiment_set_at == MARKED
    command.downgrade(_config(engine), "0019")
    assert "sentiment_set_at" not in columns(engine)
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM accounts")).scalar_one() == 3
    upgrade(engine)
    assert is_up_to_date(engine)
