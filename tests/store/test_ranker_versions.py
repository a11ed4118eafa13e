"""Re-ranker versions in the store (R-REC-2): the model and figures come back as the JSON data
they went in as, at most one version is in use, and migration 0025 adds and removes the table."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Engine, inspect

from escdesk.domain.events import Event
from escdesk.domain.ranker_version import RankerVersion
from escdesk.store.migrate import is_up_to_date, upgrade
from escdesk.store.uow import SqlUnitOfWork
from tests.store.test_migrations import downgrade

MODEL = {"features": ["a", "same_account"], "coefficients": [0.5, 1.25], "intercept": -4.0}
FIGURES = {"new": {"mrr": 0.75, "queries": 4}, "current": {"mrr": 0.5, "queries": 4}}


def test_versions_round_trip_and_one_is_in_use(uow: SqlUnitOfWork, now: datetime) -> None:
    with uow:
        first, second = (RankerVersion(now, MODEL, FIGURES, kept=True) for _ in range(2))
        uow.rankers.add(first)
        uow.rankers.add(second)
        assert first.id is not None and second.id is not None
        uow.rankers.use(first.id)
        uow.rankers.use(second.id)
        uow.rankers.record(second.id, Event("ranker_chosen", now, None, {"was": first.id}))
        uow.commit()
    with uow:
        in_use = uow.rankers.in_use()
        assert in_use is not None and in_use.id == second.id
        assert (in_use.model, in_use.figures, in_use.trained_at) == (MODEL, FIGURES, now)
        assert [v.in_use for v in uow.rankers.all()] == [False, True]
        uow.rankers.use(None)
        uow.commit()
    with uow:
        assert uow.rankers.in_use() is None and uow.rankers.get(999) is None


def test_the_migration_adds_and_removes_the_table(engine: Engine) -> None:
    downgrade(engine, "0019")
    assert "ranker_versions" not in inspect(engine).get_table_names()
    upgrade(engine)
    assert "ranker_versions" in inspect(engine).get_table_names() and is_up_to_date(engine)
