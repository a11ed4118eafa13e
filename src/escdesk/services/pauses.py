"""Waiting on the customer (R-SLA-2): pause the customer-update clock, and resume it when the
customer answers — recorded by a person here, or by the delivery side when a customer's e-mail
reply arrives (`via="email"`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from escdesk.domain import escalation_clocks, reminders
from escdesk.domain.access import Actor, Permission
from escdesk.domain.clock import Audience
from escdesk.domain.escalation import Escalation
from escdesk.services.ports import UnitOfWork
from escdesk.services.runner import Context


@dataclass(frozen=True)
class WaitOnCustomer:
    escalation_id: int
    reason: str
    version: int | None = None


@dataclass(frozen=True)
class CustomerAnswered:
    escalation_id: int
    via: str = "person"
    version: int | None = None


def wait_on_customer(
    uow: UnitOfWork, cmd: WaitOnCustomer, actor: Actor, ctx: Context
) -> Escalation:
    esc = uow.escalations.get(cmd.escalation_id, cmd.version)
    actor.require(Permission.POST_UPDATE, esc.owners_with_powers)
    escalation_clocks.wait_on_customer(
        esc, cmd.reason, by_id=actor.person_id, now=ctx.now, policy=ctx.policy
    )
    return esc


def customer_answered(
    uow: UnitOfWork, cmd: CustomerAnswered, actor: Actor, ctx: Context
) -> Escalation:
    esc = uow.escalations.get(cmd.escalation_id, cmd.version)
    actor.require(Permission.POST_UPDATE, esc.owners_with_powers)
    escalation_clocks.customer_answered(
        esc, by_id=actor.person_id, now=ctx.now, policy=ctx.policy, via=cmd.via
    )
    return esc


@dataclass(frozen=True)
class SnoozeReminders:
    """R-ESC-6: the DRI's one snooze of the reminders about the next update of an audience."""

    escalation_id: int
    audience: Audience
    reason: str
    length: timedelta


def snooze_reminders(
    uow: UnitOfWork, cmd: SnoozeReminders, actor: Actor, ctx: Context
) -> Escalation:
    esc = uow.escalations.get(cmd.escalation_id)
    actor.require(Permission.POST_UPDATE, esc.owners_with_powers)
    esc._require_open("snooze a reminder")
    due = (
        esc.next_internal_update_due
        if cmd.audience is Audience.INTERNAL
        else esc.next_customer_update_due
    )
    event = reminders.snooze(
        esc.snoozes,
        cmd.audience,
        due,
        cmd.reason,
        by_id=actor.person_id,
        now=ctx.now,
        length=cmd.length,
    )
    esc._record(event.type, ctx.now, actor.person_id, event.data)
    return esc
