"""Builders for the after-the-escalation tests: a product escalation that reached Engineering,
moved to monitoring (which opens its retrospective), with a few lines on its trail."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from escdesk.domain.clock import Audience
from escdesk.domain.escalation import Escalation
from escdesk.services import escalations as service
from escdesk.services.escalation_commands import MoveToMonitoring, PostUpdate
from escdesk.services.ports import UnitOfWork
from tests.factories import act, add_person, open_escalation, product_people


def engineering_escalation(uow: UnitOfWork, *, now: datetime, **overrides: Any) -> Escalation:
    """Product related, run by a support engineer, one internal and one customer update."""
    dri = add_person(uow, "support", now=now)
    people = product_people(uow, now=now)
    esc = open_escalation(
        uow,
        now=now,
        by=dri.email,
        product_related=True,
        product_dri=people["product_dri"],
        **overrides,
    )
    assert esc.id is not None
    later = now + timedelta(hours=1)
    act(
        uow,
        PostUpdate(esc.id, Audience.INTERNAL, "Heap dump shows the lock"),
        now=later,
        by=dri.email,
    )
    act(uow, PostUpdate(esc.id, Audience.CUSTOMER, "We found the cause"), now=later, by=dri.email)
    return esc


def to_monitoring(uow: UnitOfWork, esc: Escalation, *, now: datetime) -> None:
    assert esc.id is not None
    act(
        uow,
        MoveToMonitoring(esc.id, "Patched; watching"),
        now=now,
        handler=service.move_to_monitoring,
    )
