"""Waiting on the customer (R-SLA-2): pause the customer-update clock, and resume it when the
customer answers — recorded by a person here, or by the delivery side when a customer's e-mail
reply arrives (`via="email"`)."""

from __future__ import annotations

from dataclasses import dataclass

from escdesk.domain import pauses
from escdesk.domain.access import Actor, Permission
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
    pauses.wait_on_customer(esc, cmd.reason, by_id=actor.person_id, now=ctx.now, policy=ctx.policy)
    return esc


def customer_answered(
    uow: UnitOfWork, cmd: CustomerAnswered, actor: Actor, ctx: Context
) -> Escalation:
    esc = uow.escalations.get(cmd.escalation_id, cmd.version)
    actor.require(Permission.POST_UPDATE, esc.owners_with_powers)
    pauses.customer_answered(
        esc, by_id=actor.person_id, now=ctx.now, policy=ctx.policy, via=cmd.via
    )
    return esc
