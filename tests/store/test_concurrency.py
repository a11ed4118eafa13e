"""Optimistic concurrency: two edits of one version give one success and one clear conflict."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta

import pytest
from sqlalchemy import Engine, func, select

from escdesk.domain.clock import Audience
from escdesk.domain.errors import Conflict
from escdesk.domain.severity import SeverityPolicy
from escdesk.services.escalation_commands import PostUpdate
from escdesk.store.tables import EventRow, OutboxRow, UpdateRow
from escdesk.store.uow import SqlUnitOfWork
from tests import factories
from tests.factories import open_escalation


def test_an_edit_of_a_stale_version_is_a_conflict_naming_the_current_version(
    uow: SqlUnitOfWork, now: datetime, policy: SeverityPolicy
) -> None:
    esc = open_escalation(uow, now=now)
    assert esc.id is not None
    factories.act(
        uow,
        PostUpdate(esc.id, Audience("internal"), "first", version=esc.version),
        now=now,
        policy=policy,
    )
    with pytest.raises(Conflict) as conflict:
        factories.act(
            uow,
            PostUpdate(esc.id, Audience("internal"), "second", version=esc.version),
            now=now,
            policy=policy,
        )
    assert conflict.value.current_version == esc.version + 1


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_two_concurrent_connections_give_one_success_and_one_conflict_never_a_lost_update(
    engine: Engine, now: datetime, policy: SeverityPolicy
) -> None:
    """Both load the same version, both write; PostgreSQL serialises the UPDATE ... WHERE version.

    The barrier makes each connection hold a loaded aggregate before either commits, so this is
    the race a web app with several workers sees, on real connections.
    """
    esc = open_escalation(SqlUnitOfWork(engine), now=now)
    assert esc.id is not None
    loaded = threading.Barrier(2)
    results: list[str] = []

    def edit(body: str, delay: timedelta) -> None:
        uow = SqlUnitOfWork(engine)
        with uow:
            mine = uow.escalations.get(esc.id)  # type: ignore[arg-type]
            loaded.wait(timeout=10)
            mine.post_update(Audience.INTERNAL, body, by_id=None, now=now + delay, policy=policy)
            try:
                uow.commit()
                results.append("ok")
            except Conflict:
                results.append("conflict")

    threads = [
        threading.Thread(target=edit, args=(f"note {i}", timedelta(minutes=i))) for i in range(2)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(results) == ["conflict", "ok"]
    with engine.connect() as connection:
        updates = connection.scalar(select(func.count()).select_from(UpdateRow))
        posted = connection.scalar(
            select(func.count()).select_from(EventRow).where(EventRow.type == "update_posted")
        )
        outbox = connection.scalar(
            select(func.count())
            .select_from(OutboxRow)
            .where(OutboxRow.payload["template"].as_string() == "update")
        )
    assert (updates, posted, outbox) == (1, 1, 1), "the losing edit left nothing behind"
