"""R-RCA-2: follow-up owners are reminded through the outbox by the worker's periodic pass —
a day before the due moment, once overdue, never twice, never after done."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine, select

from escdesk.bootstrap import bootstrap
from escdesk.config import Settings
from escdesk.services import retrospectives as service
from escdesk.services.after_pass import after_escalation_pass
from escdesk.services.retrospectives import AddFollowUp, MarkFollowUp, RetroRef
from escdesk.store.tables import OutboxRow
from escdesk.store.uow import SqlUnitOfWork
from tests.after_factories import engineering_escalation, to_monitoring
from tests.factories import act, add_person


def _reminders(engine: Engine, *, follow_ups: bool = True) -> list[dict[str, Any]]:
    """The retrospective's messages: by default only the follow-up reminders."""
    with SqlUnitOfWork(engine) as uow:
        query = select(OutboxRow).where(OutboxRow.subject_type == "retrospective")
        rows = uow.session.scalars(query.order_by(OutboxRow.id))
        return [
            {"payload": r.payload, "destination": r.destination, "kind": r.kind,
             "key": r.idempotency_key}
            for r in rows
            if not follow_ups or "follow_up" in r.payload
        ]  # fmt: skip


def test_r_rca_2_the_owner_is_reminded_before_the_due_moment_and_once_overdue(
    uow: SqlUnitOfWork, engine: Engine, now: datetime
) -> None:
    esc = engineering_escalation(uow, now=now)
    assert esc.id is not None
    to_monitoring(uow, esc, now=now)
    owner = add_person(uow, "support", now=now, email="owner@example.com")
    due = now + timedelta(days=3)
    ref = RetroRef(esc.id, True)
    act(uow, AddFollowUp(ref, "Write the runbook", owner.email, due), now=now,
        handler=service.add_follow_up)  # fmt: skip

    assert after_escalation_pass(SqlUnitOfWork(engine), now) == 0
    assert after_escalation_pass(SqlUnitOfWork(engine), due - timedelta(hours=12)) == 1
    assert after_escalation_pass(SqlUnitOfWork(engine), due - timedelta(hours=6)) == 0
    assert after_escalation_pass(SqlUnitOfWork(engine), due + timedelta(hours=1)) == 1
    assert after_escalation_pass(SqlUnitOfWork(engine), due + timedelta(days=2)) == 0

    rows = _reminders(engine)
    assert [r["payload"]["reminder"] for r in rows] == ["due_soon", "overdue"]
    assert {r["destination"] for r in rows} == {"owner@example.com"}
    assert {r["kind"] for r in rows} == {"email.internal"}
    assert len({r["key"] for r in rows}) == 2


def test_r_rca_2_a_done_follow_up_is_not_reminded(
    uow: SqlUnitOfWork, engine: Engine, now: datetime
) -> None:
    esc = engineering_escalation(uow, now=now)
    assert esc.id is not None
    to_monitoring(uow, esc, now=now)
    owner = add_person(uow, "support", now=now)
    ref = RetroRef(esc.id, True)
    due = now + timedelta(days=2)
    act(uow, AddFollowUp(ref, "Alert on lock waits", owner.email, due), now=now,
        handler=service.add_follow_up)  # fmt: skip
    act(uow, MarkFollowUp(ref, 1), now=now, by=owner.email, handler=service.mark_follow_up)
    assert after_escalation_pass(SqlUnitOfWork(engine), due + timedelta(days=1)) == 0


def test_the_worker_runs_the_after_escalation_pass(
    uow: SqlUnitOfWork, engine: Engine, database_url: str, now: datetime
) -> None:
    esc = engineering_escalation(uow, now=now)
    assert esc.id is not None
    to_monitoring(uow, esc, now=now)
    owner = add_person(uow, "support", now=now)
    due = now + timedelta(days=1)
    act(uow, AddFollowUp(RetroRef(esc.id, True), "Fix the docs", owner.email, due), now=now,
        handler=service.add_follow_up)  # fmt: skip
    desk = bootstrap(Settings(database_url=database_url), engine=engine, clock=lambda: due)
    worker = desk.worker()
    assert "after_escalation" in [job.name for job in worker.periodic]
    worker.run_periodic()
    assert len(_reminders(engine)) == 1


def test_r_rca_1_the_dri_is_told_when_the_retrospective_is_due_and_once_when_it_is_overdue(
    uow: SqlUnitOfWork, engine: Engine, now: datetime
) -> None:
    esc = engineering_escalation(uow, now=now)
    assert esc.id is not None
    to_monitoring(uow, esc, now=now)
    with uow:
        dri = uow.people.get(esc.dri_id).email
    opened = _reminders(engine, follow_ups=False)
    assert [(r["destination"], r["kind"]) for r in opened] == [(dri, "email.internal")]
    assert "is due" in opened[0]["payload"]["subject"]
    late = now + timedelta(days=6)
    assert after_escalation_pass(SqlUnitOfWork(engine), now + timedelta(days=4)) == 0
    assert after_escalation_pass(SqlUnitOfWork(engine), late) == 1
    assert after_escalation_pass(SqlUnitOfWork(engine), late + timedelta(days=1)) == 0
    told = _reminders(engine, follow_ups=False)
    assert len(told) == 2 and "is overdue" in told[1]["payload"]["subject"]
