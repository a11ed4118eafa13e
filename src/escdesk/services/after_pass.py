"""The worker's pass after the escalation (R-RCA-1/2): remind the owners of follow-up actions,
and the DRI of a retrospective past its due date.

Run by the delivery worker as a `PeriodicJob`. It opens one unit of work, queues each reminder
that is owed now (a day before the due moment, then once overdue; `domain.clock`) in the outbox
and commits: the worker delivers them like any other message, and a reminder is never queued
twice, because the follow-up records which one it was sent.
"""

from __future__ import annotations

from datetime import datetime

from escdesk.domain.clock import FOLLOW_UP_WARNING
from escdesk.services.ports import UnitOfWork


def after_escalation_pass(uow: UnitOfWork, now: datetime) -> int:
    """Queue the follow-up reminders owed at `now`; how many were queued."""
    queued = 0
    with uow:
        for retro_id in uow.retrospectives.with_follow_ups_due(now + FOLLOW_UP_WARNING):
            retro = uow.retrospectives.get(retro_id)
            owners = uow.people.get_many({f.owner_id for f in retro.follow_ups if not f.done})
            addresses = {i: p.email for i, p in owners.items()}
            queued += retro.remind(addresses, now)
        for retro_id in uow.retrospectives.overdue(now):
            retro = uow.retrospectives.get(retro_id)
            dri = uow.people.get(uow.escalations.get(retro.escalation_id).dri_id).email
            queued += int(retro.remind_if_overdue(dri, now))
        uow.commit()
    return queued
