"""Waiting on the customer through the handlers and the store (R-SLA-2): the due moment after a
pause is recomputed from the trail when the escalation is loaded again."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from escdesk.domain.errors import Forbidden, StateRefused
from escdesk.services import lateness
from escdesk.services import pauses as service
from escdesk.services.escalation_commands import ListEscalations
from escdesk.services.escalations import list_escalations
from escdesk.store.uow import SqlUnitOfWork
from tests import factories


def test_a_pause_stops_the_customer_clock_and_the_resume_gives_the_time_back(
    uow: SqlUnitOfWork, now: datetime
) -> None:
    esc = factories.open_escalation(uow, now=now)  # medium: customer update every 7 days
    assert esc.id is not None
    with uow:
        dri = str(uow.escalations.get(esc.id).dri_id)
    paused_at, resumed_at = now + timedelta(days=2), now + timedelta(days=5)
    factories.act(
        uow, service.WaitOnCustomer(esc.id, "Waiting for the HAR file"), now=paused_at, by=dri,
        handler=service.wait_on_customer,
    )  # fmt: skip
    with uow:
        waiting = uow.escalations.get(esc.id)
    assert waiting.next_customer_update_due is None
    assert waiting.next_internal_update_due == now + timedelta(days=7)  # never paused
    page = factories.ask(uow, list_escalations, ListEscalations(), now=now + timedelta(days=8))
    line = lateness.of_summary(page.items[0], now + timedelta(days=8))
    assert line.paused and "customer" not in line.overdue
    with pytest.raises(StateRefused):
        factories.act(
            uow, service.WaitOnCustomer(esc.id, "again"), now=paused_at, by=dri,
            handler=service.wait_on_customer,
        )  # fmt: skip
    factories.act(
        uow, service.CustomerAnswered(esc.id), now=resumed_at, by=dri,
        handler=service.customer_answered,
    )  # fmt: skip
    with uow:
        again = uow.escalations.get(esc.id)
        types = [e.type for e in uow.escalations.events(esc.id)]
    assert again.next_customer_update_due == now + timedelta(days=10)
    assert types[-2:] == ["clock_paused", "clock_resumed"]


def test_only_who_may_post_updates_pauses_a_clock(uow: SqlUnitOfWork, now: datetime) -> None:
    esc = factories.open_escalation(uow, now=now)
    assert esc.id is not None
    outsider = factories.add_person(uow, "sales", now=now).email
    with pytest.raises(Forbidden):
        factories.act(
            uow, service.WaitOnCustomer(esc.id, "logs"), now=now, by=outsider,
            handler=service.wait_on_customer,
        )  # fmt: skip
