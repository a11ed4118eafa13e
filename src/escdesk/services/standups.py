"""Set up an escalation's internal standup cadence (R-ESC-10)."""

from __future__ import annotations

from dataclasses import dataclass

from escdesk.domain import escalation_clocks
from escdesk.domain.access import Actor, Permission
from escdesk.domain.escalation import Escalation
from escdesk.domain.standups import StandupPlan
from escdesk.services.ports import UnitOfWork
from escdesk.services.runner import Context


@dataclass(frozen=True)
class SetStandup:
    escalation_id: int
    plan: StandupPlan
    tracker_url: str = ""
    version: int | None = None


def set_standup(uow: UnitOfWork, cmd: SetStandup, actor: Actor, ctx: Context) -> Escalation:
    esc = uow.escalations.get(cmd.escalation_id, cmd.version)
    actor.require(Permission.POST_UPDATE, esc.owners_with_powers)
    escalation_clocks.set_standup(
        esc, cmd.plan, by_id=actor.person_id, now=ctx.now, tracker_url=cmd.tracker_url
    )
    return esc
