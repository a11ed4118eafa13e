"""Retention: traces past their time go; work records, the audit trail and anything that still
stops a reminder repeating stay."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import Engine, func, select, update

from escdesk.domain.retention import Retention
from escdesk.services import auth
from escdesk.services.escalation_commands import CloseEscalation, agreement_from
from escdesk.store.retention_repository import prune
from escdesk.store.tables import (
    DeliveryStepRow,
    EventRow,
    OutboxRow,
    SessionRow,
    WebhookDeliveryRow,
    WebhookSubscriptionRow,
)
from escdesk.store.uow import SqlUnitOfWork
from tests import factories

DAY = timedelta(days=1)


def count(engine: Engine, row: type, *where: object) -> int:
    with engine.connect() as connection:
        return int(connection.scalar(select(func.count()).select_from(row).where(*where)) or 0)


def test_old_traces_go_and_records_that_matter_stay(
    engine: Engine, uow: SqlUnitOfWork, now: datetime
) -> None:
    closed = factories.open_escalation(uow, now=now)
    still_open = factories.open_escalation(uow, now=now)
    agreement = agreement_from("Jo, CTO", now + timedelta(minutes=5), "email")
    factories.act(
        uow,
        CloseEscalation(closed.id, agreement, waivers=factories.WAIVED),
        now=now + timedelta(minutes=10),
    )
    person = factories.add_person(uow, "support", now=now)
    assert person.id is not None
    with uow:
        uow.access.add_session(auth.digest("old"), person.id, now, now + DAY)
        uow.access.add_session(auth.digest("live"), person.id, now, now + 200 * DAY)
        uow.commit()
    with engine.begin() as connection:
        # Every message delivered on the first day; one of the closed escalation's still pending.
        connection.execute(update(OutboxRow).values(state="delivered", delivered_at=now))
        pending = connection.scalar(
            select(func.max(OutboxRow.id)).where(OutboxRow.escalation_id == closed.id)
        )
        connection.execute(update(OutboxRow).where(OutboxRow.id == pending).values(state="pending"))
        first = connection.scalar(
            select(func.min(OutboxRow.id)).where(OutboxRow.escalation_id == closed.id)
        )
        connection.execute(
            DeliveryStepRow.__table__.insert(),
            [{"message_id": first, "step": "post", "started_at": now, "data": {}}],
        )
        subscription = connection.execute(
            WebhookSubscriptionRow.__table__.insert().values(
                url="https://hooks.example.com/e", secret="s", event_types=["*"],
                description="", created_at=now,
            )
        ).inserted_primary_key[0]  # fmt: skip
        connection.execute(
            WebhookDeliveryRow.__table__.insert(),
            [
                {"subscription_id": subscription, "message_id": 1, "webhook_id": f"msg_{n}",
                 "event_type": "escalation_opened", "attempted_at": at, "ok": True,
                 "duration_ms": 3}
                for n, at in enumerate((now, now + 95 * DAY))
            ],
        )  # fmt: skip
    events = count(engine, EventRow)
    kept_open = count(engine, OutboxRow, OutboxRow.escalation_id == still_open.id)
    closed_rows = count(engine, OutboxRow, OutboxRow.escalation_id == closed.id)

    pruned = prune(engine, Retention().cutoffs(now + 100 * DAY))

    assert pruned == {
        "sessions": 1,
        "outbox": closed_rows - 1,
        "delivery_steps": 1,
        "webhook_deliveries": 1,
    }
    assert count(engine, OutboxRow, OutboxRow.escalation_id == closed.id) == 1  # the pending one
    assert count(engine, OutboxRow, OutboxRow.escalation_id == still_open.id) == kept_open
    assert count(engine, EventRow) == events  # the audit trail is never pruned
    assert count(engine, SessionRow) == 1 and count(engine, WebhookDeliveryRow) == 1
    assert prune(engine, Retention().cutoffs(now + 100 * DAY)) == dict.fromkeys(pruned, 0)


def test_nothing_younger_than_its_retention_goes(
    engine: Engine, uow: SqlUnitOfWork, now: datetime
) -> None:
    closed = factories.open_escalation(uow, now=now)
    agreement = agreement_from("Jo, CTO", now + timedelta(minutes=5), "email")
    factories.act(
        uow,
        CloseEscalation(closed.id, agreement, waivers=factories.WAIVED),
        now=now + timedelta(minutes=10),
    )
    with engine.begin() as connection:
        connection.execute(update(OutboxRow).values(state="delivered", delivered_at=now))
    before = count(engine, OutboxRow)
    assert prune(engine, Retention().cutoffs(now + 89 * DAY))["outbox"] == 0
    assert count(engine, OutboxRow) == before
