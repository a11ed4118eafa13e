"""R-ESC-11 and R-OPS-3 in the store: an append-only trail and an outbox written with the change."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import Engine, delete, func, select, update
from sqlalchemy.exc import DBAPIError

from escdesk.domain.audit import replay
from escdesk.domain.clock import Audience
from escdesk.domain.errors import RuleRefused
from escdesk.domain.severity import SeverityPolicy
from escdesk.services import escalations as service
from escdesk.services.escalation_commands import (
    ChangeExitCriteria,
    CloseEscalation,
    MoveToMonitoring,
    PostUpdate,
    SetEta,
    ShowEscalation,
    agreement_from,
)
from escdesk.store.tables import EscalationRow, EventRow, OutboxRow
from escdesk.store.uow import SqlUnitOfWork
from tests import factories
from tests.factories import open_escalation


def _count(engine: Engine, table: type[EventRow] | type[OutboxRow]) -> int:
    with engine.connect() as connection:
        return connection.scalar(select(func.count()).select_from(table)) or 0


@pytest.mark.parametrize("statement", ["update", "delete"])
def test_the_database_refuses_to_change_or_delete_audit_events(
    engine: Engine, uow: SqlUnitOfWork, now: datetime, statement: str
) -> None:
    open_escalation(uow, now=now)
    change = update(EventRow).values(type="forged") if statement == "update" else delete(EventRow)
    with pytest.raises(DBAPIError, match="append-only"), engine.begin() as connection:
        connection.execute(change)


def test_stored_events_replay_to_the_stored_state(
    uow: SqlUnitOfWork, now: datetime, policy: SeverityPolicy
) -> None:
    esc = open_escalation(uow, now=now)
    assert esc.id is not None
    factories.act(
        uow, PostUpdate(esc.id, Audience("customer"), "Patch on staging"), now=now, policy=policy
    )
    factories.act(uow, SetEta(esc.id, now + timedelta(days=9), "vendor"), now=now)
    factories.act(uow, ChangeExitCriteria(esc.id, add=("customer confirms",), done=(1,)), now=now)
    factories.act(uow, MoveToMonitoring(esc.id, "fix deployed"), now=now)
    stored = factories.ask(uow, service.show_escalation, ShowEscalation(esc.id)).escalation
    with uow:
        trail = replay(uow.escalations.events(esc.id))
    assert trail.status == stored.status.value == "monitoring"
    assert trail.eta == stored.eta.isoformat()  # type: ignore[union-attr]
    assert trail.exit_criteria == [(c.text, c.done) for c in stored.exit_criteria]
    assert trail.updates == len(stored.updates) == 1


def test_a_refused_change_writes_no_event_and_no_outbox_entry(
    engine: Engine, uow: SqlUnitOfWork, now: datetime
) -> None:
    esc = open_escalation(uow, now=now)
    events, messages = _count(engine, EventRow), _count(engine, OutboxRow)
    with pytest.raises(RuleRefused):
        factories.act(uow, CloseEscalation(esc.id, agreement_from(None, None, None)), now=now)  # type: ignore[arg-type]
    assert (_count(engine, EventRow), _count(engine, OutboxRow)) == (events, messages)


def test_opening_writes_state_trail_and_outbox_together(
    engine: Engine, uow: SqlUnitOfWork, now: datetime
) -> None:
    esc = open_escalation(uow, now=now)
    with engine.connect() as connection:
        row = connection.execute(select(EscalationRow).where(EscalationRow.id == esc.id)).one()
        kinds = connection.execute(
            select(OutboxRow.kind, OutboxRow.destination)
            .where(OutboxRow.escalation_id == esc.id)
            .order_by(OutboxRow.id)
        ).all()
        keys = connection.scalars(select(OutboxRow.idempotency_key)).all()
    assert row.status == "opened"
    assert [k for k, _ in kinds] == ["slack.create_channel", "slack.post", "slack.announce"]
    assert kinds[-1].destination == "#escalated_customers"
    assert len(set(keys)) == len(keys), "every outbox entry has its own idempotency key"
